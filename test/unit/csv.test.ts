// The CSV reader on tables shaped like each writer's (generated here): sparse Lightning
// rows, padded YOLO headers, quoting, TensorBoard's export, bad rows.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CsvReader } from '../../src/core/formats/csv/csvReader';
import { enc, lines, readInChunks, series, steps, values } from '../support/readers';

const read = (text: string, name = 'metrics.csv') => readInChunks(new CsvReader(name, name), enc(text))[0]!;

test('Lightning CSVLogger: step is the x column, each column a series over the rows that fill it', () => {
  // lightning/pytorch/loggers/csv_logs.py writes the union of keys; unset cells are empty.
  const csv = 'epoch,step,train_loss_step,val_loss,train_loss_epoch\n0,49,2.31,,\n0,99,2.10,,\n0,99,,2.05,2.20\n1,149,1.90,,\n1,199,nan,,\n1,199,,1.95,inf\n';
  const run = read(csv);
  assert.equal(run.meta.family, 'lightning');
  assert.deepEqual(steps(series(run, 'train_loss_step')), [49, 99, 149, 199]);
  assert.ok(Number.isNaN(values(series(run, 'train_loss_step'))[3]!));
  assert.deepEqual(steps(series(run, 'val_loss')), [99, 199]);
  assert.deepEqual(lines(series(run, 'val_loss')), [4, 7]);
  assert.deepEqual(values(series(run, 'train_loss_epoch')), [2.2, Infinity]);
  assert.deepEqual(values(series(run, 'epoch')), [0, 0, 1, 1]);
});

test('Ultralytics results.csv: padded header and cells are trimmed; epoch is the x column', () => {
  const csv = '               epoch,      train/box_loss,         x/lr0,\n                   0,            0.066099,     0.0033121,\n                   1,            0.043821,     0.0065139,\n';
  const run = read(csv, 'results.csv');
  assert.equal(run.meta.family, 'ultralytics');
  assert.deepEqual(steps(series(run, 'train/box_loss')), [0, 1]);
  assert.deepEqual(values(series(run, 'x/lr0')), [0.0033121, 0.0065139]);
  assert.equal(series(run, 'x/lr0').role, 'lr');
});

test('TensorBoard "Download CSV": Wall time,Step,Value named by the file', () => {
  const csv = 'Wall time,Step,Value\n1663726253.5,0,2.30\n1663726260.1,1000,1.75\n';
  const run = read(csv, 'run-exp1-tag-train_loss.csv');
  const s = series(run, 'train_loss');
  assert.deepEqual(steps(s), [0, 1000]);
  assert.deepEqual(Array.from(s.wallTimes!), [1663726253.5, 1663726260.1]);
  assert.equal(run.meta.family, 'tensorboard-csv');
});

test('quoted fields, a quoted header with commas, a field spanning lines, tab-separated files', () => {
  const csv = '"step","loss, total","note"\n1,0.5,"plain"\n2,0.4,"a ""quoted"" note"\n3,0.3,"two\nlines"\n4,0.2,x\n';
  const run = read(csv);
  assert.deepEqual(steps(series(run, 'loss, total')), [1, 2, 3, 4]);
  assert.deepEqual(lines(series(run, 'loss, total')), [2, 3, 4, 6]);
  assert.ok(!run.series.some((s) => s.tag === 'note'));
  const tsv = read('step\tloss\tlr\n0\t2.0\t0.1\n10\t1.5\t0.1\n', 'm.tsv');
  assert.deepEqual(values(series(tsv, 'loss')), [2.0, 1.5]);
});

test('Keras CSVLogger appended runs restart at epoch 0 (earlier points replaced, restarts recorded)', () => {
  const csv = 'epoch,loss,val_loss\r\r\n0,1.0,1.1\r\r\n1,0.8,0.9\r\r\n0,0.7,0.8\r\r\n1,0.6,0.7\r\r\n';
  const run = read(csv);
  assert.deepEqual(steps(series(run, 'loss')), [0, 1]);
  assert.deepEqual(values(series(run, 'loss')), [0.7, 0.6]);
  assert.deepEqual(lines(series(run, 'loss')), [7, 9]);
  assert.equal(run.restarts.length, 2);
  assert.ok(run.restarts.every((r) => r.step === 0 && r.line === 7 && r.dropped === 2));
});

test('without an x column rows are numbered; a repeated header is a new header', () => {
  const run = read('loss,acc\n1.0,0.1\n0.9,0.2\nloss,acc\n0.8,0.3\n');
  assert.deepEqual(steps(series(run, 'loss')), [0, 1, 2]);
  assert.deepEqual(values(series(run, 'acc')), [0.1, 0.2, 0.3]);
});

test('bad rows are errors with their line; the rest is read', () => {
  const run = read('step,loss\n1,0.5\nabc,0.4\n3,0.3,9,9\n4,0.2\n5,"never closed\n');
  assert.deepEqual(steps(series(run, 'loss')), [1, 3, 4]);
  assert.deepEqual(
    run.errors.map((e) => [e.kind, e.line]),
    [
      ['parse', 3],
      ['parse', 4],
      ['parse', 6],
    ],
  );
  assert.match(run.errors[0]!.message, /"abc" is not a number/);
});

test('a half-written last row is not read until it is complete', () => {
  const r = new CsvReader('m.csv', 'm.csv');
  r.push(enc('step,loss\n1,0.5\n2,0.'));
  assert.deepEqual(values(series(r.snapshot(), 'loss')), [0.5]);
  r.push(enc('4\n'));
  assert.deepEqual(values(series(r.snapshot(), 'loss')), [0.5, 0.4]);
});
