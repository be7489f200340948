// Every real event file in the shared corpus reads without error and agrees with an
// independent reader's view of it (expected-tfevents.json).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { readBytes } from '../../src/core/formats/registry';
import { summarize } from '../../src/core/model/summary';
import { seeded } from '../support/random';
import { NO_CORPUS, corpusDir } from '../support/shared';
import { checkCut, checkEveryByte, decodeLog, readEvents, recordBoundaries, referenceRuns } from '../support/tfeventsChecks';

interface ExpectedTag {
  n: number;
  nan: number;
  inf: number;
  min: number | null;
  max: number | null;
  first_step: number;
  last_step: number;
}
interface ExpectedFile {
  records: number;
  bad_crc_or_truncated: number;
  trailing_bytes: number;
  file_version: string;
  scalar_tags: Record<string, ExpectedTag>;
}

const corpus = corpusDir();
const expected: Record<string, ExpectedFile> = corpus
  ? (JSON.parse(fs.readFileSync(path.join(corpus, 'expected-tfevents.json'), 'utf8')) as Record<string, ExpectedFile>)
  : {};
const files = Object.keys(expected).sort();

function load(rel: string): Uint8Array {
  return new Uint8Array(fs.readFileSync(path.join(corpus!, rel)));
}

function find(prefix: string): Uint8Array {
  const rel = files.find((f) => f.startsWith(`tfevents/${prefix}`));
  assert.ok(rel, prefix);
  return load(rel);
}

test('the corpus lists every event file it holds', { skip: NO_CORPUS }, () => {
  const onDisk = fs.readdirSync(path.join(corpus!, 'tfevents')).map((f) => `tfevents/${f}`);
  assert.deepEqual(onDisk.sort(), files);
  assert.equal(files.length, 23);
});

for (const rel of files) {
  test(`agrees with the independent reader: ${path.basename(rel)}`, { skip: NO_CORPUS }, () => {
    const exp = expected[rel]!;
    const bytes = load(rel);
    const { run, reader } = readEvents(bytes);
    assert.deepEqual(run.errors, [], 'reads without error');
    assert.equal(exp.bad_crc_or_truncated, 0);
    assert.equal(reader.consumed, bytes.length - exp.trailing_bytes);
    assert.equal(reader.stats.records, exp.records);
    assert.equal(reader.stats.fileVersion, exp.file_version);
    assert.deepEqual(run.series.map((s) => s.tag).sort(), Object.keys(exp.scalar_tags).sort());
    for (const s of run.series) {
      const e = exp.scalar_tags[s.tag]!;
      const sum = summarize(s);
      let nan = 0;
      let inf = 0;
      for (const v of s.values) {
        if (Number.isNaN(v)) nan++;
        else if (!Number.isFinite(v)) inf++;
      }
      assert.deepEqual(
        { n: sum.count, nan, inf, min: sum.min, max: sum.max, first: sum.firstStep, last: sum.lastStep },
        { n: e.n, nan: e.nan, inf: e.inf, min: e.min, max: e.max, first: e.first_step, last: e.last_step },
        s.tag,
      );
      assert.equal(s.wallTimes?.length, s.steps.length, 'every point has its wall time');
      assert.ok(s.wallTimes.every((w) => w > 1.4e9 && w < 2e9), 'wall times are seconds since the epoch');
    }
  });
}

test('a header-only file (writer opened and closed) is one file_version record and no series', { skip: NO_CORPUS }, () => {
  const bytes = find('torch_tutorial_fmnist__events.out.tfevents.1663724565');
  assert.equal(bytes.length, 40);
  const { run, reader } = readEvents(bytes);
  assert.deepEqual(run.series, []);
  assert.deepEqual(run.errors, []);
  assert.equal(reader.stats.records, 1);
  assert.equal(reader.stats.fileVersion, 'brain.Event:2');
  const viaRegistry = readBytes('events.out.tfevents.1663724565.host', bytes);
  assert.equal(viaRegistry.failure, undefined);
  assert.equal(viaRegistry.runs[0]!.format, 'tfevents');
});

test('a file holding only a pr_curve tensor yields no scalars and skips the curve', { skip: NO_CORPUS }, () => {
  const { run, reader } = readEvents(find('torch_tutorial_fmnist__events.out.tfevents.1663726281'));
  assert.deepEqual(run.series, []);
  assert.deepEqual(run.errors, []);
  assert.equal(reader.stats.skippedValues, 1);
});

test('the tutorial file skips images and the pr_curve but keeps "training loss" (a tag with a space)', { skip: NO_CORPUS }, () => {
  const { run, reader } = readEvents(find('torch_tutorial_fmnist__events.out.tfevents.1663726253'));
  assert.deepEqual(
    run.series.map((s) => [s.tag, s.role]),
    [['training loss', 'train_loss']],
  );
  assert.ok(reader.stats.skippedValues >= 2);
});

test('SB3: NaN explained_variance is kept as values; loss and LR get their roles', { skip: NO_CORPUS }, () => {
  const { run } = readEvents(find('sb3_chess__PPO_1__'));
  const ev = run.series.find((s) => s.tag === 'train/explained_variance')!;
  assert.equal(ev.values.length, 233);
  assert.equal(ev.values.filter((v) => Number.isNaN(v)).length, 171);
  assert.equal(run.series.find((s) => s.tag === 'train/loss')!.role, 'train_loss');
  assert.equal(run.series.find((s) => s.tag === 'train/learning_rate')!.role, 'lr');
  assert.equal(run.series.find((s) => s.tag === 'train/learning_rate')!.values[0], Math.fround(3e-4));
});

test('Lightning: hparams from the hparams plugin, hp_metric, and repeated epoch steps kept', { skip: NO_CORPUS }, () => {
  const { run } = readEvents(find('lightning_lstm_textgen'));
  assert.deepEqual(run.hparams, { hidden_units: 512, num_layers: 2, seq_length: 100, lr: 0.001, num_chars: 29 });
  assert.equal(run.restarts.length, 0);
  const naf = readEvents(find('lightning_naf_dqn')).run;
  assert.equal(naf.hparams.lr, 0.0001);
  assert.equal(naf.hparams.optim, "<class 'torch.optim.adamw.AdamW'>");
  assert.equal(naf.series.find((s) => s.tag === 'episode/MSE Loss')!.values.length, 1742);
});

test('TF1: merged summaries (16 values per event at step 0, plus histograms) are all kept', { skip: NO_CORPUS }, () => {
  const { run, reader } = readEvents(find('tf1_zoo'));
  assert.equal(run.series.length, 32);
  assert.ok(run.series.every((s) => s.steps.length === 16 && s.steps.every((x) => x === 0)));
  assert.ok(reader.stats.skippedValues > 0, 'histograms skipped');
});

test('Keras: tensor scalars with the scalars plugin; images, histograms and the model graph skipped', { skip: NO_CORPUS }, () => {
  const { run, reader } = readEvents(find('keras_tbtutorial__imdb-model-1690485351__train'));
  assert.deepEqual(run.series.map((s) => s.tag).sort(), ['epoch_accuracy', 'epoch_loss']);
  assert.equal(run.series.find((s) => s.tag === 'epoch_loss')!.values[0], 0.5466302633285522);
  assert.equal(reader.stats.skippedValues, 121);
});

test('the common-shape decoder yields exactly what the general decoder yields, on every real record', { skip: NO_CORPUS }, () => {
  for (const rel of files) {
    const bytes = load(rel);
    assert.deepEqual(decodeLog(bytes, true), decodeLog(bytes, false), path.basename(rel));
  }
});

test('every real event file, pushed one byte at a time, holds back exactly the partial record at every byte', { skip: NO_CORPUS }, () => {
  for (const rel of files) {
    const problem = checkEveryByte(load(rel));
    assert.equal(problem, undefined, `${path.basename(rel)}: ${problem}`);
  }
});

/** Random cuts per large event file, on top of the cuts around its first record boundaries. */
const RANDOM_CUTS = 50;

test('truncation at a cut yields exactly the complete records before it: every byte of files up to 10 kB, strided for the larger', { skip: NO_CORPUS }, () => {
  const rand = seeded(2024);
  let cuts = 0;
  for (const rel of files) {
    const bytes = load(rel);
    const boundaries = recordBoundaries(bytes);
    const reference = referenceRuns(bytes);
    const check = (cut: number): void => {
      const chunks = [1 + Math.floor(rand() * 64), 1 + Math.floor(rand() * 4096)];
      const problem = checkCut(bytes, boundaries, cut, reference, chunks);
      assert.equal(problem, undefined, `${path.basename(rel)}: ${problem}`);
      cuts++;
    };
    if (bytes.length <= 10_000) {
      for (let cut = 0; cut <= bytes.length; cut++) check(cut);
      continue;
    }
    // Large files: the bytes around every record boundary of the first records (header,
    // length CRC, first data byte, footer), then a fixed number of seeded random cuts
    // (`npm run fuzz` cuts every byte of every file).
    let o = 0;
    for (const b of boundaries.slice(0, 40)) {
      for (const d of [0, 1, 7, 8, 11, 12, 13]) if (o + d <= bytes.length) check(o + d);
      for (const d of [1, 3, 4]) check(b - d);
      o = b;
    }
    for (let i = 0; i < RANDOM_CUTS; i++) check(Math.floor(rand() * (bytes.length + 1)));
    check(bytes.length);
  }
  assert.ok(cuts > 30_000, `${cuts} cuts`);
});
