// The trainer_state.json reader: streamed, tolerant of Python's NaN, lines kept, errors
// located, and unaffected by where the bytes are cut.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TrainerStateReader } from '../../src/core/formats/hfTrainerState/trainerStateReader';
import { enc, lines, readInChunks, series, shape, steps, values } from '../support/readers';

/** A state as transformers' TrainerState.save_to_json writes it (indent=2, sort_keys=True). */
function state(entries: Record<string, number>[], extra: Record<string, unknown> = {}): string {
  const doc = { best_metric: 0.41, best_model_checkpoint: 'out/checkpoint-20', epoch: 2.0, eval_steps: 10, global_step: 40, log_history: entries, logging_steps: 10, max_steps: 40, num_train_epochs: 2, train_batch_size: 8, trial_params: null, ...extra };
  return JSON.stringify(doc, null, 2).replace(/"__NAN__"/g, 'NaN').replace(/"__INF__"/g, 'Infinity') + '\n';
}

const NAN = '__NAN__' as unknown as number;

const entries: Record<string, number>[] = [
  { epoch: 0.5, grad_norm: 1.5, learning_rate: 5e-5, loss: 2.0, step: 10 },
  { epoch: 0.5, eval_loss: 1.9, eval_runtime: 1.2, step: 10 },
  { epoch: 1.0, grad_norm: NAN, learning_rate: 4e-5, loss: 1.5, step: 20 },
  { epoch: 2.0, step: 40, total_flos: 1e15, train_loss: 1.4, train_runtime: 100.5 },
];

const read = (text: string, cuts: number[] = []) => readInChunks(new TrainerStateReader('trainer_state.json', 'trainer_state.json'), enc(text), cuts)[0]!;

test('train and eval entries become separate series by step, with NaN, meta and hparams', () => {
  const text = state(entries);
  const run = read(text);
  assert.deepEqual(steps(series(run, 'loss')), [10, 20]);
  assert.deepEqual(steps(series(run, 'eval_loss')), [10]);
  assert.equal(series(run, 'eval_loss').role, 'val_loss');
  assert.ok(Number.isNaN(values(series(run, 'grad_norm'))[1]!));
  assert.deepEqual(values(series(run, 'epoch')), [0.5, 1, 2]);
  assert.deepEqual(steps(series(run, 'train_loss')), [40]);
  assert.equal(run.meta.plannedSteps, 40);
  assert.equal(run.meta.plannedEpochs, 2);
  assert.equal(run.meta.stepsPerEpoch, 20);
  assert.equal(run.hparams.best_metric, 0.41);
  assert.equal(run.hparams.best_model_checkpoint, 'out/checkpoint-20');
  assert.equal(run.hparams.logging_steps, 10);
  assert.equal(run.hparams.eval_steps, 10);
  // Each point keeps the line of its value.
  const fileLines = text.split('\n');
  const loss = series(run, 'loss');
  for (let i = 0; i < loss.values.length; i++) assert.match(fileLines[loss.lines![i]! - 1]!, new RegExp(`"loss": ${loss.values[i]}`));
  assert.deepEqual(run.errors, []);
});

test('the same run whatever the chunk cuts (a NaN or a key split between pushes)', () => {
  const text = state(entries);
  const whole = shape(read(text));
  for (let cut = 1; cut < text.length; cut += 37) assert.deepEqual(shape(read(text, [cut, cut + 1, cut + 5])), whole, `cut at ${cut}`);
});

test('a damaged entry is a located error and the following entries are read', () => {
  const text = state(entries).replace('"loss": 1.5', '"loss": 1.5.5');
  const run = read(text);
  assert.equal(run.errors.length, 1);
  assert.equal(run.errors[0]!.kind, 'parse');
  assert.equal(run.errors[0]!.line, text.split('\n').findIndex((l) => l.includes('1.5.5')) + 1);
  assert.match(run.errors[0]!.message, /column \d+/);
  assert.deepEqual(steps(series(run, 'loss')), [10]);
  assert.deepEqual(steps(series(run, 'train_loss')), [40]);
});

test('a file cut short keeps every complete entry and says it was truncated', () => {
  const text = state(entries);
  const cut = text.slice(0, text.indexOf('"train_loss"'));
  const run = read(cut);
  assert.deepEqual(steps(series(run, 'loss')), [10, 20]);
  assert.ok(!run.series.some((s) => s.tag === 'train_loss'));
  assert.equal(run.errors.at(-1)!.kind, 'truncated');
});

test('an entry without a step is skipped with an error; trial_params become hparams', () => {
  const run = read(state([{ loss: 1.0, epoch: 0.1 }, ...entries], { trial_params: { learning_rate: 3e-4, warmup: 'linear' } }));
  assert.deepEqual(run.errors.map((e) => e.kind), ['parse']);
  assert.match(run.errors[0]!.message, /no step/);
  assert.equal(run.hparams['trial_params.learning_rate'], 3e-4);
  assert.deepEqual(lines(series(run, 'loss')).length, 2);
});
