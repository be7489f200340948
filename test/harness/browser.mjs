// Debian's Chromium driven by playwright-core: headless, loopback only, throw-away profile.
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM, need, shortAlias } from './lib.mjs';

/**
 * Launches Chromium with its profile (and crashpad's config dir) inside `dir`.
 * Returns the context and a `consoleProblems` list that collects CSP violations,
 * uncaught page errors and console errors from every frame, webviews included.
 */
export async function launchBrowser(realDir, { viewport = { width: 1400, height: 900 } } = {}) {
  need(['chromium']);
  fs.mkdirSync(realDir, { recursive: true });
  // Chromium's singleton socket lives in the profile and temp folders: use a short alias.
  const alias = shortAlias(realDir);
  const dir = alias.path;
  const profile = path.join(dir, 'chromium-profile');
  for (const d of [profile, path.join(dir, 'tmp'), path.join(dir, 'xdg-config')]) fs.mkdirSync(d, { recursive: true });
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    env: { ...process.env, XDG_CONFIG_HOME: path.join(dir, 'xdg-config'), TMPDIR: path.join(dir, 'tmp') },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
    });
  } catch (e) {
    alias.remove();
    throw e;
  }
  context.on('close', () => alias.remove());
  return context;
}

/** True for console text that reports a Content-Security-Policy violation. */
export function isCspViolation(text) {
  return /Content Security Policy|Refused to (load|execute|apply|connect|frame|create)/i.test(text);
}

/**
 * Watches a page (and all its frames) for CSP violations and uncaught errors.
 * `filter(text)` may drop known workbench noise that is not ours.
 */
export function watchConsole(page, { filter = () => true } = {}) {
  const problems = { csp: [], errors: [], all: [] };
  page.on('console', (msg) => {
    const text = msg.text();
    problems.all.push(`[${msg.type()}] ${text}`);
    if (isCspViolation(text) && filter(text)) problems.csp.push(text);
  });
  page.on('pageerror', (err) => {
    const text = String(err?.stack ?? err);
    problems.all.push(`[pageerror] ${text}`);
    if (filter(text)) problems.errors.push(text);
  });
  return problems;
}
