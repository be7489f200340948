// `npm run test:webview`: the chart webview's real bundle (out/webview/main.js) in Debian's
// Chromium, against a fake host built from the real pure core (test/e2e/webview/fakeHost.ts),
// in the panel's real HTML under its real Content-Security-Policy (sent as a header too).
// Runs every scenario in test/e2e/webview/*.spec.mjs in a fresh page; a scenario fails on a
// failed assertion, a CSP violation, an uncaught error or a console error in the page.
// Screenshots go to test/.work/screenshots/webview/. Set LRLENS_WEBVIEW_ONLY=<substring>
// to run only matching scenarios.
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isCspViolation, launchBrowser, watchConsole } from './browser.mjs';
import { ROOT, WORK, freshDir } from './lib.mjs';

const OUT = path.join(ROOT, 'out');
const SPECS = path.join(ROOT, 'test/e2e/webview');
export const SHOTS = path.join(WORK, 'screenshots/webview');

const TYPES = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.map': 'application/json', '.html': 'text/html' };

/** Serves the harness page and the built assets from 127.0.0.1 on a free port. */
async function startServer() {
  const require = createRequire(import.meta.url);
  const { harnessPage } = require(path.join(OUT, 'test/e2e/webview/page.js'));
  const roots = { '/webview/': path.join(OUT, 'webview'), '/host/': path.join(OUT, 'test/e2e/webview') };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const origin = `http://127.0.0.1:${server.address().port}`;
    if (url.pathname === '/' || url.pathname === '/index.html') {
      const { html, csp } = harnessPage(origin, 'LR Lens: harness');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp, 'cache-control': 'no-store' });
      res.end(html);
      return;
    }
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204);
      res.end();
      return;
    }
    for (const [prefix, dir] of Object.entries(roots)) {
      if (!url.pathname.startsWith(prefix)) continue;
      const name = url.pathname.slice(prefix.length);
      if (!/^[\w.-]+$/.test(name)) break; // one plain file name, no traversal
      const file = path.join(dir, name);
      if (!fs.existsSync(file)) break;
      res.writeHead(200, { 'content-type': TYPES[path.extname(name)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      fs.createReadStream(file).pipe(res);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}

/** Runs the scenarios; returns counts and a summary line. */
export async function runWebviewTests({ only = process.env.LRLENS_WEBVIEW_ONLY } = {}) {
  for (const f of ['webview/main.js', 'test/e2e/webview/fakeHost.js', 'test/e2e/webview/page.js'])
    if (!fs.existsSync(path.join(OUT, f))) throw new Error(`out/${f} is missing: run \`node esbuild.mjs --tests\` first`);
  fs.rmSync(SHOTS, { recursive: true, force: true });
  fs.mkdirSync(SHOTS, { recursive: true });
  const dir = freshDir('webview-browser');
  const { server, origin } = await startServer();
  const context = await launchBrowser(dir, { viewport: { width: 1280, height: 760 } });
  let passes = 0;
  let failures = 0;
  const figures = [];
  try {
    const specs = fs.readdirSync(SPECS).filter((f) => f.endsWith('.spec.mjs')).sort();
    for (const spec of specs) {
      const { tests } = await import(pathToFileURL(path.join(SPECS, spec)).href);
      for (const [name, fn] of Object.entries(tests)) {
        const title = `${spec.replace('.spec.mjs', '')} › ${name}`;
        if (only && !title.includes(only)) continue;
        const page = await context.newPage();
        const problems = watchConsole(page);
        const consoleErrors = [];
        page.on('console', (m) => {
          if (m.type() === 'error' && !isCspViolation(m.text())) consoleErrors.push(`${m.text()}${m.location()?.url ? ` (${m.location().url})` : ''}`);
        });
        const started = Date.now();
        try {
          await fn({
            page,
            origin,
            problems,
            figure: (line) => figures.push(line),
            shot: (file) => page.screenshot({ path: path.join(SHOTS, `${file}.png`) }),
          });
          if (problems.csp.length) throw new Error(`CSP violations:\n${problems.csp.join('\n')}`);
          if (problems.errors.length) throw new Error(`uncaught errors in the webview:\n${problems.errors.join('\n')}`);
          if (consoleErrors.length) throw new Error(`console errors in the webview:\n${consoleErrors.join('\n')}`);
          passes++;
          console.log(`  ✔ ${title} (${Date.now() - started} ms)`);
        } catch (e) {
          failures++;
          console.log(`  ✘ ${title}\n${String(e?.stack ?? e).replace(/^/gm, '      ')}`);
          const tail = problems.all.slice(-15);
          if (tail.length) console.log(`    page console (last ${tail.length}):\n${tail.join('\n').replace(/^/gm, '      ')}`);
          await page.screenshot({ path: path.join(SHOTS, `FAILED-${spec}-${name}.png`.replace(/[^\w.-]+/g, '_')) }).catch(() => undefined);
        } finally {
          await page.close().catch(() => undefined);
        }
      }
    }
  } finally {
    await context.close().catch(() => undefined);
    await new Promise((resolve) => server.close(resolve));
    if (!process.env.LRLENS_KEEP) fs.rmSync(dir, { recursive: true, force: true });
  }
  for (const f of figures) console.log(`  ${f}`);
  return { passes, failures, summary: `webview: ${passes} passed, ${failures} failed` };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log('\n# webview tests (out/webview/main.js in Chromium, fake host on the real core)');
  const r = await runWebviewTests();
  console.log(`\n${r.summary}`);
  process.exit(r.failures > 0 || r.passes === 0 ? 1 : 0);
}
