// Findings in open training logs, shown as diagnostics at the line where each starts.
import * as vscode from 'vscode';
import { analyzeRun } from '../core/analysis/analyze';
import { SEVERITY_RANK, type Finding } from '../core/analysis/finding';
import { readBytes } from '../core/formats/registry';
import type { Run } from '../core/model/run';
import { readConfig } from './config';
import { Disposable } from './dispose';

export const DIAGNOSTIC_SOURCE = 'LR Lens';

const SEVERITY: Record<Finding['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** The analysis of one open document, kept for the chart and the commands. */
export interface DocumentAnalysis {
  uri: vscode.Uri;
  version: number;
  run: Run;
  findings: Finding[];
}

export class LogDiagnostics extends Disposable {
  private readonly collection = this.register(vscode.languages.createDiagnosticCollection('lrLens'));
  private readonly analyses = new Map<string, DocumentAnalysis>();
  private readonly changed = this.register(new vscode.EventEmitter<DocumentAnalysis>());
  /** Fires after a document was (re)analysed. */
  readonly onDidAnalyze = this.changed.event;

  static register(context: vscode.ExtensionContext): LogDiagnostics {
    const d = new LogDiagnostics();
    context.subscriptions.push(d);
    return d;
  }

  private constructor() {
    super();
    this.register(vscode.workspace.onDidOpenTextDocument((doc) => this.update(doc)));
    this.register(vscode.workspace.onDidChangeTextDocument((e) => this.update(e.document)));
    this.register(
      vscode.workspace.onDidCloseTextDocument((doc) => {
        this.collection.delete(doc.uri);
        this.analyses.delete(doc.uri.toString());
      }),
    );
    this.register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('lrLens')) for (const doc of vscode.workspace.textDocuments) this.update(doc);
      }),
    );
    for (const doc of vscode.workspace.textDocuments) this.update(doc);
  }

  analysisOf(uri: vscode.Uri): DocumentAnalysis | undefined {
    return this.analyses.get(uri.toString());
  }

  /** Reads the document's text as a training log and publishes its findings. */
  update(doc: vscode.TextDocument): DocumentAnalysis | undefined {
    if (doc.uri.scheme === 'output' || doc.uri.scheme === 'vscode-settings' || doc.languageId === 'python') return undefined;
    const config = readConfig(doc.uri);
    const result = readBytes(doc.uri.path, new TextEncoder().encode(doc.getText()));
    const run = result.runs[0];
    if (!run) {
      this.collection.delete(doc.uri);
      this.analyses.delete(doc.uri.toString());
      return undefined;
    }
    const findings = analyzeRun(run);
    const analysis: DocumentAnalysis = { uri: doc.uri, version: doc.version, run, findings };
    this.analyses.set(doc.uri.toString(), analysis);
    const min = SEVERITY_RANK[config.minimumSeverity];
    this.collection.set(
      doc.uri,
      config.diagnosticsEnabled
        ? findings.filter((f) => SEVERITY_RANK[f.severity] >= min).map((f) => toDiagnostic(doc, f))
        : [],
    );
    this.changed.fire(analysis);
    return analysis;
  }
}

function toDiagnostic(doc: vscode.TextDocument, f: Finding): vscode.Diagnostic {
  const lineNo = Math.min(Math.max((f.line ?? 1) - 1, 0), Math.max(doc.lineCount - 1, 0));
  const line = doc.lineAt(lineNo);
  const range = new vscode.Range(lineNo, line.firstNonWhitespaceCharacterIndex, lineNo, line.text.length);
  const d = new vscode.Diagnostic(range, f.message, SEVERITY[f.severity]);
  d.source = DIAGNOSTIC_SOURCE;
  d.code = f.rule;
  return d;
}
