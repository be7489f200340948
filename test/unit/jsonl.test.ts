// The JSON Lines reader on records shaped like detectron2's JSONWriter, mmcv's
// `*.log.json` and mmengine's `scalars.json` (generated here), and on bad lines.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JsonlReader } from '../../src/core/formats/jsonl/jsonlReader';
import { parseLineTolerant } from '../../src/core/formats/jsonl/jsonEvents';
import { enc, lines, readInChunks, series, steps, values } from '../support/readers';

const read = (text: string) => readInChunks(new JsonlReader('m.json', 'm.json'), enc(text))[0]!;

test('detectron2 metrics.json: iteration is the step; a repeated first record restarts the run', () => {
  const text = [
    '{"data_time": 0.004, "iteration": 19, "lr": 1.6e-05, "total_loss": 2.15}',
    '{"data_time": 0.004, "iteration": 19, "lr": 1.6e-05, "total_loss": 2.08}',
    '{"data_time": 0.005, "iteration": 39, "lr": 3.2e-05, "total_loss": NaN}',
    '{"bbox/AP": 40.2, "bbox/AP50": 61.0, "iteration": 39}',
  ].join('\n');
  const run = read(text);
  assert.deepEqual(steps(series(run, 'total_loss')), [19, 39]);
  assert.equal(values(series(run, 'total_loss'))[0], 2.08);
  assert.ok(Number.isNaN(values(series(run, 'total_loss'))[1]!));
  assert.deepEqual(lines(series(run, 'total_loss')), [2, 3]);
  assert.ok(run.restarts.some((r) => r.step === 19 && r.tag === 'total_loss'));
  assert.deepEqual(steps(series(run, 'bbox/AP')), [39]);
  assert.ok(!run.series.some((s) => s.tag === 'iteration'));
});

test('mmcv *.log.json: env header → hparams, iter within epoch, val records at the end of their epoch', () => {
  const text = [
    '{"env_info": "sys.platform: linux", "seed": 42, "exp_name": "faster_rcnn"}',
    '{"mode": "train", "epoch": 1, "iter": 50, "lr": 0.02, "memory": 3000, "data_time": 0.1, "loss": 1.2, "time": 0.5}',
    '{"mode": "train", "epoch": 1, "iter": 100, "lr": 0.02, "memory": 3000, "data_time": 0.1, "loss": 1.0, "time": 0.5}',
    '{"mode": "val", "epoch": 1, "iter": 500, "lr": 0.02, "bbox_mAP": 0.3}',
    '{"mode": "train", "epoch": 2, "iter": 50, "lr": 0.02, "memory": 3000, "data_time": 0.1, "loss": 0.9, "time": 0.5}',
  ].join('\n');
  const run = read(text);
  assert.equal(run.hparams.seed, 42);
  assert.equal(run.hparams.exp_name, 'faster_rcnn');
  assert.deepEqual(steps(series(run, 'loss')), [50, 100, 150]);
  assert.deepEqual(steps(series(run, 'val/bbox_mAP')), [100]);
  assert.equal(series(run, 'val/bbox_mAP').role, 'val_metric');
});

test('mmengine scalars.json: validation records counted by epoch sit at the training step', () => {
  const text = [
    '{"lr": 0.001, "data_time": 0.01, "loss": 0.8, "time": 0.2, "epoch": 1, "iter": 100, "memory": 3000, "step": 100}',
    '{"lr": 0.001, "data_time": 0.01, "loss": 0.7, "time": 0.2, "epoch": 1, "iter": 500, "memory": 3000, "step": 500}',
    '{"accuracy/top1": 76.12, "data_time": 0.01, "time": 0.05, "step": 1}',
  ].join('\n');
  const run = read(text);
  assert.deepEqual(steps(series(run, 'loss')), [100, 500]);
  assert.deepEqual(steps(series(run, 'val/accuracy/top1')), [500]);
  assert.equal(run.restarts.length, 0);
});

test('one level of nesting is flattened; strings "nan" and "inf" are values; lines without a step are numbered', () => {
  const run = read('{"train": {"loss": 1.0}, "lr": "nan"}\n{"train": {"loss": 0.5}, "lr": "inf"}\n');
  assert.deepEqual(steps(series(run, 'train/loss')), [0, 1]);
  assert.ok(Number.isNaN(values(series(run, 'lr'))[0]!));
  assert.equal(values(series(run, 'lr'))[1], Infinity);
});

test('a bad line is a parse error with its line and column; the rest is read', () => {
  const run = read('{"step": 1, "loss": 1.0}\n{"step": 2, "loss": \n[1, 2]\n{"step": 3, "loss": 0.8}\n');
  assert.deepEqual(steps(series(run, 'loss')), [1, 3]);
  assert.deepEqual(
    run.errors.map((e) => [e.kind, e.line]),
    [
      ['parse', 2],
      ['parse', 3],
    ],
  );
  assert.match(run.errors[0]!.message, /column \d+/);
  assert.match(run.errors[1]!.message, /not a JSON object/);
});

test('the tolerant parser accepts NaN and Infinity and rejects what JSON rejects', () => {
  assert.deepEqual(parseLineTolerant('{"a": [1, -Infinity, {"b": null}], "c": "x\\ny"}').value, { a: [1, -Infinity, { b: null }], c: 'x\ny' });
  assert.ok(Number.isNaN((parseLineTolerant('{"a": NaN}').value as { a: number }).a));
  for (const bad of ['{"a": 1,}', '{"a" 1}', '{a: 1}', '{"a": 01}', '{"a": 1} x', '{"a": "unterminated}'])
    assert.ok(parseLineTolerant(bad).error, bad);
});
