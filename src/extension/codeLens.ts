// "LR Lens: 2 problems · Show chart" at the top of every training log.
import * as vscode from 'vscode';
import { readConfig } from './config';
import { visibleFindings } from './findingDiagnostics';
import type { LogDiagnostics } from './logDiagnostics';

export class LogCodeLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  static register(context: vscode.ExtensionContext, diagnostics: LogDiagnostics): void {
    const p = new LogCodeLensProvider(diagnostics);
    context.subscriptions.push(
      p.changed,
      vscode.languages.registerCodeLensProvider([{ scheme: 'file' }, { scheme: 'untitled' }, { scheme: 'vscode-remote' }, { scheme: 'vscode-vfs' }], p),
      diagnostics.onDidUpdate(() => p.changed.fire()),
    );
  }

  private constructor(private readonly diagnostics: LogDiagnostics) {}

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const config = readConfig(doc.uri);
    if (!config.codeLens) return [];
    const analyzed = this.diagnostics.runOf(doc.uri);
    if (!analyzed) return [];
    const findings = visibleFindings(analyzed.findings, config);
    const problems = findings.filter((f) => f.severity !== 'info').length;
    const top = new vscode.Range(0, 0, 0, 0);
    const summary =
      problems > 0 ? `LR Lens: ${problems} problem${problems === 1 ? '' : 's'}` : findings.length > 0 ? `LR Lens: ${findings.length} note${findings.length === 1 ? '' : 's'}` : 'LR Lens: no problems';
    return [
      new vscode.CodeLens(top, { title: summary, command: 'workbench.actions.view.problems', tooltip: 'Show the findings in the Problems panel' }),
      new vscode.CodeLens(top, { title: 'Show chart', command: 'lrLens.showChart', arguments: [doc.uri], tooltip: 'Chart loss and learning rate' }),
    ];
  }
}
