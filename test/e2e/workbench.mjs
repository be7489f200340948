// Workbench helpers for the UI scenarios: what a user does, by the selectors VS Code 1.100 renders.
import assert from 'node:assert/strict';

/** Opens the workspace and waits for the workbench. */
export async function openWorkbench(page, url, workspace) {
  await page.goto(`${url}/?folder=${encodeURIComponent(workspace)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ timeout: 60_000 });
}

/** Quick Open (Ctrl+P) a workspace-relative path. */
export async function openFile(page, rel) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(rel);
  const name = rel.split('/').pop();
  const dir = rel.split('/').slice(0, -1).join('/');
  // Recently opened files come first: pick the row whose description is the folder.
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: name }).filter({ hasText: dir || name }).first();
  await row.waitFor();
  await row.click();
  await page.locator(`.tabs-container .tab.active[data-resource-name="${name}"]`).first().waitFor();
}

/** Runs a command from the palette by its title. */
export async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

/** The visible webview's document (VS Code nests it: iframe.webview → #active-frame). */
export function webviewFrame(page) {
  return page.locator('iframe.webview.ready').filter({ visible: true }).last().contentFrame().locator('#active-frame').contentFrame();
}

/** Opens the Problems panel and returns its rows' text. */
export async function problems(page, expectText) {
  await page.keyboard.press('Control+Shift+M');
  const panel = page.locator('.markers-panel');
  await panel.waitFor();
  if (expectText) await panel.getByText(expectText).first().waitFor({ timeout: 20_000 });
  return panel.locator('.monaco-list-row').allTextContents();
}

export function assertNoConsoleProblems(problems) {
  assert.deepEqual(problems.csp, [], `CSP violations:\n${problems.csp.join('\n')}`);
}

/** Presses `key` until `target` shows (e.g. F8 until the diagnostics have arrived). */
export async function pressUntil(page, key, target, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await page.keyboard.press(key);
    try {
      await target.waitFor({ timeout: 1000 });
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
    }
  }
}

/** Runs `fn(body, arg)` inside the visible webview's document and returns its result. */
export function inWebview(page, fn, arg) {
  return webviewFrame(page).locator('body').evaluate(fn, arg);
}

/** Waits until the chart in the visible webview (titled `title`, when given) is drawn and idle. */
export async function chartReady(page, title) {
  const frame = webviewFrame(page);
  await frame.locator('canvas#chart').waitFor({ timeout: 30_000 });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ok = await inWebview(page, (_body, t) => Boolean(window.lrLens?.chart?.() && !window.lrLens.busy() && (!t || document.title === t)), title).catch(() => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error('the chart never became ready');
    await page.waitForTimeout(100);
  }
  await page.waitForTimeout(250);
}

/** The chart's datasets, as drawn. */
export function chartDatasets(page) {
  return inWebview(page, () =>
    window.lrLens.chart().data.datasets.map((d) => ({ label: d.label, key: d.spec.key, part: d.spec.part, role: d.spec.role, axis: d.yAxisID, hidden: Boolean(d.hidden), n: d.data.length })),
  );
}

/** The chart's annotations (finding regions, NaN markers). */
export function chartAnnotations(page) {
  return inWebview(page, () =>
    Object.entries(window.lrLens.chart().options.plugins.annotation.annotations).map(([id, o]) => ({ id, type: o.type, xMin: o.xMin, xMax: o.xMax, xValue: o.xValue })),
  );
}
