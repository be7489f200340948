// The one build script. Three product bundles:
//   extension  src/extension/extension.ts -> out/extension.js   (node, cjs, `vscode` external)
//              src/extension/readWorker.ts -> out/readWorker.js (worker thread: reading, analysis)
//   webview    webview/main.ts            -> out/webview/main.js (browser, iife) + css + codicons
//   cli        src/cli/main.ts            -> out/cli.js          (node, cjs, `lr-lens` bin)
// and, on request, the test and benchmark programs:
//   --tests    test/unit/**/*.test.ts, test/integration/**/*.ts -> out/test/...
//              test/e2e/webview/{fakeHost,page}.ts -> out/test/e2e/webview/ (the webview harness)
//   --bench    bench/*.ts -> out/bench/...
//   --fuzz     test/fuzz/run.ts -> out/test/fuzz/run.js
// Flags: --watch (rebuild on change), --production (minified, no source maps).
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const args = new Set(process.argv.slice(2));
const watch = args.has('--watch');
const production = args.has('--production');
const root = path.dirname(new URL(import.meta.url).pathname);
const out = path.join(root, 'out');

/** Every file under `dir` whose name matches `re`, as paths relative to the root. */
function filesUnder(dir, re) {
  const abs = path.join(root, dir);
  if (!fs.existsSync(abs)) return [];
  return fs
    .readdirSync(abs, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && re.test(d.name))
    .map((d) => path.relative(root, path.join(d.parentPath ?? d.path, d.name)));
}

/** Copies the static files the webview loads (its CSS and the codicon font). */
const copyWebviewAssets = {
  name: 'copy-webview-assets',
  setup(build) {
    build.onEnd(() => {
      const dest = path.join(out, 'webview');
      fs.mkdirSync(dest, { recursive: true });
      const codicons = path.join(root, 'node_modules/@vscode/codicons/dist');
      for (const f of ['codicon.css', 'codicon.ttf']) fs.copyFileSync(path.join(codicons, f), path.join(dest, f));
      fs.copyFileSync(path.join(root, 'media/chart.css'), path.join(dest, 'chart.css'));
    });
  },
};

/** Prints build errors as `file:line:column: message` (clickable in terminals and editors). */
const report = (name) => ({
  name: 'report',
  setup(build) {
    build.onEnd((result) => {
      for (const e of result.errors) {
        const loc = e.location;
        console.error(`✘ [${name}] ${loc ? `${loc.file}:${loc.line}:${loc.column}: ` : ''}${e.text}`);
      }
      if (watch) console.log(`[watch] ${name} built (${result.errors.length} errors)`);
    });
  },
});

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  logLevel: 'warning',
  target: 'es2022',
};

const products = [
  {
    ...common,
    entryPoints: { extension: 'src/extension/extension.ts', readWorker: 'src/extension/readWorker.ts' },
    outdir: out,
    platform: 'node',
    format: 'cjs',
    external: ['vscode'],
    plugins: [report('extension')],
  },
  {
    ...common,
    entryPoints: { main: 'webview/main.ts' },
    outdir: path.join(out, 'webview'),
    platform: 'browser',
    format: 'iife',
    plugins: [report('webview'), copyWebviewAssets],
  },
  {
    ...common,
    entryPoints: { cli: 'src/cli/main.ts' },
    outdir: out,
    platform: 'node',
    format: 'cjs',
    banner: { js: '#!/usr/bin/env node' },
    plugins: [report('cli')],
  },
];

const tests = [
  {
    ...common,
    minify: false,
    sourcemap: 'inline',
    entryPoints: [...filesUnder('test/unit', /\.test\.ts$/), 'test/support/writeSamples.ts', 'test/support/fcSeed.ts'],
    outbase: 'test',
    outdir: path.join(out, 'test'),
    platform: 'node',
    format: 'cjs',
    packages: 'external',
    plugins: [report('unit tests')],
  },
  {
    ...common,
    minify: false,
    sourcemap: 'inline',
    entryPoints: filesUnder('test/integration', /\.ts$/).filter((f) => !f.endsWith('.d.ts')),
    outbase: 'test',
    outdir: path.join(out, 'test'),
    platform: 'node',
    format: 'cjs',
    external: ['vscode', 'mocha'],
    plugins: [report('integration tests')],
  },
  {
    // The webview harness's fake host runs in the browser next to out/webview/main.js.
    ...common,
    minify: false,
    sourcemap: 'inline',
    entryPoints: { 'e2e/webview/fakeHost': 'test/e2e/webview/fakeHost.ts' },
    outdir: path.join(out, 'test'),
    platform: 'browser',
    format: 'iife',
    plugins: [report('webview harness')],
  },
  {
    // The harness page: the panel's real HTML, rendered in Node with a stand-in for `vscode`.
    ...common,
    minify: false,
    sourcemap: 'inline',
    entryPoints: { 'e2e/webview/page': 'test/e2e/webview/page.ts' },
    outdir: path.join(out, 'test'),
    platform: 'node',
    format: 'cjs',
    alias: { vscode: path.join(root, 'test/e2e/webview/vscodeStub.ts') },
    plugins: [report('webview harness page')],
  },
];

const bench = [
  {
    ...common,
    minify: false,
    entryPoints: filesUnder('bench', /\.ts$/).filter((f) => !f.endsWith('.d.ts')),
    outbase: 'bench',
    outdir: path.join(out, 'bench'),
    platform: 'node',
    format: 'cjs',
    packages: 'external',
    plugins: [report('bench')],
  },
];

const fuzz = [
  {
    ...common,
    minify: false,
    entryPoints: ['test/fuzz/run.ts'],
    outbase: 'test',
    outdir: path.join(out, 'test'),
    platform: 'node',
    format: 'cjs',
    packages: 'external',
    plugins: [report('fuzz')],
  },
];

// Test bundles are rebuilt from scratch: a test whose source was removed must not keep running.
if (args.has('--tests')) for (const d of ['unit', 'integration']) fs.rmSync(path.join(out, 'test', d), { recursive: true, force: true });

const configs = [
  ...products,
  ...(args.has('--tests') ? tests : []),
  ...(args.has('--bench') ? bench : []),
  ...(args.has('--fuzz') ? fuzz : []),
];

if (watch) {
  for (const c of configs) await (await esbuild.context(c)).watch();
  console.log('[watch] watching for changes; Ctrl+C stops');
} else {
  const results = await Promise.allSettled(configs.map((c) => esbuild.build(c)));
  const failed = results.filter((r) => r.status === 'rejected');
  if (failed.length) process.exit(1);
  fs.chmodSync(path.join(out, 'cli.js'), 0o755);
}
