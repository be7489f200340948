// Generated sample runs for the demo workspace and the tests. Each is a plausible
// training log shaped like what a framework prints; none is copied from anywhere.
import { gaussian, seeded } from './random';
import { EventFile, fileVersionEvent, tensorScalarValue } from './tfeventsWriter';

export interface SampleFile {
  /** Path relative to the workspace root. */
  path: string;
  content: string | Uint8Array;
  /** What a reader of the curve would say. */
  note: string;
}

const fmtLr = (x: number): string => x.toExponential(2);

/**
 * nanoGPT-style log (`step N/T | loss X | lr Y | ...`) of a run whose LR warms up to 3e-3
 * and whose loss blows up to NaN 40 steps after the peak.
 */
export function divergingLog(): SampleFile {
  const noise = gaussian(seeded(7));
  const total = 5000;
  const warmup = 1000;
  const peak = 3e-3;
  const nanAt = warmup + 40;
  const lines = ['# gpt-mini on shakespeare_char, AdamW(betas=(0.9, 0.95)), batch 64, block 256', 'number of parameters: 10.65M'];
  let loss = 4.2;
  for (let step = 0; step <= 1200; step += 10) {
    const lr = peak * Math.min(1, (step + 1) / warmup);
    if (step < nanAt) {
      loss = 1.3 + 2.9 * Math.exp(-step / 350) + 0.03 * noise();
      if (step > warmup - 120) loss += ((step - (warmup - 120)) / 160) ** 2 * 0.6;
    }
    const shown = step >= nanAt ? 'nan' : loss.toFixed(4);
    lines.push(`step ${step}/${total} | loss ${shown} | lr ${fmtLr(lr)} | norm ${(0.9 + 0.1 * noise()).toFixed(4)} | dt ${(212 + 5 * noise()).toFixed(1)}ms`);
  }
  return { path: 'runs/diverging/train.log', content: lines.join('\n') + '\n', note: 'loss becomes NaN at step 1040, 40 steps after the LR peaks at 3e-3' };
}

/** A healthy run with linear warmup and cosine decay, printed in the same style. */
export function healthyLog(): SampleFile {
  const noise = gaussian(seeded(11));
  const total = 3000;
  const warmup = 200;
  const peak = 6e-4;
  const minLr = 6e-5;
  const lines = ['# gpt-mini on shakespeare_char, AdamW, cosine schedule with warmup'];
  for (let step = 0; step <= total; step += 10) {
    const lr =
      step < warmup ? (peak * (step + 1)) / warmup : minLr + 0.5 * (peak - minLr) * (1 + Math.cos((Math.PI * (step - warmup)) / (total - warmup)));
    const loss = 1.05 + 3.1 * Math.exp(-step / 450) + 0.025 * noise();
    lines.push(`step ${step}/${total} | loss ${loss.toFixed(4)} | lr ${fmtLr(lr)} | norm ${(0.6 + 0.05 * noise()).toFixed(4)}`);
  }
  return { path: 'runs/healthy/train.log', content: lines.join('\n') + '\n', note: 'smooth decrease under warmup + cosine' };
}

/**
 * A PyTorch `SummaryWriter` event file of a healthy run under SGDR
 * (CosineAnnealingWarmRestarts, T_0=500, T_mult=2): `Loss/train` every 10 steps,
 * `Loss/val` every 250, `learning_rate` every 10.
 */
export function sgdrEvents(): SampleFile {
  const noise = gaussian(seeded(23));
  const f = new EventFile();
  const t0 = 1_700_000_000;
  f.add(fileVersionEvent(t0));
  const peak = 0.1;
  const minLr = 1e-4;
  for (let step = 0; step <= 3500; step += 10) {
    let t = step;
    let period = 500;
    while (t >= period) {
      t -= period;
      period *= 2;
    }
    const lr = minLr + 0.5 * (peak - minLr) * (1 + Math.cos((Math.PI * t) / period));
    const loss = 0.35 + 1.9 * Math.exp(-step / 700) + 0.04 * noise() + 0.05 * (lr / peak);
    const wallTime = t0 + step * 0.21;
    f.add({ wallTime, step, summary: [{ tag: 'Loss/train', simpleValue: loss }] });
    f.add({ wallTime, step, summary: [{ tag: 'learning_rate', simpleValue: lr }] });
    if (step % 250 === 0) f.add({ wallTime, step, summary: [{ tag: 'Loss/val', simpleValue: loss + 0.08 + 0.01 * noise() }] });
  }
  return { path: 'runs/sgdr/events.out.tfevents.1700000000.demo-host.4242.0', content: f.bytes(), note: 'healthy SGDR run (warm restarts are not instability)' };
}

/**
 * A Keras `TensorBoard` callback pair (TF2 tensor scalars): `train/` and `validation/`
 * with `epoch_loss` per epoch; validation loss turns up after epoch 8 while training
 * loss keeps falling.
 */
export function kerasOverfitEvents(): SampleFile[] {
  const t0 = 1_700_100_000;
  const train = new EventFile().add(fileVersionEvent(t0, null));
  const val = new EventFile().add(fileVersionEvent(t0 + 5, null));
  for (let epoch = 0; epoch < 30; epoch++) {
    const tl = 0.08 + 1.2 * Math.exp(-epoch / 5);
    const vl = 0.3 + 1.0 * Math.exp(-epoch / 4) + (epoch > 8 ? 0.025 * (epoch - 8) : 0);
    train.add({ wallTime: t0 + 10 * epoch, step: epoch, summary: [tensorScalarValue('epoch_loss', tl)] });
    train.add({ wallTime: t0 + 10 * epoch, step: epoch, summary: [tensorScalarValue('epoch_learning_rate', 1e-3)] });
    val.add({ wallTime: t0 + 10 * epoch + 2, step: epoch, summary: [tensorScalarValue('epoch_loss', vl)] });
  }
  return [
    { path: 'runs/keras_overfit/train/events.out.tfevents.1700100000.demo-host.77.0.v2', content: train.bytes(), note: 'Keras train/ half' },
    { path: 'runs/keras_overfit/validation/events.out.tfevents.1700100005.demo-host.77.1.v2', content: val.bytes(), note: 'Keras validation/ half: overfits after epoch 8' },
  ];
}

/** A Hugging Face `trainer_state.json` (new format) of a healthy fine-tune, linear schedule with warmup. */
export function hfTrainerState(): SampleFile {
  const noise = gaussian(seeded(5));
  const maxSteps = 1500;
  const warmup = 150;
  const peak = 5e-5;
  const history: Record<string, number>[] = [];
  for (let step = 10; step <= maxSteps; step += 10) {
    const lr = step < warmup ? (peak * step) / warmup : (peak * (maxSteps - step)) / (maxSteps - warmup);
    const loss = 0.28 + 0.9 * Math.exp(-step / 300) + 0.03 * noise();
    history.push({ epoch: Number((step / 500).toFixed(4)), grad_norm: Number((2 + noise() * 0.3).toFixed(4)), learning_rate: lr, loss: Number(loss.toFixed(4)), step });
    if (step % 500 === 0)
      history.push({ epoch: step / 500, eval_loss: Number((0.33 + 0.5 * Math.exp(-step / 400)).toFixed(4)), eval_runtime: 12.3, eval_samples_per_second: 162.6, eval_steps_per_second: 20.3, step });
  }
  const state = {
    best_metric: null,
    best_model_checkpoint: null,
    epoch: 3.0,
    eval_steps: 500,
    global_step: maxSteps,
    is_hyper_param_search: false,
    is_local_process_zero: true,
    is_world_process_zero: true,
    log_history: history,
    logging_steps: 10,
    max_steps: maxSteps,
    num_input_tokens_seen: 0,
    num_train_epochs: 3,
    save_steps: 500,
    total_flos: 1.2e15,
    train_batch_size: 16,
    trial_name: null,
    trial_params: null,
  };
  return { path: 'runs/hf_finetune/trainer_state.json', content: JSON.stringify(state, null, 2) + '\n', note: 'healthy fine-tune, linear decay with 150-step warmup' };
}

/** A PyTorch Lightning `CSVLogger` run whose LR is far too low: the loss barely moves. */
export function lightningSlowCsv(): SampleFile[] {
  const noise = gaussian(seeded(9));
  const rows = ['epoch,lr-SGD,step,train_loss_step,train_loss_epoch,val_loss'];
  const stepsPerEpoch = 100;
  for (let epoch = 0; epoch < 20; epoch++) {
    let sum = 0;
    for (let b = 0; b < stepsPerEpoch; b += 10) {
      const step = epoch * stepsPerEpoch + b;
      const loss = 2.30 - 0.00004 * step + 0.004 * noise();
      sum += loss;
      rows.push(`${epoch},1e-05,${step},${loss.toFixed(4)},,`);
    }
    const end = (epoch + 1) * stepsPerEpoch - 1;
    rows.push(`${epoch},,${end},,${(sum / 10).toFixed(4)},`);
    rows.push(`${epoch},,${end},,,${(2.31 - 0.00004 * end).toFixed(4)}`);
  }
  return [
    { path: 'runs/lightning/version_0/metrics.csv', content: rows.join('\n') + '\n', note: 'SGD at 1e-5: slow convergence' },
    { path: 'runs/lightning/version_0/hparams.yaml', content: 'lr: 1.0e-05\noptimizer: SGD\nbatch_size: 64\nmax_epochs: 20\n', note: 'Lightning hparams' },
  ];
}

/**
 * A small PyTorch script shaped like pytorch/examples (a GPT-style model, AdamW, a
 * StepLR sized in epochs but stepped in the batch loop), the kind of script the
 * diverging log comes from.
 */
export function gptScript(): SampleFile {
  const text = `# Train a small GPT on characters (shaped like pytorch/examples and nanoGPT).
import argparse

import torch
import torch.nn.functional as F
from torch.optim.lr_scheduler import StepLR

from model import GPT, GPTConfig
from data import get_loaders

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=90)
parser.add_argument("--batch-size", type=int, default=64)
args = parser.parse_args()

learning_rate = 3e-3
weight_decay = 0.1


def main():
    train_loader, val_loader = get_loaders(args.batch_size)
    model = GPT(GPTConfig(n_layer=6, n_head=6, n_embd=384))
    optimizer = torch.optim.AdamW(model.parameters(), lr=learning_rate, betas=(0.9, 0.95), weight_decay=weight_decay)
    scheduler = StepLR(optimizer, step_size=30, gamma=0.1)

    for epoch in range(args.epochs):
        model.train()
        for x, y in train_loader:
            logits = model(x)
            loss = F.cross_entropy(logits.view(-1, logits.size(-1)), y.view(-1))
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            scheduler.step()
        print(f"epoch {epoch} loss {loss.item():.4f} lr {scheduler.get_last_lr()[0]:.2e}")


if __name__ == "__main__":
    main()
`;
  return { path: 'scripts/train_gpt.py', content: text, note: 'StepLR sized in epochs, stepped per batch' };
}

/** A Lightning-style script whose SGD at 1e-5 matches the Lightning run's hparams.yaml. */
export function slowScript(): SampleFile {
  const text = `# Fine-tune a classifier with plain SGD (shaped like the PyTorch MNIST example).
import torch
import torch.nn as nn


def train(model, loader, epochs=20):
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-5, momentum=0.9)
    for epoch in range(epochs):
        for data, target in loader:
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(model(data), target)
            loss.backward()
            optimizer.step()
`;
  return { path: 'scripts/train_slow.py', content: text, note: 'SGD at 1e-5, as the Lightning run recorded' };
}

/** A training config whose `lr: 1e-3` PyYAML reads as a string. */
export function yamlConfig(): SampleFile {
  const text = `# Fine-tuning config (read with yaml.safe_load)
model:
  name: gpt-mini
  n_layer: 6
optimizer:
  name: adamw
  lr: 1e-3
  weight_decay: 0.1
scheduler:
  name: cosine
  warmup_steps: 200
training:
  max_steps: 3000
  batch_size: 64
`;
  return { path: 'configs/finetune.yaml', content: text, note: 'lr: 1e-3 is a string to PyYAML' };
}

/** Every sample, for the demo workspace. */
export function allSamples(): SampleFile[] {
  return [divergingLog(), healthyLog(), sgdrEvents(), ...kerasOverfitEvents(), hfTrainerState(), ...lightningSlowCsv(), gptScript(), slowScript(), yamlConfig()];
}
