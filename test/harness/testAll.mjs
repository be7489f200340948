// `npm test`: build, type-check, lint, unit tests (plain Node), the chart webview in Chromium
// against a fake host, integration tests (real extension host) and UI tests (packaged .vsix
// in a real browser). Exits non-zero on any failure and ends with one summary line per tier.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, WORK, run } from './lib.mjs';
import { runVscodeTests } from './runVscodeTests.mjs';
import { runWebviewTests } from './webviewTests.mjs';

const summary = [];
let failed = false;

async function step(title, cmd, args) {
  console.log(`\n# ${title}`);
  const code = await run(cmd, args, { cwd: ROOT });
  if (code !== 0) {
    summary.push(`${title}: FAILED (exit ${code})`);
    failed = true;
  }
  return code === 0;
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const built = await step('build', process.execPath, [path.join(ROOT, 'esbuild.mjs'), '--tests']);
await step('typecheck', npm, ['run', '--silent', 'typecheck']);
await step('lint', npm, ['run', '--silent', 'lint']);

if (built) {
  fs.mkdirSync(WORK, { recursive: true });
  const tap = path.join(WORK, 'unit.tap');
  console.log('\n# unit tests (node --test)');
  const code = await run(
    process.execPath,
    ['--test', '--require', './out/test/support/fcSeed.js', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tap}`, 'out/test/unit/'],
    { cwd: ROOT },
  );
  const text = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
  const count = (k) => Number(new RegExp(`^# ${k} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
  summary.push(`unit: ${count('pass')} passed, ${count('fail')} failed${count('skipped') ? `, ${count('skipped')} skipped` : ''}`);
  failed ||= code !== 0 || count('pass') === 0;

  console.log('\n# webview tests (out/webview/main.js in Chromium, fake host on the real core)');
  try {
    const w = await runWebviewTests();
    summary.push(w.summary);
    failed ||= w.failures > 0 || w.passes === 0;
  } catch (e) {
    summary.push(`webview: FAILED (${e?.message ?? e})`);
    failed = true;
  }

  try {
    const r = await runVscodeTests({ build: true });
    summary.push(...r.summary);
    failed ||= r.failed;
  } catch (e) {
    summary.push(`vscode tests: FAILED (${e?.message ?? e})`);
    failed = true;
  }
}

console.log(`\n${summary.join('\n')}\n${failed ? 'npm test: FAILED' : 'npm test: all passed'}`);
process.exit(failed ? 1 : 0);
