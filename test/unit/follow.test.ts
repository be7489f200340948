import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Follower } from '../../src/core/formats/follow';
import { TextLogReader } from '../../src/core/formats/text/textReader';
import { MemorySource } from '../support/memorySource';

const losses = (f: Follower): number[] => Array.from(f.snapshot().series.find((s) => s.tag === 'loss')?.values ?? []);

test('a growing log is read incrementally and a half-written line waits for its newline', async () => {
  const src = new MemorySource('train.log');
  const f = new Follower(src, () => new TextLogReader('train.log', 'train.log'));
  src.append('step 1 | loss 3.0\nstep 2 | loss 2.');
  assert.deepEqual(await f.poll(), { changed: true, reset: false, bytesRead: 34 });
  assert.deepEqual(losses(f), [3.0], 'the half-written line is not data yet');
  const before = src.bytesServed;
  src.append('5\nstep 3 | loss 2.1\n');
  const r = await f.poll();
  assert.equal(r.reset, false);
  assert.deepEqual(losses(f), [3.0, 2.5, 2.1]);
  // Only the new bytes (plus the small head check) were read.
  assert.ok(src.bytesServed - before <= 19 + 256, `read ${src.bytesServed - before} bytes`);
  assert.deepEqual(await f.poll(), { changed: false, reset: false, bytesRead: 0 });
});

test('a truncated file is read again from the start', async () => {
  const src = new MemorySource('train.log');
  const f = new Follower(src, () => new TextLogReader('train.log', 'train.log'));
  src.append('step 1 | loss 3.0\nstep 2 | loss 2.5\nstep 3 | loss 2.1\n');
  await f.poll();
  src.truncate(18);
  const r = await f.poll();
  assert.equal(r.reset, true);
  assert.deepEqual(losses(f), [3.0]);
});

test('a file replaced by a new run (rotation) is detected by its first bytes', async () => {
  const src = new MemorySource('train.log');
  const f = new Follower(src, () => new TextLogReader('train.log', 'train.log'));
  src.append('# run A\nstep 1 | loss 3.0\n');
  await f.poll();
  src.replace('# run B, a longer header line\nstep 1 | loss 9.0\nstep 2 | loss 8.0\n');
  const r = await f.poll();
  assert.equal(r.reset, true);
  assert.deepEqual(losses(f), [9.0, 8.0]);
});

test('settle() reads a last line that never got its newline; growth after it re-reads', async () => {
  const src = new MemorySource('train.log');
  const f = new Follower(src, () => new TextLogReader('train.log', 'train.log'));
  src.append('step 1 | loss 3.0\nstep 2 | loss 2.5');
  await f.poll();
  assert.deepEqual(losses(f), [3.0]);
  const run = f.settle();
  assert.deepEqual(Array.from(run.series[0]!.values), [3.0, 2.5]);
  assert.deepEqual(await f.poll(), { changed: false, reset: false, bytesRead: 0 }, 'settled and unchanged');
  src.append('0\nstep 3 | loss 2.0\n');
  const r = await f.poll();
  assert.equal(r.reset, true);
  assert.deepEqual(losses(f), [3.0, 2.5, 2.0], 'the completed line 2.50 reads as 2.5 and nothing is counted twice');
});
