// Observed LR series made from exact schedule curves, damaged the way real logs damage
// them: logged every N steps, printed to a few digits, stored as float32, with missing
// steps, or logged once per epoch.
import type { ScheduleFn } from '../../src/core/schedules/types';
import { seeded } from './random';

export interface Observation {
  /** Steps 0 .. steps-1 are trained; the LR is observed at some of them. */
  steps: number;
  /** Log every N steps (default 1). */
  every?: number;
  /** First logged step (default 0; Hugging Face logs from `logging_steps`). */
  first?: number;
  /** Print with this many significant digits (`3.00e-04` is 3). */
  digits?: number;
  /** Keras progress-bar style: `%.4f` at and above 1e-3, `%.4e` below. */
  keras?: boolean;
  /** Store as float32 (TensorBoard event files). */
  float32?: boolean;
  /** Drop this fraction of the logged points at random (seeded). */
  missing?: number;
  seed?: number;
}

export interface Observed {
  steps: Float64Array;
  values: Float64Array;
}

/** Samples `f` as a logger would. */
export function observe(f: ScheduleFn, o: Observation): Observed {
  const every = o.every ?? 1;
  const rand = seeded(o.seed ?? 7);
  const steps: number[] = [];
  const values: number[] = [];
  for (let s = o.first ?? 0; s < o.steps; s += every) {
    if (o.missing && rand() < o.missing) continue;
    let v = f(s);
    if (o.digits !== undefined) v = Number(v.toPrecision(o.digits));
    if (o.keras) v = Number(Math.abs(v) >= 1e-3 ? v.toFixed(4) : v.toExponential(4));
    if (o.float32) v = Math.fround(v);
    steps.push(s);
    values.push(v);
  }
  return { steps: Float64Array.from(steps), values: Float64Array.from(values) };
}

/** A scheduler stepped once every `period` steps (per epoch), as seen by a per-step logger. */
export function steppedEvery(f: ScheduleFn, period: number): ScheduleFn {
  return (s) => f(Math.floor(s / period));
}
