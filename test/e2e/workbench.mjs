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
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor();
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

/** The active webview's document (VS Code nests it: iframe.webview → #active-frame). */
export function webviewFrame(page) {
  return page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
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
