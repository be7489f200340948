// The chart as a user sees it in the packaged extension: a diverging run and a healthy
// run, their Problems entries, the series and shaded regions, the fitted schedule and a
// suggestion's preview, revealing the log line, an event file in the custom editor, the
// panel restored after a reload — with no CSP violation anywhere.
import assert from 'node:assert/strict';
import { assertNoConsoleProblems, chartAnnotations, chartDatasets, chartReady, inWebview, openFile, openWorkbench, pressUntil, problems, runCommand, webviewFrame } from './workbench.mjs';

const overlayLabels = (page) => inWebview(page, () => window.lrLens.view().overlays.map((o) => o.label));

export async function run({ page, url, workspace, shot, problems: consoleProblems }) {
  await openWorkbench(page, url, workspace);

  // The diverging run: the Problems entry with its related LR-peak line.
  await openFile(page, 'runs/diverging/train.log');
  await page.locator('.monaco-editor').first().click({ position: { x: 200, y: 10 } });
  await pressUntil(page, 'F8', page.locator('.marker-widget').getByText('Loss became NaN at step 1040').first());
  await page.keyboard.press('Escape');
  const rows = await problems(page, 'Loss became NaN at step 1040');
  assert.ok(rows.some((r) => /LR peak at step 1000 \(3e-3\)/.test(r)), `related information in Problems: ${rows.join(' | ')}`);
  await shot('diverging-problems');

  // The CodeLens at the top of the log opens the chart.
  await page.locator('.monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+Home');
  const lens = page.locator('.contentWidgets .codelens-decoration a', { hasText: 'Show chart' }).first();
  await lens.waitFor({ timeout: 20_000 });
  await page.locator('.contentWidgets .codelens-decoration', { hasText: 'LR Lens: 1 problem' }).first().waitFor();
  await lens.click();
  await chartReady(page, 'LR Lens: diverging/train.log');
  const ds = await chartDatasets(page);
  const parts = (tag) => ds.filter((d) => d.key.endsWith(`\u0000${tag}`)).map((d) => d.part).sort();
  assert.deepEqual(parts('loss'), ['raw', 'smoothed'], JSON.stringify(ds));
  assert.deepEqual(parts('lr'), ['line'], 'the LR is drawn raw, never smoothed');
  assert.equal(ds.find((d) => d.key.endsWith('\u0000lr')).axis, 'lr');
  assert.ok(ds.some((d) => d.part === 'fitted' && !d.hidden), `the fitted schedule is drawn: ${ds.map((d) => d.label).join(', ')}`);
  const regions = await chartAnnotations(page);
  const box = regions.find((a) => a.type === 'box' && a.id.startsWith('finding:'));
  assert.ok(box, `a shaded finding region: ${JSON.stringify(regions)}`);
  assert.deepEqual([box.xMin, box.xMax], [1040, 1200]);
  await shot('diverging-chart');

  // "Try LR ×0.3": the host draws the suggestion's schedule as a dashed preview.
  const frame = webviewFrame(page);
  await frame.locator('button.suggestion.previewable', { hasText: 'LR ×0.3' }).click();
  await page.waitForFunction(() => true);
  for (let i = 0; i < 50 && !(await chartDatasets(page)).some((d) => d.part === 'preview'); i++) await page.waitForTimeout(100);
  assert.ok((await chartDatasets(page)).some((d) => d.part === 'preview'), 'the preview curve is drawn');
  await shot('diverging-preview');

  // "line 107" reveals the log line where the loss became NaN.
  await frame.locator('button.reveal', { hasText: 'line 107' }).click();
  await page.locator('.statusbar-item', { hasText: /Ln 107,/ }).first().waitFor({ timeout: 10_000 });
  assertNoConsoleProblems(consoleProblems);

  // The healthy run: no problem, a cosine-with-warmup schedule identified.
  await openFile(page, 'runs/healthy/train.log');
  await runCommand(page, 'LR Lens: Show Chart');
  await chartReady(page, 'LR Lens: healthy/train.log');
  const healthy = await chartDatasets(page);
  assert.ok(healthy.some((d) => d.part === 'fitted'), 'the fitted schedule is drawn');
  assert.match((await overlayLabels(page)).join(' | '), /linear warmup .* then cosine decay from 6e-4 to 6e-5/);
  assert.equal((await chartAnnotations(page)).filter((a) => a.id.startsWith('finding:') && a.type === 'box').length, 0);
  await webviewFrame(page).locator('.no-findings').waitFor();
  await shot('healthy-chart');

  // An event file opens directly in the chart (custom editor).
  await openFile(page, 'runs/sgdr/events.out.tfevents.1700000000.demo-host.4242.0');
  await chartReady(page);
  const sgdr = await chartDatasets(page);
  assert.ok(sgdr.some((d) => d.key.endsWith('\u0000Loss/train')) && sgdr.some((d) => d.key.endsWith('\u0000learning_rate')), JSON.stringify(sgdr.map((d) => d.key)));
  assert.match((await overlayLabels(page)).join(' | '), /warm restarts/);
  await shot('event-file-editor');

  // Reload the window: the chart panels come back (serializer), redrawn from the files.
  await page.reload();
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.locator('.tabs-container .tab', { hasText: 'LR Lens: diverging/train.log' }).first().click();
  await chartReady(page, 'LR Lens: diverging/train.log');
  assert.ok((await chartDatasets(page)).length > 0, 'the restored panel draws its run again');
  await shot('restored-after-reload');
  assertNoConsoleProblems(consoleProblems);
  assert.deepEqual(consoleProblems.errors.filter((e) => /lrLens|lr-lens|webview\/main\.js/.test(e)), [], 'no uncaught error from LR Lens');
}
