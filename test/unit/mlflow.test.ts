// The MLflow file-store reader on a run folder laid out as MLflow's FileStore writes it
// (mlflow/store/tracking/file_store.py): nested metric keys, params, tags, meta.yaml.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readMlflowRun } from '../../src/core/formats/mlflow/mlflowRun';
import { fromTree, series, steps, values } from '../support/readers';

const runFolder = {
  'meta.yaml': 'artifact_uri: file:///tmp/mlruns/1/abc123/artifacts\nend_time: 1700000100000\nentry_point_name: ""\nexperiment_id: "1"\nlifecycle_stage: active\nrun_id: abc123\nrun_name: bright-owl-42\nrun_uuid: abc123\nsource_name: ""\nsource_type: 4\nsource_version: ""\nstart_time: 1700000000000\nstatus: 3\ntags: []\nuser_id: me\n',
  metrics: {
    loss: '1700000001000 2.5 0\n1700000002000 2.1 10\n1700000003000 nan 20\n',
    train: { lr: '1700000001000 0.001 0\n1700000002000 0.0009 10\n' },
    broken: '1700000001000 1.0 0\nnot a metric line\n1700000003000 0.5 2\n',
    legacy: '1700000001000 0.9\n1700000002000 0.8\n',
  },
  params: { lr: '0.001', optimizer: 'AdamW', amsgrad: 'False' },
  tags: { 'mlflow.runName': 'bright-owl-42', 'mlflow.user': 'me' },
};

test('metrics (nested keys, NaN, wall times), params and the run name', async () => {
  const fs = fromTree({ mlruns: { '1': { abc123: runFolder } } });
  const run = await readMlflowRun(fs, 'mlruns/1/abc123');
  assert.equal(run.format, 'mlflow');
  assert.equal(run.name, 'bright-owl-42');
  assert.equal(run.source, 'mlruns/1/abc123');
  const loss = series(run, 'loss');
  assert.deepEqual(steps(loss), [0, 10, 20]);
  assert.ok(Number.isNaN(values(loss)[2]!));
  assert.deepEqual(Array.from(loss.wallTimes!), [1700000001, 1700000002, 1700000003]);
  assert.equal(series(run, 'train/lr').role, 'lr');
  assert.deepEqual(values(series(run, 'train/lr')), [0.001, 0.0009]);
  assert.deepEqual(steps(series(run, 'legacy')), [0, 1]);
  assert.equal(run.hparams.lr, 0.001);
  assert.equal(run.hparams.optimizer, 'AdamW');
  assert.equal(run.hparams.amsgrad, false);
  // A bad line names its file and line; the rest of that file is read.
  assert.deepEqual(steps(series(run, 'broken')), [0, 2]);
  assert.equal(run.errors.length, 1);
  assert.equal(run.errors[0]!.file, 'mlruns/1/abc123/metrics/broken');
  assert.equal(run.errors[0]!.line, 2);
});
