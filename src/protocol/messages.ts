// Messages between the extension host and the chart webview: the only code both sides see.
//
// Handshake: the webview posts `ready` (with the UI state it restored, if any); the host
// answers `init` with the runs' descriptions and a first view. Later the host pushes
// `runs` (a file grew, a run was added) and `focus`; the webview asks for re-decimated
// data with `requestView` when it zooms, pans, resizes or changes the x axis or smoothing,
// and the host answers with `view` carrying the same `id`. Requests from the webview
// (`requestView`, `revealLine`, `exportCsv`, `savePng`, `requestPreview`) carry an `id`; every request
// gets exactly one `response`/`view` with that id; the webview times them out and drops
// pending ones when the host says `dispose`. Every message from the webview is validated
// by `parseWebviewMessage` before the host acts on it; a malformed one is logged and
// ignored.

import type { Finding } from '../core/analysis/finding';
import type { OverlayView, ViewData, XAxis } from '../core/chart/types';
import type { SeriesRole } from '../core/model/roles';

export interface SeriesInfo {
  /** Unique within a panel: `${runId}\u0000${tag}`. */
  key: string;
  runId: string;
  tag: string;
  role: SeriesRole;
  /** Points in the series (including non-finite). */
  count: number;
  nonFinite: number;
}

export interface ScheduleInfo {
  family: string;
  params: Record<string, number>;
  fitError: number;
  /** A one-line description, e.g. "cosine with 200-step warmup, peak 6e-4 → 6e-5". */
  label: string;
}

export interface RunInfo {
  /** Stable id: the source URI as a string. */
  id: string;
  name: string;
  /** The file or folder, as shown to the user (workspace-relative when possible). */
  source: string;
  format: string;
  series: SeriesInfo[];
  findings: Finding[];
  schedule?: ScheduleInfo;
  /** The x axes this run can be shown on. */
  axes: XAxis[];
  /** True while the source is being followed as it grows. */
  live: boolean;
  /** Read errors, one line each, for the panel's status line. */
  errors: string[];
}

/** UI state the webview persists (never data); restored after a reload. */
export interface ChartUiState {
  xAxis: XAxis;
  /** 0 (off) to 0.999, TensorBoard's smoothing weight. */
  smoothing: number;
  logY: boolean;
  /** Keys of series the user hid from the legend. */
  hidden: string[];
  /** The zoomed x range, or null when showing everything. */
  xRange: [number, number] | null;
  /** Whether the findings list beside the chart is open. */
  showFindings: boolean;
  /**
   * Set by the host in `init`: the URIs the panel shows. The webview keeps it in its
   * persisted state so the host can reopen the same runs when VS Code restores the panel.
   */
  sources?: string[];
}

export const DEFAULT_UI_STATE: ChartUiState = {
  xAxis: 'step',
  smoothing: 0.6,
  logY: false,
  hidden: [],
  xRange: null,
  showFindings: true,
};

export interface ThemeKind {
  kind: 'light' | 'dark' | 'highContrast' | 'highContrastLight';
}

// ---- host → webview -------------------------------------------------------------

/** The answer to `ready`: what the panel shows, and the first view. */
export interface InitMessage {
  type: 'init';
  title: string;
  runs: RunInfo[];
  state: ChartUiState;
  view: ViewData;
}

/** The runs changed (a file grew, a run was added or removed); the webview asks for a new view. */
export interface RunsMessage {
  type: 'runs';
  runs: RunInfo[];
}

/** Answer to `requestView`. */
export interface ViewMessage {
  type: 'view';
  id: number;
  view: ViewData;
}

/** Zoom to a region and highlight a finding (from the findings list or a diagnostic). */
export interface FocusMessage {
  type: 'focus';
  runId: string;
  step: number;
  endStep?: number;
  rule?: string;
}

/** Show or clear a suggested schedule's preview curve. */
export interface PreviewMessage {
  type: 'preview';
  overlay: OverlayView | null;
}

/** The answer to a request that has no data to return. */
export interface ResponseMessage {
  type: 'response';
  id: number;
  ok: boolean;
  error?: string;
}

export type HostMessage = InitMessage | RunsMessage | ViewMessage | FocusMessage | PreviewMessage | ResponseMessage;

// ---- webview → host -------------------------------------------------------------

/** The webview has loaded; `state` is what it restored from a previous session. */
export interface ReadyMessage {
  type: 'ready';
  state?: ChartUiState;
}

/** Data for a range at a width in pixels, on an axis, with smoothing. */
export interface RequestViewMessage {
  type: 'requestView';
  id: number;
  xAxis: XAxis;
  xRange: [number, number] | null;
  /** Chart area width in CSS pixels; the host decimates to ~2 points per pixel. */
  width: number;
  smoothing: number;
}

/** Open the run's source at a line (a click on a finding region or a point). */
export interface RevealLineMessage {
  type: 'revealLine';
  id: number;
  runId: string;
  line: number;
}

/** Save the visible range of the visible series at full resolution as CSV. */
export interface ExportCsvMessage {
  type: 'exportCsv';
  id: number;
  xAxis: XAxis;
  xRange: [number, number] | null;
  keys: string[];
}

/** Save the chart image (a `data:image/png;base64,...` URL). */
export interface SavePngMessage {
  type: 'savePng';
  id: number;
  dataUrl: string;
}

/**
 * Draw the schedule a finding's suggestion proposes (`add_schedule`, `add_warmup`,
 * `scale_lr`, ...) as a dashed preview over the run's real LR; the host answers with a
 * `preview` message (or a `response` with an error when the suggestion has no curve).
 */
export interface RequestPreviewMessage {
  type: 'requestPreview';
  id: number;
  runId: string;
  /** Index into the run's `findings`. */
  finding: number;
  /** Index into that finding's `suggestions`. */
  suggestion: number;
}

/** The UI state changed (persisted by the webview too; the host keeps it for the serializer). */
export interface StateMessage {
  type: 'state';
  state: ChartUiState;
}

/** Something went wrong in the webview; the host logs it to the "LR Lens" output channel. */
export interface ErrorReportMessage {
  type: 'error';
  message: string;
}

export type WebviewMessage =
  | ReadyMessage
  | RequestViewMessage
  | RevealLineMessage
  | ExportCsvMessage
  | SavePngMessage
  | RequestPreviewMessage
  | StateMessage
  | ErrorReportMessage;

// ---- validation -------------------------------------------------------------------

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isId = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isAxis = (x: unknown): x is XAxis => x === 'step' || x === 'epoch' || x === 'time';
const isRange = (x: unknown): x is [number, number] | null =>
  x === null || (Array.isArray(x) && x.length === 2 && isNum(x[0]) && isNum(x[1]) && x[0] <= x[1]);
const isStrings = (x: unknown, max: number): x is string[] =>
  Array.isArray(x) && x.length <= max && x.every((s) => typeof s === 'string' && s.length <= 4096);

/** A well-formed UI state, or undefined. */
export function parseUiState(raw: unknown): ChartUiState | undefined {
  if (!isObj(raw)) return undefined;
  const { xAxis, smoothing, logY, hidden, xRange, showFindings, sources } = raw;
  if (!isAxis(xAxis) || !isNum(smoothing) || smoothing < 0 || smoothing >= 1) return undefined;
  if (typeof logY !== 'boolean' || !isStrings(hidden, 10_000) || !isRange(xRange) || typeof showFindings !== 'boolean') return undefined;
  if (sources !== undefined && !isStrings(sources, 1000)) return undefined;
  return { xAxis, smoothing, logY, hidden: [...hidden], xRange, showFindings, ...(sources ? { sources: [...sources] } : {}) };
}

/** A message from the webview if it is well formed, else undefined (and it is ignored). */
export function parseWebviewMessage(raw: unknown): WebviewMessage | undefined {
  if (!isObj(raw) || typeof raw.type !== 'string') return undefined;
  switch (raw.type) {
    case 'ready': {
      if (raw.state === undefined) return { type: 'ready' };
      const state = parseUiState(raw.state);
      return state ? { type: 'ready', state } : { type: 'ready' };
    }
    case 'requestView':
      if (isId(raw.id) && isAxis(raw.xAxis) && isRange(raw.xRange) && isNum(raw.width) && raw.width > 0 && raw.width <= 20_000 && isNum(raw.smoothing) && raw.smoothing >= 0 && raw.smoothing < 1)
        return { type: 'requestView', id: raw.id, xAxis: raw.xAxis, xRange: raw.xRange, width: raw.width, smoothing: raw.smoothing };
      return undefined;
    case 'revealLine':
      if (isId(raw.id) && typeof raw.runId === 'string' && Number.isSafeInteger(raw.line) && (raw.line as number) >= 1)
        return { type: 'revealLine', id: raw.id, runId: raw.runId, line: raw.line as number };
      return undefined;
    case 'exportCsv':
      if (isId(raw.id) && isAxis(raw.xAxis) && isRange(raw.xRange) && isStrings(raw.keys, 10_000))
        return { type: 'exportCsv', id: raw.id, xAxis: raw.xAxis, xRange: raw.xRange, keys: [...raw.keys] };
      return undefined;
    case 'savePng':
      if (isId(raw.id) && typeof raw.dataUrl === 'string' && raw.dataUrl.startsWith('data:image/png;base64,') && raw.dataUrl.length < 64 * 1024 * 1024)
        return { type: 'savePng', id: raw.id, dataUrl: raw.dataUrl };
      return undefined;
    case 'requestPreview':
      if (isId(raw.id) && typeof raw.runId === 'string' && isId(raw.finding) && isId(raw.suggestion))
        return { type: 'requestPreview', id: raw.id, runId: raw.runId, finding: raw.finding, suggestion: raw.suggestion };
      return undefined;
    case 'state': {
      const state = parseUiState(raw.state);
      return state ? { type: 'state', state } : undefined;
    }
    case 'error':
      if (typeof raw.message === 'string') return { type: 'error', message: raw.message.slice(0, 2000) };
      return undefined;
    default:
      return undefined;
  }
}
