// The detectors on real runs written by real frameworks (../shared/corpus): the healthy
// ones stay quiet (no warning or error), the sick ones are found. Files are read through
// the project's own readers; Keras train/ and validation/ event files are read as the
// logdir they came from.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
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
