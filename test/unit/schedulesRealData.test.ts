// Schedule identification on real files: the 45 labelled bench runs (their TensorBoard
// event files, metrics.csv and trainer_state.json) and corpus files whose schedule is
// known from their notes (../shared/corpus/manifest.tsv).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { readBytes } from '../../src/core/formats/registry';
import { primarySeries } from '../../src/core/model/roles';
import type { Series } from '../../src/core/model/series';
import { fitSchedule } from '../../src/core/schedules/fit';
import type { ScheduleFit } from '../../src/core/schedules/types';
import { metricsCsvLr, trainerStateLr, type LrColumn } from '../support/lrFiles';
import { benchDir, corpusDir, NO_CORPUS } from '../support/shared';

interface Label {
  run_id: string;
  schedule: Record<string, unknown> & { name: string };
  observed: { steps_per_epoch: number; lr_n_changes: number };
}

/** The family a bench run's LR must be identified as, and the parameters to check. */
function expectation(l: Label): { family: string; check: (fit: ScheduleFit) => void } {
  const s = l.schedule;
  const spe = l.observed.steps_per_epoch;
  const near = (a: number | undefined, b: number, rel: number, what: string): void =>
    assert.ok(a !== undefined && Math.abs(a - b) <= rel * Math.abs(b), `${l.run_id} ${what}: ${a} vs ${b}`);
  switch (s.name) {
    case 'none':
      return { family: 'constant', check: (f) => assert.equal(f.params.warmupSteps, 0, l.run_id) };
    case 'ReduceLROnPlateau':
      // This run never stalled long enough: its LR stayed constant.
      return l.observed.lr_n_changes === 0 ? { family: 'constant', check: () => {} } : { family: 'reduce_on_plateau', check: (f) => near(f.params.factor, s.factor as number, 1e-6, 'factor') };
    case 'ExponentialLR':
      return { family: 'exponential', check: (f) => near(f.params.gammaPerEpoch, s.gamma as number, 1e-4, 'gamma per epoch') };
    case 'StepLR': {
      const size = (s.step_size as number) * (s.unit === 'epoch' ? spe : 1);
      // StepLR(step_size=1 epoch) is ExponentialLR stepped per epoch: the same curve.
      if (size === spe) return { family: 'exponential', check: (f) => near(f.params.gammaPerEpoch, s.gamma as number, 1e-4, 'gamma per epoch') };
      return {
        family: 'step',
        check: (f) => {
          assert.equal(f.params.stepSize, size, `${l.run_id} step size`);
          near(f.params.gamma, s.gamma as number, 1e-4, 'gamma');
        },
      };
    }
    case 'CosineAnnealingWarmRestarts':
      return { family: 'cosine_warm_restarts', check: (f) => (assert.equal(f.params.T_0, (s.T_0 as number) * spe, l.run_id), assert.equal(f.params.T_mult, s.T_mult)) };
    case 'CyclicLR':
      return {
        family: 'cyclic_triangular',
        check: (f) => {
          assert.equal(f.params.stepSizeUp, s.step_size_up, l.run_id);
          near(f.params.maxLr, s.max_lr as number, 1e-4, 'max_lr');
          near(f.params.baseLr, s.base_lr as number, 1e-4, 'base_lr');
        },
      };
    case 'WarmupCosine':
      return { family: 'cosine', check: (f) => near(f.params.warmupSteps, s.warmup_steps as number, 0, 'warmup') };
    case 'OneCycleLR':
      return { family: 'one_cycle', check: (f) => near(f.params.maxLr, s.max_lr as number, 1e-3, 'max_lr') };
    case 'CosineAnnealingLR':
      return { family: 'cosine', check: () => {} };
    default:
      throw new Error(`unexpected schedule ${s.name}`);
  }
}

const BENCH = benchDir();

test('bench: every run\'s schedule is identified from its event file, metrics.csv and trainer_state.json', { skip: BENCH ? false : 'needs ../shared/bench', timeout: 600_000 }, (t) => {
  const labels = (JSON.parse(fs.readFileSync(path.join(BENCH!, 'labels.json'), 'utf8')) as { runs: Label[] }).runs;
  const tally = new Map<string, { right: number; total: number }>();
  const wrong: string[] = [];
  for (const l of labels) {
    const dir = path.join(BENCH!, 'runs', l.run_id);
    const tb = fs.readdirSync(path.join(dir, 'tb')).find((f) => f.startsWith('events.out.tfevents'))!;
    const tbRun = readBytes(tb, fs.readFileSync(path.join(dir, 'tb', tb))).runs[0]!;
    const sources: [string, LrColumn | Series | undefined][] = [
      ['tfevents', primarySeries(tbRun.series, 'lr')],
      ['metrics.csv', metricsCsvLr(path.join(dir, 'metrics.csv'))],
      ['trainer_state.json', trainerStateLr(path.join(dir, 'trainer_state.json'))],
    ];
    const exp = expectation(l);
    for (const [format, lr] of sources) {
      assert.ok(lr && lr.steps.length > 1, `${l.run_id} ${format} has an LR series`);
      const fit = fitSchedule(lr, { stepsPerEpoch: l.observed.steps_per_epoch });
      const key = `${exp.family} (${format})`;
      const cell = tally.get(key) ?? { right: 0, total: 0 };
      cell.total++;
      if (fit?.family === exp.family) {
        cell.right++;
        exp.check(fit);
      } else wrong.push(`${l.run_id} ${format}: ${JSON.stringify(l.schedule)} -> ${fit ? `${fit.family}: ${fit.summary}` : 'none'}`);
      tally.set(key, cell);
    }
  }
  for (const [k, v] of [...tally].sort()) t.diagnostic(`${k}: ${v.right}/${v.total}`);
  assert.deepEqual(wrong, []);
});

const CORPUS = corpusDir();
const corpusFile = (p: string): string => path.join(CORPUS!, p);

function tfeventsLr(file: string, tag: string): Series {
  const run = readBytes(path.basename(file), fs.readFileSync(file)).runs[0]!;
  const s = run.series.find((x) => x.tag === tag);
  assert.ok(s, `${tag} in ${file}`);
  return s;
}

test('corpus: event files with known schedules', { skip: NO_CORPUS }, () => {
  const dir = corpusFile('tfevents');
  const find = (prefix: string): string => path.join(dir, fs.readdirSync(dir).find((f) => f.startsWith(prefix))!);
  // Stable-Baselines3 PPO with the default constant 3e-4.
  for (const run of ['sb3_chess__PPO_1__', 'sb3_chess__PPO_5__', 'sb3_chess__PPO_10__']) {
    const fit = fitSchedule(tfeventsLr(find(run), 'train/learning_rate'))!;
    assert.equal(fit.family, 'constant');
    assert.ok(Math.abs(fit.params.lr! / 3e-4 - 1) < 1e-6, 'float32 3e-4');
  }
  // detectron2 balloon tutorial: BASE_LR 2.5e-4 with the default 1000-iteration warmup from
  // 1/1000 of it, but MAX_ITER 300: the warmup never ends.
  const d2 = fitSchedule(tfeventsLr(find('detectron2_balloon__'), 'lr'))!;
  assert.equal(d2.family, 'constant');
  assert.equal(d2.params.warmupUnfinished, 1);
  assert.ok(Math.abs(d2.params.warmupStartLr! - 2.5e-7) < 1e-9);
  // Hugging Face Trainer, linear decay without warmup over 215337 steps.
  const t5 = fitSchedule(tfeventsLr(find('hf_trainer_t5sum__'), 'train/learning_rate'))!;
  assert.equal(t5.family, 'linear');
  assert.equal(t5.params.warmupSteps, 0);
  assert.equal(t5.params.totalSteps, 215_337);
  // YOLOv5 hyp.scratch-low: 3 warmup epochs then linear decay from lr0 0.01 to lr0 * lrf,
  // logged once per epoch (the warmup is interpolated per iteration, so not exact).
  const yolo = fitSchedule(tfeventsLr(find('yolov5_lego__'), 'x/lr0'))!;
  assert.equal(yolo.family, 'linear');
  assert.ok(yolo.params.warmupSteps! >= 2 && yolo.params.warmupSteps! <= 3);
  assert.ok(yolo.fitError < 0.005);
});

test('corpus: trainer_state.json files with known schedules', { skip: NO_CORPUS }, () => {
  const fitOf = (name: string): ScheduleFit => {
    const lr = trainerStateLr(corpusFile(`hf_trainer_state/${name}`));
    const fit = fitSchedule(lr, { stepsPerEpoch: lr.stepsPerEpoch, plannedSteps: lr.maxSteps });
    assert.ok(fit, name);
    return fit;
  };
  const luster = fitOf('LusterSourav__adaption-autoscientist-bisenx__trainer_state.json');
  assert.equal(luster.family, 'cosine');
  assert.equal(luster.params.warmupSteps, 2);
  const iman = fitOf('iman-g__fine_tuning_llama_neutral_summary__results__trainer_state.json');
  assert.equal(iman.family, 'cosine');
  assert.equal(iman.params.warmupSteps, 69, 'ceil(0.05 * 1377)');
  assert.equal(iman.params.totalSteps, 1377);
  const lrqa = fitOf('yuanhuanghuang__quality__baselines_lrqa__init__.py.trainer_state.json');
  assert.equal(lrqa.family, 'linear');
  assert.equal(lrqa.params.warmupSteps, 316);
  assert.equal(lrqa.params.totalSteps, 3140);
  assert.equal(lrqa.exact, true);
  const whisper = fitOf('whisper-large-v2-japanese-5k__trainer_state.json');
  assert.equal(whisper.family, 'linear');
  assert.ok(Math.abs(whisper.params.warmupSteps! - 500) <= 4);
  for (const [name, lr, total] of [
    ['denizhaksoy__CarPlateRecognition__results__trainer_state.json', 5e-5, 200],
    ['AriesChen-UPC__GeoLLM__trainer_state.json', 0.02, 3000],
    ['10844110__t5-summarization-demo__trainer_state.json', 5e-5, 215_337],
  ] as const) {
    const fit = fitOf(name);
    assert.equal(fit.family, 'linear', name);
    assert.equal(fit.params.warmupSteps, 0, name);
    assert.equal(fit.params.totalSteps, total, name);
    assert.ok(Math.abs(fit.params.lr! / lr - 1) < 1e-6, name);
  }
  assert.equal(fitOf('siasio__StressDetection__results__trainer_state.json').family, 'constant');
  // An output directory reused: three entries of an earlier, shorter run, then a linear
  // decay over max_steps 2 411 050 from step 2000 on.
  const reused = fitOf('HakitoKun__nlp_project__results__trainer_state.json');
  assert.equal(reused.family, 'linear');
  assert.equal(reused.params.fromStep, 2000);
  assert.equal(reused.params.totalSteps, 2_411_050);
  assert.equal(reused.exact, true);
  const never = fitOf('Dude-0313__LogClassifier_Roberta_V1__output__trainer_state.json');
  assert.equal(never.family, 'constant');
  assert.equal(never.params.warmupUnfinished, 1);
  assert.equal(fitSchedule(trainerStateLr(corpusFile('hf_trainer_state/muntasir64__Sarcasm-Detection__results__trainer_state.json'))), undefined, 'empty log_history');
});

test('corpus: llm.c log with fixed-decimal LR printing (warmup to step 700, held one step, cosine to 0)', { skip: NO_CORPUS }, () => {
  const file = corpusFile('text/KellerJordan__modded-nanogpt__records__track_1_short__2024-10-13_llmc__main.log');
  const run = readBytes('main.log', fs.readFileSync(file)).runs[0]!;
  const fit = fitSchedule(primarySeries(run.series, 'lr')!)!;
  assert.equal(fit.family, 'cosine');
  assert.equal(fit.exact, true);
  assert.equal(fit.params.warmupSteps, 700);
  assert.equal(fit.params.holdSteps, 1);
  assert.equal(fit.params.decaySteps, 18_860);
  assert.equal(fit.params.endLr, 0);
});
