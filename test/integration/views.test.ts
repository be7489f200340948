import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, closeAllEditors, openLog, waitFor, writeText, wsUri } from './helpers';

const webviewTabs = (): vscode.Tab[] => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview);

suite('chart panels', () => {
  teardown(closeAllEditors);

  test('Show Chart opens a webview panel for the active log', async () => {
    await openLog('runs/diverging/train.log');
    const viewType = await vscode.commands.executeCommand<string>('lrLens.showChart');
    assert.equal(viewType, 'lrLens.chart');
    const tabs = await waitFor('the chart tab', webviewTabs, (t) => t.length > 0);
    assert.match(tabs[0]!.label, /LR Lens: train\.log/);
  });

  test('Open Runs on a folder overlays every run in it', async () => {
    const { charts } = await api();
    await vscode.commands.executeCommand('lrLens.openRuns', wsUri('runs'));
    const panel = await waitFor('a chart', () => charts().find((c) => c.uris[0]?.path.endsWith('/runs')), (p) => !!p);
    const runs = await waitFor('both runs', () => panel!.session.runs, (r) => r.length === 2);
    assert.deepEqual(runs.map((r) => r.run.name).sort(), ['train.log', 'train.log']);
    assert.ok(runs.some((r) => r.findings.some((f) => f.rule === 'divergence')));
    assert.ok(runs.every((r) => r.uri), 'each run can reveal its log lines');
  });

  test('a chart follows its log as it grows', async () => {
    const { charts } = await api();
    let text = '';
    for (let s = 0; s < 20; s++) text += `step ${s} | loss ${(3 - s * 0.05).toFixed(3)} | lr 1e-3\n`;
    const uri = await writeText('live/chart.log', text);
    await vscode.commands.executeCommand('lrLens.showChart', uri);
    const panel = await waitFor('the chart', () => charts().find((c) => c.uris[0]?.toString() === uri.toString()), (p) => !!p);
    await waitFor('20 points', () => panel!.session.runs[0]?.run.series[0]?.steps.length, (n) => n === 20);
    for (let s = 20; s < 30; s++) text += `step ${s} | loss ${(3 - s * 0.05).toFixed(3)} | lr 1e-3\n`;
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    await waitFor('30 points', () => panel!.session.runs[0]?.run.series[0]?.steps.length, (n) => n === 30, 5000);
    assert.equal(panel!.session.runs[0]?.live, true);
  });
});

suite('training runs view', () => {
  test('lists the runs in the workspace with their verdicts', async () => {
    const { tree } = await api();
    await tree.refresh();
    const entries = await tree.settled();
    const diverging = entries.find((e) => e.uri.path.endsWith('runs/diverging/train.log'));
    const healthy = entries.find((e) => e.uri.path.endsWith('runs/healthy/train.log'));
    assert.ok(diverging && healthy, JSON.stringify(entries.map((e) => e.label)));
    assert.ok(diverging.findings.some((f) => f.rule === 'divergence' && f.severity === 'error'));
    assert.deepEqual(healthy.findings.filter((f) => f.severity !== 'info'), []);
    const top = tree.getChildren();
    const item = tree.getTreeItem(top.find((n) => n.entry.uri.path.endsWith('runs/diverging/train.log'))!);
    assert.match(String(item.description), /1 problem/);
    assert.equal(item.command?.command, 'lrLens.showChart');
  });
});
