// `npm run test:desktop`: the same integration suite in desktop VS Code via
// @vscode/test-electron. It downloads VS Code, so it needs access to update.code.visualstudio.com
// (it cannot run where only the npm registry is reachable; `npm test` uses code-server instead).
import fs from 'node:fs';
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { ROOT, WORK } from './lib.mjs';
import { makeWorkspace } from './vscodeTests.mjs';

const ws = path.join(WORK, 'desktop/workspace');
fs.rmSync(ws, { recursive: true, force: true });
makeWorkspace(ws);
try {
  await runTests({
    version: process.env.LRLENS_VSCODE_VERSION ?? '1.100.3',
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: path.join(ROOT, 'out/test/integration/index.js'),
    launchArgs: [ws, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', path.join(WORK, 'desktop/user-data')],
  });
} catch (e) {
  console.error(`desktop tests failed: ${e?.message ?? e}`);
  process.exit(1);
}
