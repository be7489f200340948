// The chart panel: a webview panel per set of sources, driven by a ChartSession,
// restored by its serializer after a reload.
import * as vscode from 'vscode';
import type { Smoother } from '../core/chart/view';
import { parseUiState, type ChartUiState } from '../protocol/messages';
import { bindSession } from './chartSources';
import { ChartSession, type ChartRunSource, type ChartSessionDeps } from './chartSession';
import { Disposable } from './dispose';
import type { RunStore } from './runStore';
import { chartHtml, webviewOptions } from './webviewHtml';

export const CHART_VIEW_TYPE = 'lrLens.chart';

export interface PanelDeps {
  extensionUri: vscode.Uri;
  store: RunStore;
  log: vscode.LogOutputChannel;
  smooth?: Smoother;
  previewOf?: ChartSessionDeps['previewOf'];
}

/** The session dependencies a panel or editor passes on. */
export function sessionDeps(deps: PanelDeps): ChartSessionDeps {
  return { log: deps.log, ...(deps.smooth ? { smooth: deps.smooth } : {}), ...(deps.previewOf ? { previewOf: deps.previewOf } : {}) };
}

const keyOf = (uris: readonly vscode.Uri[]): string => uris.map((u) => u.toString()).join('\n');

export class ChartPanel extends Disposable {
  private static readonly panels = new Map<string, ChartPanel>();
  readonly session: ChartSession;

  /** Shows (or reveals) the chart of these files or folders. */
  static show(deps: PanelDeps, uris: vscode.Uri[], title: string): ChartPanel {
    const key = keyOf(uris);
    const existing = ChartPanel.panels.get(key);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(CHART_VIEW_TYPE, title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, webviewOptions(deps.extensionUri));
    return new ChartPanel(panel, deps, uris);
  }

  /** A panel over runs that are not files (e.g. a schedule on its own); not restored after a reload. */
  static showStatic(deps: PanelDeps, key: string, title: string, runs: ChartRunSource[], state?: ChartUiState): ChartPanel {
    const existing = ChartPanel.panels.get(key);
    if (existing) {
      existing.session.setRuns(runs);
      existing.panel.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(CHART_VIEW_TYPE, title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, webviewOptions(deps.extensionUri));
    const p = new ChartPanel(panel, deps, [], state, key);
    p.session.setRuns(runs);
    return p;
  }

  /** Rebuilds a panel VS Code restored after a reload, from its persisted UI state. */
  static revive(deps: PanelDeps, panel: vscode.WebviewPanel, raw: unknown): ChartPanel | undefined {
    const state = parseUiState(raw);
    const uris = (state?.sources ?? []).map((s) => vscode.Uri.parse(s));
    if (!state || uris.length === 0) {
      panel.dispose();
      return undefined;
    }
    panel.webview.options = webviewOptions(deps.extensionUri);
    return new ChartPanel(panel, deps, uris, state);
  }

  static get(uris: vscode.Uri[]): ChartPanel | undefined {
    return ChartPanel.panels.get(keyOf(uris));
  }

  static all(): ChartPanel[] {
    return [...ChartPanel.panels.values()];
  }

  private readonly key: string;

  private constructor(
    readonly panel: vscode.WebviewPanel,
    deps: PanelDeps,
    readonly uris: vscode.Uri[],
    state?: ChartUiState,
    key?: string,
  ) {
    super();
    this.key = key ?? keyOf(uris);
    ChartPanel.panels.set(this.key, this);
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'icon.png');
    this.session = this.register(
      new ChartSession(panel.webview, () => panel.title, sessionDeps(deps), state, uris.map((u) => u.toString())),
    );
    if (uris.length) this.register(bindSession(this.session, deps.store, uris));
    panel.webview.html = chartHtml(panel.webview, deps.extensionUri, panel.title);
    this.register(panel.onDidDispose(() => this.dispose()));
  }

  override dispose(): void {
    if (this.isDisposed) return;
    if (ChartPanel.panels.get(this.key) === this) ChartPanel.panels.delete(this.key);
    super.dispose();
    this.panel.dispose();
  }

  static registerSerializer(deps: PanelDeps): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(CHART_VIEW_TYPE, {
      deserializeWebviewPanel(panel, state) {
        ChartPanel.revive(deps, panel, state);
        return Promise.resolve();
      },
    });
  }
}
