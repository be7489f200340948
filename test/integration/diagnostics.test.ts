import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, EXTENSION_ID, lrLensDiagnostics, waitFor, wsUri } from './helpers';

suite('diagnostics on training logs', () => {
  teardown(closeAllEditors);

  test('the extension activates when a log is opened, in a Node extension host', async () => {
    const doc = await vscode.workspace.openTextDocument(wsUri('runs/healthy/train.log'));
    await vscode.window.showTextDocument(doc);
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, 'extension is installed');
    await waitFor('activation', () => ext.isActive, (v) => v);
    assert.ok(process.versions.node, 'runs in Node');
  });

  test('a log whose loss becomes NaN gets a divergence error on that line', async () => {
    const uri = wsUri('runs/diverging/train.log');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const diags = await waitFor('a diagnostic', () => lrLensDiagnostics(uri), (d) => d.length > 0);
    const d = diags.find((x) => x.code === 'divergence');
    assert.ok(d, `divergence diagnostic among ${JSON.stringify(diags.map((x) => x.code))}`);
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.match(doc.lineAt(d.range.start.line).text, /^step 1040\/5000 \| loss nan/);
    assert.match(d.message, /Loss became NaN at step 1040, 40 steps after the LR reached its peak 3e-3/);
  });

  test('a healthy log gets no error or warning', async () => {
    const uri = wsUri('runs/healthy/train.log');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('lrLens.analyzeFile', uri);
    const bad = lrLensDiagnostics(uri).filter((d) => d.severity <= vscode.DiagnosticSeverity.Warning);
    assert.deepEqual(bad.map((d) => d.message), []);
  });

  test('turning diagnostics off clears them and turning them on restores them', async () => {
    const uri = wsUri('runs/diverging/train.log');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await waitFor('a diagnostic', () => lrLensDiagnostics(uri), (d) => d.length > 0);
    const config = vscode.workspace.getConfiguration('lrLens');
    await config.update('diagnostics.enabled', false, vscode.ConfigurationTarget.Workspace);
    try {
      await waitFor('diagnostics to clear', () => lrLensDiagnostics(uri), (d) => d.length === 0);
    } finally {
      await config.update('diagnostics.enabled', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await waitFor('diagnostics to return', () => lrLensDiagnostics(uri), (d) => d.length > 0);
  });
});

suite('chart panel', () => {
  teardown(closeAllEditors);

  test('Show Chart opens a webview panel for the active log', async () => {
    const uri = wsUri('runs/diverging/train.log');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const viewType = await vscode.commands.executeCommand<string>('lrLens.showChart');
    assert.equal(viewType, 'lrLens.chart');
    const tabs = await waitFor(
      'the chart tab',
      () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview),
      (t) => t.length > 0,
    );
    assert.match(tabs[0]!.label, /LR Lens: train\.log/);
  });
});
