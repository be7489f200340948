// `lr-lens analyze` on what the readers produce: the JSON per run (source, format,
// series summaries, read errors, restarts), the aligned text table, folders with files
// that are not logs or cannot be read.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { formatNumber } from '../../src/cli/text';
import { runCli, withFiles } from '../support/cli';

const cli = (...args: string[]) => runCli(args);

interface JsonOut {
  version: number;
  runs: {
    source: string;
    name: string;
    format: string;
    series: { tag: string; role: string; count: number; firstStep: number; lastStep: number; min: number | null; max: number | null; nonFinite: number }[];
    errors: { kind: string; message: string; line?: number; file?: string }[];
    restarts?: { step: number; line?: number; dropped: number }[];
  }[];
  problems?: { path: string; message: string }[];
}

const CSV = 'step,loss,lr\n1,2.0,0.1\n2,nan,0.1\nx,1.0,0.1\n3,1.5,0.05\n1,1.4,0.05\n';

test('--format json: per run source, format, series summaries (min/max over finite values), read errors, restarts', () => {
  withFiles({ 'run/metrics.csv': CSV }, (dir) => {
    const r = cli('analyze', path.join(dir, 'run/metrics.csv'), '--format', 'json');
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as JsonOut;
    const run = out.runs[0]!;
    assert.equal(run.format, 'csv');
    assert.equal(run.source, path.join(dir, 'run/metrics.csv'));
    const loss = run.series.find((s) => s.tag === 'loss')!;
    // The restart at line 6 (step 1 again) replaced steps 1..3.
    assert.deepEqual(loss, { tag: 'loss', role: 'train_loss', count: 1, firstStep: 1, lastStep: 1, min: 1.4, max: 1.4, nonFinite: 0 });
    assert.deepEqual(run.errors, [{ kind: 'parse', line: 4, message: 'step "x" is not a number; row skipped' }]);
    assert.deepEqual(run.restarts, [{ step: 1, line: 6, dropped: 6 }]);
  });
});

test('--format text: an aligned table per run, read errors with file:line, restarts', () => {
  withFiles({ 'metrics.csv': CSV, 'train.log': 'step 1 | loss 2.5 | lr 1e-3\nstep 2 | loss nan | lr 1e-3\nstep 3 | loss 1.25 | lr 5e-4\n' }, (dir) => {
    const r = cli('analyze', path.join(dir, 'train.log'), path.join(dir, 'metrics.csv'), '--format', 'text');
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.split('\n');
    const header = lines.findIndex((l) => l.trim().startsWith('tag'));
    const table = lines.slice(header, header + 3);
    assert.deepEqual(
      table.map((l) => l.trimEnd()),
      ['  tag   role        count  steps   min    max  non-finite', '  loss  train_loss      3   1..3  1.25    2.5           1', '  lr    lr              3   1..3  5e-4  0.001           0'],
    );
    assert.match(r.stdout, new RegExp(`read error \\(parse\\) ${path.join(dir, 'metrics.csv').replace(/[.\\/]/g, '\\$&')}:4: step "x" is not a number`));
    assert.match(r.stdout, /restart {2}at step 1 \(.*metrics\.csv:6\): 6 earlier points replaced/);
  });
});

test('a folder: runs of every format; files that are not logs and node_modules passed over', () => {
  withFiles(
    {
      'a/train.log': 'iter 10: loss 2.0, time 40ms\niter 20: loss 1.8, time 40ms\n',
      'a/README.md': '# Notes\nNothing to see.\n',
      'a/model.pt': new Uint8Array(4096).fill(7),
      'b/metrics.csv': 'epoch,loss\n0,1.0\n1,0.9\n',
      'b/hparams.yaml': 'lr: 0.001\noptimizer: AdamW\n',
      'c/trainer_state.json': '{\n  "global_step": 10,\n  "epoch": 1.0,\n  "log_history": [\n    {"loss": NaN, "step": 10}\n  ]\n}\n',
      'node_modules/x/train.log': 'step 1 | loss 1.0\n',
    },
    (dir) => {
      const r = cli('analyze', dir, '--format', 'json');
      assert.equal(r.status, 0, r.stderr);
      const out = JSON.parse(r.stdout) as JsonOut;
      assert.deepEqual(
        out.runs.map((x) => [path.relative(dir, x.source), x.format]),
        [
          ['a/train.log', 'text'],
          ['b/metrics.csv', 'csv'],
          ['c/trainer_state.json', 'hf-trainer-state'],
        ],
      );
      assert.equal(out.runs[2]!.series[0]!.nonFinite, 1);
      assert.equal(out.problems, undefined);
    },
  );
});

test('not a training log: a one-line reason naming the file, exit 2', () => {
  withFiles({ 'notes.txt': 'Just prose, and the number 3.\n', 'blob.log': new Uint8Array([0, 1, 2, 3, 0, 255, 0, 9, 0, 0, 0, 0]) }, (dir) => {
    const r = cli('analyze', path.join(dir, 'notes.txt'), path.join(dir, 'blob.log'), '--format', 'json');
    assert.equal(r.status, 2);
    const err = r.stderr.trim().split('\n');
    assert.equal(err.length, 2);
    assert.match(err[0]!, /notes\.txt: no training metrics found$/);
    assert.match(err[1]!, /blob\.log: binary content, not a training log$/);
  });
});

test('numbers in the text table read as printed', () => {
  assert.equal(formatNumber(3e-4), '3e-4');
  assert.equal(formatNumber(0.00125), '0.00125');
  assert.equal(formatNumber(1234567.8), '1.235e+6');
  assert.equal(formatNumber(2.31), '2.31');
  assert.equal(formatNumber(5000), '5000');
  assert.equal(formatNumber(null), '-');
});
