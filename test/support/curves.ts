// Small constructed training curves for the detector tests: shapes with known answers.
import type { Run } from '../../src/core/model/run';
import { RunBuilder } from '../../src/core/model/runBuilder';
import { gaussian, seeded } from './random';

export interface Curve {
  tag: string;
  steps: readonly number[];
  values: readonly number[];
}

/** A run of the given curves (roles from their tags, as the readers assign them). */
export function runOf(curves: readonly Curve[], opts: { hparams?: Run['hparams']; meta?: Run['meta']; source?: string } = {}): Run {
  const rb = new RunBuilder(opts.source ?? 'constructed.log', 'text', 'constructed');
  for (const c of curves) for (let i = 0; i < c.steps.length; i++) rb.add(c.tag, c.steps[i]!, c.values[i]!, { line: i + 1 });
  Object.assign(rb.hparams, opts.hparams ?? {});
  rb.meta = { ...(opts.meta ?? {}) };
  return rb.build();
}

/** first, first + every, ... up to and including last. */
export function stepsOf(last: number, every = 1, first = every): number[] {
  const out: number[] = [];
  for (let s = first; s <= last; s += every) out.push(s);
  return out;
}

/** A loss falling exponentially from `start` to `floor` with time constant `tau` (in steps). */
export function decaying(steps: readonly number[], start: number, floor: number, tau: number): number[] {
  return steps.map((s) => floor + (start - floor) * Math.exp(-s / tau));
}

/** Multiplies each value by exp(σ·N(0,1)): minibatch noise that scales with the loss. */
export function withNoise(values: readonly number[], sigma: number, seed: number): number[] {
  const g = gaussian(seeded(seed));
  return values.map((v) => v * Math.exp(sigma * g()));
}

export function constant(steps: readonly number[], value: number): number[] {
  return steps.map(() => value);
}

/** Linear warmup over `warmup` steps, then cosine decay to `min` at `total`. */
export function warmupCosine(steps: readonly number[], peak: number, warmup: number, total: number, min = 0): number[] {
  return steps.map((s) =>
    s < warmup ? (peak * (s + 1)) / warmup : min + 0.5 * (peak - min) * (1 + Math.cos((Math.PI * Math.min(s - warmup, total - warmup)) / (total - warmup))),
  );
}

/** StepLR: `peak` × gamma^floor(step / stepSize). */
export function stepDecay(steps: readonly number[], peak: number, stepSize: number, gamma: number): number[] {
  return steps.map((s) => peak * gamma ** Math.floor(s / stepSize));
}

/** CosineAnnealingWarmRestarts with period `period` steps. */
export function warmRestarts(steps: readonly number[], peak: number, period: number, min = 0): number[] {
  return steps.map((s) => min + 0.5 * (peak - min) * (1 + Math.cos((Math.PI * (s % period)) / period)));
}

/** Triangular CyclicLR between `base` and `max` with a half-cycle of `half` steps. */
export function triangular(steps: readonly number[], base: number, max: number, half: number): number[] {
  return steps.map((s) => {
    const c = (s % (2 * half)) / half;
    return base + (max - base) * (c <= 1 ? c : 2 - c);
  });
}

/** Values at the given indices replaced. */
export function patched(values: readonly number[], patch: Record<number, number>): number[] {
  const out = [...values];
  for (const [i, v] of Object.entries(patch)) out[Number(i)] = v;
  return out;
}

/** The rules of a run's warning and error findings, sorted. */
export function loudRules(findings: readonly { rule: string; severity: string }[]): string[] {
  return [...new Set(findings.filter((f) => f.severity !== 'info').map((f) => f.rule))].sort();
}
