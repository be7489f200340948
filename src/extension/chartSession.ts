// One chart webview's conversation with the host: answers the webview's requests from
// the runs it shows, pushes updates, and persists its UI state.
import * as vscode from 'vscode';
import type { Finding, Suggestion } from '../core/analysis/finding';
import { buildView, seriesKey, type ChartSource, type Smoother } from '../core/chart/view';
import { axisMaps } from '../core/chart/axes';
import type { OverlayView, XAxis } from '../core/chart/types';
import type { Run } from '../core/model/run';
import {
  DEFAULT_UI_STATE,
  parseWebviewMessage,
  type ChartUiState,
  type HostMessage,
  type RunInfo,
  type WebviewMessage,
} from '../protocol/messages';
import { Disposable } from './dispose';
import { visibleCsv } from '../core/chart/csv';

/** A run as a chart shows it. */
export interface ChartRunSource extends ChartSource {
  findings: Finding[];
  /** The URI to open for `revealLine`. */
  uri?: vscode.Uri;
  live?: boolean;
  schedule?: RunInfo['schedule'];
}

export interface ChartSessionDeps {
  log: vscode.LogOutputChannel;
  smooth?: Smoother;
  /** The curve a suggestion proposes for a run, with x in steps. */
  previewOf?: (run: ChartRunSource, suggestion: Suggestion) => OverlayView | undefined;
}

export class ChartSession extends Disposable {
  private ready = false;
  private sources: ChartRunSource[] = [];
  state: ChartUiState;
  private preview: OverlayView | null = null;
  private readonly stateChanged = this.register(new vscode.EventEmitter<ChartUiState>());
  /** Fires when the webview reports a new UI state (for serializers). */
  readonly onDidChangeState = this.stateChanged.event;

  constructor(
    private readonly webview: vscode.Webview,
    private readonly title: () => string,
    private readonly deps: ChartSessionDeps,
    state?: ChartUiState,
    /** The URIs shown, kept in the webview's state so a restored panel can reopen them. */
    private readonly sourceUris: string[] = [],
  ) {
    super();
    this.state = { ...(state ?? DEFAULT_UI_STATE), sources: sourceUris };
    this.register(webview.onDidReceiveMessage((raw: unknown) => this.onMessage(raw)));
  }

  get runs(): readonly ChartRunSource[] {
    return this.sources;
  }

  /** Replaces the runs; the webview is told and asks for fresh data. */
  setRuns(sources: ChartRunSource[]): void {
    this.sources = sources;
    if (this.ready) this.post({ type: 'runs', runs: this.runInfos() });
  }

  focus(runId: string, step: number, endStep?: number, rule?: string): void {
    this.post({ type: 'focus', runId, step, ...(endStep !== undefined ? { endStep } : {}), ...(rule ? { rule } : {}) });
  }

  showPreview(overlay: OverlayView | null): void {
    this.preview = overlay;
    if (this.ready) this.post({ type: 'preview', overlay });
  }

  private runInfos(): RunInfo[] {
    return this.sources.map((src) => runInfo(src));
  }

  private onMessage(raw: unknown): void {
    const msg = parseWebviewMessage(raw);
    if (!msg) {
      this.deps.log.warn(`chart: ignored a malformed message from the webview: ${safeJson(raw)}`);
      return;
    }
    this.handle(msg).catch((e: unknown) => {
      this.deps.log.error(`chart: ${msg.type} failed: ${String(e)}`);
      // Every request gets exactly one answer, so the webview does not wait for its timeout.
      if ('id' in msg) this.post({ type: 'response', id: msg.id, ok: false, error: e instanceof Error ? e.message : String(e) });
    });
  }

  private async handle(msg: WebviewMessage): Promise<void> {
    switch (msg.type) {
      case 'ready': {
        this.ready = true;
        if (msg.state) this.state = { ...msg.state, sources: this.sourceUris };
        const view = buildView(this.sources, { xAxis: this.state.xAxis, xRange: this.state.xRange, width: 1000, smoothing: this.state.smoothing }, this.deps.smooth);
        this.post({ type: 'init', title: this.title(), runs: this.runInfos(), state: this.state, view });
        if (this.preview) this.post({ type: 'preview', overlay: this.preview });
        return;
      }
      case 'requestView': {
        const view = buildView(this.sources, msg, this.deps.smooth);
        this.post({ type: 'view', id: msg.id, view });
        return;
      }
      case 'revealLine': {
        const src = this.sources.find((r) => r.id === msg.runId);
        if (!src?.uri) {
          this.post({ type: 'response', id: msg.id, ok: false, error: 'this run has no source lines' });
          return;
        }
        const pos = new vscode.Position(msg.line - 1, 0);
        await vscode.window.showTextDocument(src.uri, { selection: new vscode.Range(pos, pos), viewColumn: vscode.ViewColumn.One, preserveFocus: false });
        this.post({ type: 'response', id: msg.id, ok: true });
        return;
      }
      case 'exportCsv': {
        const csv = visibleCsv(this.sources, msg.keys, msg.xAxis, msg.xRange);
        const target = await vscode.window.showSaveDialog({ filters: { CSV: ['csv'] }, saveLabel: 'Export CSV', title: 'LR Lens: Export Visible Data as CSV' });
        if (!target) {
          this.post({ type: 'response', id: msg.id, ok: false, error: 'cancelled' });
          return;
        }
        await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(csv));
        this.post({ type: 'response', id: msg.id, ok: true });
        return;
      }
      case 'savePng': {
        const target = await vscode.window.showSaveDialog({ filters: { 'PNG image': ['png'] }, saveLabel: 'Export PNG', title: 'LR Lens: Export Chart as PNG' });
        if (!target) {
          this.post({ type: 'response', id: msg.id, ok: false, error: 'cancelled' });
          return;
        }
        const base64 = msg.dataUrl.slice('data:image/png;base64,'.length);
        await vscode.workspace.fs.writeFile(target, Buffer.from(base64, 'base64'));
        this.post({ type: 'response', id: msg.id, ok: true });
        return;
      }
      case 'requestPreview': {
        const src = this.sources.find((r) => r.id === msg.runId);
        const finding = src?.findings[msg.finding];
        const suggestion = finding?.suggestions[msg.suggestion];
        const overlay = src && suggestion ? this.deps.previewOf?.(src, suggestion) : undefined;
        if (!overlay) {
          this.post({ type: 'response', id: msg.id, ok: false, error: 'this suggestion has no schedule to preview' });
          return;
        }
        this.showPreview(overlay);
        this.post({ type: 'response', id: msg.id, ok: true });
        return;
      }
      case 'state':
        this.state = { ...msg.state, sources: this.sourceUris };
        this.stateChanged.fire(msg.state);
        return;
      case 'error':
        this.deps.log.error(`chart webview: ${msg.message}`);
        return;
      default: {
        const never: never = msg;
        return never;
      }
    }
  }

  private post(msg: HostMessage): void {
    if (this.isDisposed) return;
    this.webview.postMessage(msg).then(undefined, (e: unknown) => this.deps.log.warn(`chart: postMessage failed: ${String(e)}`));
  }
}

function runInfo(src: ChartRunSource): RunInfo {
  const run: Run = src.run;
  const maps = axisMaps(run);
  const axes = (['step', 'epoch', 'time'] as XAxis[]).filter((a) => maps[a]);
  return {
    id: src.id,
    name: run.name,
    source: src.uri ? vscode.workspace.asRelativePath(src.uri) : run.source,
    format: run.format,
    series: run.series.map((s) => {
      let nonFinite = 0;
      for (let i = 0; i < s.values.length; i++) if (!Number.isFinite(s.values[i]!)) nonFinite++;
      return { key: seriesKey(src.id, s.tag), runId: src.id, tag: s.tag, role: s.role, count: s.values.length, nonFinite };
    }),
    findings: src.findings,
    ...(src.schedule ? { schedule: src.schedule } : {}),
    axes,
    live: src.live ?? false,
    errors: run.errors.map((e) => `${e.file ? `${e.file}: ` : ''}${e.line !== undefined ? `line ${e.line}: ` : e.offset !== undefined ? `byte ${e.offset}: ` : ''}${e.message}`),
  };
}

function safeJson(x: unknown): string {
  try {
    return JSON.stringify(x).slice(0, 300);
  } catch {
    return String(x);
  }
}
