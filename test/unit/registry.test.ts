// Format detection by content and the folder walk, on in-memory trees shaped like what
// the tools write (MLflow's file store, Lightning's version_N folders, TensorBoard logdirs).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readBytes, readPath, sniff } from '../../src/core/formats/registry';
import { compileRoleRules } from '../../src/core/model/roles';
import { EventFile, syntheticEvents } from '../support/tfeventsWriter';
import { enc, fromTree, series, steps } from '../support/readers';

const fmt = (name: string, text: string | Uint8Array): string | undefined => {
  const s = sniff(name, typeof text === 'string' ? enc(text) : text);
  return s.format ?? `none: ${s.reason}`;
};

test('formats are told by content, whatever the file is called', () => {
  assert.equal(fmt('output.txt', 'step 1 | loss 2.0\nstep 2 | loss 1.9\n'), 'text');
  assert.equal(fmt('log', 'epoch,loss,val_loss\n0,1.0,1.1\n1,0.9,1.0\n'), 'csv');
  assert.equal(fmt('data.txt', 'Wall time,Step,Value\n1663726253.5,0,2.3\n1663726260.1,1,2.1\n1663726261.1,2,2.0\n'), 'csv');
  assert.equal(fmt('m.txt', '{"iteration": 19, "total_loss": 2.1}\n{"iteration": 39, "total_loss": 1.9}\n'), 'jsonl');
  assert.equal(fmt('state.json', '{\n  "best_metric": null,\n  "epoch": 1.0,\n  "global_step": 10,\n  "log_history": []\n}\n'), 'hf-trainer-state');
  assert.equal(fmt('x.bin', new EventFile().add(...syntheticEvents({ steps: 3 })).bytes()), 'tfevents');
  // A training log saved as .csv is still a log; a CSV of prose is not a table of metrics.
  assert.equal(fmt('train.csv', 'iter 10: loss 2.0, time 40ms\niter 20: loss 1.8, time 40ms\n'), 'text');
});

test('anything else gets a reason', () => {
  assert.equal(fmt('a.log', ''), 'none: the file is empty');
  assert.equal(fmt('a.log', '\n\n  \n'), 'none: the file holds only blank lines');
  assert.equal(fmt('a.log', new Uint8Array([0x50, 0x4b, 3, 4, 0, 0, 8, 0])), 'none: binary content, not a training log');
  assert.equal(fmt('notes.md', '# Notes\nWe trained for a while. It went fine.\n'), 'none: no training metrics found');
  assert.equal(fmt('config.json', '{\n  "lr": 0.001,\n  "epochs": 3\n}\n'), 'none: a JSON document that is neither a trainer_state.json nor JSON Lines');
  // Python source is not a log, even with `lr = 0.1` in it.
  assert.equal(fmt('train.txt', 'import torch\nlr = 0.1\nfor epoch in range(10):\n    loss = step(lr=lr)\n'), 'none: no training metrics found');
  const r = readBytes('x.log', enc('no numbers here\n'));
  assert.deepEqual([r.runs.length, r.failure], [0, 'no training metrics found']);
});

test('the folder walk: MLflow runs, Lightning version folders with hparams.yaml, event files, other logs', async () => {
  const fs = fromTree({
    project: {
      mlruns: {
        '0': {
          'meta.yaml': 'artifact_location: file:///x/mlruns/0\nexperiment_id: "0"\nlifecycle_stage: active\nname: Default\n',
          r1: { 'meta.yaml': 'run_id: r1\nrun_name: first\nstatus: 3\n', metrics: { loss: '1700000000000 1.0 0\n1700000001000 0.8 1\n' }, params: { lr: '0.01' }, tags: {} },
        },
      },
      lightning_logs: {
        version_0: { 'metrics.csv': 'epoch,step,train_loss\n0,49,2.0\n0,99,1.8\n', 'hparams.yaml': 'lr: 0.0003\nmodel:\n  layers: 12\n' },
        version_1: { 'metrics.csv': 'epoch,step,train_loss\n0,49,2.1\n' },
      },
      runs: { exp1: { 'events.out.tfevents.1700000000.host.1.0': new EventFile().add(...syntheticEvents({ steps: 5 })).bytes() } },
      'train.log': 'step 1 | loss 2.0\nstep 2 | loss 1.9\n',
      'train.py': 'lr = 0.1\nlr = 0.2\n',
      'weights.pt': new Uint8Array(100),
      '.cache': { 'train.log': 'step 1 | loss 9.0\n' },
      node_modules: { 'x.log': 'step 1 | loss 9.0\n' },
      'expected-tfevents.json': '{"not": "an event file"}\n',
    },
  });
  const r = await readPath(fs, 'project');
  assert.equal(r.failure, undefined);
  assert.equal(r.problems, undefined);
  const by = new Map(r.runs.map((x) => [x.source, x]));
  assert.deepEqual([...by.keys()].sort(), [
    'project/expected-tfevents.json',
    'project/lightning_logs/version_0/metrics.csv',
    'project/lightning_logs/version_1/metrics.csv',
    'project/mlruns/0/r1',
    'project/runs/exp1',
    'project/train.log',
  ]);
  const ml = by.get('project/mlruns/0/r1')!;
  assert.deepEqual([ml.format, ml.name, ml.hparams.lr], ['mlflow', 'first', 0.01]);
  assert.deepEqual(steps(series(ml, 'loss')), [0, 1]);
  const v0 = by.get('project/lightning_logs/version_0/metrics.csv')!;
  assert.deepEqual([v0.hparams.lr, v0.hparams['model.layers']], [0.0003, 12]);
  assert.deepEqual(by.get('project/lightning_logs/version_1/metrics.csv')!.hparams, {});
  assert.equal(by.get('project/runs/exp1')!.format, 'tfevents');
  assert.equal(by.get('project/expected-tfevents.json')!.format, 'jsonl');
});

test('unreadable files are reported per file and the walk goes on; an empty folder says so', async () => {
  const fs = fromTree({ d: { 'a.log': 'step 1 | loss 2.0\nstep 2 | loss 1.0\n', 'b.log': 'step 1 | loss 2.0\n', sub: { 'c.log': 'step 1 | loss 3.0\nstep 2 | loss 2.0\n' } } });
  fs.failing.add('d/b.log');
  const r = await readPath(fs, 'd');
  assert.deepEqual(
    r.runs.map((x) => x.source),
    ['d/a.log', 'd/sub/c.log'],
  );
  assert.equal(r.problems!.length, 1);
  assert.equal(r.problems![0]!.path, 'd/b.log');
  assert.match(r.problems![0]!.message, /^cannot read: EIO/);
  const empty = await readPath(fromTree({ e: { 'notes.txt': 'hello\n' } }), 'e');
  assert.deepEqual([empty.runs.length, empty.failure], [0, 'no training runs found in this folder']);
  const missing = await readPath(fs, 'nope');
  assert.match(missing.failure!, /^cannot open: ENOENT/);
});

test('a huge binary file in a folder is never read whole: only its first 64 KB are sniffed', async () => {
  const big = new Uint8Array(8 << 20);
  big[0] = 0x89;
  const fs = fromTree({ d: { 'dump.log': big, 'train.log': 'step 1 | loss 1.0\nstep 2 | loss 0.5\n' } });
  let read = 0;
  const open = fs.open.bind(fs);
  fs.open = (p: string) => {
    const src = open(p);
    return {
      name: src.name,
      size: () => src.size(),
      read: (o: number, n: number) => {
        if (p.endsWith('dump.log')) read += n;
        return src.read(o, n);
      },
    };
  };
  const r = await readPath(fs, 'd');
  assert.equal(r.runs.length, 1);
  assert.ok(read <= 64 * 1024, `${read} bytes of the binary read`);
});

test('user tag→role rules from settings apply in every reader', () => {
  const roleRules = compileRoleRules([
    { pattern: '^trl$', role: 'val_loss' },
    { pattern: 'wer', role: 'val_loss' },
  ]);
  const text = readBytes('a.log', enc('s:1 trl:2.0\ns:2 trl:1.5\n'), { roleRules }).runs[0]!;
  assert.equal(series(text, 'trl').role, 'val_loss');
  const csv = readBytes('m.csv', enc('step,wer\n1,0.5\n2,0.4\n'), { roleRules }).runs[0]!;
  assert.equal(series(csv, 'wer').role, 'val_loss');
  const jsonl = readBytes('m.json', enc('{"step": 1, "wer": 0.5}\n'), { roleRules }).runs[0]!;
  assert.equal(series(jsonl, 'wer').role, 'val_loss');
  const state = readBytes('trainer_state.json', enc('{\n  "global_step": 1,\n  "log_history": [\n    {"eval_wer": 0.5, "step": 1}\n  ]\n}\n'), { roleRules }).runs[0]!;
  assert.equal(series(state, 'eval_wer').role, 'val_loss');
});

test('a 10 MB single line is cut, reported with its line, and the lines around it are read', () => {
  const huge = 'x'.repeat(10 << 20);
  const r = readBytes('big.log', enc(`step 1 | loss 2.0\n${huge}\nstep 2 | loss 1.5\n`));
  const run = r.runs[0]!;
  assert.deepEqual(steps(series(run, 'loss')), [1, 2]);
  assert.deepEqual(Array.from(series(run, 'loss').lines!), [1, 3]);
  assert.equal(run.errors.length, 1);
  assert.equal(run.errors[0]!.line, 2);
  assert.match(run.errors[0]!.message, /longer than 1 MB/);
});

test('binary garbage inside a log is skipped and reported once with its first line', () => {
  // Binary bytes with no line end in them: one damaged line (NUL blocks, as a crash leaves).
  const garbage = new Uint8Array(3000).map((_, i) => (i % 5 === 0 ? 0 : [1, 2, 200, 65, 7][i % 5]!));
  const head = enc('step 1 | loss 2.0\nstep 2 | loss 1.8\n');
  const tail = enc('\nstep 3 | loss 1.6\n');
  const bytes = new Uint8Array(head.length + garbage.length + tail.length);
  bytes.set(head);
  bytes.set(garbage, head.length);
  bytes.set(tail, head.length + garbage.length);
  const run = readBytes('train.log', bytes).runs[0]!;
  assert.deepEqual(steps(series(run, 'loss')), [1, 2, 3]);
  assert.deepEqual(Array.from(series(run, 'loss').lines!), [1, 2, 4]);
  assert.equal(run.errors.length, 1);
  assert.equal(run.errors[0]!.line, 3);
  assert.match(run.errors[0]!.message, /binary content skipped, the first at line 3/);
});
