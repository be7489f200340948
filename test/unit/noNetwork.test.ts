// LR Lens never touches the network: the shipped bundles reference no network API, and
// the CLI runs over real files with every network entry point booby-trapped.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { corpusDir, NO_CORPUS, repoRoot } from '../support/shared';

const ROOT = repoRoot();
const BUNDLES = ['out/extension.js', 'out/readWorker.js', 'out/cli.js', 'out/webview/main.js'];
const NETWORK = /require\("(?:node:)?(?:http|https|http2|net|tls|dgram|dns)"\)|\bfetch\(|XMLHttpRequest|new WebSocket\b|\bEventSource\b|sendBeacon|importScripts/;

test('no shipped bundle references a network API', () => {
  for (const rel of BUNDLES) {
    const text = fs.readFileSync(path.join(ROOT, rel), 'utf8');
    const m = NETWORK.exec(text);
    assert.equal(m, null, `${rel} mentions ${m?.[0]}`);
  }
});

test('the CLI reads the whole corpus with the network booby-trapped', { skip: NO_CORPUS }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lr-lens-nonet-'));
  try {
    const trap = path.join(dir, 'trap.cjs');
    fs.writeFileSync(
      trap,
      `const boom = (what) => () => { process.stderr.write('NETWORK ATTEMPT: ' + what + '\\n'); process.exit(99); };
const net = require('net'); net.Socket.prototype.connect = boom('net.connect');
const dns = require('dns'); dns.lookup = boom('dns.lookup');
require('http').request = boom('http.request'); require('https').request = boom('https.request');
globalThis.fetch = boom('fetch');`,
    );
    const r = spawnSync(process.execPath, ['--require', trap, path.join(ROOT, 'out/cli.js'), 'analyze', corpusDir()!, '--format', 'json'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    assert.doesNotMatch(r.stderr, /NETWORK ATTEMPT/);
    assert.notEqual(r.status, 99);
    const out = JSON.parse(r.stdout) as { runs: unknown[] };
    assert.ok(out.runs.length > 10, `${out.runs.length} runs read`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
