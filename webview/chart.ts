// The chart.js chart: turns a ChartModel into datasets, scales and annotations, and reports
// what the user does on the canvas (zoom, pan, hover, click) in the model's terms.
import {
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  type ChartDataset,
  type ChartEvent,
  type LegendItem as ChartLegendItem,
  type Plugin,
  type ScaleOptionsByType,
  type Tick,
} from 'chart.js';
import annotationPlugin, { type AnnotationOptions } from 'chartjs-plugin-annotation';
import zoomPlugin from 'chartjs-plugin-zoom';
import { axisTitle, formatLr, formatValue, formatXTick, ruleName } from './format';
import type { AxisId, AxisSpec, ChartModel, LegendItem, LineSpec, MarkerSpec, Point, RegionSpec } from './model';
import { withAlpha, type Theme } from './colors';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Legend, zoomPlugin, annotationPlugin);

/** One line's point nearest to the pointer. */
export interface HoverItem {
  line: LineSpec;
  index: number;
  point: Point;
  /** For a point without a value: what it was (NaN, Infinity), from the view's markers. */
  nonFinite?: string;
}

export interface Hover {
  /** Pointer position in CSS pixels relative to the canvas. */
  px: number;
  py: number;
  x: number;
  items: HoverItem[];
  regions: RegionSpec[];
  marker?: MarkerSpec;
}

export interface ChartCallbacks {
  /** The user zoomed or panned to `range`; `done` once the gesture ended. */
  onRange(range: [number, number], done: boolean): void;
  onHover(hover: Hover | undefined): void;
  /** A click on a marker, a region or a point (in that order of precedence). */
  onClick(hit: { marker?: MarkerSpec; regions: RegionSpec[]; item?: HoverItem }): void;
}

type LineDataset = ChartDataset<'line', Point[]> & { spec: LineSpec };

/** Log-axis tick labels: 1, 2 and 5 per decade when there is room, only powers of ten when not. */
function logTickLabel(format: (v: number) => string) {
  return function (this: { height?: number }, value: number | string, _index: number, ticks: Tick[]): string {
    const v = Number(value);
    if (!(v > 0)) return '';
    const lo = ticks[0]?.value ?? v;
    const hi = ticks[ticks.length - 1]?.value ?? v;
    const decades = lo > 0 && hi > 0 ? Math.log10(hi / lo) : 0;
    const exponent = Math.floor(Math.log10(v) + 1e-9);
    const mantissa = Math.round(v / Math.pow(10, exponent));
    const keep = decades > 2.5 ? [1] : decades > 1.2 ? [1, 2, 5] : [1, 2, 3, 5, 7];
    if (!keep.includes(mantissa)) return '';
    // A label only for exact 1..9 × 10^k ticks.
    if (Math.abs(v / (mantissa * Math.pow(10, exponent)) - 1) > 1e-6) return '';
    // A loss that blew up spans dozens of decades: label every n-th decade so labels
    // keep ~22 px apart.
    const room = Math.max(2, Math.floor((this.height ?? 200) / 22));
    const stride = Math.max(1, Math.ceil(decades / room));
    if (stride > 1 && exponent % stride !== 0) return '';
    return format(v);
  };
}

/** On log axes only labelled ticks get a grid line (minor ticks of 30 decades would hatch the plot). */
function logGridColor(color: string) {
  return (ctx: { tick?: { label?: unknown } }): string => (ctx.tick?.label ? color : 'transparent');
}

function lowerBoundX(points: readonly Point[], x: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (points[mid]!.x < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The index of the point nearest to `x` (with a value, when `withValue`), or -1. */
export function nearestIndex(points: readonly Point[], x: number, withValue = false): number {
  if (points.length === 0) return -1;
  const i = lowerBoundX(points, x);
  let best = -1;
  let bestD = Infinity;
  for (let k = i; k < points.length; k++) {
    if (withValue && points[k]!.y === null) continue;
    best = k;
    bestD = points[k]!.x - x;
    break;
  }
  for (let k = i - 1; k >= 0; k--) {
    if (withValue && points[k]!.y === null) continue;
    if (x - points[k]!.x <= bestD) best = k;
    break;
  }
  return best;
}

export class ChartView {
  readonly chart: Chart<'line', Point[]>;
  private model: ChartModel | undefined;
  private theme: Theme;
  private hover: Hover | undefined;
  private highlight: string | undefined;
  private pointerDown: { x: number; y: number } | undefined;
  private panning: { clientX: number; min: number; max: number } | undefined;

  constructor(
    readonly canvas: HTMLCanvasElement,
    theme: Theme,
    private readonly cb: ChartCallbacks,
  ) {
    this.theme = theme;
    applyDefaults(theme);
    const crosshair: Plugin<'line'> = {
      id: 'lrLensCrosshair',
      afterDatasetsDraw: (chart) => this.drawCrosshair(chart),
    };
    this.chart = new Chart<'line', Point[]>(canvas, {
      type: 'line',
      data: { datasets: [] },
      options: {
        animation: false,
        parsing: false,
        normalized: true,
        responsive: true,
        maintainAspectRatio: false,
        events: ['click'],
        layout: { padding: { top: 14, right: 4, left: 2, bottom: 0 } },
        elements: { point: { hoverRadius: 0, hitRadius: 0 }, line: { tension: 0, capBezierPoints: false } },
        plugins: {
          legend: { display: false },
          tooltip: { enabled: false },
          // Annotations never stretch the axes (the markers sit at the top of whatever range the data has).
          annotation: { annotations: {}, clip: true },
          zoom: {
            // Panning is ours (shift-drag, arrow keys): the plugin's Hammer-based pan does not
            // receive mouse drags reliably. Hammer still handles pinch on touch screens.
            pan: { enabled: false },
            zoom: {
              mode: 'x',
              wheel: { enabled: true, speed: 0.12 },
              pinch: { enabled: true },
              drag: { enabled: true, threshold: 6, borderWidth: 1 },
              // Shift-drag pans and shift-wheel scrolls: neither starts a zoom.
              onZoomStart: ({ event }) => !(event as MouseEvent).shiftKey,
              onZoom: ({ chart }) => this.emitRange(chart, false),
              onZoomComplete: ({ chart }) => this.emitRange(chart, true),
            },
          },
        },
        onClick: (e) => this.onClick(e),
      },
      plugins: [crosshair],
    });
    canvas.addEventListener('pointerdown', (e) => {
      this.pointerDown = { x: e.offsetX, y: e.offsetY };
      if (e.button === 0 && e.shiftKey && this.inPlot(e.offsetX, e.offsetY)) {
        const xs = this.chart.scales.x!;
        this.panning = { clientX: e.clientX, min: xs.min, max: xs.max };
        canvas.setPointerCapture(e.pointerId);
        e.preventDefault();
      }
    });
    canvas.addEventListener('pointermove', (e) => {
      if (!this.panning) return;
      const { clientX, min, max } = this.panning;
      const perPx = (max - min) / Math.max(1, this.chart.chartArea.width);
      this.showRange(this.shifted(min, max, -(e.clientX - clientX) * perPx), false);
    });
    const endPan = (e: PointerEvent): void => {
      if (!this.panning) return;
      this.panning = undefined;
      if (canvas.hasPointerCapture(e.pointerId)) canvas.releasePointerCapture(e.pointerId);
      const xs = this.chart.scales.x!;
      this.cb.onRange([xs.min, xs.max], true);
    };
    canvas.addEventListener('pointerup', endPan);
    canvas.addEventListener('pointercancel', endPan);
    canvas.addEventListener('keydown', (e) => this.onKey(e));
    // Hover is tracked here rather than through chart.js, which stops reporting outside the plot area.
    let queued: { x: number; y: number } | undefined;
    canvas.addEventListener('mousemove', (e) => {
      if (!queued)
        requestAnimationFrame(() => {
          const q = queued;
          queued = undefined;
          if (q) this.setHover(this.hoverAt(q.x, q.y));
        });
      queued = { x: e.offsetX, y: e.offsetY };
    });
    canvas.addEventListener('mouseleave', () => {
      queued = undefined;
      this.setHover(undefined);
    });
  }

  /** Width of the plot area in CSS pixels (what the host decimates to). */
  get plotWidth(): number {
    const area = this.chart.chartArea as { width?: number } | undefined;
    return Math.max(100, Math.round(area?.width ?? this.canvas.clientWidth - 120));
  }

  setTheme(theme: Theme): void {
    this.theme = theme;
    applyDefaults(theme);
  }

  /** Emphasises one finding region (focused from the list or a diagnostic). */
  setHighlight(id: string | undefined): void {
    this.highlight = id;
  }

  render(model: ChartModel): void {
    this.model = model;
    const t = this.theme;
    const chart = this.chart;
    chart.data.datasets = model.lines.map((l) => toDataset(l));
    const opts = chart.options;
    opts.scales = this.scales(model);
    const zoom = opts.plugins!.zoom!;
    const span = model.extent[1] - model.extent[0];
    zoom.limits = { x: { min: model.extent[0], max: model.extent[1], minRange: Math.max(span * 1e-6, model.xAxis === 'step' ? 4 : 1e-9) } };
    zoom.zoom!.drag = { enabled: true, threshold: 6, borderWidth: 1, borderColor: t.focus, backgroundColor: withAlpha(t.focus, 0.12) };
    opts.plugins!.annotation!.annotations = this.annotations(model);
    if (this.hover) this.hover = this.hoverAt(this.hover.px, this.hover.py);
    chart.update('none');
  }

  /** The canvas as a PNG with the theme's background behind it and the legend drawn in. */
  toPng(legend: readonly LegendItem[]): string {
    const chart = this.chart;
    const t = this.theme;
    const hover = this.hover;
    this.hover = undefined;
    const items: ChartLegendItem[] = legend
      .filter((i) => i.visible)
      .map((i) => ({ text: i.label, strokeStyle: i.color, fillStyle: i.color, lineDash: i.dash, lineWidth: 2, hidden: false, pointStyle: 'line' }));
    const legendOpts = chart.options.plugins!.legend!;
    Object.assign(legendOpts, {
      display: true,
      position: 'top',
      onClick: () => undefined,
      labels: { color: t.foreground, usePointStyle: true, pointStyleWidth: 28, padding: 14, generateLabels: () => items },
    });
    chart.update('none');
    const out = document.createElement('canvas');
    out.width = this.canvas.width;
    out.height = this.canvas.height;
    const ctx = out.getContext('2d')!;
    ctx.fillStyle = t.background;
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(this.canvas, 0, 0);
    legendOpts.display = false;
    this.hover = hover;
    chart.update('none');
    return out.toDataURL('image/png');
  }

  destroy(): void {
    this.chart.destroy();
  }

  private scales(model: ChartModel): Record<string, ScaleOptionsByType<'linear' | 'logarithmic'>> {
    const t = this.theme;
    const font = { family: t.fontFamily, size: Math.max(10, t.fontSize - 2) };
    const titleFont = { family: t.fontFamily, size: Math.max(10, t.fontSize - 1) };
    const axisBorder = { color: t.highContrast ? t.border : withAlpha(t.muted, 0.45) };
    const scales: Record<string, unknown> = {
      x: {
        type: 'linear',
        min: model.xRange[0],
        max: model.xRange[1],
        title: { display: true, text: axisTitle(model.xAxis), color: t.muted, font: titleFont, padding: { top: 2 } },
        // Only round values get ticks (a zoomed range does not start on one).
        ticks: { color: t.muted, font, maxRotation: 0, autoSkipPadding: 18, includeBounds: false, callback: (v: number | string) => formatXTick(model.xAxis, Number(v)) },
        grid: { color: t.grid, drawTicks: false, lineWidth: t.highContrast ? 1 : 0.75 },
        border: axisBorder,
      },
    };
    for (const a of model.axes) scales[a.id] = this.yScale(a, font, titleFont, axisBorder);
    return scales as Record<string, ScaleOptionsByType<'linear' | 'logarithmic'>>;
  }

  private yScale(a: AxisSpec, font: object, titleFont: object, border: object): object {
    const t = this.theme;
    const fmt = a.id === 'lr' ? (v: number) => formatLr(v) : (v: number) => formatValue(v, 3);
    return {
      type: a.type,
      position: a.position,
      display: a.visible,
      title: { display: true, text: a.title, color: t.muted, font: titleFont },
      ticks:
        a.type === 'logarithmic'
          ? { color: t.muted, font, autoSkip: false, includeBounds: false, callback: logTickLabel(fmt) }
          : { color: t.muted, font, maxTicksLimit: 8, includeBounds: false, callback: (v: number | string) => fmt(Number(v)) },
      grid: { display: a.grid, color: a.type === 'logarithmic' ? logGridColor(t.grid) : t.grid, drawTicks: false, lineWidth: t.highContrast ? 1 : 0.75 },
      border,
      ...(a.min !== undefined ? { min: a.min } : {}),
      ...(a.max !== undefined ? { max: a.max } : {}),
      ...(a.type === 'logarithmic' ? {} : { grace: '4%' }),
    };
  }

  private annotations(model: ChartModel): Record<string, AnnotationOptions> {
    const t = this.theme;
    const out: Record<string, AnnotationOptions> = {};
    const font = { family: t.fontFamily, size: Math.max(10, t.fontSize - 2), weight: 'bold' as const };
    for (const r of model.regions) {
      const strong = r.id === this.highlight || this.hover?.regions.some((h) => h.id === r.id) === true;
      const label = {
        display: (ctx: { element?: { width?: number } }) => r.x1 > r.x0 && (ctx.element?.width ?? 0) > 70,
        content: ruleName(r.finding.rule),
        position: { x: 'start' as const, y: 'start' as const },
        color: r.color,
        backgroundColor: withAlpha(t.background, 0.75),
        font,
        padding: { top: 1, bottom: 1, left: 4, right: 4 },
        yAdjust: 12,
        xAdjust: 3,
      };
      if (r.x1 > r.x0) {
        out[r.id] = {
          type: 'box',
          adjustScaleRange: false,
          xScaleID: 'x',
          xMin: r.x0,
          xMax: r.x1,
          drawTime: 'beforeDatasetsDraw',
          backgroundColor: withAlpha(r.color, strong ? 0.18 : t.highContrast ? 0.08 : 0.1),
          borderColor: t.highContrast || strong ? r.color : 'transparent',
          borderWidth: t.highContrast || strong ? 1.5 : 0,
          label,
        };
      } else {
        out[r.id] = {
          type: 'line',
          adjustScaleRange: false,
          scaleID: 'x',
          value: r.x0,
          drawTime: 'beforeDatasetsDraw',
          borderColor: withAlpha(r.color, strong ? 1 : 0.8),
          borderWidth: strong ? 2.5 : 1.5,
          borderDash: [4, 3],
        };
      }
    }
    for (const m of model.markers) {
      const axis = markerAxis(model, m);
      const atTop = (dy: number) => (ctx: { chart: Chart }) => ctx.chart.scales[axis]!.getValueForPixel(ctx.chart.chartArea.top + dy) ?? 0;
      if (m.x1 > m.x0)
        out[`${m.id}:band`] = { type: 'box', adjustScaleRange: false, xScaleID: 'x', yScaleID: axis, xMin: m.x0, xMax: m.x1, yMin: atTop(3), yMax: atTop(0), backgroundColor: m.color, borderWidth: 0, drawTime: 'afterDatasetsDraw' };
      out[m.id] = {
        type: 'point',
        adjustScaleRange: false,
        xScaleID: 'x',
        yScaleID: axis,
        xValue: m.x0,
        yValue: atTop(6),
        pointStyle: 'triangle',
        rotation: 180,
        radius: t.highContrast ? 6 : 5,
        backgroundColor: m.color,
        borderColor: t.background,
        borderWidth: 1,
        drawTime: 'afterDatasetsDraw',
      };
    }
    return out;
  }

  private inPlot(px: number, py: number): boolean {
    const a = this.chart.chartArea;
    return px >= a.left && px <= a.right && py >= a.top && py <= a.bottom;
  }

  /** [min, max] moved by `delta` axis units, kept inside the runs' extent. */
  private shifted(min: number, max: number, delta: number): [number, number] {
    const ext = this.model?.extent ?? [min, max];
    const d = Math.min(Math.max(delta, ext[0] - min), ext[1] - max);
    return [min + d, max + d];
  }

  /** Shows an x range at once (the data for it follows from the host). */
  private showRange(range: [number, number], done: boolean): void {
    const x = this.chart.options.scales!.x!;
    x.min = range[0];
    x.max = range[1];
    this.chart.update('none');
    this.cb.onRange(range, done);
  }

  /** Keyboard on the focused canvas: ←/→ pan by a tenth, +/− zoom around the centre. */
  private onKey(e: KeyboardEvent): void {
    const xs = this.chart.scales.x;
    const ext = this.model?.extent;
    if (!xs || !ext) return;
    const span = xs.max - xs.min;
    let range: [number, number] | undefined;
    if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') range = this.shifted(xs.min, xs.max, (e.key === 'ArrowLeft' ? -0.1 : 0.1) * span);
    else if (e.key === '+' || e.key === '=' || e.key === '-') {
      const mid = (xs.min + xs.max) / 2;
      const half = (e.key === '-' ? span / 0.8 : span * 0.8) / 2;
      range = [Math.max(ext[0], mid - half), Math.min(ext[1], mid + half)];
    }
    if (!range) return;
    e.preventDefault();
    this.showRange(range, true);
  }

  private emitRange(chart: Chart, done: boolean): void {
    const x = chart.scales.x;
    if (!x) return;
    this.cb.onRange([x.min, x.max], done);
  }

  private hoverAt(px: number, py: number): Hover | undefined {
    const model = this.model;
    const chart = this.chart;
    const area = chart.chartArea;
    const xs = chart.scales.x;
    if (!model || !xs || px < area.left || px > area.right || py < area.top || py > area.bottom) return undefined;
    const x = xs.getValueForPixel(px) ?? 0;
    const items: HoverItem[] = [];
    const smoothed = new Set(model.lines.filter((l) => l.part === 'smoothed' && !l.hidden).map((l) => l.key));
    for (const line of model.lines) {
      if (line.hidden || (line.part === 'raw' && smoothed.has(line.key))) continue;
      const index = nearestIndex(line.points, x);
      if (index < 0) continue;
      const point = line.points[index]!;
      if (point.x < xs.min || point.x > xs.max) continue;
      const nf = point.y === null ? model.markers.find((m) => m.key === line.key && point.x >= m.x0 && point.x <= m.x1)?.value : undefined;
      items.push({ line, index, point, ...(nf ? { nonFinite: nf } : {}) });
    }
    const unitsPerPx = (xs.max - xs.min) / Math.max(1, area.right - area.left);
    const regions = model.regions.filter((r) => x >= r.x0 - 4 * unitsPerPx && x <= r.x1 + 4 * unitsPerPx);
    let marker: MarkerSpec | undefined;
    if (py - area.top < 18)
      marker = model.markers.find((m) => px >= xs.getPixelForValue(m.x0) - 8 && px <= xs.getPixelForValue(m.x1) + 8);
    return { px, py, x, items, regions, ...(marker ? { marker } : {}) };
  }

  private setHover(h: Hover | undefined): void {
    if (!h && !this.hover) return;
    const before = this.hover?.regions.map((r) => r.id).join() ?? '';
    this.hover = h;
    const after = h?.regions.map((r) => r.id).join() ?? '';
    if (before !== after && this.model) {
      this.chart.options.plugins!.annotation!.annotations = this.annotations(this.model);
      this.chart.update('none');
    } else this.chart.draw();
    this.cb.onHover(h);
  }

  private onClick(e: ChartEvent): void {
    if (e.x === null || e.y === null) return;
    const down = this.pointerDown;
    this.pointerDown = undefined;
    if (down && Math.hypot(down.x - e.x, down.y - e.y) > 4) return; // the end of a drag, not a click
    const h = this.hoverAt(e.x, e.y);
    if (!h) return;
    if (h.marker) return this.cb.onClick({ marker: h.marker, regions: h.regions });
    const near = h.items.find((it) => {
      const scale = this.chart.scales[it.line.axis];
      const xs = this.chart.scales.x!;
      return scale && it.point.y !== null && Math.abs(xs.getPixelForValue(it.point.x) - e.x!) <= 6 && Math.abs(scale.getPixelForValue(it.point.y) - e.y!) <= 6;
    });
    this.cb.onClick({ regions: h.regions, ...(near ? { item: near } : {}) });
  }

  private drawCrosshair(chart: Chart): void {
    const h = this.hover;
    if (!h) return;
    const { ctx, chartArea: area } = chart;
    const xs = chart.scales.x!;
    const t = this.theme;
    ctx.save();
    ctx.strokeStyle = withAlpha(t.foreground, t.highContrast ? 0.9 : 0.35);
    ctx.lineWidth = 1;
    ctx.setLineDash([]);
    const px = Math.round(h.px) + 0.5;
    ctx.beginPath();
    ctx.moveTo(px, area.top);
    ctx.lineTo(px, area.bottom);
    ctx.stroke();
    for (const it of h.items) {
      const scale = chart.scales[it.line.axis];
      if (!scale || it.point.y === null) continue;
      const x = xs.getPixelForValue(it.point.x);
      const y = scale.getPixelForValue(it.point.y);
      if (!Number.isFinite(y) || y < area.top || y > area.bottom) continue;
      ctx.beginPath();
      ctx.arc(x, y, 3.5, 0, Math.PI * 2);
      ctx.fillStyle = it.line.color;
      ctx.strokeStyle = t.background;
      ctx.fill();
      ctx.stroke();
    }
    ctx.restore();
  }
}

function markerAxis(model: ChartModel, m: MarkerSpec): AxisId {
  const line = model.lines.find((l) => l.key === m.key);
  const axis = line?.axis ?? 'loss';
  return model.axes.find((a) => a.id === axis)?.visible ? axis : (model.axes.find((a) => a.visible)?.id ?? axis);
}

function toDataset(l: LineSpec): LineDataset {
  return {
    type: 'line',
    label: l.label,
    data: l.points,
    spec: l,
    yAxisID: l.axis,
    xAxisID: 'x',
    borderColor: l.color,
    backgroundColor: l.color,
    borderWidth: l.width,
    borderDash: l.dash,
    borderJoinStyle: 'round',
    pointRadius: l.pointRadius,
    pointBackgroundColor: l.color,
    pointBorderWidth: 0,
    pointHoverRadius: 0,
    spanGaps: false,
    fill: false,
    order: l.order,
    hidden: l.hidden,
    parsing: false,
    normalized: true,
  };
}

function applyDefaults(t: Theme): void {
  Chart.defaults.font.family = t.fontFamily;
  Chart.defaults.font.size = Math.max(10, t.fontSize - 2);
  Chart.defaults.color = t.muted;
  Chart.defaults.borderColor = t.grid;
}
