// `npm run test:vscode`: installs the test host if needed, then runs the integration
// tier and the UI tier. Set LRLENS_ONLY=integration|ui to run one; LRLENS_KEEP=1 keeps
// the servers' folders under test/.work for inspection.
import fs from 'node:fs';
import path from 'node:path';
import { ensureHost } from './codeServer.mjs';
import { ROOT, sh } from './lib.mjs';
import { runIntegration, runUi } from './vscodeTests.mjs';

export async function runVscodeTests({ build = true } = {}) {
  const only = process.env.LRLENS_ONLY;
  if (build) sh('node', [path.join(ROOT, 'esbuild.mjs'), '--tests']);
  ensureHost();
  const summary = [];
  let failed = false;
  if (!only || only === 'integration') {
    console.log('\n# integration tests (VS Code 1.100.3 extension host)');
    const r = await runIntegration();
    console.log('\n# integration tests in an untrusted workspace (restricted mode)');
    const u = await runIntegration({ untrusted: true });
    const passes = r.passes + u.passes;
    const failures = r.failures + u.failures;
    const exit = r.code !== 0 ? r.code : u.code;
    summary.push(`integration: ${passes} passed, ${failures} failed${exit !== 0 && failures === 0 ? ` (exit ${exit})` : ''}`);
    failed ||= r.code !== 0 || u.code !== 0 || failures > 0 || u.passes === 0;
  }
  if (!only || only === 'ui') {
    console.log('\n# UI tests (packaged .vsix in code-server, Chromium)');
    const vsix = path.join(ROOT, 'out/lr-lens.vsix');
    if (build || !fs.existsSync(vsix)) sh('npm', ['run', '--silent', 'package'], { cwd: ROOT });
    const r = await runUi(vsix, { only: process.env.LRLENS_UI_ONLY });
    summary.push(`ui: ${r.passes} passed, ${r.failures} failed`);
    failed ||= r.failures > 0 || r.passes === 0;
  }
  return { summary, failed };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { summary, failed } = await runVscodeTests();
  console.log(`\n${summary.join('\n')}`);
  process.exit(failed ? 1 : 0);
}
