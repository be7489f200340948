import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { divergingLog, healthyLog } from '../support/sampleRuns';
import { runCli, withFiles } from '../support/cli';

const cli = (...args: string[]) => runCli(args);

test('analyze --format json prints the divergence finding with its line', () => {
  withFiles({ 'train.log': divergingLog().content }, (dir) => {
    const r = cli('analyze', path.join(dir, 'train.log'), '--format', 'json');
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { version: number; runs: { format: string; series: { tag: string; nonFinite: number }[]; findings: { rule: string; line: number; step: number }[] }[] };
    assert.equal(out.version, 1);
    assert.equal(out.runs[0]!.format, 'text');
    const loss = out.runs[0]!.series.find((s) => s.tag === 'loss')!;
    assert.ok(loss.nonFinite > 0);
    const f = out.runs[0]!.findings[0]!;
    assert.equal(f.rule, 'divergence');
    assert.equal(f.step, 1040);
    assert.equal(f.line, 107);
  });
});

test('--fail-on error exits 1 on a diverged run and 0 on a healthy one', () => {
  withFiles({ 'bad.log': divergingLog().content, 'good.log': healthyLog().content }, (dir) => {
    assert.equal(cli('analyze', path.join(dir, 'bad.log'), '--fail-on', 'error').status, 1);
    assert.equal(cli('analyze', path.join(dir, 'good.log'), '--fail-on', 'error').status, 0);
  });
});

test('unreadable input exits 2 with a one-line reason and the rest is still analysed', () => {
  withFiles({ 'bad.log': divergingLog().content, 'notes.txt': 'just words\n' }, (dir) => {
    const r = cli('analyze', path.join(dir, 'notes.txt'), path.join(dir, 'missing.log'), path.join(dir, 'bad.log'), '--format', 'json');
    assert.equal(r.status, 2);
    const errLines = r.stderr.trim().split('\n');
    assert.equal(errLines.length, 2);
    assert.match(errLines[0]!, /notes\.txt: no training metrics/);
    assert.match(errLines[1]!, /missing\.log: cannot open/);
    const out = JSON.parse(r.stdout) as { runs: unknown[] };
    assert.equal(out.runs.length, 1);
  });
});

test('usage errors exit 2', () => {
  assert.equal(cli('analyze').status, 2);
  assert.equal(cli('frobnicate').status, 2);
  assert.equal(cli('analyze', 'x', '--format', 'xml').status, 2);
  assert.equal(cli('--help').status, 0);
});
