// Following files that training is still writing, with the text, CSV and JSON Lines
// readers behind the Follower: appended lines, a line split across two reads, log
// rotation, restarts and duplicate steps.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Follower } from '../../src/core/formats/follow';
import { createReader } from '../../src/core/formats/registry';
import type { Run } from '../../src/core/model/run';
import { MemoryFileSystem } from '../support/memoryFs';
import { enc, series, steps, values } from '../support/readers';

function follow(fs: MemoryFileSystem, path: string, format: Run['format']): Follower {
  return new Follower(fs.open(path), () => createReader(format, path, path));
}

test('a log followed while it is written: appended lines appear, a line split across reads only when complete', async () => {
  const fs = new MemoryFileSystem().write('run/train.log', enc('step 1 | loss 2.50 | lr 1e-3\n'));
  const f = follow(fs, 'run/train.log', 'text');
  await f.poll();
  assert.deepEqual(values(series(f.snapshot(), 'loss')), [2.5]);

  fs.append('run/train.log', enc('step 2 | loss 2.1'));
  assert.equal((await f.poll()).changed, true);
  // `loss 2.1` may still become `2.15`: nothing from the unfinished line is shown.
  assert.deepEqual(steps(series(f.snapshot(), 'loss')), [1]);
  assert.deepEqual(steps(series(f.snapshot(), 'lr')), [1]);

  fs.append('run/train.log', enc('5 | lr 9e-4\nstep 3 | loss 1.90 | lr 8e-4\n'));
  await f.poll();
  const run = f.snapshot();
  assert.deepEqual(values(series(run, 'loss')), [2.5, 2.15, 1.9]);
  assert.deepEqual(Array.from(series(run, 'loss').lines!), [1, 2, 3]);

  // Nothing new: nothing read.
  assert.deepEqual(await f.poll(), { changed: false, reset: false, bytesRead: 0 });
});

test('a CRLF split between two reads does not make an empty line', async () => {
  const fs = new MemoryFileSystem().write('t.log', enc('step 1 | loss 2.0\r'));
  const f = follow(fs, 't.log', 'text');
  await f.poll();
  fs.append('t.log', enc('\nstep 2 | loss 1.5\r\n'));
  await f.poll();
  assert.deepEqual(Array.from(series(f.snapshot(), 'loss').lines!), [1, 2]);
});

test('log rotation: a file replaced by a shorter or different one is read again from the start', async () => {
  const fs = new MemoryFileSystem().write('t.log', enc('step 1 | loss 3.0\nstep 2 | loss 2.0\nstep 3 | loss 1.0\n'));
  const f = follow(fs, 't.log', 'text');
  await f.poll();
  fs.write('t.log', enc('step 1 | loss 9.0\n'));
  const r = await f.poll();
  assert.equal(r.reset, true);
  assert.deepEqual(values(series(f.snapshot(), 'loss')), [9]);
  // Same size, new content: also a new file.
  fs.write('t.log', enc('step 1 | loss 8.0\n'));
  assert.equal((await f.poll()).reset, true);
  assert.deepEqual(values(series(f.snapshot(), 'loss')), [8]);
});

test('a training resumed into the same log: steps going back replace the later points, and say so', async () => {
  const fs = new MemoryFileSystem().write('t.log', enc('iter 10: loss 2.0\niter 20: loss 1.8\niter 30: loss 1.7\n'));
  const f = follow(fs, 't.log', 'text');
  await f.poll();
  fs.append('t.log', enc('iter 20: loss 1.9\niter 30: loss 1.6\niter 40: loss 1.5\n'));
  await f.poll();
  const run = f.snapshot();
  assert.deepEqual(steps(series(run, 'loss')), [10, 20, 30, 40]);
  assert.deepEqual(values(series(run, 'loss')), [2.0, 1.9, 1.6, 1.5]);
  assert.deepEqual(run.restarts, [{ tag: 'loss', step: 20, dropped: 2, line: 4 }]);
});

test('a step logged twice keeps its last value (no restart)', async () => {
  const fs = new MemoryFileSystem().write('t.log', enc('step 5 | loss 2.0\nstep 5 | loss 1.5\nstep 6 | loss 1.4\n'));
  const f = follow(fs, 't.log', 'text');
  await f.poll();
  const run = f.settle();
  assert.deepEqual(steps(series(run, 'loss')), [5, 6]);
  assert.deepEqual(values(series(run, 'loss')), [1.5, 1.4]);
  assert.deepEqual(run.restarts, []);
});

test('a CSV and a JSON Lines file followed row by row; settle() reads a last row without its line end', async () => {
  const fs = new MemoryFileSystem().write('m.csv', enc('step,loss\n1,0.9\n2,0.'));
  const csv = follow(fs, 'm.csv', 'csv');
  await csv.poll();
  assert.deepEqual(values(series(csv.snapshot(), 'loss')), [0.9]);
  fs.append('m.csv', enc('85'));
  await csv.poll();
  assert.deepEqual(values(series(csv.settle(), 'loss')), [0.9, 0.85]);

  fs.write('m.json', enc('{"iteration": 1, "total_loss": 2.0}\n{"iteration": 2, "total_'));
  const jl = follow(fs, 'm.json', 'jsonl');
  await jl.poll();
  assert.deepEqual(steps(series(jl.snapshot(), 'total_loss')), [1]);
  assert.deepEqual(jl.snapshot().errors, []);
  fs.append('m.json', enc('loss": 1.8}\n'));
  await jl.poll();
  assert.deepEqual(values(series(jl.snapshot(), 'total_loss')), [2.0, 1.8]);
});
