// The extension host as the chart webview sees it, in a plain page: defines
// `acquireVsCodeApi()` and answers the webview's messages as ChartSession does, from the
// real pure core (buildView, visibleCsv, the protocol's validation). The webview under test
// is the real out/webview/main.js, loaded after this script under the real CSP.
//
// Query parameters: `scenario` (diverging | healthy | cosine | million | compare),
// `theme` (dark | light | hc | hcLight), `state` (a JSON UI state the webview "restored").
// Tests drive it through `window.fakeHost`.
import type { Suggestion } from '../../../src/core/analysis/finding';
import { visibleCsv } from '../../../src/core/chart/csv';
import { axisMaps } from '../../../src/core/chart/axes';
import type { OverlayView, XAxis } from '../../../src/core/chart/types';
import { buildView, seriesKey } from '../../../src/core/chart/view';
import { DEFAULT_UI_STATE, parseUiState, parseWebviewMessage, type ChartUiState, type HostMessage, type RunInfo, type WebviewMessage } from '../../../src/protocol/messages';
import { previewFor, scenario, type HarnessRun } from './scenarios';
import { applyTheme, type HarnessTheme } from './themes';

interface Timing {
  /** performance.now() when `ready` arrived, and when `init` was posted. */
  ready?: number;
  initPosted?: number;
  initBuildMs?: number;
  views: { id: number; buildMs: number; points: number; at: number }[];
}

const params = new URLSearchParams(location.search);
applyTheme((params.get('theme') ?? 'dark') as HarnessTheme);
const t0 = performance.now();
const runs: HarnessRun[] = scenario(params.get('scenario') ?? 'diverging');
const generateMs = performance.now() - t0;
let persisted: unknown = params.has('state') ? JSON.parse(params.get('state')!) : undefined;
let hostState: ChartUiState = DEFAULT_UI_STATE;
const received: WebviewMessage[] = [];
const rejected: unknown[] = [];
const timing: Timing = { views: [] };
/** How the host answers the requests that open dialogs: `ok`, or an error text. */
const answers: Record<'revealLine' | 'exportCsv' | 'savePng', true | string> = { revealLine: true, exportCsv: true, savePng: true };

/** The curve a suggestion proposes, from the run's own LR (what the extension's previewOf does). */
function previewOfSuggestion(src: HarnessRun, suggestion: Suggestion): OverlayView | undefined {
  const lr = src.run.series.find((s) => s.role === 'lr');
  if (!lr) return undefined;
  const x = Array.from(lr.steps);
  let y: number[];
  if (suggestion.fix === 'scale_lr') y = Array.from(lr.values, (v) => v * suggestion.factor);
  else if (suggestion.fix === 'add_warmup') y = Array.from(lr.values, (v, i) => v * Math.min(1, (x[i]! + 1) / suggestion.steps));
  else return undefined;
  return { id: `suggestion-${suggestion.fix}`, runId: src.id, kind: 'preview', label: suggestion.fix === 'scale_lr' ? `LR ×${suggestion.factor}` : `warmup ${suggestion.steps} steps`, x, y };
}
let lastCsv = '';
let lastStateMessage: ChartUiState | undefined;
let lastPng = '';
let silent = false;
/** While holding, `view` replies wait here until released (to deliver them late or out of order). */
let holding = false;
const held: HostMessage[] = [];

function runInfo(src: HarnessRun): RunInfo {
  const maps = axisMaps(src.run);
  return {
    id: src.id,
    name: src.run.name,
    source: src.run.source,
    format: src.run.format,
    series: src.run.series.map((s) => {
      let nonFinite = 0;
      for (let i = 0; i < s.values.length; i++) if (!Number.isFinite(s.values[i]!)) nonFinite++;
      return { key: seriesKey(src.id, s.tag), runId: src.id, tag: s.tag, role: s.role, count: s.values.length, nonFinite };
    }),
    findings: src.findings,
    ...(src.schedule ? { schedule: src.schedule } : {}),
    axes: (['step', 'epoch', 'time'] as XAxis[]).filter((a) => maps[a]),
    live: src.live ?? false,
    errors: src.run.errors.map((e) => `${e.line !== undefined ? `line ${e.line}: ` : ''}${e.message}`),
  };
}

function post(msg: unknown): void {
  // window.postMessage clones like VS Code's channel does, and arrives as a MessageEvent.
  window.postMessage(msg, '*');
}

function handle(msg: WebviewMessage): void {
  switch (msg.type) {
    case 'ready': {
      timing.ready = performance.now();
      // As ChartSession does: the host adds the URIs it shows, for the panel serializer.
      hostState = { ...(msg.state ?? hostState), sources: runs.map((r) => r.id) };
      const s = performance.now();
      const view = buildView(runs, { xAxis: hostState.xAxis, xRange: hostState.xRange, width: 1000, smoothing: hostState.smoothing });
      timing.initBuildMs = performance.now() - s;
      post({ type: 'init', title: `LR Lens: ${runs.map((r) => r.run.name).join(', ')}`, runs: runs.map(runInfo), state: hostState, view } satisfies HostMessage);
      timing.initPosted = performance.now();
      return;
    }
    case 'requestView': {
      if (silent) return;
      const s = performance.now();
      const view = buildView(runs, msg);
      timing.views.push({ id: msg.id, buildMs: performance.now() - s, points: view.series.reduce((n, v) => n + v.x.length, 0), at: performance.now() });
      if (holding) held.push({ type: 'view', id: msg.id, view });
      else post({ type: 'view', id: msg.id, view } satisfies HostMessage);
      return;
    }
    case 'revealLine':
    case 'savePng':
    case 'exportCsv': {
      if (msg.type === 'exportCsv') lastCsv = visibleCsv(runs, msg.keys, msg.xAxis, msg.xRange);
      if (msg.type === 'savePng') lastPng = msg.dataUrl;
      const a = answers[msg.type];
      post({ type: 'response', id: msg.id, ok: a === true, ...(a === true ? {} : { error: a }) } satisfies HostMessage);
      return;
    }
    case 'requestPreview': {
      const src = runs.find((r) => r.id === msg.runId);
      const sg = src?.findings[msg.finding]?.suggestions[msg.suggestion];
      const overlay = src && sg ? previewOfSuggestion(src, sg) : undefined;
      if (overlay) post({ type: 'preview', overlay } satisfies HostMessage);
      post({ type: 'response', id: msg.id, ok: overlay !== undefined, ...(overlay ? {} : { error: 'this suggestion has no schedule to preview' }) } satisfies HostMessage);
      return;
    }
    case 'state':
      hostState = { ...msg.state, sources: runs.map((r) => r.id) };
      lastStateMessage = msg.state;
      return;
    case 'error':
      return;
  }
}

const api = {
  postMessage(raw: unknown): void {
    const copy = structuredClone(raw);
    setTimeout(() => {
      const msg = parseWebviewMessage(copy);
      if (!msg) {
        rejected.push(copy);
        return;
      }
      received.push(msg);
      handle(msg);
    }, 0);
  },
  getState: (): unknown => structuredClone(persisted),
  setState(state: unknown): void {
    persisted = structuredClone(state);
  },
};

let acquired = false;
Object.assign(window, {
  acquireVsCodeApi() {
    if (acquired) throw new Error('An instance of the VS Code API has already been acquired');
    acquired = true;
    return api;
  },
  fakeHost: {
    received,
    rejected,
    timing,
    generateMs,
    answers,
    runs: () => runs.map(runInfo),
    hostState: () => hostState,
    persisted: () => persisted,
    lastCsv: () => lastCsv,
    lastStateMessage: () => lastStateMessage,
    lastPng: () => lastPng,
    /** Posts any message to the webview, well formed or not. */
    send: post,
    /** Stops answering `requestView` (to test timeouts and stale replies). */
    setSilent(v: boolean) {
      silent = v;
    },
    setTheme: applyTheme,
    hold() {
      holding = true;
    },
    /** Delivers the held replies, newest first when `reverse`, and stops holding. */
    release(reverse = false) {
      holding = false;
      const out = held.splice(0);
      for (const m of reverse ? out.reverse() : out) post(m);
      return out.length;
    },
    focus(index = 0, runIndex = 0) {
      const r = runs[runIndex]!;
      const f = r.findings[index]!;
      post({ type: 'focus', runId: r.id, step: f.step, ...(f.endStep !== undefined ? { endStep: f.endStep } : {}), rule: f.rule } satisfies HostMessage);
    },
    preview(runIndex = 0, clear = false) {
      const r = runs[runIndex]!;
      const last = r.run.series.reduce((m, s) => Math.max(m, s.steps[s.steps.length - 1] ?? 0), 0);
      const overlay: OverlayView | null = clear ? null : previewFor(r, last);
      post({ type: 'preview', overlay } satisfies HostMessage);
    },
    /** The run grew: append points to the first run and push `runs`, as a live file does. */
    grow() {
      post({ type: 'runs', runs: runs.map(runInfo) } satisfies HostMessage);
    },
    parseUiState,
  },
});
