// The core/adapter boundary is mechanical: importing `vscode` (or Node) from the pure
// core fails lint, using DOM or Node globals there fails type checking, and
// src/extension may import `vscode`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

const ROOT = path.resolve(__dirname, '../../..');

function withProbe(rel: string, code: string, fn: (file: string) => void): void {
  const file = path.join(ROOT, rel);
  fs.writeFileSync(file, code);
  try {
    fn(file);
  } finally {
    fs.rmSync(file, { force: true });
  }
}

function eslint(file: string) {
  return spawnSync(process.execPath, [path.join(ROOT, 'node_modules/eslint/bin/eslint.js'), '--no-warn-ignored', file], { cwd: ROOT, encoding: 'utf8' });
}

function tsc(project: string) {
  return spawnSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', project], { cwd: ROOT, encoding: 'utf8' });
}

const VSCODE_PROBE = "import * as vscode from 'vscode';\nexport const probe = vscode.version;\n";

test('importing vscode in src/core or src/protocol fails lint', () => {
  for (const dir of ['src/core', 'src/protocol']) {
    withProbe(`${dir}/zzBoundaryProbe.ts`, VSCODE_PROBE, (file) => {
      const lint = eslint(file);
      assert.notEqual(lint.status, 0);
      assert.match(lint.stdout, /Only src\/extension and test\/integration may import vscode/);
    });
  }
});

test('DOM and Node globals do not type-check in src/core', () => {
  const probe = 'export const a = document.title;\nexport const b = process.pid;\nexport const c = Buffer.from([]);\n';
  withProbe('src/core/zzBoundaryProbe.ts', probe, () => {
    const types = tsc('src/core');
    assert.notEqual(types.status, 0);
    assert.match(types.stdout, /zzBoundaryProbe\.ts\(1,\d+\): error TS2584: Cannot find name 'document'/);
    assert.match(types.stdout, /zzBoundaryProbe\.ts\(2,\d+\): error TS25\d\d: Cannot find name 'process'/);
    assert.match(types.stdout, /zzBoundaryProbe\.ts\(3,\d+\): error TS25\d\d: Cannot find name 'Buffer'/);
  });
});

test('importing node:fs in src/core and src/extension from the webview fail lint', () => {
  withProbe('src/core/zzBoundaryProbe.ts', "import * as fs from 'node:fs';\nexport const probe = fs.constants;\n", (file) => {
    assert.match(eslint(file).stdout, /no Node built-ins/);
  });
  withProbe('webview/zzBoundaryProbe.ts', "import { activate } from '../src/extension/extension';\nexport const probe = activate;\n", (file) => {
    assert.match(eslint(file).stdout, /never src\/extension/);
  });
});

test('the same import is allowed in src/extension', () => {
  withProbe('src/extension/zzBoundaryProbe.ts', VSCODE_PROBE, (file) => {
    const lint = eslint(file);
    assert.equal(lint.status, 0, lint.stdout);
  });
});
