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
    assert.match(tabs[0]!.label, /LR Lens: diverging\/train\.log/);
  });

  test('Open Runs on a multi-selection overlays the selected runs', async () => {
    const { charts } = await api();
    const picked = [wsUri('runs/diverging/train.log'), wsUri('runs/healthy/train.log')];
    await vscode.commands.executeCommand('lrLens.openRuns', picked[0], picked);
    const panel = await waitFor('a chart', () => charts().find((c) => c.uris.length === 2), (p) => !!p);
    const runs = await waitFor('both runs', () => panel!.session.runs, (r) => r.length === 2);
    assert.ok(runs.some((r) => r.findings.some((f) => f.rule === 'divergence')));
    assert.ok(runs.every((r) => r.uri), 'each run can reveal its log lines');
    assert.notEqual(runs[0]!.id, runs[1]!.id);
  });

  test('Open Runs on a logdir walks it into runs; Keras train/ and validation/ become one run', async () => {
    const { charts } = await api();
    await vscode.commands.executeCommand('lrLens.openRuns', wsUri('runs/keras_overfit'));
    const panel = await waitFor('a chart', () => charts().find((c) => c.uris[0]?.path.endsWith('/keras_overfit')), (p) => !!p);
    const runs = await waitFor('the run', () => panel!.session.runs, (r) => r.length > 0);
    assert.equal(runs.length, 1);
    const tags = runs[0]!.run.series.map((s) => s.tag).sort();
    assert.ok(tags.includes('train/epoch_loss') && tags.includes('validation/epoch_loss'), JSON.stringify(tags));
  });

  test('an event file opens in the LR Lens custom editor with its runs', async () => {
    const uri = wsUri('runs/sgdr/events.out.tfevents.1700000000.demo-host.4242.0');
    await vscode.commands.executeCommand('vscode.open', uri);
    const tab = await waitFor(
      'the custom editor',
      () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputCustom),
      (t) => !!t,
    );
    assert.equal((tab!.input as vscode.TabInputCustom).viewType, 'lrLens.tfevents');
    assert.equal((tab!.input as vscode.TabInputCustom).uri.toString(), uri.toString());
    const { store } = await api();
    const source = await waitFor('the event file to be read', () => store.get(uri)?.state, (s) => (s?.runs.length ?? 0) > 0);
    const tags = source!.runs[0]!.run.series.map((s) => s.tag).sort();
    assert.deepEqual(tags, ['Loss/train', 'Loss/val', 'learning_rate']);
    assert.equal(source!.runs[0]!.run.format, 'tfevents');
  });

  test('the schedule identified from the LR is drawn over it (SGDR event file)', async () => {
    const { charts } = await api();
    await vscode.commands.executeCommand('lrLens.openRuns', wsUri('runs/sgdr'));
    const panel = await waitFor('a chart', () => charts().find((c) => c.uris[0]?.path.endsWith('/runs/sgdr')), (p) => !!p);
    const run = await waitFor('the run', () => panel!.session.runs[0], (r) => !!r);
    assert.equal(run!.schedule?.family, 'cosine_warm_restarts', JSON.stringify(run!.schedule));
    assert.equal(run!.schedule?.params.T_0, 500);
    const fitted = run!.overlays?.find((o) => o.kind === 'fitted');
    assert.ok(fitted && fitted.x.length > 100, 'a fitted curve');
    assert.deepEqual(run!.findings.filter((f) => f.severity !== 'info').map((f) => f.message), [], 'warm restarts are not a problem');
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
    // Keras train/ + validation/ folders are one run, and together they show the overfitting.
    const keras = entries.filter((e) => e.uri.path.includes('/keras_overfit'));
    assert.deepEqual(keras.map((e) => e.uri.path.split('/').pop()), ['keras_overfit']);
    assert.ok(keras[0]!.findings.some((f) => f.rule === 'overfitting'), JSON.stringify(keras[0]!.findings.map((f) => f.rule)));
    const lightning = entries.find((e) => e.uri.path.endsWith('/runs/lightning/version_0'));
    assert.ok(lightning?.findings.some((f) => f.rule === 'slow_convergence'), 'the Lightning run at 1e-5 is too slow');
  });
});
