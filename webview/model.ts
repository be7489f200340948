// What the chart draws, computed from the host's view, the runs, the UI state and the theme:
// lines with their styles and axes, finding regions, non-finite markers and the legend.
// Pure (no DOM, no chart.js): chart.ts turns it into chart.js configuration.
import type { Finding, Severity } from '../src/core/analysis/finding';
import type { NonFinitePoint, OverlayView, SeriesView, StepMap, ViewData, XAxis } from '../src/core/chart/types';
import { tagWords, type SeriesRole } from '../src/core/model/roles';
import type { RunInfo, SeriesInfo } from '../src/protocol/messages';
import { formatStep } from './format';
import { mix, withAlpha, type Theme } from './colors';
import type { PersistedState } from './vscodeApi';

/** The y axes: losses left, the LR right (always logarithmic), the other roles on their own. */
export type AxisId = 'loss' | 'lr' | 'grad' | 'metric' | 'scale' | 'other';

export function axisOfRole(role: SeriesRole): AxisId {
  switch (role) {
    case 'train_loss':
    case 'val_loss':
      return 'loss';
    case 'lr':
      return 'lr';
    case 'grad_norm':
      return 'grad';
    case 'train_metric':
    case 'val_metric':
      return 'metric';
    case 'loss_scale':
      return 'scale';
    case 'epoch':
    case 'other':
      return 'other';
  }
}

export const AXIS_TITLES: Record<AxisId, string> = {
  loss: 'loss',
  lr: 'learning rate',
  grad: 'gradient norm',
  metric: 'metric',
  scale: 'loss scale',
  other: 'value',
};

const isLoss = (r: SeriesRole): boolean => r === 'train_loss' || r === 'val_loss';
const isVal = (r: SeriesRole): boolean => r === 'val_loss' || r === 'val_metric';

/**
 * Losses and the LR are shown by default; the other roles wait in the legend — except
 * the metrics of a run that has no loss at all, which would otherwise show nothing.
 */
export function hiddenByDefault(role: SeriesRole, runHasLoss: boolean): boolean {
  if (isLoss(role) || role === 'lr') return false;
  if (!runHasLoss && (role === 'train_metric' || role === 'val_metric')) return false;
  return true;
}

export function isShown(key: string, byDefaultHidden: boolean, state: Pick<PersistedState, 'hidden' | 'shown'>): boolean {
  if (state.hidden.includes(key)) return false;
  return !byDefaultHidden || state.shown.includes(key);
}

/** The state after the user toggles `key` in the legend. */
export function toggled<S extends Pick<PersistedState, 'hidden' | 'shown'>>(state: S, key: string, byDefaultHidden: boolean): S {
  const visible = isShown(key, byDefaultHidden, state);
  const hidden = state.hidden.filter((k) => k !== key);
  const shown = state.shown.filter((k) => k !== key);
  if (visible) hidden.push(key);
  else if (byDefaultHidden) shown.push(key);
  return { ...state, hidden, shown };
}

export interface Point {
  x: number;
  y: number | null;
}

export type LinePart = 'raw' | 'smoothed' | 'line' | 'fitted' | 'preview';

/** One drawn line. A smoothed series is two lines: its raw values faint, its smoothed values solid. */
export interface LineSpec {
  /** Unique per drawn line. */
  id: string;
  /** The legend entry it belongs to (a series key, or `overlay:<id>`). */
  key: string;
  runId: string;
  label: string;
  part: LinePart;
  role?: SeriesRole;
  axis: AxisId;
  color: string;
  width: number;
  dash: number[];
  pointRadius: number;
  /** Lower is drawn on top. */
  order: number;
  hidden: boolean;
  points: Point[];
  /** Per point: the step, the raw value (for a smoothed line's tooltip) and the source line. */
  steps?: number[];
  raw?: (number | null)[];
  lines?: number[];
}

export interface LegendItem {
  key: string;
  runId: string;
  runName: string;
  label: string;
  /** Role, or the overlay kind. */
  kind: SeriesRole | 'fitted' | 'preview';
  color: string;
  dash: number[];
  visible: boolean;
  hiddenByDefault: boolean;
}

export interface AxisSpec {
  id: AxisId;
  type: 'linear' | 'logarithmic';
  position: 'left' | 'right';
  title: string;
  visible: boolean;
  /** Only the loss axis (or the first visible left axis) draws grid lines. */
  grid: boolean;
  /** Fixed bounds (log axes get a margin so a flat LR does not sit on the plot's edge). */
  min?: number;
  max?: number;
}

export interface RegionSpec {
  id: string;
  runId: string;
  runName: string;
  finding: Finding;
  severity: Severity;
  color: string;
  x0: number;
  x1: number;
}

/** A run of consecutive non-finite points of one series, drawn as one marker at the top. */
export interface MarkerSpec {
  id: string;
  runId: string;
  key: string;
  label: string;
  value: NonFinitePoint['value'];
  x0: number;
  x1: number;
  step0: number;
  step1: number;
  count: number;
  line?: number;
  color: string;
}

export interface ChartModel {
  xAxis: XAxis;
  extent: [number, number];
  /** The visible x range. */
  xRange: [number, number];
  lines: LineSpec[];
  axes: AxisSpec[];
  regions: RegionSpec[];
  markers: MarkerSpec[];
  legend: LegendItem[];
  /** Points drawn, and raw points in range, over the visible series. */
  shownPoints: number;
  totalPoints: number;
}

export interface ModelInput {
  runs: readonly RunInfo[];
  view: ViewData;
  state: PersistedState;
  theme: Theme;
  preview: OverlayView | null;
  /** The region drawn emphasised (a focused or hovered finding). */
  highlight?: string;
}

const VAL_WORDS = new Set(['val', 'valid', 'validation', 'eval', 'evaluation', 'test', 'dev', 'tel', 'vl', 'holdout', 'train', 'training', 'trl']);

/** What train and validation versions of one quantity share: `train/loss` and `val/loss` → `loss`. */
export function stemOf(tag: string): string {
  return tagWords(tag)
    .filter((w) => !VAL_WORDS.has(w))
    .join('_');
}

const DASH_VAL = [6, 4];
const DASH_LR_MULTI = [10, 3, 2, 3];
const DASH_FITTED = [2, 4];
const DASH_PREVIEW = [8, 4];

/** Few points in view: draw them as dots (sparse evaluations are otherwise hard to see). */
const DOTS_BELOW = 60;

interface Style {
  color: string;
  dash: number[];
}

/**
 * Colours: one run → one hue per quantity (losses blue, LR orange, ...; train and validation
 * of the same quantity share a hue and differ by dash). Several runs → one hue per run,
 * roles told apart by dash and axis.
 */
export function styleSeries(runs: readonly RunInfo[], theme: Theme): Map<string, Style> {
  const out = new Map<string, Style>();
  const p = theme.palette;
  const multi = runs.length > 1;
  const roleBase: Partial<Record<SeriesRole, number>> = { train_loss: 0, val_loss: 0, lr: 1, grad_norm: 2, train_metric: 3, val_metric: 3, loss_scale: 5, other: 4, epoch: 4 };
  runs.forEach((run, ri) => {
    const stems = new Map<string, number>();
    const perRole = new Map<AxisId, number>();
    for (const s of run.series) {
      let color: string;
      if (multi) color = p[ri % p.length]!;
      else {
        const axis = axisOfRole(s.role);
        const stemKey = `${axis}:${stemOf(s.tag)}`;
        let k = stems.get(stemKey);
        if (k === undefined) {
          k = perRole.get(axis) ?? 0;
          perRole.set(axis, k + 1);
          stems.set(stemKey, k);
        }
        color = p[((roleBase[s.role] ?? 4) + k * 2) % p.length]!;
      }
      const dash = isVal(s.role) ? DASH_VAL : multi && s.role === 'lr' ? DASH_LR_MULTI : [];
      out.set(s.key, { color, dash });
    }
  });
  return out;
}

/** Linear interpolation of step → x through a run's knots (extrapolated at the ends). */
export function stepToX(map: StepMap | undefined, axis: XAxis, step: number): number | undefined {
  if (axis === 'step') return step;
  if (!map || map.steps.length === 0) return undefined;
  const { steps, x } = map;
  const n = steps.length;
  if (n === 1) return x[0]!;
  let lo = 0;
  let hi = n - 1;
  if (step <= steps[0]!) hi = 1;
  else if (step >= steps[n - 1]!) lo = n - 2;
  else
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (steps[mid]! <= step) lo = mid;
      else hi = mid;
    }
  const s0 = steps[lo]!;
  const s1 = steps[hi]!;
  if (s1 === s0) return x[lo]!;
  return x[lo]! + ((x[hi]! - x[lo]!) * (step - s0)) / (s1 - s0);
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Points of a series view (elements the host sent that are not numbers become gaps or are dropped). */
function pointsOf(xs: readonly unknown[], ys: readonly unknown[]): Point[] {
  const out: Point[] = [];
  for (let i = 0; i < xs.length; i++) {
    const x = num(xs[i]);
    if (x === null) continue;
    out.push({ x, y: num(ys[i]) });
  }
  return out;
}

/** Groups a series' non-finite points into runs with no finite point drawn between them. */
export function groupNonFinite(sv: SeriesView): { first: NonFinitePoint; last: NonFinitePoint; count: number }[] {
  const groups: { first: NonFinitePoint; last: NonFinitePoint; count: number }[] = [];
  let j = 0; // index into sv.x of the first point after the previous marker
  for (const p of sv.nonFinite) {
    const g = groups[groups.length - 1];
    let finiteBetween = false;
    if (g) {
      while (j < sv.x.length && sv.x[j]! <= p.x) {
        if (sv.x[j]! > g.last.x && sv.x[j]! < p.x && num(sv.y[j]) !== null) finiteBetween = true;
        j++;
      }
    }
    if (g && !finiteBetween && g.last.value === p.value) {
      g.last = p;
      g.count++;
    } else groups.push({ first: p, last: p, count: 1 });
  }
  return groups;
}

function severityColor(theme: Theme, s: Severity): string {
  return s === 'error' ? theme.error : s === 'warning' ? theme.warning : theme.info;
}

function seriesLabel(run: RunInfo, s: SeriesInfo, multi: boolean): string {
  return multi ? `${run.name} · ${s.tag}` : s.tag;
}

export function buildModel({ runs, view, state, theme, preview }: ModelInput): ChartModel {
  const multi = runs.length > 1;
  const styles = styleSeries(runs, theme);
  const info = new Map<string, { run: RunInfo; s: SeriesInfo; runHasLoss: boolean }>();
  for (const run of runs) {
    const runHasLoss = run.series.some((s) => isLoss(s.role));
    for (const s of run.series) info.set(s.key, { run, s, runHasLoss });
  }
  const stepMaps = new Map((view.stepMaps ?? []).map((m) => [m.runId, m]));
  const toX = (runId: string, step: number): number | undefined => stepToX(stepMaps.get(runId), view.xAxis, step);
  const hc = theme.highContrast;
  const lines: LineSpec[] = [];
  const legend: LegendItem[] = [];
  const markers: MarkerSpec[] = [];
  let shownPoints = 0;
  let totalPoints = 0;

  const viewByKey = new Map(view.series.map((sv) => [sv.key, sv]));
  const xr = state.xRange ?? view.extent;
  for (const run of runs) {
    for (const s of run.series) {
      const i = info.get(s.key)!;
      const byDefault = hiddenByDefault(s.role, i.runHasLoss);
      const visible = isShown(s.key, byDefault, state);
      const style = styles.get(s.key)!;
      const label = seriesLabel(run, s, multi);
      legend.push({ key: s.key, runId: run.id, runName: run.name, label: s.tag, kind: s.role, color: style.color, dash: style.dash, visible, hiddenByDefault: byDefault });
      const sv = viewByKey.get(s.key);
      if (!sv) continue;
      const axis = axisOfRole(s.role);
      const raw = pointsOf(sv.x, sv.y);
      const dots = raw.length <= DOTS_BELOW ? (hc ? 3 : 2.5) : 0;
      const base = { key: s.key, runId: run.id, label, role: s.role, axis, dash: style.dash, hidden: !visible, steps: sv.steps, ...(sv.lines ? { lines: sv.lines } : {}) };
      if (sv.smoothed && s.role !== 'lr') {
        const faint = hc ? withAlpha(style.color, 0.55) : mix(style.color, theme.background, 0.62);
        lines.push({ ...base, id: `${s.key}\u0000raw`, part: 'raw', color: faint, width: hc ? 1.25 : 1, pointRadius: dots, order: 30, points: raw });
        lines.push({ ...base, id: `${s.key}\u0000smoothed`, part: 'smoothed', color: style.color, width: hc ? 2.5 : 1.75, pointRadius: 0, order: 20, points: pointsOf(sv.x, sv.smoothed), raw: sv.y });
      } else {
        lines.push({ ...base, id: `${s.key}\u0000line`, part: 'line', color: style.color, width: hc ? 2.5 : s.role === 'lr' ? 1.75 : 1.5, pointRadius: dots, order: s.role === 'lr' ? 10 : 20, points: raw });
      }
      if (visible) {
        for (const p of raw) if (p.x >= xr[0] && p.x <= xr[1]) shownPoints++;
        totalPoints += sv.total;
        for (const g of groupNonFinite(sv)) {
          const single = g.count === 1;
          const what = g.first.value;
          const text = single
            ? `${what} at step ${formatStep(g.first.step)}`
            : `${what} from step ${formatStep(g.first.step)} to ${formatStep(g.last.step)} (${g.count} points)`;
          markers.push({
            id: `nf:${markers.length}`,
            runId: run.id,
            key: s.key,
            label: `${label}: ${text}`,
            value: what,
            x0: g.first.x,
            x1: g.last.x,
            step0: g.first.step,
            step1: g.last.step,
            count: g.count,
            ...(g.first.line !== undefined ? { line: g.first.line } : {}),
            color: theme.error,
          });
        }
      }
    }
  }

  const overlays = [...view.overlays.filter((o) => o.kind === 'fitted'), ...(preview ? [mapOverlay(preview, view.xAxis, stepMaps)] : [])];
  for (const o of overlays) {
    const run = runs.find((r) => r.id === o.runId);
    if (!run) continue; // a curve for a run no longer shown
    const key = `overlay:${o.kind}:${o.id}`;
    const visible = !state.hidden.includes(key);
    const fitted = o.kind === 'fitted';
    // One run: the fitted curve is neutral over the coloured LR. Several: it takes its run's hue.
    const runColor = styles.get(run.series.find((x) => x.role === 'lr')?.key ?? '')?.color;
    const color = fitted ? (multi && runColor ? runColor : withAlpha(theme.foreground, hc ? 1 : 0.8)) : theme.palette[3]!;
    const dash = fitted ? DASH_FITTED : DASH_PREVIEW;
    const prefix = fitted ? 'fitted' : 'preview';
    const label = `${prefix}: ${o.label}${multi ? ` (${run.name})` : ''}`;
    legend.push({ key, runId: o.runId, runName: run.name, label, kind: o.kind, color, dash, visible, hiddenByDefault: false });
    const points: Point[] = [];
    for (let i = 0; i < o.x.length; i++) {
      const x = num(o.x[i]);
      const y = num(o.y[i]);
      if (x !== null) points.push({ x, y: y !== null && y > 0 ? y : null });
    }
    lines.push({
      id: key,
      key,
      runId: o.runId,
      label: `${fitted ? 'fitted schedule' : 'preview'}${multi ? ` · ${run.name}` : ''}`,
      part: o.kind,
      axis: 'lr',
      color,
      width: fitted ? (hc ? 2 : 1.25) : hc ? 3 : 2.5,
      dash,
      pointRadius: 0,
      order: fitted ? 5 : 0,
      hidden: !visible,
      points,
    });
  }

  const regions: RegionSpec[] = [];
  for (const run of runs) {
    run.findings.forEach((f, fi) => {
      const x0 = toX(run.id, f.step);
      const x1 = toX(run.id, f.endStep ?? f.step);
      if (x0 === undefined || x1 === undefined) return;
      regions.push({ id: regionId(run.id, fi), runId: run.id, runName: run.name, finding: f, severity: f.severity, color: severityColor(theme, f.severity), x0: Math.min(x0, x1), x1: Math.max(x0, x1) });
    });
  }

  const axes = axesFor(lines, state.logY);
  for (const a of axes) if (a.type === 'logarithmic' && a.id !== 'loss' && a.id !== 'grad') Object.assign(a, logBounds(lines, a.id, xr));
  const xRange: [number, number] = state.xRange ?? view.extent;
  return { xAxis: view.xAxis, extent: view.extent, xRange, lines, axes, regions, markers, legend, shownPoints, totalPoints };
}

/**
 * Runs with names the user can tell apart: a name two runs share (every run's log is
 * `train.log`) grows the folders above it until it is unique — `diverging/train.log`.
 */
export function withDistinctNames(runs: readonly RunInfo[]): RunInfo[] {
  const parts = runs.map((r) => (r.source || r.name).split(/[\\/]+/).filter(Boolean));
  const depth = runs.map(() => 1);
  const nameOf = (i: number): string => {
    const p = parts[i]!;
    return p.length ? p.slice(-depth[i]!).join('/') : runs[i]!.name;
  };
  for (let round = 0; round < 8; round++) {
    const names = runs.map((_, i) => nameOf(i));
    const clash = names.map((n) => names.filter((m) => m === n).length > 1);
    if (!clash.some(Boolean)) break;
    clash.forEach((c, i) => {
      if (c && depth[i]! < parts[i]!.length) depth[i]!++;
    });
  }
  return runs.map((r, i) => {
    const name = runs.filter((q) => q.name === r.name).length > 1 ? nameOf(i) : r.name;
    return name === r.name ? r : { ...r, name };
  });
}

/** A stable id for a finding's region: its run and its index in the run's findings. */
export function regionId(runId: string, index: number): string {
  return `finding:${index}:${runId}`;
}

/** A preview overlay arrives in steps; on another axis it goes through the run's step map. */
function mapOverlay(o: OverlayView, axis: XAxis, maps: Map<string, StepMap>): OverlayView {
  if (axis === 'step') return o;
  const map = maps.get(o.runId);
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < o.x.length; i++) {
    const v = stepToX(map, axis, o.x[i]!);
    if (v === undefined) continue;
    x.push(v);
    y.push(o.y[i]!);
  }
  return { ...o, x, y };
}

/** The y axes in use: shown when a visible line is on them; the LR axis is always logarithmic. */
export function axesFor(lines: readonly LineSpec[], logY: boolean): AxisSpec[] {
  const used = new Set(lines.filter((l) => !l.hidden).map((l) => l.axis));
  const spec = (id: AxisId, type: AxisSpec['type'], position: AxisSpec['position']): AxisSpec => ({ id, type, position, title: AXIS_TITLES[id], visible: used.has(id), grid: false });
  const axes = [
    spec('loss', logY ? 'logarithmic' : 'linear', 'left'),
    spec('metric', 'linear', 'left'),
    spec('lr', 'logarithmic', 'right'),
    spec('grad', logY ? 'logarithmic' : 'linear', 'right'),
    spec('scale', 'logarithmic', 'right'),
    spec('other', 'linear', 'right'),
  ];
  const gridAxis = axes.find((a) => a.visible && a.position === 'left') ?? axes.find((a) => a.visible);
  if (gridAxis) gridAxis.grid = true;
  return axes;
}

/** Bounds for a log axis: the positive values of its visible lines in range, widened by a sixth of a decade and more. */
export function logBounds(lines: readonly LineSpec[], axis: AxisId, [x0, x1]: [number, number]): { min?: number; max?: number } {
  let lo = Infinity;
  let hi = -Infinity;
  for (const l of lines) {
    if (l.hidden || l.axis !== axis) continue;
    for (const p of l.points) {
      if (p.y === null || !(p.y > 0) || p.x < x0 || p.x > x1) continue;
      if (p.y < lo) lo = p.y;
      if (p.y > hi) hi = p.y;
    }
  }
  if (!(lo <= hi)) return {};
  // A flat line gets a decade around it; otherwise a margin of 40% of the value at each end.
  if (hi / lo < 1.5) return { min: lo / 3, max: hi * 3 };
  return { min: lo / 1.4, max: hi * 1.4 };
}

/** The regions under an x position (in axis units), with `slack` axis units of tolerance for lines. */
export function regionsAt(regions: readonly RegionSpec[], x: number, slack: number): RegionSpec[] {
  return regions.filter((r) => x >= r.x0 - slack && x <= r.x1 + slack);
}

/** The x range to show for a focused region: the region with a margin, clamped to the extent. */
export function focusRange(x0: number, x1: number, extent: [number, number]): [number, number] {
  const full = extent[1] - extent[0];
  const span = x1 - x0;
  const margin = Math.max(span * 0.6, full * 0.03, 1e-9);
  let lo = x0 - margin;
  let hi = x1 + margin;
  if (lo < extent[0]) lo = extent[0];
  if (hi > extent[1]) hi = extent[1];
  if (hi <= lo) return [extent[0], extent[1]];
  return [lo, hi];
}
