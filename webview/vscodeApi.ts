// The webview's handle on the host: typed postMessage and persisted UI state.
import type { ChartUiState, WebviewMessage } from '../src/protocol/messages';

interface VsCodeApi {
  postMessage(msg: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();

export function send(msg: WebviewMessage): void {
  api.postMessage(msg);
}

export function loadState(): ChartUiState | undefined {
  const s = api.getState() as Partial<ChartUiState> | undefined;
  if (!s || typeof s.smoothing !== 'number' || !Array.isArray(s.hidden)) return undefined;
  return { smoothing: s.smoothing, hidden: s.hidden.filter((x): x is string => typeof x === 'string') };
}

export function saveState(state: ChartUiState): void {
  api.setState(state);
}
