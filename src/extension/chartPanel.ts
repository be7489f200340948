// The chart panel: one webview per source, fed by the ready/init handshake.
import * as vscode from 'vscode';
import { parseWebviewMessage, type ChartRun, type HostMessage } from '../protocol/messages';
import { Disposable } from './dispose';
import { chartHtml, webviewOptions } from './webviewHtml';

export const CHART_VIEW_TYPE = 'lrLens.chart';

export class ChartPanel extends Disposable {
  private static readonly panels = new Map<string, ChartPanel>();
  private ready = false;
  private runs: ChartRun[];
  private readonly closed = this.register(new vscode.EventEmitter<void>());
  readonly onDidClose = this.closed.event;

  /** Shows (or reveals) the chart for a source. */
  static show(extensionUri: vscode.Uri, key: string, title: string, runs: ChartRun[], log: vscode.LogOutputChannel): ChartPanel {
    const existing = ChartPanel.panels.get(key);
    if (existing) {
      existing.panel.reveal();
      existing.update(runs);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(CHART_VIEW_TYPE, title, vscode.ViewColumn.Beside, webviewOptions(extensionUri));
    const p = new ChartPanel(panel, extensionUri, key, runs, log);
    ChartPanel.panels.set(key, p);
    return p;
  }

  static get(key: string): ChartPanel | undefined {
    return ChartPanel.panels.get(key);
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly key: string,
    runs: ChartRun[],
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.runs = runs;
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    panel.webview.html = chartHtml(panel.webview, extensionUri, panel.title);
    this.register(panel.onDidDispose(() => this.dispose()));
    this.register(panel.webview.onDidReceiveMessage((raw: unknown) => this.onMessage(raw)));
  }

  update(runs: ChartRun[]): void {
    this.runs = runs;
    if (this.ready) this.post({ type: 'update', runs });
  }

  private onMessage(raw: unknown): void {
    const msg = parseWebviewMessage(raw);
    if (!msg) {
      this.log.warn(`chart: ignored a malformed message from the webview: ${safeJson(raw)}`);
      return;
    }
    switch (msg.type) {
      case 'ready':
        this.ready = true;
        this.post({ type: 'init', runs: this.runs });
        return;
      case 'revealLine': {
        const run = this.runs.find((r) => r.id === msg.runId);
        if (!run) {
          this.post({ type: 'response', id: msg.id, ok: false, error: 'unknown run' });
          return;
        }
        const uri = vscode.Uri.parse(run.id);
        const pos = new vscode.Position(msg.line - 1, 0);
        vscode.window.showTextDocument(uri, { selection: new vscode.Range(pos, pos), viewColumn: vscode.ViewColumn.One }).then(
          () => this.post({ type: 'response', id: msg.id, ok: true }),
          (e: unknown) => this.post({ type: 'response', id: msg.id, ok: false, error: String(e) }),
        );
        return;
      }
      case 'error':
        this.log.error(`chart webview: ${msg.message}`);
        return;
      default: {
        const never: never = msg;
        return never;
      }
    }
  }

  private post(msg: HostMessage): void {
    void this.panel.webview.postMessage(msg);
  }

  override dispose(): void {
    if (this.isDisposed) return;
    ChartPanel.panels.delete(this.key);
    this.closed.fire();
    super.dispose();
    this.panel.dispose();
  }
}

function safeJson(x: unknown): string {
  try {
    return JSON.stringify(x).slice(0, 300);
  } catch {
    return String(x);
  }
}
