// The chart webview's state and message loop: the handshake with the host, the UI state it
// persists, the requests for re-decimated data as the user zooms, and the wiring between
// the toolbar, the legend, the chart, the findings list and the status line.
import type { OverlayView, ViewData, XAxis } from '../src/core/chart/types';
import type { ChartUiState, FocusMessage, HostMessage, RunInfo } from '../src/protocol/messages';
import { ChartView, type Hover } from './chart';
import { debounce, el } from './dom';
import { FindingsPanel, type FindingRef } from './findings';
import { axisTitle, formatStep, formatXTick, plural, ruleName } from './format';
import { HoverCard } from './hoverCard';
import { Legend } from './legend';
import { buildModel, focusRange, regionId, stepToX, toggled, withDistinctNames, type ChartModel, type LegendItem, type RegionSpec } from './model';
import { RequestError, Requests } from './requests';
import { StatusLine } from './status';
import type { Theme } from './colors';
import { readTheme, watchTheme } from './theme';
import { Toolbar } from './toolbar';
import { parseHostMessage } from './validate';
import type { Host, PersistedState } from './vscodeApi';

/** Re-request data when the plot width changed by more than this fraction. */
const RESIZE_REFETCH = 0.15;

/** The x axes every run supports, in the selector's order (step always). */
export function commonAxes(runs: readonly RunInfo[]): XAxis[] {
  return (['step', 'epoch', 'time'] as const).filter((a) => a === 'step' || (runs.length > 0 && runs.every((r) => r.axes.includes(a))));
}

/** The protocol's part of the persisted state (`sources` is the host's, kept as given). */
const uiState = (s: PersistedState): ChartUiState => ({
  xAxis: s.xAxis,
  smoothing: s.smoothing,
  logY: s.logY,
  hidden: s.hidden,
  xRange: s.xRange,
  showFindings: s.showFindings,
  ...(s.sources ? { sources: s.sources } : {}),
});

export class App {
  private readonly requests: Requests;
  private state: PersistedState;
  private runs: RunInfo[] = [];
  private view: ViewData | undefined;
  private preview: OverlayView | null = null;
  /** Which finding's suggestion the preview shows (`${regionId}#${index}`), when the webview asked for it. */
  private previewing: string | undefined;
  private theme: Theme;
  private model: ChartModel | undefined;
  private highlight: string | undefined;
  private viewGen = 0;
  private requestedWidth = 0;
  private ui: { chart: ChartView; toolbar: Toolbar; legend: Legend; findings: FindingsPanel; status: StatusLine; hover: HoverCard; canvas: HTMLCanvasElement } | undefined;
  private readonly postState = debounce(() => this.host.post({ type: 'state', state: uiState(this.state) }), 250);
  private readonly refreshSoon = debounce(() => void this.refresh(), 120);
  /** Resolves after the next view from the host has been drawn (for tests and timing). */
  private drawn: (() => void)[] = [];

  constructor(
    private readonly root: HTMLElement,
    private readonly host: Host,
  ) {
    this.requests = new Requests((m) => host.post(m));
    this.state = host.load() ?? { xAxis: 'step', smoothing: 0.6, logY: false, hidden: [], xRange: null, showFindings: true, shown: [] };
    this.theme = readTheme();
  }

  /** Says `ready` (with the state restored from a previous session, if any) and starts listening. */
  start(): void {
    window.addEventListener('message', (e: MessageEvent<unknown>) => this.receive(e.data));
    window.addEventListener('pagehide', () => this.dispose());
    watchTheme((t) => this.onTheme(t));
    const restored = this.host.load();
    this.host.post(restored ? { type: 'ready', state: uiState(restored) } : { type: 'ready' });
  }

  dispose(): void {
    this.requests.dispose();
    this.refreshSoon.cancel();
    this.postState.flush();
  }

  /** A debugging and testing handle (exposed on `window.lrLens`). */
  get debug(): object {
    return {
      chart: () => this.ui?.chart.chart,
      model: () => this.model,
      state: () => this.state,
      view: () => this.view,
      nextDraw: () => new Promise<void>((r) => this.drawn.push(r)),
      /** True while a view is awaited or about to be requested. */
      busy: () => this.requests.size > 0 || this.refreshSoon.pending(),
    };
  }

  receive(raw: unknown): void {
    const msg = parseHostMessage(raw);
    if (!msg) {
      const type = typeof raw === 'object' && raw !== null && 'type' in raw ? String(raw.type).slice(0, 40) : typeof raw;
      this.host.post({ type: 'error', message: `ignored a malformed message from the extension (type: ${type})` });
      return;
    }
    this.handle(msg);
  }

  private handle(msg: HostMessage): void {
    switch (msg.type) {
      case 'init':
        this.runs = withDistinctNames(msg.runs);
        this.state = { ...msg.state, shown: this.state.shown };
        this.view = msg.view;
        this.build(msg.title);
        this.fixAxis();
        this.render();
        this.persist();
        // The first view was cut for a guessed width; ask again at the real one.
        if (this.view.xAxis !== this.state.xAxis || Math.abs(this.ui!.chart.plotWidth - 1000) / 1000 > RESIZE_REFETCH) void this.refresh();
        else this.requestedWidth = 1000;
        return;
      case 'runs':
        this.runs = withDistinctNames(msg.runs);
        if (!this.ui) return;
        this.fixAxis();
        this.render();
        void this.refresh();
        return;
      case 'view':
      case 'response':
        this.requests.settle(msg);
        return;
      case 'focus':
        this.focus(msg);
        return;
      case 'preview':
        this.preview = msg.overlay;
        if (!msg.overlay) this.previewing = undefined;
        if (this.ui) this.render();
        return;
      default: {
        const never: never = msg;
        return never;
      }
    }
  }

  /** Builds the panel's DOM on `init`. */
  private build(title: string): void {
    if (this.ui) return;
    document.title = title || document.title;
    const canvas = el('canvas', { id: 'chart', role: 'img', tabindex: 0, 'aria-label': 'Chart', title: 'Wheel or drag a box to zoom · shift-drag or ←/→ to pan · Esc resets' });
    const wrap = el('div', { class: 'chart-wrap' }, canvas);
    const toolbar = new Toolbar({
      onAxis: (xAxis) => {
        this.setState({ xAxis, xRange: null });
        void this.refresh();
      },
      onLogY: (logY) => {
        this.setState({ logY });
        this.render();
      },
      onSmoothing: (smoothing, done) => {
        this.setState({ smoothing });
        if (done) void this.refresh();
        else this.refreshSoon();
      },
      onResetZoom: () => this.resetZoom(),
      onExportPng: () => void this.exportPng(),
      onExportCsv: () => void this.exportCsv(),
      onToggleFindings: () => {
        this.setState({ showFindings: !this.state.showFindings });
        this.render();
      },
    });
    const legend = new Legend((item) => this.toggle(item));
    const findings = new FindingsPanel({
      onSelect: (ref) => this.select(ref),
      onReveal: (ref) => void this.reveal(ref.run.id, ref.finding.line),
      onPreview: (ref, suggestion) => void this.togglePreview(ref, suggestion),
    });
    const status = new StatusLine();
    const body = el('div', { class: 'body' }, wrap, findings.el);
    this.root.replaceChildren(toolbar.el, legend.el, body, status.el);
    this.root.setAttribute('aria-busy', 'false');
    const hover = new HoverCard(wrap);
    const chart = new ChartView(canvas, this.theme, {
      onRange: (range, done) => this.onRange(range, done),
      onHover: (h) => this.onHover(h),
      onClick: (hit) => this.onChartClick(hit),
    });
    this.ui = { chart, toolbar, legend, findings, status, hover, canvas };
    new ResizeObserver(() => {
      const w = chart.plotWidth;
      if (this.requestedWidth > 0 && Math.abs(w - this.requestedWidth) / this.requestedWidth > RESIZE_REFETCH) this.refreshSoon();
    }).observe(wrap);
    canvas.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.resetZoom();
    });
  }

  /** Falls back to the step axis when the runs no longer support the chosen one. */
  private fixAxis(): void {
    if (!commonAxes(this.runs).includes(this.state.xAxis)) this.setState({ xAxis: 'step', xRange: null });
  }

  private render(): void {
    const ui = this.ui;
    if (!ui || !this.view) return;
    const model = buildModel({ runs: this.runs, view: this.view, state: this.state, theme: this.theme, preview: this.preview });
    this.model = model;
    ui.findings.el.hidden = !this.state.showFindings;
    ui.chart.setHighlight(this.highlight);
    ui.chart.render(model);
    ui.legend.update(model.legend, this.runs.length > 1);
    ui.findings.update(this.runs, this.highlight, this.preview ? this.previewing : undefined);
    ui.status.update(this.runs, model.shownPoints, model.totalPoints);
    ui.toolbar.update(this.state, commonAxes(this.runs), this.state.xRange !== null);
    ui.canvas.setAttribute('aria-label', this.summary(model));
    performance.mark('lrLens:drawn');
    const waiting = this.drawn;
    this.drawn = [];
    for (const r of waiting) r();
  }

  /** What the chart shows, in words, for screen readers. */
  private summary(m: ChartModel): string {
    const names = this.runs.map((r) => r.name).join(', ') || 'no runs';
    const shown = m.legend.filter((l) => l.visible).map((l) => l.label);
    const range = `${axisTitle(m.xAxis)} ${formatXTick(m.xAxis, m.xRange[0])} to ${formatXTick(m.xAxis, m.xRange[1])}`;
    const findings = this.runs.flatMap((r) => r.findings);
    const f = findings.length
      ? `${plural(findings.length, 'finding')}: ${findings
          .slice(0, 5)
          .map((x) => `${ruleName(x.rule)} at step ${formatStep(x.step)}`)
          .join('; ')}${findings.length > 5 ? '; …' : ''}.`
      : 'No findings.';
    return `Training curves of ${names}: ${shown.join(', ') || 'nothing shown'}, over ${range}. ${f}`;
  }

  private setState(patch: Partial<PersistedState>): void {
    this.state = { ...this.state, ...patch };
    this.persist();
  }

  private persist(): void {
    this.host.save(this.state);
    this.postState();
  }

  /** Asks the host for the data of the current range at the plot's width; draws the latest answer. */
  private async refresh(): Promise<void> {
    if (!this.ui) return;
    this.refreshSoon.cancel();
    const gen = ++this.viewGen;
    const width = this.ui.chart.plotWidth;
    this.requestedWidth = width;
    try {
      const reply = await this.requests.send({ type: 'requestView', xAxis: this.state.xAxis, xRange: this.state.xRange, width, smoothing: this.state.smoothing });
      if (gen !== this.viewGen) return; // a newer request is on its way
      this.view = reply.view;
      this.render();
    } catch (e) {
      if (e instanceof RequestError && e.reason === 'cancelled') return;
      if (gen === this.viewGen) this.ui.status.message(`Could not update the chart: ${e instanceof Error ? e.message : String(e)}`, 'error');
    }
  }

  private onRange(range: [number, number], done: boolean): void {
    const ext = this.view?.extent;
    const full = ext !== undefined && range[0] <= ext[0] && range[1] >= ext[1];
    this.state = { ...this.state, xRange: full ? null : range };
    this.ui?.hover.hide();
    if (done) {
      this.persist();
      this.ui?.toolbar.update(this.state, commonAxes(this.runs), this.state.xRange !== null);
      this.refreshSoon();
    }
  }

  private resetZoom(): void {
    this.setState({ xRange: null });
    this.render();
    void this.refresh();
  }

  private toggle(item: LegendItem): void {
    this.setState(toggled(this.state, item.key, item.hiddenByDefault));
    this.render();
  }

  private onTheme(theme: Theme): void {
    this.theme = theme;
    this.ui?.chart.setTheme(theme);
    this.render();
  }

  private onHover(h: Hover | undefined): void {
    if (!this.ui || !this.model) return;
    this.ui.hover.show(h, this.model.xAxis);
  }

  private onChartClick(hit: { marker?: { runId: string; line?: number }; regions: RegionSpec[]; item?: { line: { runId: string; lines?: number[] }; index: number } }): void {
    if (hit.marker) {
      void this.reveal(hit.marker.runId, hit.marker.line);
      return;
    }
    const region = hit.regions.find((r) => r.finding.line !== undefined) ?? hit.regions[0];
    if (region) {
      this.highlight = region.id;
      this.render();
      this.ui?.findings.select(region.id);
      if (region.finding.line !== undefined) void this.reveal(region.runId, region.finding.line);
      return;
    }
    const line = hit.item?.line.lines?.[hit.item.index];
    if (hit.item && line !== undefined && line > 0) void this.reveal(hit.item.line.runId, line);
  }

  private async reveal(runId: string, line: number | undefined): Promise<void> {
    if (line === undefined) return;
    try {
      await this.requests.send({ type: 'revealLine', runId, line });
    } catch (e) {
      if (!(e instanceof RequestError && e.reason === 'cancelled')) this.ui?.status.message(`Could not open line ${line}: ${e instanceof Error ? e.message : String(e)}`, 'error');
    }
  }

  /** A row of the findings list: zoom to its region and highlight it. */
  private select(ref: FindingRef): void {
    this.focusOn(ref.id, ref.run.id, ref.finding.step, ref.finding.endStep);
  }

  /** The host's `focus`: the same, for the finding at that step (and rule) if there is one. */
  private focus(msg: FocusMessage): void {
    const run = this.runs.find((r) => r.id === msg.runId);
    const index = run?.findings.findIndex((f) => f.step === msg.step && (msg.rule === undefined || f.rule === msg.rule)) ?? -1;
    this.focusOn(run && index >= 0 ? regionId(run.id, index) : undefined, msg.runId, msg.step, msg.endStep ?? (index >= 0 ? run!.findings[index]!.endStep : undefined));
  }

  private focusOn(id: string | undefined, runId: string, step: number, endStep: number | undefined): void {
    if (!this.view || !this.ui) return;
    const map = this.view.stepMaps?.find((m) => m.runId === runId);
    const x0 = stepToX(map, this.view.xAxis, step);
    const x1 = stepToX(map, this.view.xAxis, endStep ?? step);
    if (x0 === undefined || x1 === undefined) return;
    this.highlight = id;
    this.setState({ xRange: focusRange(Math.min(x0, x1), Math.max(x0, x1), this.view.extent) });
    this.render();
    this.ui.findings.select(id);
    void this.refresh();
  }

  /** Asks the host to draw a suggestion's schedule; the same button clears it again. */
  private async togglePreview(ref: FindingRef, suggestion: number): Promise<void> {
    const id = `${ref.id}#${suggestion}`;
    if (this.preview && this.previewing === id) {
      this.preview = null;
      this.previewing = undefined;
      this.render();
      return;
    }
    try {
      this.previewing = id;
      await this.requests.send({ type: 'requestPreview', runId: ref.run.id, finding: ref.index, suggestion });
    } catch (e) {
      if (this.previewing === id) this.previewing = undefined;
      if (!(e instanceof RequestError && e.reason === 'cancelled')) this.ui?.status.message(`No preview: ${e instanceof Error ? e.message : String(e)}`, 'error');
      this.render();
    }
  }

  private visibleSeriesKeys(): string[] {
    return (this.model?.legend ?? []).filter((l) => l.visible && !l.key.startsWith('overlay:')).map((l) => l.key);
  }

  private async exportPng(): Promise<void> {
    if (!this.ui || !this.model) return;
    try {
      const dataUrl = this.ui.chart.toPng(this.model.legend);
      await this.requests.send({ type: 'savePng', dataUrl });
      this.ui.status.message('Chart saved as PNG');
    } catch (e) {
      this.exportFailed('PNG', e);
    }
  }

  private async exportCsv(): Promise<void> {
    if (!this.ui) return;
    try {
      await this.requests.send({ type: 'exportCsv', xAxis: this.state.xAxis, xRange: this.state.xRange, keys: this.visibleSeriesKeys() });
      this.ui.status.message('Visible data saved as CSV');
    } catch (e) {
      this.exportFailed('CSV', e);
    }
  }

  private exportFailed(what: string, e: unknown): void {
    if (e instanceof RequestError && (e.reason === 'cancelled' || e.message === 'cancelled')) return;
    this.ui?.status.message(`Export ${what} failed: ${e instanceof Error ? e.message : String(e)}`, 'error');
  }
}
