// The webview's handle on the host: typed messages out, and the UI state VS Code keeps for
// the panel across reloads (`getState`/`setState`, which survive a hidden tab and a reload).
import { parseUiState, type ChartUiState, type WebviewMessage } from '../src/protocol/messages';

interface VsCodeApi {
  postMessage(msg: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/**
 * What the webview persists: the protocol's UI state plus `shown`, the series of roles
 * hidden by default (gradient norm, metrics, ...) that the user turned on in the legend.
 */
export interface PersistedState extends ChartUiState {
  shown: string[];
}

export interface Host {
  post(msg: WebviewMessage): void;
  load(): PersistedState | undefined;
  save(state: PersistedState): void;
}

/** The host, through VS Code's API (which may be acquired only once per page). */
export function connectHost(): Host {
  const api = acquireVsCodeApi();
  return {
    post: (msg) => api.postMessage(msg),
    load: () => parsePersisted(api.getState()),
    save: (state) => api.setState(state),
  };
}

export function parsePersisted(raw: unknown): PersistedState | undefined {
  const ui = parseUiState(raw);
  if (!ui) return undefined;
  const shownRaw = (raw as { shown?: unknown }).shown;
  const shown = Array.isArray(shownRaw) ? shownRaw.filter((s): s is string => typeof s === 'string').slice(0, 10_000) : [];
  return { ...ui, shown };
}
