import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, lrLensDiagnostics, openLog, waitFor } from './helpers';

// Runs only in the restricted-mode pass (see index.ts): LR Lens only reads files, so
// reading, diagnostics and charts all work in an untrusted workspace.
suite('untrusted workspace', () => {
  teardown(closeAllEditors);

  test('the workspace really is untrusted', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  test('diagnostics work in an untrusted workspace', async () => {
    const doc = await openLog('runs/diverging/train.log');
    const diags = await waitFor('a diagnostic', () => lrLensDiagnostics(doc.uri), (d) => d.length > 0);
    assert.equal(diags[0]!.code, 'divergence');
  });

  test('the chart opens in an untrusted workspace', async () => {
    await openLog('runs/healthy/train.log');
    assert.equal(await vscode.commands.executeCommand('lrLens.showChart'), 'lrLens.chart');
  });

  test('an event file opens in the custom editor in an untrusted workspace', async () => {
    const folder = vscode.workspace.workspaceFolders![0]!.uri;
    const uri = vscode.Uri.joinPath(folder, 'runs/sgdr/events.out.tfevents.1700000000.demo-host.4242.0');
    await vscode.commands.executeCommand('vscode.open', uri);
    await waitFor('the custom editor', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.input instanceof vscode.TabInputCustom && t.input.viewType === 'lrLens.tfevents'), (v) => v);
  });
});
