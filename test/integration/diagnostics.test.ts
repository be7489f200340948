import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, closeAllEditors, lrLensDiagnostics, openLog, waitFor, withSetting, writeText } from './helpers';

suite('diagnostics on training logs', () => {
  teardown(closeAllEditors);

  test('the extension activates when a log is opened, in a Node extension host', async () => {
    await openLog('runs/healthy/train.log');
    const ext = vscode.extensions.getExtension('lr-lens.lr-lens')!;
    await waitFor('activation', () => ext.isActive, (v) => v);
    assert.ok(process.versions.node, 'runs in Node');
  });

  test('a log whose loss becomes NaN gets a divergence error on that line, with the LR peak as related information', async () => {
    const doc = await openLog('runs/diverging/train.log');
    const diags = await waitFor('a diagnostic', () => lrLensDiagnostics(doc.uri), (d) => d.length > 0);
    const d = diags.find((x) => x.code === 'divergence');
    assert.ok(d, `divergence diagnostic among ${JSON.stringify(diags.map((x) => x.code))}`);
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.match(doc.lineAt(d.range.start.line).text, /^step 1040\/5000 \| loss nan/);
    assert.match(d.message, /Loss became NaN at step 1040, 40 steps after the LR reached its peak 3e-3/);
    const peak = d.relatedInformation?.find((r) => /LR peak at step 1000/.test(r.message));
    assert.ok(peak, `related information: ${JSON.stringify(d.relatedInformation?.map((r) => r.message))}`);
    assert.equal(peak.location.uri.toString(), doc.uri.toString());
    assert.match(doc.lineAt(peak.location.range.start.line).text, /^step 1000\/5000 /);
  });

  test('a healthy log gets no error or warning', async () => {
    const doc = await openLog('runs/healthy/train.log');
    await vscode.commands.executeCommand('lrLens.analyzeFile', doc.uri);
    const bad = lrLensDiagnostics(doc.uri).filter((d) => d.severity <= vscode.DiagnosticSeverity.Warning);
    assert.deepEqual(bad.map((d) => d.message), []);
  });

  test('turning diagnostics off clears them and turning them on restores them', async () => {
    const doc = await openLog('runs/diverging/train.log');
    await waitFor('a diagnostic', () => lrLensDiagnostics(doc.uri), (d) => d.length > 0);
    await withSetting('lrLens.diagnostics.enabled', false, () => waitFor('diagnostics to clear', () => lrLensDiagnostics(doc.uri), (d) => d.length === 0));
    await waitFor('diagnostics to return', () => lrLensDiagnostics(doc.uri), (d) => d.length > 0);
  });

  test('a rule can be given another severity or turned off', async () => {
    const doc = await openLog('runs/diverging/train.log');
    await waitFor('a diagnostic', () => lrLensDiagnostics(doc.uri), (d) => d.length > 0);
    await withSetting('lrLens.rules', { divergence: 'warning' }, () =>
      waitFor('divergence as a warning', () => lrLensDiagnostics(doc.uri).find((d) => d.code === 'divergence')?.severity, (s) => s === vscode.DiagnosticSeverity.Warning),
    );
    await withSetting('lrLens.rules', { divergence: 'off' }, () =>
      waitFor('divergence hidden', () => lrLensDiagnostics(doc.uri).filter((d) => d.code === 'divergence').length, (n) => n === 0),
    );
  });

  test('detection is by content: a .txt, a .csv-named text log and an extension-less file all work', async () => {
    const text = '# my run\nstep 0 | loss 2.0 | lr 1e-3\nstep 10 | loss inf | lr 1e-3\n';
    for (const name of ['logs/output.txt', 'logs/stdout', 'logs/run.log']) {
      const uri = await writeText(name, text);
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc);
      const diags = await waitFor(`a diagnostic in ${name}`, () => lrLensDiagnostics(uri), (d) => d.length > 0);
      assert.equal(diags[0]!.range.start.line, 2, name);
    }
    const prose = await writeText('logs/notes.txt', 'Meeting notes.\nWe should try a smaller learning rate next week.\n');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(prose));
    assert.deepEqual(await vscode.commands.executeCommand('lrLens.analyzeFile', prose), []);
    assert.equal(lrLensDiagnostics(prose).length, 0);
  });

  test('a CodeLens at the top of the log summarises it and opens the chart', async () => {
    const doc = await openLog('runs/diverging/train.log');
    await waitFor('a diagnostic', () => lrLensDiagnostics(doc.uri), (d) => d.length > 0);
    const lenses = await waitFor(
      'code lenses',
      () => Promise.resolve(vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri)),
      (l) => (l ?? []).some((x) => x.command?.title.startsWith('LR Lens')),
    );
    const titles = lenses.map((l) => l.command?.title);
    assert.ok(titles.includes('LR Lens: 1 problem'), JSON.stringify(titles));
    const chart = lenses.find((l) => l.command?.title === 'Show chart');
    assert.equal(chart?.command?.command, 'lrLens.showChart');
    assert.equal(chart?.range.start.line, 0);
  });

  test('the status bar shows the active log verdict', async () => {
    const { statusBar } = await api();
    await openLog('runs/diverging/train.log');
    await waitFor('status bar', () => statusBar.text, (t) => /LR Lens: 1 error/.test(t ?? ''));
    await openLog('runs/healthy/train.log');
    await waitFor('status bar', () => statusBar.text, (t) => /LR Lens: no problems/.test(t ?? ''));
  });
});

suite('live runs', () => {
  teardown(closeAllEditors);

  test('a growing log updates its diagnostics within about a second, without reading a half-written line', async () => {
    const { diagnostics } = await api();
    let text = '';
    for (let s = 0; s < 50; s++) text += `step ${s} | loss ${(3 - s * 0.01).toFixed(3)} | lr 1e-3\n`;
    const uri = await writeText('live/train.log', text);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    await waitFor('the first read', () => diagnostics.runOf(uri)?.run.series.find((s) => s.tag === 'loss')?.steps.length, (n) => n === 50);
    const before = lrLensDiagnostics(uri);
    assert.equal(before.filter((d) => d.code === 'divergence').length, 0, JSON.stringify(before.map((d) => [d.code, d.message])));
    // The trainer writes half a line: it must not be read as a value.
    text += 'step 50 | loss na';
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    await new Promise((r) => setTimeout(r, 1200));
    assert.equal(diagnostics.runOf(uri)?.run.series.find((s) => s.tag === 'loss')?.steps.length, 50, 'the half-written line is held back');
    text += 'n | lr 1e-3\n';
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    const diags = await waitFor('the NaN to be found', () => lrLensDiagnostics(uri), (d) => d.some((x) => x.code === 'divergence'), 5000);
    assert.equal(diags.find((x) => x.code === 'divergence')!.range.start.line, 50);
  });

  test('a log that is truncated and rewritten is read again from the start', async () => {
    const { diagnostics } = await api();
    const uri = await writeText('live/restart.log', 'step 0 | loss 5\nstep 1 | loss nan\n');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await waitFor('the NaN', () => lrLensDiagnostics(uri).length, (n) => n > 0);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('step 0 | loss 2\n'));
    await waitFor('the NaN to go away', () => lrLensDiagnostics(uri).length, (n) => n === 0);
    assert.deepEqual(Array.from(diagnostics.runOf(uri)!.run.series[0]!.values), [2]);
  });

  test('a large log is read off the main thread: the extension host keeps responding', async () => {
    const lines: string[] = [];
    for (let s = 0; s < 400_000; s++) lines.push(`step ${s} | loss ${(2 + Math.sin(s / 100)).toFixed(4)} | lr 3.00e-04 | norm 0.9 | dt 210.0ms`);
    const uri = await writeText('big/train.log', lines.join('\n') + '\n');
    let maxGap = 0;
    let last = Date.now();
    const timer = setInterval(() => {
      const now = Date.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
    }, 10);
    try {
      const findings = await vscode.commands.executeCommand<unknown[]>('lrLens.analyzeFile', uri);
      assert.ok(Array.isArray(findings));
    } finally {
      clearInterval(timer);
    }
    assert.ok(maxGap < 250, `the host's event loop stalled for ${maxGap} ms`);
  });
});
