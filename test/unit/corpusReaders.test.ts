// Every real file in ../shared/corpus and every bench run read through the readers:
// nothing fails, each file yields the series a careful reader of it would list, and
// every point's value is printed on the line it claims to come from.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { readPath } from '../../src/core/formats/registry';
import type { Run } from '../../src/core/model/run';
import { primarySeries } from '../../src/core/model/roles';
import { nodeFileSystem } from '../../src/cli/nodeFileSystem';
import { benchDir, corpusDir, NO_CORPUS } from '../support/shared';
import { series, steps, values } from '../support/readers';

const corpus = corpusDir() ?? '';
const file = (rel: string): string => path.join(corpus, rel);

async function runsOf(rel: string): Promise<Run[]> {
  const r = await readPath(nodeFileSystem, file(rel));
  assert.equal(r.failure, undefined, `${rel}: ${r.failure}`);
  return r.runs;
}

async function runOf(rel: string): Promise<Run> {
  const runs = await runsOf(rel);
  assert.equal(runs.length, 1, rel);
  return runs[0]!;
}

/** Every number printed on a line (as the readers would see it: `1.5E-04`, `nan`, `inf`). */
function numbersOn(line: string): number[] {
  const out: number[] = [];
  for (const m of line.matchAll(/[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[-+]?\b(?:nan|NaN|inf|Inf|Infinity)\b/g)) {
    const t = m[0].toLowerCase().replace(/^\+/, '');
    out.push(t === 'nan' || t === '-nan' ? NaN : t.endsWith('inf') || t.endsWith('infinity') ? (t.startsWith('-') ? -Infinity : Infinity) : Number(t));
  }
  return out;
}

/** Each point's value appears on its source line (the file split as the editor splits it). */
function assertValuesOnTheirLines(run: Run, text: string): void {
  const fileLines = text.split(/\r\n|\r|\n/);
  for (const s of run.series) {
    if (!s.lines) continue;
    const n = s.values.length;
    for (const i of new Set([0, n >> 1, n - 1])) {
      if (i < 0 || s.lines[i] === 0) continue;
      const line = fileLines[s.lines[i]! - 1] ?? '';
      const v = s.values[i]!;
      const nums = numbersOn(line);
      const found = nums.some((x) => (Number.isNaN(v) ? Number.isNaN(x) : x === v || Math.abs(x - v) <= 1e-12 * Math.abs(v) || nums.some((d) => d !== 0 && Math.abs(x / d - v) < 1e-12)));
      assert.ok(found, `${run.name} ${s.tag}[${i}] = ${v} is not on line ${s.lines[i]}: ${line.slice(0, 200)}`);
    }
  }
}

test('every corpus file reads without error, with its values on their lines', { skip: NO_CORPUS }, async () => {
  for (const dir of ['text', 'csv', 'hf_trainer_state']) {
    for (const name of fs.readdirSync(file(dir)).sort()) {
      if (name.endsWith('.yaml')) continue;
      const rel = `${dir}/${name}`;
      const runs = await runsOf(rel);
      assert.ok(runs.length >= 1, rel);
      const text = fs.readFileSync(file(rel), 'utf8');
      for (const run of runs) {
        assert.deepEqual(run.errors, [], `${rel}: ${JSON.stringify(run.errors)}`);
        assertValuesOnTheirLines(run, text);
      }
    }
  }
});

test('the corpus folder walk finds every run', { skip: NO_CORPUS }, async () => {
  const r = await readPath(nodeFileSystem, corpus);
  assert.equal(r.problems, undefined);
  const byFormat: Record<string, number> = {};
  for (const run of r.runs) byFormat[run.format] = (byFormat[run.format] ?? 0) + 1;
  // One folder of event files is one TensorBoard run; 14 text logs (3 of them hold 7
  // trainings) and a CSV among the text files; 23 CSV tables; 16 trainer states;
  // `expected-tfevents.json` is not an event file.
  assert.deepEqual(byFormat, { tfevents: 1, text: 18, csv: 25, jsonl: 1, 'hf-trainer-state': 16 });
  for (const run of r.runs) if (run.format !== 'tfevents') assert.deepEqual(run.errors, [], run.source);
});

test('modded-nanogpt: the code prefix and `step_avg:nanms` give no points; train and val losses do', { skip: NO_CORPUS }, async () => {
  const muon = await runOf('text/KellerJordan__modded-nanogpt__records__track_1_short__2024-10-10_Muon__eb5659d0-fb6a-49e5-a311-f1f89412f726.txt');
  assert.deepEqual(muon.series.map((s) => s.tag).sort(), ['train_loss', 'val_loss']);
  const train = series(muon, 'train_loss');
  assert.equal(train.values.length, 6200);
  assert.deepEqual([train.steps[0], train.steps[6199]], [1, 6200]);
  assert.equal(train.values[0], 10.9184);
  assert.equal(train.lines![0], 587);
  assert.ok(values(train).every(Number.isFinite));
  assert.equal(series(muon, 'val_loss').values.length, 51);
  assert.equal(muon.meta.plannedSteps, 6200);

  const cooldown = await runOf('text/KellerJordan__modded-nanogpt__records__track_2_medium__2025-03-06_LongerCooldown__779c041a-2a37-45d2-a18b-ec0f223c2bb7.txt');
  assert.deepEqual(cooldown.series.map((s) => s.tag), ['val_loss']);
  assert.equal(cooldown.series[0]!.values.length, 57);
  assert.equal(cooldown.series[0]!.values[56], 2.9184);

  for (const [name, n] of [
    ['2024-10-20_ScaleUp1B__87bd51fd-6203-4c88-b3aa-8a849a6a83ca.txt', 20344],
    ['2024-10-29_Optimizers__8bfe4e35-c3fc-4b70-a984-3be937b71ff3.txt', 5100],
  ] as const) {
    const run = await runOf(`text/KellerJordan__modded-nanogpt__records__track_1_short__${name}`);
    assert.equal(series(run, 'train_loss').values.length, n, name);
  }
});

test('llm.c logs: trl, tel, lr and norm by `s:` step', { skip: NO_CORPUS }, async () => {
  const llmc = await runOf('text/KellerJordan__modded-nanogpt__records__track_1_short__2024-10-13_llmc__main.log');
  assert.equal(llmc.meta.family, 'llm.c');
  for (const tag of ['trl', 'lr', 'norm']) assert.equal(series(llmc, tag).values.length, 19560, tag);
  assert.equal(series(llmc, 'tel').values.length, 80);
  assert.equal(series(llmc, 'lr').role, 'lr');
  assert.equal(series(llmc, 'norm').role, 'grad_norm');
  assert.deepEqual(values(series(llmc, 'lr')).slice(0, 3), [0.000001, 0.000002, 0.000003]);
  const adamw = await runOf('text/KellerJordan__modded-nanogpt__records__track_1_short__2024-06-06_AdamW__f66d43d7-e449-4029-8adf-e8537bab49ea.log');
  assert.equal(series(adamw, 'trl').values.length, 9536);
  assert.equal(series(adamw, 'tel').values.length, 76);
  const medium = await runOf('text/KellerJordan__modded-nanogpt__records__track_2_medium__2025-01-18__main.log');
  assert.deepEqual(medium.series.map((s) => [s.tag, s.values.length]), [['tel', 241]]);
});

test('markdown logs of several trainings become one run each', { skip: NO_CORPUS }, async () => {
  const runs = await runsOf('text/dla_resnet__log-resnet_18-vs-34-vs-50.md');
  assert.deepEqual(
    runs.map((r) => r.name.replace(/^.*\((.*)\)$/, '$1')),
    ['resnet-50', 'resnet-34', 'resnet-18'],
  );
  for (const run of runs) {
    assert.equal(series(run, 'lr').values.length, 100);
    assert.equal(series(run, 'train Loss').role, 'train_loss');
    assert.equal(series(run, 'test Loss').role, 'val_loss');
    assert.deepEqual([series(run, 'test Loss').steps[0], series(run, 'test Loss').steps[99]], [1, 100]);
  }
  // `lr: [0.0002]` (a scheduler's get_last_lr() list) is read as 0.0002.
  assert.equal(series(runs[0]!, 'lr').values[0], 0.0002);
  assert.equal(series(runs[2]!, 'train Loss').values[99], 0.2335);
  assert.equal((await runsOf('text/dla_resnet__log-dense101-vs-resnet34_v2.md')).length, 2);
});

test('Keras 1 logs of several fit() calls keep the last one (restarts are recorded)', { skip: NO_CORPUS }, async () => {
  const run = await runOf('text/kanji_keras1__model30x30_training_log.txt');
  assert.equal(run.meta.family, 'keras');
  const loss = series(run, 'loss');
  assert.deepEqual(steps(loss), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  assert.equal(loss.values[0], 0.191);
  assert.ok(run.restarts.length > 0);
  assert.ok(!run.series.some((s) => s.tag === 'val_loss'), 'the last fit() has no validation');
});

test('NoProp markdown log: epochs as steps, accuracy every tenth epoch', { skip: NO_CORPUS }, async () => {
  const run = await runOf('text/noprop__logs__log_cifar100.md');
  const loss = series(run, 'loss');
  assert.equal(loss.values.length, 652);
  assert.deepEqual([loss.steps[0], loss.values[0]], [1, 75.6049]);
  assert.equal(series(run, 'Acc').values[0], 9.32);
});

test('detectron2 metrics.json: the aborted first record is replaced by the restarted run', { skip: NO_CORPUS }, async () => {
  const run = await runOf('text/detectron2_balloon__metrics.json');
  assert.equal(run.format, 'jsonl');
  const total = series(run, 'total_loss');
  assert.equal(total.values.length, 15);
  assert.deepEqual([total.steps[0], total.steps[14]], [19, 299]);
  assert.equal(total.lines![0], 2);
  assert.ok(run.restarts.some((r) => r.step === 19 && r.tag === 'total_loss' && r.dropped === 1));
  assert.equal(series(run, 'lr').role, 'lr');
});

test('CSV tables: Lightning, Keras CSVLogger (\\r\\r\\n, appended runs), YOLO, Stable-Baselines3', { skip: NO_CORPUS }, async () => {
  const sb3 = await runOf('text/sb3_chess__logs__progress.csv');
  assert.equal(sb3.format, 'csv');
  assert.equal(sb3.meta.family, 'stable-baselines3');
  const ev = series(sb3, 'train/explained_variance');
  assert.equal(ev.values.length, 102);
  assert.equal(ev.steps[0], 10);
  assert.ok(values(ev).filter(Number.isNaN).length > 50);
  assert.equal(series(sb3, 'train/learning_rate').role, 'lr');

  const crcrlf = await runOf('csv/keras_csvlogger__Deepender25_digit_cnn__training_log.csv');
  const lr = series(crcrlf, 'learning_rate');
  assert.deepEqual([lr.values.length, lr.steps[0], lr.steps[29]], [30, 0, 29]);
  // `\r\r\n` ends a line and leaves an empty one, as the editor shows it.
  assert.deepEqual([lr.lines![0], lr.lines![1]], [3, 5]);

  const appended = await runOf('csv/keras_csvlogger__AkshatSharma5_brain_tumor__training_log.csv');
  assert.deepEqual(steps(series(appended, 'loss')), [0, 1, 2, 3, 4]);
  assert.deepEqual(
    [...new Set(appended.restarts.map((r) => r.line))],
    [7, 11, 21],
  );

  const lightning = await runOf('csv/slm_lrsweep__final_version_0__metrics.csv');
  assert.equal(lightning.meta.family, 'lightning');
  assert.equal(series(lightning, 'val_loss').values.length, 10);
  assert.equal(series(lightning, 'train_loss_epoch').values.length, 10);
  assert.equal(series(lightning, 'train_loss_step').values.length, 2814);
  assert.equal(series(lightning, 'epoch').role, 'epoch');

  const yolo = await runOf('csv/yolov5_lego__results.csv');
  assert.equal(series(yolo, 'x/lr2').values[0], 0.070191);
  assert.equal(series(yolo, 'train/box_loss').values.length, 50);
  const v8 = await runOf('csv/yolov8_learning__train__results.csv');
  assert.deepEqual(steps(series(v8, 'lr/pg0')), [1, 2, 3]);
});

test('trainer_state.json: train and eval series by step, literal NaN, meta and hparams', { skip: NO_CORPUS }, async () => {
  const nan = await runOf('hf_trainer_state/MattthiasSchedel__DAT55-Project4__results__trainer_state.json');
  const gn = series(nan, 'grad_norm');
  assert.equal(gn.values.length, 100);
  const at12 = steps(gn).indexOf(12);
  assert.ok(Number.isNaN(gn.values[at12]!), 'grad_norm is NaN at step 12');
  assert.equal(nan.meta.plannedSteps, 100);

  const over = await runOf('hf_trainer_state/iman-g__fine_tuning_llama_neutral_summary__results__trainer_state.json');
  assert.deepEqual(steps(series(over, 'eval_loss')), [200, 400, 600, 800, 1000, 1200]);
  assert.equal(over.hparams.best_metric, 1.2779600620269775);
  assert.equal(over.hparams.best_model_checkpoint, './llama3-bias-lora-v5/checkpoint-200');
  assert.equal(over.meta.plannedSteps, 1377);
  assert.equal(over.meta.plannedEpochs, 3);

  const resumed = await runOf('hf_trainer_state/HakitoKun__nlp_project__results__trainer_state.json');
  assert.equal(series(resumed, 'loss').values.length, 220);
  assert.equal(resumed.meta.plannedSteps, 2411050);

  const empty = await runOf('hf_trainer_state/muntasir64__Sarcasm-Detection__results__trainer_state.json');
  assert.deepEqual(empty.series, []);
  assert.equal(empty.meta.plannedSteps, 300);

  const onlyEval = await runOf('hf_trainer_state/Sonali-999__crypto__results__trainer_state.json');
  assert.deepEqual(onlyEval.series.map((s) => s.tag).slice(0, 2), ['eval_loss', 'eval_mse']);
  assert.equal(onlyEval.series[0]!.lines![0], 13);

  const whisper = await runOf('hf_trainer_state/whisper-large-v2-japanese-5k__trainer_state.json');
  assert.equal(whisper.meta.stepsPerEpoch, 131);
  assert.equal(series(whisper, 'loss').values.length, 200);
});

interface BenchLabel {
  run_id: string;
  base_lr: number;
  optimizer: string;
  label: string;
  observed: { n_steps: number; steps_per_epoch: number; first_nonfinite_loss_step: number | null };
}

test('bench runs: all three formats of each of the 45 runs read, and agree with the labels', { skip: NO_CORPUS || !benchDir() }, async () => {
  const bench = benchDir()!;
  const labels = (JSON.parse(fs.readFileSync(path.join(bench, 'labels.json'), 'utf8')) as { runs: BenchLabel[] }).runs;
  assert.equal(labels.length, 45);
  for (const l of labels) {
    const dir = path.join(bench, 'runs', l.run_id);
    for (const name of ['train.log', 'metrics.csv', 'trainer_state.json']) {
      const r = await readPath(nodeFileSystem, path.join(dir, name));
      const where = `${l.run_id}/${name}`;
      assert.equal(r.failure, undefined, where);
      const run = r.runs[0]!;
      assert.deepEqual(run.errors, [], where);
      const loss = primarySeries(run.series, 'train_loss');
      assert.ok(loss && loss.values.length >= 5, `${where}: a training loss`);
      if (l.observed.first_nonfinite_loss_step !== null)
        assert.ok(values(loss).some((v) => !Number.isFinite(v)), `${where}: the loss became non-finite`);
      else assert.ok(values(loss).every(Number.isFinite), `${where}: the loss stayed finite`);
      if (name === 'trainer_state.json') {
        assert.equal(run.meta.stepsPerEpoch, l.observed.steps_per_epoch, where);
        assert.equal(loss.steps[loss.steps.length - 1]! <= l.observed.n_steps, true, where);
      }
      if (name === 'train.log') {
        // Every console style states the LR: in an args dump, or as a logged series.
        const lrs = run.series.filter((s) => s.role === 'lr');
        const stated = typeof run.hparams.lr === 'number' ? run.hparams.lr : lrs[0]?.values[0];
        assert.ok(stated !== undefined, `${where}: the LR`);
        if (typeof run.hparams.lr === 'number') assert.ok(Math.abs(run.hparams.lr / l.base_lr - 1) < 1e-4, where);
        if (run.meta.stepsPerEpoch !== undefined) assert.equal(run.meta.stepsPerEpoch, l.observed.steps_per_epoch, where);
      }
    }
  }
});
