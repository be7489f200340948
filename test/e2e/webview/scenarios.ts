// The runs the webview harness shows, built with the real core: the sample logs read by the
// real text reader and analysed by the real detectors, and generated runs (a long cosine
// run with epochs, wall times, validation and metrics; a million-point run).
import type { Finding } from '../../../src/core/analysis/finding';
import { analyzeRun } from '../../../src/core/analysis/analyze';
import type { ChartSource } from '../../../src/core/chart/view';
import type { OverlayView } from '../../../src/core/chart/types';
import { readBytes } from '../../../src/core/formats/registry';
import type { Run } from '../../../src/core/model/run';
import { RunBuilder } from '../../../src/core/model/runBuilder';
import type { ScheduleInfo } from '../../../src/protocol/messages';
import { gaussian, seeded } from '../../support/random';
import { divergingLog, healthyLog, type SampleFile } from '../../support/sampleRuns';

export interface HarnessRun extends ChartSource {
  findings: Finding[];
  schedule?: ScheduleInfo;
  live?: boolean;
}

function fromSample(sample: SampleFile): Run {
  const bytes = typeof sample.content === 'string' ? new TextEncoder().encode(sample.content) : sample.content;
  const { runs, failure } = readBytes(sample.path, bytes);
  if (!runs[0]) throw new Error(`${sample.path}: ${failure ?? 'no run'}`);
  return runs[0];
}

/** A schedule curve sampled at `n` points over [0, last] steps. */
function curve(id: string, runId: string, kind: OverlayView['kind'], label: string, last: number, lr: (step: number) => number, n = 400): OverlayView {
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i <= n; i++) {
    const s = (last * i) / n;
    x.push(s);
    y.push(lr(s));
  }
  return { id, runId, kind, label, x, y };
}

const warmupCosine = (peak: number, floor: number, warmup: number, total: number) => (s: number) =>
  s < warmup ? (peak * (s + 1)) / warmup : floor + 0.5 * (peak - floor) * (1 + Math.cos((Math.PI * (s - warmup)) / (total - warmup)));

export function diverging(id = 'harness://workspace/runs/diverging/train.log'): HarnessRun {
  const run = fromSample(divergingLog());
  const lr = (s: number): number => 3e-3 * Math.min(1, (s + 1) / 1000);
  return {
    id,
    run,
    findings: analyzeRun(run),
    overlays: [curve('fitted', id, 'fitted', 'linear warmup over 1,000 steps to 3e-3', 1200, lr)],
    schedule: { family: 'linear', params: { warmupSteps: 1000, peak: 3e-3 }, fitError: 0.004, label: 'linear warmup over 1,000 steps to 3e-3' },
  };
}

export function healthy(id = 'harness://workspace/runs/healthy/train.log'): HarnessRun {
  const run = fromSample(healthyLog());
  return {
    id,
    run,
    findings: analyzeRun(run),
    overlays: [curve('fitted', id, 'fitted', 'cosine with 200-step warmup, 6e-4 → 6e-5', 3000, warmupCosine(6e-4, 6e-5, 200, 3000))],
    schedule: { family: 'cosine', params: { warmupSteps: 200, peak: 6e-4, floor: 6e-5 }, fitError: 0.01, label: 'cosine with 200-step warmup, 6e-4 → 6e-5' },
  };
}

/**
 * 10,000 steps at 500 steps per epoch, logged every 10 steps with wall times: train loss with
 * a spike at 4,000, validation every 500 steps, LR warmup + cosine, gradient norm, accuracy.
 * The spike is reported as a `loss_spike` warning (the harness plays the analyser here).
 */
export function cosine(id = 'harness://workspace/runs/cosine/metrics.csv'): HarnessRun {
  const noise = gaussian(seeded(3));
  const b = new RunBuilder('runs/cosine/metrics.csv', 'csv', 'cosine');
  b.meta.stepsPerEpoch = 500;
  const lr = warmupCosine(1e-3, 1e-5, 500, 10_000);
  const t0 = 1_700_000_000;
  for (let s = 0; s <= 10_000; s += 10) {
    const spike = s >= 4000 && s <= 4150 ? 1.6 * Math.exp(-(s - 4000) / 60) : 0;
    const wallTime = t0 + s * 0.85 + (s > 6000 ? 900 : 0);
    b.add('train/loss', s, 0.6 + 2.6 * Math.exp(-s / 1800) + 0.05 * noise() + spike, { wallTime });
    b.add('train/lr', s, lr(s), { wallTime });
    b.add('train/grad_norm', s, 0.8 + 0.3 * Math.exp(-s / 3000) + 0.05 * Math.abs(noise()) + spike * 3, { wallTime });
    b.add('epoch', s, s / 500, { wallTime });
    if (s % 500 === 0 && s > 0) {
      b.add('val/loss', s, 0.75 + 2.4 * Math.exp(-s / 1900) + 0.02 * noise(), { wallTime });
      b.add('val/accuracy', s, 0.9 - 0.6 * Math.exp(-s / 2000), { wallTime });
    }
  }
  const run = b.build();
  const spike: Finding = {
    rule: 'loss_spike',
    severity: 'warning',
    series: 'train/loss',
    step: 4000,
    endStep: 4150,
    message: 'Loss jumped to 3.2× its recent level at step 4,000 and recovered by step 4,150.',
    evidence: { ratio: 3.2 },
    suggestions: [{ fix: 'clip_grad_norm', maxNorm: 1 }],
  };
  const collapse: Finding = {
    rule: 'lr_collapse',
    severity: 'info',
    series: 'train/lr',
    step: 9000,
    message: 'The LR fell below 2% of its peak at step 9,000, 10% before the end of the run.',
    evidence: {},
    suggestions: [],
  };
  return {
    id,
    run,
    findings: [spike, collapse],
    overlays: [curve('fitted', id, 'fitted', 'cosine with 500-step warmup, 1e-3 → 1e-5', 10_000, lr)],
    schedule: { family: 'cosine', params: { warmupSteps: 500 }, fitError: 0.0, label: 'cosine with 500-step warmup, 1e-3 → 1e-5' },
    live: true,
  };
}

/** One million steps of a noisy loss with a cosine LR, wall times and epochs. */
export function million(id = 'harness://workspace/runs/big/events.out.tfevents.1'): HarnessRun {
  const n = 1_000_000;
  const rand = seeded(5);
  const b = new RunBuilder('runs/big/events.out.tfevents.1', 'tfevents', 'big');
  b.meta.stepsPerEpoch = 50_000;
  const lr = warmupCosine(3e-4, 3e-5, 10_000, n);
  for (let s = 0; s < n; s++) {
    const wallTime = 1_700_000_000 + s * 0.4;
    b.add('loss', s, 1.8 + 2.5 * Math.exp(-s / 120_000) + 0.25 * (rand() - 0.5) + (s === 777_777 ? 4 : 0), { wallTime });
    if (s % 100 === 0) b.add('lr', s, lr(s), { wallTime });
  }
  const run = b.build();
  return {
    id,
    run,
    findings: [
      { rule: 'loss_spike', severity: 'warning', series: 'loss', step: 777_777, message: 'Loss jumped to 2.6× its recent level at step 777,777 and recovered at once.', evidence: {}, suggestions: [] },
    ],
    overlays: [curve('fitted', id, 'fitted', 'cosine with 10,000-step warmup, 3e-4 → 3e-5', n, lr)],
  };
}

/** A loss that blows up through 35 decades before it turns infinite (SGD at far too high an LR). */
export function explosion(id = 'harness://workspace/runs/explosion/train.log'): HarnessRun {
  const b = new RunBuilder(id, 'text', 'train.log');
  for (let s = 0; s <= 400; s += 4) {
    const loss = s < 80 ? 1 - s / 200 : s < 300 ? 0.6 * Math.pow(10, ((s - 80) / 220) * 35) : Infinity;
    b.add('loss', s, loss, { line: s / 4 + 1 });
    b.add('lr', s, 2 * Math.min(1, (s + 1) / 500), { line: s / 4 + 1 });
  }
  const run = b.build();
  return { id, run, findings: analyzeRun(run) };
}

export type ScenarioName = 'diverging' | 'healthy' | 'cosine' | 'million' | 'compare' | 'explosion';

export function scenario(name: string): HarnessRun[] {
  switch (name) {
    case 'healthy':
      return [healthy()];
    case 'cosine':
      return [cosine()];
    case 'million':
      return [million()];
    case 'compare':
      return [diverging(), healthy()];
    case 'explosion':
      return [explosion()];
    default:
      return [diverging()];
  }
}

/** A preview curve a suggestion would propose for a run: the same peak, but warmup and cosine decay. */
export function previewFor(run: HarnessRun, last: number): OverlayView {
  return curve('preview', run.id, 'preview', 'warmup 2,000 steps, cosine 1e-3 → 1e-4', last, warmupCosine(1e-3, 1e-4, 2000, last), 300);
}
