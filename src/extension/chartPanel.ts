// The chart panel: a webview panel per set of runs, driven by a ChartSession.
import * as vscode from 'vscode';
import type { ChartUiState } from '../protocol/messages';
import { ChartSession, type ChartRunSource, type ChartSessionDeps } from './chartSession';
import { Disposable } from './dispose';
import { chartHtml, webviewOptions } from './webviewHtml';

export const CHART_VIEW_TYPE = 'lrLens.chart';

export class ChartPanel extends Disposable {
  private static readonly panels = new Map<string, ChartPanel>();
  readonly session: ChartSession;
  private readonly closed = this.register(new vscode.EventEmitter<void>());
  readonly onDidClose = this.closed.event;

  /** Shows (or reveals) the chart for a key (the source URIs it shows). */
  static show(extensionUri: vscode.Uri, key: string, title: string, runs: ChartRunSource[], deps: ChartSessionDeps): ChartPanel {
    const existing = ChartPanel.panels.get(key);
    if (existing) {
      existing.panel.reveal();
      existing.session.setRuns(runs);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(CHART_VIEW_TYPE, title, vscode.ViewColumn.Beside, webviewOptions(extensionUri));
    const p = new ChartPanel(panel, extensionUri, key, deps);
    p.session.setRuns(runs);
    ChartPanel.panels.set(key, p);
    return p;
  }

  static get(key: string): ChartPanel | undefined {
    return ChartPanel.panels.get(key);
  }

  static all(): ChartPanel[] {
    return [...ChartPanel.panels.values()];
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    readonly key: string,
    deps: ChartSessionDeps,
    state?: ChartUiState,
  ) {
    super();
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    this.session = this.register(new ChartSession(panel.webview, () => panel.title, deps, state));
    panel.webview.html = chartHtml(panel.webview, extensionUri, panel.title);
    this.register(panel.onDidDispose(() => this.dispose()));
  }

  override dispose(): void {
    if (this.isDisposed) return;
    ChartPanel.panels.delete(this.key);
    this.closed.fire();
    super.dispose();
    this.panel.dispose();
  }
}
