// Open documents of one kind (training scripts, training configs), analysed again shortly
// after each edit, when run links change and when LR Lens settings change; their
// diagnostics go when they are closed.
import * as vscode from 'vscode';
import type { Range } from '../core/python/parse';
import { Disposable } from './dispose';
import type { RunLinks } from './runLinks';

export const toRange = (r: Range): vscode.Range => new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);

export const SEVERITY = { error: vscode.DiagnosticSeverity.Error, warning: vscode.DiagnosticSeverity.Warning, info: vscode.DiagnosticSeverity.Information } as const;

/** Milliseconds after the last keystroke before a document is analysed again. */
const EDIT_DELAY_MS = 300;

export abstract class DocumentAnalyses<A extends { version: number }> extends Disposable {
  protected readonly collection: vscode.DiagnosticCollection;
  protected readonly analyses = new Map<string, A>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  protected constructor(collectionName: string, links: RunLinks) {
    super();
    this.collection = this.register(vscode.languages.createDiagnosticCollection(collectionName));
    this.register(vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)));
    this.register(vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, EDIT_DELAY_MS)));
    this.register(
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.analyses.delete(d.uri.toString());
        this.collection.delete(d.uri);
      }),
    );
    this.register(links.onDidChange(() => this.refreshAll()));
    this.register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('lrLens')) this.refreshAll();
      }),
    );
    this.register({ dispose: () => this.timers.forEach((t) => clearTimeout(t)) });
  }

  /** Whether this kind of analysis applies to `doc`. */
  protected abstract accepts(doc: vscode.TextDocument): boolean;

  /** Analyses the document's current text, keeps the result and publishes its diagnostics. */
  abstract update(doc: vscode.TextDocument): Promise<A | undefined>;

  /** The analysis if it matches the document's version, without waiting. */
  current(doc: vscode.TextDocument): A | undefined {
    const a = this.analyses.get(doc.uri.toString());
    return a && a.version === doc.version ? a : undefined;
  }

  /** Keeps `a` if the document is still open at the version it was made from. */
  protected keep(doc: vscode.TextDocument, a: A): boolean {
    if (doc.isClosed || doc.version !== a.version) return false;
    this.analyses.set(doc.uri.toString(), a);
    return true;
  }

  /** Analyses every open document this applies to; subclasses call it once they are set up. */
  protected refreshAll(): void {
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
  }

  private schedule(doc: vscode.TextDocument, delay: number): void {
    if (this.isDisposed || !this.accepts(doc)) return;
    const key = doc.uri.toString();
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.update(doc);
      }, delay),
    );
  }
}
