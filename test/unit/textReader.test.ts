import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readBytes } from '../../src/core/formats/registry';
import { TextLogReader } from '../../src/core/formats/text/textReader';
import { parseNumber } from '../../src/core/formats/text/numbers';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

test('numbers are read as printed', () => {
  assert.ok(Number.isNaN(parseNumber('nan')));
  assert.ok(Number.isNaN(parseNumber('NaN')));
  assert.equal(parseNumber('inf'), Infinity);
  assert.equal(parseNumber('-inf'), -Infinity);
  assert.equal(parseNumber('1.5E-04'), 1.5e-4);
  assert.equal(parseNumber('0.000000'), 0);
});

test('a step/loss/lr log keeps steps, values and source lines', () => {
  const log = '# header\nstep 0/100 | loss 2.5 | lr 1e-4\nnoise line\nstep 10/100 | loss nan | lr 2e-4\n';
  const run = readBytes('train.log', enc(log)).runs[0]!;
  const loss = run.series.find((s) => s.tag === 'loss')!;
  assert.equal(loss.role, 'train_loss');
  assert.deepEqual(Array.from(loss.steps), [0, 10]);
  assert.equal(loss.values[0], 2.5);
  assert.ok(Number.isNaN(loss.values[1]!));
  assert.deepEqual(Array.from(loss.lines!), [2, 4]);
  assert.equal(run.meta.plannedSteps, 100);
});

test('a half-written last line is held back until its newline arrives', () => {
  const r = new TextLogReader('live.log', 'live.log');
  r.push(enc('step 1 | loss 2.0\nstep 2 | loss 1.'));
  assert.equal(r.snapshot().series[0]!.values.length, 1);
  r.push(enc('5\n'));
  const s = r.snapshot().series[0]!;
  assert.deepEqual(Array.from(s.values), [2.0, 1.5]);
});

test('CRLF, CR CR LF, BOM and UTF-16 all read the same', () => {
  const body = 'step 1 | loss 2.0\r\nstep 2 | loss 1.5\r\r\nstep 3 | loss 1.0';
  const utf16 = new Uint8Array(2 + body.length * 2);
  utf16[0] = 0xff;
  utf16[1] = 0xfe;
  for (let i = 0; i < body.length; i++) utf16[2 + 2 * i] = body.charCodeAt(i);
  for (const bytes of [enc(body), enc('\ufeff' + body), utf16]) {
    const s = readBytes('x.log', bytes).runs[0]!.series[0]!;
    assert.deepEqual(Array.from(s.values), [2.0, 1.5, 1.0]);
    // Lines are counted as the editor counts them: `\r\r\n` is a line end then an empty line.
    assert.deepEqual(Array.from(s.lines!), [1, 2, 4]);
  }
});

test('a resumed run (step going backwards) replaces the later points', () => {
  const log = 'step 1 | loss 3\nstep 2 | loss 2\nstep 3 | loss 1\nstep 2 | loss 2.5\nstep 3 | loss 2.2\n';
  const run = readBytes('r.log', enc(log)).runs[0]!;
  const s = run.series[0]!;
  assert.deepEqual(Array.from(s.steps), [1, 2, 3]);
  assert.deepEqual(Array.from(s.values), [3, 2.5, 2.2]);
  assert.equal(run.restarts.length, 1);
  assert.equal(run.restarts[0]!.step, 2);
});

test('binary content and prose are not training logs', () => {
  const bin = new Uint8Array(4096).map((_, i) => (i * 7919) % 256);
  assert.match(readBytes('x.log', bin).failure ?? '', /binary/);
  assert.match(readBytes('notes.txt', enc('Hello.\nThis is prose, no numbers here.\n')).failure ?? '', /no training metrics/);
});
