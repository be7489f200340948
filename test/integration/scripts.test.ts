import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, closeAllEditors, lrLensDiagnostics, waitFor, withSetting, wsUri } from './helpers';

async function openScript(rel: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(wsUri(rel));
  await vscode.window.showTextDocument(doc);
  return doc;
}

const lineOf = (doc: vscode.TextDocument, re: RegExp): number => {
  for (let i = 0; i < doc.lineCount; i++) if (re.test(doc.lineAt(i).text)) return i;
  throw new Error(`no line matches ${re}`);
};

async function quickFixes(doc: vscode.TextDocument, d: vscode.Diagnostic): Promise<vscode.CodeAction[]> {
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, d.range, vscode.CodeActionKind.QuickFix.value);
  // The range holds only this diagnostic (the command does not return the actions' diagnostics).
  return actions.filter((a) => a.kind?.value === vscode.CodeActionKind.QuickFix.value);
}

async function apply(action: vscode.CodeAction): Promise<void> {
  assert.ok(action.command, 'the fix is a command');
  const ok = await vscode.commands.executeCommand<boolean>(action.command.command, ...((action.command.arguments ?? []) as unknown[]));
  assert.equal(ok, true, 'the fix applied');
}

suite('training scripts', () => {
  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await closeAllEditors();
  });

  test('a per-epoch scheduler stepped in the batch loop is flagged on its step() call, and the quick fix moves it', async () => {
    const doc = await openScript('scripts/train_gpt.py');
    const diags = await waitFor('the static check', () => lrLensDiagnostics(doc.uri), (d) => d.some((x) => x.code === 'epoch_scheduler_per_batch'));
    const d = diags.find((x) => x.code === 'epoch_scheduler_per_batch')!;
    assert.equal(d.range.start.line, lineOf(doc, /^\s+scheduler\.step\(\)/));
    assert.match(d.message, /StepLR|step_size=30/);
    const fixes = await quickFixes(doc, d);
    assert.ok(fixes.length > 0, 'a quick fix is offered');
    const preferred = fixes.find((f) => f.isPreferred) ?? fixes[0]!;
    await apply(preferred);
    // The step now runs once per epoch: after the batch loop, at the epoch loop's indentation.
    const line = lineOf(doc, /^\s+scheduler\.step\(\)/);
    assert.equal(doc.lineAt(line).firstNonWhitespaceCharacterIndex, 8, doc.getText());
    await waitFor('the check to clear', () => lrLensDiagnostics(doc.uri).filter((x) => x.code === 'epoch_scheduler_per_batch').length, (n) => n === 0);
  });

  test('a fix computed for an older version of the script is refused', async () => {
    const doc = await openScript('scripts/train_gpt.py');
    const d = (await waitFor('the static check', () => lrLensDiagnostics(doc.uri), (x) => x.some((y) => y.code === 'epoch_scheduler_per_batch'))).find((x) => x.code === 'epoch_scheduler_per_batch')!;
    const fix = (await quickFixes(doc, d))[0]!;
    const editor = vscode.window.activeTextEditor!;
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), '# edited\n'));
    const ok = await vscode.commands.executeCommand<boolean>(fix.command!.command, ...((fix.command!.arguments ?? []) as unknown[]));
    assert.equal(ok, false);
    assert.match(doc.lineAt(1).text, /^# Train a small GPT/);
  });

  test('hovering a scheduler shows its curve’s key numbers, and a CodeLens previews it', async () => {
    const doc = await openScript('scripts/train_gpt.py');
    const line = lineOf(doc, /StepLR\(optimizer/);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(line, doc.lineAt(line).text.indexOf('StepLR') + 2));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /starts at \*\*3e-3\*\*/);
    assert.match(text, /reaches its floor/);
    assert.match(text, /Preview schedule/);
    const lenses = await waitFor(
      'the CodeLens',
      () => Promise.resolve(vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri)),
      (l) => (l ?? []).some((x) => x.command?.title === 'Preview schedule'),
    );
    const lens = lenses.find((x) => x.command?.title === 'Preview schedule')!;
    assert.equal(lens.range.start.line, line);
    const overlay = await vscode.commands.executeCommand<{ x: number[]; y: number[]; label: string }>(lens.command!.command, ...((lens.command!.arguments ?? []) as unknown[]));
    assert.ok(overlay && overlay.y.length > 10, 'the schedule is drawn');
    assert.ok(Math.abs(overlay.y[0]! - 3e-3) < 1e-12);
    assert.ok(overlay.y.some((v) => Math.abs(v - 3e-4) < 1e-12), 'StepLR drops by gamma=0.1');
  });

  test('a linked run’s findings show on the line that sets the LR, with the log line related, and the fix scales it', async () => {
    const { links } = await api();
    const run = wsUri('runs/diverging/train.log');
    assert.equal(await vscode.commands.executeCommand('lrLens.linkRunToScript', run, wsUri('scripts/train_gpt.py')), true);
    try {
      const doc = await openScript('scripts/train_gpt.py');
      const diags = await waitFor('the linked finding', () => lrLensDiagnostics(doc.uri), (d) => d.some((x) => x.code === 'divergence'), 15_000);
      const d = diags.find((x) => x.code === 'divergence')!;
      assert.equal(d.range.start.line, lineOf(doc, /^learning_rate = 3e-3/));
      assert.match(d.message, /Loss became NaN at step 1040.*run runs\/diverging\/train\.log/);
      const related = d.relatedInformation?.find((r) => r.location.uri.toString() === run.toString());
      assert.ok(related, JSON.stringify(d.relatedInformation?.map((r) => r.message)));
      assert.equal(related.location.range.start.line, 106, 'line 107 of the log');
      const fix = (await quickFixes(doc, d)).find((a) => /3e-3|learning_rate|LR/i.test(a.title));
      assert.ok(fix, 'a fix from the suggestion');
      await apply(fix);
      assert.match(doc.lineAt(lineOf(doc, /^learning_rate = /)).text, /^learning_rate = 9e-4/);
    } finally {
      await links.unlink(run);
    }
  });

  test('a run is linked automatically when its recorded hyperparameters match the script', async () => {
    const { links, scripts } = await api();
    const doc = await openScript('scripts/train_slow.py');
    const a = await scripts.analysisOf(doc);
    const linked = await links.linkedRuns(doc.uri, a.model);
    const lightning = linked.find((l) => l.entry.uri.path.includes('/runs/lightning/'));
    assert.ok(lightning, JSON.stringify(linked.map((l) => l.entry.label)));
    assert.equal(lightning.how, 'hparams');
    assert.ok(lightning.score!.reasons.some((r) => /learning rate 1e-5/.test(r)), JSON.stringify(lightning.score));
  });
});

suite('Insert LR Schedule', () => {
  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await closeAllEditors();
  });

  test('inserts warmup + cosine wired to the script’s optimizer, sized to the linked run, after previewing it over the run', async () => {
    const { links, charts } = await api();
    const run = wsUri('runs/diverging/train.log');
    await links.link(run, wsUri('scripts/train_gpt.py'));
    try {
      const doc = await openScript('scripts/train_gpt.py');
      const r = await vscode.commands.executeCommand<{ inserted: boolean; title?: string; preview?: { x: number[]; y: number[] }; reason?: string }>('lrLens.insertSchedule', {
        uri: doc.uri.toString(),
        template: 'torch.warmup_cosine',
      });
      assert.equal(r.inserted, true, r.reason);
      // Previewed over the linked run (its chart is open) for the run's length.
      assert.ok(charts().some((c) => c.uris[0]?.toString() === run.toString()), 'the linked run’s chart shows the preview');
      assert.equal(r.preview!.x[r.preview!.x.length - 1], 5000, 'as long as the run was planned (step N/5000)');
      const text = doc.getText();
      assert.match(text, /SequentialLR\(\s*optimizer,/);
      assert.match(text, /LinearLR\(optimizer/);
      assert.match(text, /CosineAnnealingLR\(optimizer/);
      assert.equal((text.match(/^from torch\.optim\.lr_scheduler import .*SequentialLR/gm) ?? []).length, 1, 'one import line, extended');
      assert.doesNotMatch(text, /StepLR\(optimizer/, 'the StepLR it replaces is gone');
      const { scripts } = await api();
      const a = await scripts.analysisOf(doc);
      assert.equal(a.model.syntaxErrors.length, 0, 'the script still parses');
      assert.ok(a.model.schedulers.some((s) => s.call.endsWith('SequentialLR')));
    } finally {
      await links.unlink(run);
    }
  });

  test('a schedule the script cannot take says why instead of editing', async () => {
    const doc = await openScript('scripts/train_gpt.py');
    const before = doc.getText();
    const r = await vscode.commands.executeCommand<{ inserted: boolean; reason?: string }>('lrLens.insertSchedule', {
      uri: doc.uri.toString(),
      template: 'torch.step',
      values: { step_size: -3 },
    });
    assert.equal(r.inserted, false);
    assert.ok(r.reason && r.reason.length > 0);
    assert.equal(doc.getText(), before);
  });
});

suite('training configs', () => {
  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await closeAllEditors();
  });

  test('an LR written 1e-3 in YAML is flagged (PyYAML reads it as a string) and the fix writes 1.0e-3', async () => {
    const doc = await openScript('configs/finetune.yaml');
    const d = (await waitFor('the config check', () => lrLensDiagnostics(doc.uri), (x) => x.some((y) => y.code === 'yaml_float_as_string'))).find((x) => x.code === 'yaml_float_as_string')!;
    assert.equal(doc.lineAt(d.range.start.line).text.trim(), 'lr: 1e-3');
    // The config's diagnostics follow the settings as the logs' do.
    await withSetting('lrLens.diagnostics.enabled', false, () => waitFor('config diagnostics to clear', () => lrLensDiagnostics(doc.uri), (x) => x.length === 0));
    await waitFor('config diagnostics back', () => lrLensDiagnostics(doc.uri), (x) => x.some((y) => y.code === 'yaml_float_as_string'));
    const fix = (await quickFixes(doc, d))[0]!;
    await apply(fix);
    assert.equal(doc.lineAt(d.range.start.line).text.trim(), 'lr: 1.0e-3');
  });

  test('a run linked to a config puts its LR findings on the config’s LR, with a fix', async () => {
    const { links } = await api();
    const run = wsUri('runs/diverging/train.log');
    await links.link(run, wsUri('configs/finetune.yaml'));
    try {
      const doc = await openScript('configs/finetune.yaml');
      const d = (await waitFor('the linked finding', () => lrLensDiagnostics(doc.uri), (x) => x.some((y) => y.code === 'divergence'), 15_000)).find((x) => x.code === 'divergence')!;
      assert.equal(doc.lineAt(d.range.start.line).text.trim(), 'lr: 1e-3');
      const fix = (await quickFixes(doc, d)).find((a) => /learning rate/.test(a.title))!;
      await apply(fix);
      assert.equal(doc.lineAt(d.range.start.line).text.trim(), 'lr: 3.0e-4');
    } finally {
      await links.unlink(run);
    }
  });
});
