// Messages between the extension host and the chart webview: the only code both sides see.
//
// The webview starts by sending `ready`; the host answers with `init`. Later `update`s
// replace the data. Requests from the webview carry an `id` and are answered by a
// `response` with the same id; the webview times them out and rejects pending ones
// when the panel goes away. Every message from the webview is validated by
// `parseWebviewMessage` before the host acts on it.

import type { Finding } from '../core/analysis/finding';
import type { SeriesRole } from '../core/model/roles';

/** One series as the chart draws it. Non-finite values travel as null plus a kind. */
export interface ChartSeries {
  tag: string;
  role: SeriesRole;
  steps: number[];
  /** null where the value is not finite (see `nonFinite`). */
  values: (number | null)[];
  /** Indexes of non-finite points and what they were. */
  nonFinite: { index: number; value: 'NaN' | 'Infinity' | '-Infinity' }[];
  /** 1-based source lines, for text formats. */
  lines?: number[];
}

export interface ChartRun {
  id: string;
  name: string;
  source: string;
  series: ChartSeries[];
  findings: Finding[];
}

/** UI state the webview persists (never data). */
export interface ChartUiState {
  smoothing: number;
  hidden: string[];
}

// ---- host → webview -------------------------------------------------------------

/** The first data after `ready`. */
export interface InitMessage {
  type: 'init';
  runs: ChartRun[];
  state?: ChartUiState;
}

/** New data for the same panel (the file grew, or another run was added). */
export interface UpdateMessage {
  type: 'update';
  runs: ChartRun[];
}

/** The answer to a webview request. */
export interface ResponseMessage {
  type: 'response';
  id: number;
  ok: boolean;
  error?: string;
}

export type HostMessage = InitMessage | UpdateMessage | ResponseMessage;

// ---- webview → host -------------------------------------------------------------

/** The webview has loaded and wants its data. */
export interface ReadyMessage {
  type: 'ready';
}

/** Open the source file at a line (a click on a finding region). */
export interface RevealLineMessage {
  type: 'revealLine';
  id: number;
  runId: string;
  line: number;
}

/** Something went wrong in the webview; the host logs it. */
export interface ErrorReportMessage {
  type: 'error';
  message: string;
}

export type WebviewMessage = ReadyMessage | RevealLineMessage | ErrorReportMessage;

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isInt = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x);

/** A message from the webview if it is well formed, else undefined (and it is ignored). */
export function parseWebviewMessage(raw: unknown): WebviewMessage | undefined {
  if (!isObj(raw) || typeof raw.type !== 'string') return undefined;
  switch (raw.type) {
    case 'ready':
      return { type: 'ready' };
    case 'revealLine':
      if (isInt(raw.id) && typeof raw.runId === 'string' && isInt(raw.line) && raw.line >= 1)
        return { type: 'revealLine', id: raw.id, runId: raw.runId, line: raw.line };
      return undefined;
    case 'error':
      if (typeof raw.message === 'string') return { type: 'error', message: raw.message.slice(0, 2000) };
      return undefined;
    default:
      return undefined;
  }
}
