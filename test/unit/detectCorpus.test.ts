// The detectors on real runs written by real frameworks (../shared/corpus): the healthy
// ones stay quiet (no warning or error), the sick ones are found. Files are read through
// the project's own readers; Keras train/ and validation/ event files are read as the
// logdir they came from.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyzeSweep } from '../../src/core/advice/sweep';
import { analyzeRun } from '../../src/core/analysis/analyze';
import { readPath } from '../../src/core/formats/registry';
import { nodeFileSystem } from '../../src/cli/nodeFileSystem';
import { loudRules } from '../support/curves';
import { NO_CORPUS, corpusDir } from '../support/shared';

interface Case {
  /** Files under the corpus folder; several = one logdir, placed in the subfolders named by `dirs`. */
  files: string[];
  dirs?: string[];
  /** The warning/error rules expected, sorted; [] = healthy. */
  expect: string[];
  why: string;
}

const KERAS = 'tfevents/keras_tbtutorial__';
const pair = (name: string, train: string, validation: string): Pick<Case, 'files' | 'dirs'> => ({
  files: [`${KERAS}${name}__train__events.out.tfevents.${train}`, `${KERAS}${name}__validation__events.out.tfevents.${validation}`],
  dirs: ['train', 'validation'],
});

const CASES: Case[] = [
  { files: ['tfevents/detectron2_balloon__events.out.tfevents.1737378888.LAPTOP-1BH8GF02.2695.0'], expect: [], why: 'short healthy fine-tune (its LR ramps for the whole run: info only)' },
  { files: ['tfevents/hf_trainer_t5sum__runs__events.out.tfevents.1742826235.DESKTOP-41L2EO3.107869.0'], expect: [], why: 'T5 fine-tune from a pretrained model: little to gain, not sick' },
  { files: ['tfevents/hf_trainer_t5sum__runs__events.out.tfevents.1742884204.DESKTOP-41L2EO3.107869.1'], expect: [], why: 'one evaluation point' },
  { ...pair('experiments__Exp_0_adam_200_0.2', '1690483602.e-bnbobg-5l77j-0.61366.2.v2', '1690483610.e-bnbobg-5l77j-0.61366.3.v2'), expect: [], why: 'healthy MNIST baseline' },
  { ...pair('experiments__Exp_2_sgd_200_0.2', '1690483747.e-bnbobg-5l77j-0.61366.8.v2', '1690483753.e-bnbobg-5l77j-0.61366.9.v2'), expect: [], why: 'slower than Adam, which only a sweep comparison shows' },
  { ...pair('imdb-model-1690485351', '1690485354.e-bnbobg-5l77j-0.80091.0.v2', '1690485359.e-bnbobg-5l77j-0.80091.1.v2'), expect: ['overfitting'], why: 'validation loss 0.275 → 0.518 while training loss falls' },
  { ...pair('mod1-reuters-1690485395', '1690485396.e-bnbobg-5l77j-0.80091.3.v2', '1690485399.e-bnbobg-5l77j-0.80091.4.v2'), expect: ['overfitting'], why: 'validation loss turns up after epoch 8' },
  { files: ['tfevents/lightning_lstm_textgen__version_0__events.out.tfevents.1716735746.99c8c45923de.3769.0'], expect: [], why: 'validation loss stalls at a constant LR (info, with ReduceLROnPlateau)' },
  { files: ['tfevents/lightning_naf_dqn__version_0__events.out.tfevents.1714995112.Akshay.29700.1'], expect: [], why: 'RL: a noisy return is not a loss' },
  { files: ['tfevents/sb3_chess__PPO_1__events.out.tfevents.1675730338.Nikhil-3080.34092.0'], expect: [], why: 'RL losses spike by design' },
  { files: ['tfevents/sb3_chess__PPO_5__events.out.tfevents.1675731804.Nikhil-3080.24064.0'], expect: [], why: 'RL' },
  { files: ['tfevents/sb3_chess__PPO_10__events.out.tfevents.1675754750.Nikhil-3080.24136.0'], expect: [], why: 'RL: the value loss grows while the reward improves' },
  { files: ['tfevents/tf1_zoo__training__events.out.tfevents.1498960824.fletcher-research'], expect: [], why: 'no loss scalars' },
  { files: ['tfevents/torch_tutorial_fmnist__events.out.tfevents.1663726253.Dipeshs-MacBook-Pro.local.10148.0'], expect: [], why: 'tiny healthy run, 15 points' },
  { files: ['tfevents/yolov5_lego__runs_train_exp__events.out.tfevents.1655416124.33f6a3a27a4d.385.0'], expect: [], why: 'YOLOv5 with warmup then linear decay' },
  { files: ['text/KellerJordan__modded-nanogpt__records__track_1_short__2024-06-06_AdamW__f66d43d7-e449-4029-8adf-e8537bab49ea.log'], expect: [], why: 'healthy GPT-2 baseline' },
  { files: ['text/KellerJordan__modded-nanogpt__records__track_1_short__2024-10-13_llmc__main.log'], expect: [], why: 'healthy llm.c run with warmup' },
  { files: ['text/KellerJordan__modded-nanogpt__records__track_1_short__2024-10-10_Muon__eb5659d0-fb6a-49e5-a311-f1f89412f726.txt'], expect: [], why: 'healthy; step_avg:nanms is not a NaN loss' },
  { files: ['text/KellerJordan__modded-nanogpt__records__track_2_medium__2025-03-06_LongerCooldown__779c041a-2a37-45d2-a18b-ec0f223c2bb7.txt'], expect: [], why: 'trapezoidal schedule with a long cooldown' },
  { files: ['text/KellerJordan__modded-nanogpt__records__track_1_short__2024-10-20_ScaleUp1B__87bd51fd-6203-4c88-b3aa-8a849a6a83ca.txt'], expect: [], why: 'healthy 1.5B scale-up run' },
  { files: ['text/detectron2_balloon__metrics.json'], expect: [], why: 'short healthy fine-tune' },
  { files: ['text/dla_resnet__log-dense101-vs-resnet34_v2.md'], expect: [], why: 'two healthy step-schedule runs in one log' },
  { files: ['text/dla_resnet__log-resnet_18-vs-34-vs-50.md'], expect: [], why: 'three healthy step-schedule runs in one log' },
  { files: ['text/kanji_keras1__model30x30_training_log.txt'], expect: [], why: 'several healthy Keras fit() calls' },
  { files: ['text/noprop__logs__log_cifar100.md'], expect: ['loss_spike'], why: 'a loss spike at epoch 1197 after which accuracy drops 43% → 35%' },
  { files: ['text/sb3_chess__logs__progress.csv'], expect: [], why: 'RL' },
  { files: ['csv/keras_csvlogger__Deepender25_digit_cnn__training_log.csv'], expect: [], why: 'healthy CNN with ReduceLROnPlateau' },
  { files: ['csv/keras_csvlogger__AkshatSharma5_brain_tumor__training_log.csv'], expect: [], why: 'several fit() calls appended' },
  { files: ['csv/keras_csvlogger__Aitzaz-Saleem_tomato_leaf__training_log.csv'], expect: [], why: 'validation loss stalls, noisy (info only)' },
  { files: ['csv/lightning_probing__version_3__metrics.csv'], expect: [], why: 'a linear probe that learns' },
  { files: ['csv/slm_lrsweep__final_version_0__metrics.csv'], expect: [], why: 'healthy long run' },
  { files: ['csv/slm_lrsweep__sweep_version_11__metrics.csv'], expect: [], why: 'the best LR of the sweep' },
  { files: ['csv/yolov5_lego__results.csv'], expect: [], why: 'YOLOv5 with warmup then linear decay' },
  { files: ['csv/yolov8_learning__train__results.csv'], expect: [], why: 'three epochs: too short to call' },
  { files: ['hf_trainer_state/10844110__t5-summarization-demo__trainer_state.json'], expect: [], why: 'T5 fine-tune' },
  { files: ['hf_trainer_state/LusterSourav__adaption-autoscientist-bisenx__trainer_state.json'], expect: [], why: 'healthy 21-step run' },
  { files: ['hf_trainer_state/MattthiasSchedel__DAT55-Project4__results__trainer_state.json'], expect: [], why: 'a NaN gradient norm at a skipped step is not a NaN loss' },
  { files: ['hf_trainer_state/denizhaksoy__CarPlateRecognition__results__trainer_state.json'], expect: [], why: 'gradient-norm spike without a loss spike' },
  { files: ['hf_trainer_state/Dude-0313__LogClassifier_Roberta_V1__output__trainer_state.json'], expect: [], why: 'warmup never ends, but the loss still fell 1000× (info)' },
  { files: ['hf_trainer_state/iman-g__fine_tuning_llama_neutral_summary__results__trainer_state.json'], expect: ['overfitting'], why: 'eval loss rises 1.278 → 1.738 while train loss falls' },
  { files: ['hf_trainer_state/siasio__StressDetection__results__trainer_state.json'], expect: ['divergence'], why: 'loss climbs back from 2114 to ~8600 at a constant LR' },
  { files: ['hf_trainer_state/yuanhuanghuang__quality__baselines_lrqa__init__.py.trainer_state.json'], expect: ['plateau'], why: 'stuck at ln 4 for the whole run' },
];

async function verdict(c: Case): Promise<string[]> {
  const root = corpusDir()!;
  let target = path.join(root, c.files[0]!);
  let tmp: string | undefined;
  if (c.files.length > 1) {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lr-lens-corpus-'));
    c.files.forEach((f, i) => {
      const dir = path.join(tmp!, c.dirs![i]!);
      fs.mkdirSync(dir, { recursive: true });
      fs.copyFileSync(path.join(root, f), path.join(dir, path.basename(f)));
    });
    target = tmp;
  }
  try {
    const result = await readPath(nodeFileSystem, target);
    return loudRules(result.runs.flatMap((r) => analyzeRun(r)));
  } finally {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

for (const c of CASES) {
  test(`corpus: ${path.basename(c.files[0]!).slice(0, 60)} → ${c.expect.join('+') || 'quiet'} (${c.why})`, { skip: NO_CORPUS }, async () => {
    assert.deepEqual(await verdict(c), c.expect);
  });
}

test('corpus: the SLM LR sweep (Lightning version folders) names the unstable and too-slow LRs', { skip: NO_CORPUS }, async () => {
  const root = corpusDir()!;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lr-lens-sweep-'));
  try {
    for (const f of fs.readdirSync(path.join(root, 'csv'))) {
      const m = /^slm_lrsweep__(.+)__metrics\.csv$/.exec(f);
      if (!m) continue;
      const dir = path.join(tmp, m[1]!);
      fs.mkdirSync(dir);
      fs.copyFileSync(path.join(root, 'csv', f), path.join(dir, 'metrics.csv'));
      fs.copyFileSync(path.join(root, 'csv', f.replace('metrics.csv', 'hparams.yaml')), path.join(dir, 'hparams.yaml'));
    }
    const runs = (await readPath(nodeFileSystem, tmp)).runs;
    assert.equal(runs.length, 12);
    const g = analyzeSweep(runs.map((run) => ({ run, findings: analyzeRun(run) }))).groups[0]!;
    // Ground truth from the runs' hparams.yaml and curves (see the corpus manifest):
    // 4.5e-4 and above never learn, 1.1e-4 and below crawl, 2.7e-4 is best.
    assert.equal(g.best?.name, 'sweep_version_11');
    assert.ok(Math.abs(g.unstableFrom! - 4.48e-4) < 1e-6, String(g.unstableFrom));
    assert.ok(Math.abs(g.tooSlowUpTo! - 1.08e-4) < 1e-6, String(g.tooSlowUpTo));
    assert.ok(g.recommendedLr! > g.tooSlowUpTo! && g.recommendedLr! < g.unstableFrom!);
    assert.deepEqual(g.entries.filter((e) => e.status === 'not_compared').map((e) => e.name).sort(), ['final_version_0', 'final_version_5']);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
