// Logdirs: event files grouped into runs as TensorBoard groups them, and readPath on folders.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { readPath, sniff } from '../../src/core/formats/registry';
import { isEventFileName, planRuns, readTfeventsRuns, splitPrefixOf } from '../../src/core/formats/tfevents/logdir';
import { TfeventsReader } from '../../src/core/formats/tfevents/tfeventsReader';
import { RunBuilder } from '../../src/core/model/runBuilder';
import { MemoryFileSystem } from '../support/memoryFs';
import { seeded } from '../support/random';
import { NO_CORPUS, corpusDir } from '../support/shared';
import { recordBoundaries } from '../support/tfeventsChecks';
import { EventFile, fileVersionEvent, flipBit, hparamsValues, type EventSpec } from '../support/tfeventsWriter';

const file = (...events: EventSpec[]): Uint8Array => new EventFile().add(fileVersionEvent(1.7e9), ...events).bytes();
const scalars = (tag: string, steps: number[], value: (s: number) => number = (s) => s): EventSpec[] =>
  steps.map((step) => ({ step, wallTime: 1.7e9 + step, summary: [{ tag, simpleValue: value(step) }] }));
const range = (a: number, b: number): number[] => Array.from({ length: b - a }, (_, i) => a + i);

function corpusBytes(prefix: string): Uint8Array {
  const dir = path.join(corpusDir()!, 'tfevents');
  const name = fs.readdirSync(dir).find((f) => f.startsWith(prefix))!;
  return new Uint8Array(fs.readFileSync(path.join(dir, name)));
}

test('event files are recognised by name as TensorBoard does, and by content whatever the name', () => {
  assert.ok(isEventFileName('events.out.tfevents.1663724565.host.9402.0'));
  assert.ok(isEventFileName('runs/x/events.out.tfevents.1690483602.host.61366.2.v2'));
  assert.ok(isEventFileName('events.out.tfevents.1.host.profile-empty'));
  assert.ok(!isEventFileName('train.log'));
  assert.ok(!isEventFileName('tfevents/metrics.csv'));
  const bytes = file(...scalars('loss', [1]));
  assert.deepEqual(sniff('renamed.bin', bytes), { format: 'tfevents' });
  assert.deepEqual(sniff('events.out.tfevents.1.h', bytes.subarray(0, 5)), { format: 'tfevents' });
  assert.equal(sniff('notes.bin', bytes.subarray(0, 5)).format, undefined);
});

test('the files of one folder are one run, read in file-name order', async () => {
  const fsys = new MemoryFileSystem()
    .write('logs/run/events.out.tfevents.1700000100.host.2.0', file(...scalars('eval/loss', [100, 200])))
    .write('logs/run/events.out.tfevents.1700000000.host.1.0', file(...scalars('train/loss', range(0, 201))));
  const runs = await readTfeventsRuns(fsys, [...fsys.files.keys()], { root: 'logs' });
  assert.equal(runs.length, 1);
  assert.equal(runs[0]!.source, 'logs/run');
  assert.equal(runs[0]!.name, 'run');
  assert.equal(runs[0]!.format, 'tfevents');
  assert.deepEqual(
    runs[0]!.series.map((s) => [s.tag, s.role, s.steps.length]),
    [
      ['train/loss', 'train_loss', 201],
      ['eval/loss', 'val_loss', 2],
    ],
  );
  assert.deepEqual(runs[0]!.errors, []);
});

test('a resumed run writes a second file: later points from the resumed step on are replaced', async () => {
  const fsys = new MemoryFileSystem()
    .write('r/events.out.tfevents.1700000000.h.1.0', file(...scalars('loss', range(0, 100), () => 1)))
    .write('r/events.out.tfevents.1700009999.h.7.0', file(...scalars('loss', range(80, 150), () => 2)));
  const [run] = await readTfeventsRuns(fsys, [...fsys.files.keys()]);
  const loss = run!.series[0]!;
  assert.deepEqual(Array.from(loss.steps), range(0, 150));
  assert.equal(loss.values[79], 1);
  assert.equal(loss.values[80], 2);
  assert.deepEqual(run!.restarts, [{ tag: 'loss', step: 80, dropped: 20 }]);
});

test('Keras train/ and validation/ siblings are one run with prefixed tags (real files)', { skip: NO_CORPUS }, async () => {
  const fsys = new MemoryFileSystem()
    .write('logs/imdb-model-1690485351/train/events.out.tfevents.1690485354.e-bnbobg-5l77j-0.80091.0.v2', corpusBytes('keras_tbtutorial__imdb-model-1690485351__train'))
    .write('logs/imdb-model-1690485351/validation/events.out.tfevents.1690485359.e-bnbobg-5l77j-0.80091.1.v2', corpusBytes('keras_tbtutorial__imdb-model-1690485351__validation'))
    .write('logs/mod1-reuters-1690485395/train/events.out.tfevents.1690485396.e-bnbobg-5l77j-0.80091.3.v2', corpusBytes('keras_tbtutorial__mod1-reuters-1690485395__train'))
    .write('logs/mod1-reuters-1690485395/validation/events.out.tfevents.1690485399.e-bnbobg-5l77j-0.80091.4.v2', corpusBytes('keras_tbtutorial__mod1-reuters-1690485395__validation'));
  const result = await readPath(fsys, 'logs');
  assert.equal(result.failure, undefined);
  assert.deepEqual(
    result.runs.map((r) => r.name),
    ['imdb-model-1690485351', 'mod1-reuters-1690485395'],
  );
  const imdb = result.runs[0]!;
  assert.deepEqual(
    imdb.series.map((s) => [s.tag, s.role]).sort(),
    [
      ['train/epoch_accuracy', 'train_metric'],
      ['train/epoch_loss', 'train_loss'],
      ['validation/epoch_accuracy', 'val_metric'],
      ['validation/epoch_loss', 'val_loss'],
      ['validation/evaluation_accuracy_vs_iterations', 'val_metric'],
      ['validation/evaluation_loss_vs_iterations', 'val_loss'],
    ],
  );
  const val = imdb.series.find((s) => s.tag === 'validation/epoch_loss')!;
  assert.equal(val.steps.length, 20);
  assert.equal(Math.min(...val.values), 0.275065541267395);
  // A validation file opened on its own keeps its prefix, so its loss is still a validation loss.
  const single = await readPath(fsys, 'logs/imdb-model-1690485351/validation/events.out.tfevents.1690485359.e-bnbobg-5l77j-0.80091.1.v2');
  assert.equal(single.runs[0]!.series.find((s) => s.tag === 'validation/epoch_loss')?.role, 'val_loss');
  assert.equal(splitPrefixOf('a/b/train/events.out.tfevents.1'), 'train/');
  assert.equal(splitPrefixOf('a/b/events.out.tfevents.1'), '');
  // The validation folder named directly is a run of its own, still prefixed.
  const direct = await readPath(fsys, 'logs/imdb-model-1690485351/validation');
  assert.equal(direct.runs.length, 1);
  assert.ok(direct.runs[0]!.series.some((s) => s.tag === 'validation/epoch_loss' && s.role === 'val_loss'));
});

test('add_scalars child folders fold into the parent run as main/key tags (real files)', { skip: NO_CORPUS }, async () => {
  const fsys = new MemoryFileSystem()
    .write('only_funcs/events.out.tfevents.1663764009.Dipeshs-MacBook-Pro.local.11324.0', corpusBytes('torch_docs_example__only_funcs__events'))
    .write('only_funcs/run_14h_xsinx/events.out.tfevents.1663764009.Dipeshs-MacBook-Pro.local.11324.1', corpusBytes('torch_docs_example__only_funcs__run_14h_xsinx'));
  const runs = await readTfeventsRuns(fsys, [...fsys.files.keys()], { root: 'only_funcs' });
  assert.equal(runs.length, 1);
  assert.deepEqual(
    runs[0]!.series.map((s) => s.tag),
    ['Loss/train', 'Loss/test', 'Accuracy/train', 'Accuracy/test', 'run_14h/xsinx'],
  );
  // The common use: add_scalars('Loss', {'train': ..., 'val': ...}) gives loss roles.
  const fs2 = new MemoryFileSystem()
    .write('runs/a/events.out.tfevents.1.h.1.0', file())
    .write('runs/a/Loss_train/events.out.tfevents.1.h.1.1', file(...scalars('Loss', range(0, 10))))
    .write('runs/a/Loss_val/events.out.tfevents.1.h.1.2', file(...scalars('Loss', range(0, 10))))
    .write('runs/a/lr_group_0/events.out.tfevents.1.h.1.3', file(...scalars('lr/group', range(0, 10))))
    .write('runs/a/lr_group_1/events.out.tfevents.1.h.1.4', file(...scalars('lr/group', range(0, 10))));
  const [run] = await readTfeventsRuns(fs2, [...fs2.files.keys()], { root: 'runs' });
  assert.deepEqual(
    run!.series.map((s) => [s.tag, s.role]),
    [
      ['Loss/train', 'train_loss'],
      ['Loss/val', 'val_loss'],
      ['lr/group/0', 'lr'],
      ['lr/group/1', 'lr'],
    ],
  );
});

test('an add_hparams child gives its parent run the hyperparameters and final metrics', async () => {
  const fsys = new MemoryFileSystem()
    .write('runs/exp/events.out.tfevents.1.h.1.0', file(...scalars('train/loss', range(0, 50))))
    .write(
      'runs/exp/1700000123.456/events.out.tfevents.2.h.1.1',
      file({ summary: hparamsValues({ lr: 0.01, optimizer: 'SGD', batch_size: 64 }) }, ...scalars('hparam/accuracy', [0], () => 0.9)),
    );
  const runs = await readTfeventsRuns(fsys, [...fsys.files.keys()], { root: 'runs' });
  assert.equal(runs.length, 1);
  assert.deepEqual(runs[0]!.hparams, { lr: 0.01, optimizer: 'SGD', batch_size: 64 });
  assert.deepEqual(
    runs[0]!.series.map((s) => s.tag),
    ['train/loss', 'hparam/accuracy'],
  );
  // A child run that trained (more than one point per series) stays a run of its own.
  const fs2 = new MemoryFileSystem()
    .write('tuning/events.out.tfevents.1.h.1.0', file(...scalars('loss', range(0, 5))))
    .write('tuning/run-0/events.out.tfevents.2.h.1.0', file({ summary: hparamsValues({ lr: 0.1 }) }, ...scalars('loss', range(0, 30))));
  assert.equal((await readTfeventsRuns(fs2, [...fs2.files.keys()], { root: 'tuning' })).length, 2);
});

test('a logdir is walked recursively into runs named by their path; hidden folders skipped', async () => {
  const fsys = new MemoryFileSystem()
    .write('lightning_logs/version_0/events.out.tfevents.1.h.1.0', file(...scalars('train_loss', range(0, 5))))
    .write('lightning_logs/version_0/hparams.yaml', new TextEncoder().encode('lr: 0.001\n'))
    .write('lightning_logs/version_1/events.out.tfevents.2.h.1.0', file(...scalars('train_loss', range(0, 7))))
    .write('lightning_logs/sweep/a/b/events.out.tfevents.3.h.1.0', file(...scalars('val_loss', range(0, 3))))
    .write('lightning_logs/.trash/events.out.tfevents.4.h.1.0', file(...scalars('x', [1])))
    .write('lightning_logs/empty/events.out.tfevents.5.h.1.0', file());
  const result = await readPath(fsys, 'lightning_logs');
  assert.deepEqual(
    result.runs.map((r) => [r.name, r.series[0]?.steps.length]),
    [
      ['sweep/a/b', 3],
      ['version_0', 5],
      ['version_1', 7],
    ],
  );
  assert.deepEqual(
    planRuns(['d/train/events.out.tfevents.1', 'd/validation/events.out.tfevents.2', 'd/events.out.tfevents.0'], 'd'),
    [
      {
        dir: 'd',
        name: 'd',
        parts: [
          { prefix: '', files: ['d/events.out.tfevents.0'] },
          { prefix: 'train/', files: ['d/train/events.out.tfevents.1'] },
          { prefix: 'validation/', files: ['d/validation/events.out.tfevents.2'] },
        ],
      },
    ],
  );
});

test('a damaged or unreadable file in a logdir is an error naming it; the rest is read', async () => {
  const good = file(...scalars('loss', range(0, 10)));
  const bad = file(...scalars('acc', range(0, 10)));
  const offset = recordBoundaries(bad)[4]!;
  const fsys = new MemoryFileSystem()
    .write('run/events.out.tfevents.1.h.1.0', good)
    .write('run/events.out.tfevents.2.h.1.0', flipBit(bad, offset + 3))
    .write('run/events.out.tfevents.3.h.1.0', good);
  fsys.failing.add('run/events.out.tfevents.3.h.1.0');
  const [run] = await readTfeventsRuns(fsys, [...fsys.files.keys()]);
  assert.deepEqual(
    run!.errors.map((e) => [e.kind, e.file, e.offset]),
    [
      ['corrupt', 'run/events.out.tfevents.2.h.1.0', offset],
      ['io', 'run/events.out.tfevents.3.h.1.0', 0],
    ],
  );
  assert.deepEqual(
    run!.series.map((s) => [s.tag, s.steps.length]),
    [
      ['loss', 10],
      ['acc', 4],
    ],
  );
});

test('two processes writing one folder, followed while they write: only whole records ever show', () => {
  // A trainer and an evaluator append to their own files in one run folder, flushing at
  // arbitrary points; the run is followed by one reader per file sharing one builder.
  const trainer = file(...scalars('train/loss', range(0, 400), (s) => 1 / (s + 1)));
  const evaluator = file(...scalars('eval/loss', range(0, 400).filter((s) => s % 50 === 0), (s) => 2 / (s + 1)));
  const builder = new RunBuilder('run', 'tfevents', 'run');
  const readers = [trainer, evaluator].map((_, i) => new TfeventsReader('run', 'run', { builder, file: `run/events.${i}` }));
  const sources = [trainer, evaluator];
  const written = [0, 0];
  const rand = seeded(8);
  while (written[0]! < trainer.length || written[1]! < evaluator.length) {
    const i = rand() < 0.7 ? 0 : 1;
    const src = sources[i]!;
    const n = Math.min(src.length - written[i]!, Math.floor(rand() * 120));
    readers[i]!.push(src.subarray(written[i], written[i]! + n));
    written[i]! += n;
    const run = builder.build();
    for (const s of run.series) {
      const whole = s.tag === 'train/loss' ? 0 : 1;
      const done = recordBoundaries(sources[whole]!.subarray(0, written[whole])).length - 1; // minus file_version
      assert.equal(s.steps.length, done, `${s.tag} after ${written.join('/')} bytes`);
      for (let k = 0; k < s.steps.length; k++) assert.equal(s.values[k], Math.fround((whole + 1) / (s.steps[k]! + 1)));
    }
    assert.deepEqual(run.errors, []);
  }
  for (const r of readers) r.end();
  const run = builder.build();
  assert.deepEqual(
    run.series.map((s) => [s.tag, s.steps.length]),
    [
      ['train/loss', 400],
      ['eval/loss', 8],
    ],
  );
});
