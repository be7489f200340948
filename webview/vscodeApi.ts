// The webview's handle on the host: typed messages and persisted UI state.
import { parseUiState, type ChartUiState, type WebviewMessage } from '../src/protocol/messages';

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
  return parseUiState(api.getState());
}

export function saveState(state: ChartUiState): void {
  api.setState(state);
  send({ type: 'state', state });
}
