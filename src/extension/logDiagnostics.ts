// Findings in open training logs, as diagnostics at the line where each symptom starts.
// A log is recognised by content (any format the readers know), read by the worker and
// followed while it grows; an unsaved editor is read from its text instead.
import * as vscode from 'vscode';
import { readConfig } from './config';
import { Disposable } from './dispose';
import { readErrorDiagnostics, toDiagnostic, visibleFindings } from './findingDiagnostics';
import type { RunStore, TrackedSource } from './runStore';
import type { AnalyzedRun } from './workerProtocol';

/** Languages a training log may open as; code files are never read as logs. */
const LOG_LANGUAGES = new Set(['log', 'plaintext', 'csv', 'tsv', 'json', 'jsonc', 'jsonl', 'markdown', 'yaml']);
const SKIP_SCHEMES = new Set(['output', 'vscode-settings', 'git', 'gitfs', 'vscode-userdata', 'walkThroughSnippet', 'comment', 'vscode-notebook-cell']);

export function isCandidateLog(doc: vscode.TextDocument): boolean {
  return LOG_LANGUAGES.has(doc.languageId) && !SKIP_SCHEMES.has(doc.uri.scheme);
}

interface Watched {
  source: TrackedSource;
  sub: vscode.Disposable;
  bytesTimer?: ReturnType<typeof setTimeout>;
}

export class LogDiagnostics extends Disposable {
  private readonly collection = this.register(vscode.languages.createDiagnosticCollection('lrLens'));
  private readonly watched = new Map<string, Watched>();
  private readonly changed = this.register(new vscode.EventEmitter<vscode.Uri>());
  /** Fires after a document's findings were published. */
  readonly onDidUpdate = this.changed.event;

  static register(context: vscode.ExtensionContext, store: RunStore): LogDiagnostics {
    const d = new LogDiagnostics(store);
    context.subscriptions.push(d);
    return d;
  }

  private constructor(private readonly store: RunStore) {
    super();
    this.register(vscode.workspace.onDidOpenTextDocument((doc) => void this.track(doc)));
    this.register(vscode.workspace.onDidCloseTextDocument((doc) => this.untrack(doc.uri)));
    this.register(vscode.workspace.onDidChangeTextDocument((e) => this.edited(e.document)));
    this.register(vscode.workspace.onDidSaveTextDocument((doc) => this.watched.get(doc.uri.toString())?.source.touch()));
    this.register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('lrLens')) for (const w of this.watched.values()) this.publish(w.source);
      }),
    );
    for (const doc of vscode.workspace.textDocuments) void this.track(doc);
  }

  /** The analysed run of an open log, once read. */
  runOf(uri: vscode.Uri): AnalyzedRun | undefined {
    return this.watched.get(uri.toString())?.source.state.runs[0];
  }

  sourceOf(uri: vscode.Uri): TrackedSource | undefined {
    return this.watched.get(uri.toString())?.source;
  }

  /** Starts tracking a document (idempotent) and resolves when it has been read. */
  async track(doc: vscode.TextDocument): Promise<TrackedSource | undefined> {
    if (!isCandidateLog(doc)) return undefined;
    const key = doc.uri.toString();
    let w = this.watched.get(key);
    if (!w) {
      const source = this.store.acquire(doc.uri);
      w = { source, sub: source.onDidChange(() => this.publish(source)) };
      this.watched.set(key, w);
      if (doc.isDirty || doc.isUntitled) void source.setBytes(new TextEncoder().encode(doc.getText()));
    }
    await w.source.load();
    this.publish(w.source);
    return w.source;
  }

  private untrack(uri: vscode.Uri): void {
    const key = uri.toString();
    const w = this.watched.get(key);
    if (!w) return;
    this.watched.delete(key);
    if (w.bytesTimer) clearTimeout(w.bytesTimer);
    w.sub.dispose();
    this.store.release(w.source);
    this.collection.delete(uri);
  }

  /** Unsaved edits are analysed from the editor's text (debounced). */
  private edited(doc: vscode.TextDocument): void {
    const w = this.watched.get(doc.uri.toString());
    if (!w || !doc.isDirty) return;
    if (w.bytesTimer) clearTimeout(w.bytesTimer);
    w.bytesTimer = setTimeout(() => {
      w.bytesTimer = undefined;
      void w.source.setBytes(new TextEncoder().encode(doc.getText()));
    }, 300);
  }

  private publish(source: TrackedSource): void {
    const uri = source.uri;
    const config = readConfig(uri);
    const analyzed = source.state.runs[0];
    if (!config.diagnosticsEnabled || !analyzed) {
      this.collection.delete(uri);
      this.changed.fire(uri);
      return;
    }
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const findings = visibleFindings(analyzed.findings, config);
    const diags = findings.map((f) => toDiagnostic(uri, doc, analyzed.run, f));
    diags.push(...readErrorDiagnostics(analyzed.run, doc));
    this.collection.set(uri, diags);
    this.changed.fire(uri);
  }

  override dispose(): void {
    for (const uri of [...this.watched.keys()]) this.untrack(vscode.Uri.parse(uri));
    super.dispose();
  }
}
