// Schedule identification on a million logged points: time per family, linear in points.
import { fitSchedule } from '../src/core/schedules/fit';
import * as hf from '../src/core/schedules/huggingface';
import * as pt from '../src/core/schedules/pytorch';
import type { ScheduleFn } from '../src/core/schedules/types';

const CASES: [string, ScheduleFn][] = [
  ['constant', () => 3e-4],
  ['warmup + cosine (HF)', hf.cosineScheduleWithWarmup({ lr: 6e-4, num_warmup_steps: 2000, num_training_steps: 1_000_000 })],
  ['StepLR', pt.stepLR({ lr: 0.1, step_size: 300_000 })],
  ['SGDR T_mult=2', pt.cosineAnnealingWarmRestarts({ lr: 1e-3, T_0: 100_000, T_mult: 2 })],
  ['CyclicLR', pt.cyclicLR({ base_lr: 1e-4, max_lr: 1e-2, step_size_up: 20_000 })],
  ['OneCycleLR', pt.oneCycleLR({ max_lr: 2e-3, total_steps: 1_000_000 })],
];

/** One line per case: points, milliseconds, family found; plus the 100k-point time to show the scaling. */
export function benchScheduleFit(): string[] {
  const out: string[] = [];
  for (const [name, f] of CASES) {
    const times: number[] = [];
    let family = '';
    for (const n of [100_000, 1_000_000]) {
      const steps = new Float64Array(n);
      const values = new Float64Array(n);
      // The same million-step run, logged every step or every 10th.
      for (let i = 0; i < n; i++) {
        steps[i] = Math.round((i * 1_000_000) / n);
        values[i] = f(steps[i]!);
      }
      const t0 = process.hrtime.bigint();
      const fit = fitSchedule({ steps, values });
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      family = fit ? `${fit.family}${fit.exact ? '' : ' (approximate)'}` : 'none';
    }
    out.push(`schedule fit, ${name}: 1,000,000 points in ${times[1]!.toFixed(0)} ms (100,000 in ${times[0]!.toFixed(0)} ms) -> ${family}`);
  }
  return out;
}
