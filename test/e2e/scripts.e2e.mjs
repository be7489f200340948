// Training scripts as a user sees them in the packaged extension: the static check's
// squiggle and its quick fix in the Ctrl+. menu, the hover with the scheduler's key
// numbers, the "Preview schedule" CodeLens, and the Training Runs view with verdicts.
import assert from 'node:assert/strict';
import { assertNoConsoleProblems, chartReady, openFile, openWorkbench, pressUntil } from './workbench.mjs';

export async function run({ page, url, workspace, shot, problems: consoleProblems }) {
  await openWorkbench(page, url, workspace);

  // The Training Runs view lists the workspace's runs with their verdicts.
  const view = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Training Runs' }) });
  await view.locator('.pane-header').click();
  const diverging = view.locator('.monaco-list-row', { hasText: 'diverging/train.log' });
  await diverging.waitFor({ timeout: 30_000 });
  await view.locator('.monaco-list-row', { hasText: '1 problem' }).first().waitFor({ timeout: 30_000 });
  await view.locator('.monaco-list-row', { hasText: /healthy\/train\.log\s*text · healthy/ }).first().waitFor({ timeout: 30_000 });
  await view.locator('.monaco-list-row', { hasText: 'reading…' }).first().waitFor({ state: 'detached', timeout: 30_000 });
  await shot('training-runs-view');

  await openFile(page, 'scripts/train_gpt.py');
  await page.locator('.monaco-editor .view-lines').first().click();
  await pressUntil(page, 'F8', page.locator('.marker-widget').getByText(/StepLR/).first());
  await shot('static-check');
  await page.keyboard.press('Escape');

  // Ctrl+. on the flagged line offers the fix; apply it.
  await page.keyboard.press('Control+.');
  const fix = page.locator('.action-widget').getByText(/Move scheduler\.step\(\) to the epoch loop/).first();
  await fix.waitFor({ timeout: 10_000 });
  await shot('quick-fix-menu');
  await page.keyboard.press('Enter');
  await page.locator('.monaco-editor .view-line', { hasText: /^\s{8}scheduler\.step\(\)/ }).first().waitFor({ timeout: 10_000 });
  await shot('after-fix');

  // Hover the StepLR construction: its key numbers.
  const stepLr = page.locator('.monaco-editor .view-line', { hasText: 'StepLR(optimizer' }).first();
  await stepLr.scrollIntoViewIfNeeded();
  await stepLr.locator('span', { hasText: 'StepLR' }).last().hover();
  const hover = page.locator('.monaco-hover-content', { hasText: 'reaches its floor' }).first();
  await hover.waitFor({ timeout: 10_000 });
  const text = await hover.textContent();
  assert.match(text ?? '', /starts at 3e-3/, text ?? '');
  await shot('scheduler-hover');

  // The CodeLens above it draws the curve.
  await page.mouse.move(5, 5);
  await page.locator('.contentWidgets .codelens-decoration a', { hasText: 'Preview schedule' }).first().click();
  await chartReady(page, 'LR Lens: StepLR preview');
  await shot('schedule-preview');
  assertNoConsoleProblems(consoleProblems);
}
