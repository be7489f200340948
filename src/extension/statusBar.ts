// The status bar item: the verdict of the training log in the active editor.
import * as vscode from 'vscode';
import { SEVERITY_RANK } from '../core/analysis/finding';
import { readConfig } from './config';
import { Disposable } from './dispose';
import { visibleFindings } from './findingDiagnostics';
import type { LogDiagnostics } from './logDiagnostics';

export class RunStatusBar extends Disposable {
  private readonly item = this.register(vscode.window.createStatusBarItem('lrLens.status', vscode.StatusBarAlignment.Right, 100));

  static register(context: vscode.ExtensionContext, diagnostics: LogDiagnostics): RunStatusBar {
    const s = new RunStatusBar(diagnostics);
    context.subscriptions.push(s);
    return s;
  }

  private constructor(private readonly diagnostics: LogDiagnostics) {
    super();
    this.item.name = 'LR Lens';
    this.register(vscode.window.onDidChangeActiveTextEditor(() => this.update()));
    this.register(diagnostics.onDidUpdate(() => this.update()));
    this.update();
  }

  /** The text shown, for tests. */
  get text(): string | undefined {
    return this.item.text || undefined;
  }

  update(): void {
    const doc = vscode.window.activeTextEditor?.document;
    const source = doc && this.diagnostics.sourceOf(doc.uri);
    const analyzed = doc && this.diagnostics.runOf(doc.uri);
    void vscode.commands.executeCommand('setContext', 'lrLens.activeEditorIsRun', !!analyzed);
    if (!doc || !source || (!analyzed && !source.state.loading)) {
      this.item.hide();
      return;
    }
    if (!analyzed) {
      this.item.text = '$(sync~spin) LR Lens';
      this.item.tooltip = 'LR Lens is reading this log…';
      this.item.command = undefined;
      this.item.show();
      return;
    }
    const findings = visibleFindings(analyzed.findings, readConfig(doc.uri));
    const worst = findings.reduce((w, f) => Math.max(w, SEVERITY_RANK[f.severity]), -1);
    const errors = findings.filter((f) => f.severity === 'error').length;
    const warnings = findings.filter((f) => f.severity === 'warning').length;
    const live = source.state.live ? ' $(pulse)' : '';
    if (worst >= SEVERITY_RANK.warning) {
      const parts = [errors ? `${errors} error${errors > 1 ? 's' : ''}` : '', warnings ? `${warnings} warning${warnings > 1 ? 's' : ''}` : ''].filter(Boolean);
      this.item.text = `$(${errors ? 'error' : 'warning'}) LR Lens: ${parts.join(', ')}${live}`;
      this.item.backgroundColor = new vscode.ThemeColor(errors ? 'statusBarItem.errorBackground' : 'statusBarItem.warningBackground');
    } else {
      this.item.text = `$(pass) LR Lens: no problems${live}`;
      this.item.backgroundColor = undefined;
    }
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**${analyzed.run.name}** (${analyzed.run.format})\n\n`);
    for (const f of findings.slice(0, 5)) md.appendMarkdown(`- $(${f.severity === 'info' ? 'info' : f.severity}) ${escapeMd(f.message)}\n`);
    if (findings.length === 0) md.appendMarkdown('No learning-rate problems found.\n');
    if (source.state.live) md.appendMarkdown('\n$(pulse) following the file as it grows\n');
    md.appendMarkdown('\nClick to show the chart.');
    this.item.tooltip = md;
    this.item.command = { command: 'lrLens.showChart', title: 'Show Chart', arguments: [doc.uri] };
    this.item.show();
  }
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
