// The two VS Code test tiers, each against its own code-server and browser:
//   integration  the mocha suite in out/test/integration runs inside the real extension
//                host (workbench payload extensionDevelopmentPath/extensionTestsPath);
//                pass/fail arrives through window.codeAutomationExit.
//   ui           the packaged .vsix is installed and test/e2e/*.e2e.mjs drive the
//                workbench in Chromium, saving screenshots under test/.work/screenshots.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import util from 'node:util';
import { launchBrowser, watchConsole } from './browser.mjs';
import { installVsix, startServer } from './codeServer.mjs';
import { ROOT, WORK, freshDir, sh, sleep } from './lib.mjs';

/** Writes the generated sample runs into a fresh workspace folder. */
export function makeWorkspace(dir) {
  fs.mkdirSync(dir, { recursive: true });
  sh(process.execPath, [path.join(ROOT, 'out/test/support/writeSamples.js'), dir], { quiet: true });
  return dir;
}

const keep = () => process.env.LRLENS_KEEP === '1';

export async function runIntegration({ timeoutMs = 240_000, untrusted = false } = {}) {
  const dir = freshDir(untrusted ? 'integration-untrusted' : 'integration');
  const ws = makeWorkspace(path.join(dir, 'workspace'));
  const results = path.join(dir, 'results.json');
  const env = { LRLENS_RESULTS_FILE: results, ...(untrusted ? { LRLENS_TRUST: 'untrusted' } : {}) };
  const server = await startServer(path.join(dir, 'server'), { env, trust: untrusted });
  let context;
  let code;
  try {
    context = await launchBrowser(path.join(dir, 'browser'));
    const page = context.pages()[0] ?? (await context.newPage());
    let exit;
    const exited = new Promise((r) => (exit = r));
    // The workbench forwards every console line here; only the suite's own output (after
    // its start marker) is printed, the rest goes to the phase's log file.
    let started = false;
    const logFile = path.join(dir, 'console.log');
    await context.exposeFunction('codeAutomationLog', (_type, args) => {
      const text = util.format(...(Array.isArray(args) ? args : [args])).replace(/\s+$/, '');
      fs.appendFileSync(logFile, text + '\n');
      if (text === 'integration: start') started = true;
      else if (started && text.trim() && !/^\s+at .*https?:\/\/127\.0\.0\.1/.test(text)) console.log(text);
    });
    await context.exposeFunction('codeAutomationExit', (c) => exit(c));
    const remote = (p) => `vscode-remote://remote${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(ROOT)],
      ['extensionTestsPath', remote(path.join(ROOT, 'out/test/integration/index.js'))],
    ];
    await page.goto(`${server.url}/?folder=${encodeURIComponent(ws)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    code = await Promise.race([exited, sleep(timeoutMs).then(() => 124)]);
    if (code === 124) console.log(`integration: timed out after ${timeoutMs / 1000} s`);
  } finally {
    await context?.close();
    await server.stop();
  }
  let summary = { passes: 0, failures: code === 0 ? 0 : 1 };
  if (fs.existsSync(results)) summary = JSON.parse(fs.readFileSync(results, 'utf8'));
  else if (code === 0) code = 1; // the suite never reported: treat as a failure
  if (code !== 0) console.log(`integration: the workbench's console is in ${path.relative(ROOT, path.join(dir, 'console.log'))}`);
  else if (!keep()) fs.rmSync(dir, { recursive: true, force: true });
  return { code, ...summary };
}

export async function runUi(vsix, { only } = {}) {
  const dir = freshDir('ui');
  const shotsRoot = path.join(WORK, 'screenshots');
  fs.mkdirSync(shotsRoot, { recursive: true });
  const extensions = path.join(dir, 'extensions');
  fs.mkdirSync(extensions, { recursive: true });
  installVsix(vsix, extensions, path.join(dir, 'install-user-data'));
  const scenarios = fs
    .readdirSync(path.join(ROOT, 'test/e2e'))
    .filter((f) => f.endsWith('.e2e.mjs') && (!only || f.includes(only)))
    .sort();
  let passes = 0;
  let failures = 0;
  for (const file of scenarios) {
    const name = file.replace(/\.e2e\.mjs$/, '');
    const sdir = path.join(dir, name);
    const ws = makeWorkspace(path.join(sdir, 'workspace'));
    const server = await startServer(path.join(sdir, 'server'), { extensionsDir: extensions });
    const shots = path.join(shotsRoot, name);
    fs.rmSync(shots, { recursive: true, force: true });
    fs.mkdirSync(shots, { recursive: true });
    let n = 0;
    let context;
    let page;
    let problems = { csp: [], errors: [], all: [] };
    const shot = async (label) => page.screenshot({ path: path.join(shots, `${String(++n).padStart(2, '0')}-${label}.png`) });
    const t0 = Date.now();
    try {
      context = await launchBrowser(path.join(sdir, 'browser'));
      page = context.pages()[0] ?? (await context.newPage());
      problems = watchConsole(page);
      const scenario = await import(pathToFileURL(path.join(ROOT, 'test/e2e', file)).href);
      await scenario.run({ page, url: server.url, workspace: ws, shot, problems });
      passes++;
      console.log(`  ✔ ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    } catch (e) {
      failures++;
      console.log(`  ✖ ${name}: ${e?.stack ?? e}`);
      await page?.screenshot({ path: path.join(shots, '99-failure.png') }).catch(() => undefined);
      console.log(`    console:\n${problems.all.slice(-30).map((l) => `      ${l.slice(0, 300)}`).join('\n')}`);
    } finally {
      await context?.close();
      await server.stop();
    }
  }
  if (!keep() && failures === 0) fs.rmSync(dir, { recursive: true, force: true });
  return { passes, failures };
}
