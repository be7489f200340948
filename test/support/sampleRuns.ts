// Generated sample runs for the demo workspace and the tests. Each is a plausible
// training log shaped like what a framework prints; none is copied from anywhere.
import { gaussian, seeded } from './random';

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

/** Every sample, for the demo workspace. */
export function allSamples(): SampleFile[] {
  return [divergingLog(), healthyLog()];
}
