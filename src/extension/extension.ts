// Entry point: wires the providers and commands; all logic lives in them and in src/core.
import * as vscode from 'vscode';
import { ChartPanel } from './chartPanel';
import { LogDiagnostics } from './logDiagnostics';

export interface LrLensApi {
  diagnostics: LogDiagnostics;
}

export function activate(context: vscode.ExtensionContext): LrLensApi {
  const log = vscode.window.createOutputChannel('LR Lens', { log: true });
  context.subscriptions.push(log);
  const diagnostics = LogDiagnostics.register(context);

  context.subscriptions.push(
    vscode.commands.registerCommand('lrLens.showChart', async (arg?: vscode.Uri) => {
      const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
      if (!uri) {
        void vscode.window.showInformationMessage('LR Lens: open a training log first, then run "Show Chart".');
        return undefined;
      }
      const doc = await vscode.workspace.openTextDocument(uri);
      const analysis = diagnostics.analysisOf(uri) ?? diagnostics.update(doc);
      if (!analysis) {
        void vscode.window.showWarningMessage(`LR Lens: ${vscode.workspace.asRelativePath(uri)} is not a training log LR Lens can read.`);
        return undefined;
      }
      const title = `LR Lens: ${analysis.run.name}`;
      const panel = ChartPanel.show(context.extensionUri, uri.toString(), title, [{ id: uri.toString(), run: analysis.run, findings: analysis.findings, uri }], { log });
      return panel.panel.viewType;
    }),
    vscode.commands.registerCommand('lrLens.analyzeFile', async (arg?: vscode.Uri) => {
      const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
      if (!uri) return undefined;
      const doc = await vscode.workspace.openTextDocument(uri);
      return diagnostics.update(doc)?.findings ?? [];
    }),
    diagnostics.onDidAnalyze((a) => {
      ChartPanel.get(a.uri.toString())?.session.setRuns([{ id: a.uri.toString(), run: a.run, findings: a.findings, uri: a.uri }]);
    }),
  );
  log.info(`LR Lens ${String((context.extension.packageJSON as { version?: string }).version)} activated`);
  return { diagnostics };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
