// Smoke: the packaged extension in a real workbench. A diverging log gets its squiggle and
// Problems entry; "LR Lens: Show Chart" draws the loss on a canvas in the webview, with
// no CSP violation — and the watcher that says so is shown to catch a real one.
import assert from 'node:assert/strict';
import { assertNoConsoleProblems, openFile, openWorkbench, pressUntil, problems, runCommand, webviewFrame } from './workbench.mjs';

export async function run({ page, url, workspace, shot, problems: consoleProblems }) {
  await openWorkbench(page, url, workspace);
  await shot('workbench');

  await openFile(page, 'runs/diverging/train.log');
  // F8 jumps to the first problem, as a user would; the squiggle and the marker widget show.
  await page.locator('.monaco-editor').first().click({ position: { x: 200, y: 10 } });
  await pressUntil(page, 'F8', page.locator('.marker-widget').getByText('Loss became NaN at step 1040').first());
  await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 10_000 });
  await shot('diagnostic-squiggle');
  await page.keyboard.press('Escape');

  const rows = await problems(page, 'Loss became NaN at step 1040');
  assert.ok(rows.some((r) => /Loss became NaN at step 1040, 40 steps after the LR reached its peak 3e-3/.test(r)), rows.join('\n'));
  await shot('problems-panel');

  await runCommand(page, 'LR Lens: Show Chart');
  const frame = webviewFrame(page);
  const canvas = frame.locator('canvas#chart');
  await canvas.waitFor({ timeout: 30_000 });
  // The chart has really drawn: a good share of the canvas holds non-background pixels.
  const inked = await canvas.evaluate(async (c) => {
    await new Promise((r) => setTimeout(r, 300));
    const ctx = c.getContext('2d');
    const { data } = ctx.getImageData(0, 0, c.width, c.height);
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
    return n / (c.width * c.height);
  });
  assert.ok(inked > 0.005, `chart canvas is drawn (${(inked * 100).toFixed(2)}% inked)`);
  await shot('chart');
  assertNoConsoleProblems(consoleProblems);

  // The CSP watcher must be able to fail: an inline script in the webview is refused.
  await frame.locator('body').evaluate((body) => {
    const s = document.createElement('script');
    s.textContent = 'window.__inlineRan = true';
    body.append(s);
  });
  const deadline = Date.now() + 5000;
  while (consoleProblems.csp.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  assert.ok(consoleProblems.csp.length > 0, 'an injected inline script is reported as a CSP violation');
  assert.equal(await frame.locator('body').evaluate(() => window.__inlineRan === true), false, 'the inline script did not run');
}
