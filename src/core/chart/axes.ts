// Mapping a run's steps onto the chart's x axis: step, epoch or relative wall time.
import type { Run } from '../model/run';
import type { Series } from '../model/series';
import type { XAxis } from './types';

/** step → x for one run; `undefined` when the run cannot be shown on that axis. */
export type AxisMap = (step: number) => number;

/** Piecewise-linear interpolation over sorted knots (extrapolates with the end slopes). */
function interpolator(ks: Float64Array, vs: Float64Array): AxisMap {
  const n = ks.length;
  return (s) => {
    if (n === 1) return vs[0]!;
    let lo = 0;
    let hi = n - 1;
    if (s <= ks[0]!) {
      lo = 0;
      hi = 1;
    } else if (s >= ks[n - 1]!) {
      lo = n - 2;
      hi = n - 1;
    } else {
      while (hi - lo > 1) {
        const mid = (lo + hi) >>> 1;
        if (ks[mid]! <= s) lo = mid;
        else hi = mid;
      }
    }
    const k0 = ks[lo]!;
    const k1 = ks[hi]!;
    if (k1 === k0) return vs[lo]!;
    return vs[lo]! + ((vs[hi]! - vs[lo]!) * (s - k0)) / (k1 - k0);
  };
}

/** Knots (step → value) with finite values and strictly increasing steps. */
function knots(steps: Float64Array, values: Float64Array): [Float64Array, Float64Array] | undefined {
  const ks: number[] = [];
  const vs: number[] = [];
  for (let i = 0; i < steps.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    if (ks.length && steps[i]! <= ks[ks.length - 1]!) {
      vs[vs.length - 1] = v; // keep the last value for a repeated step
      continue;
    }
    ks.push(steps[i]!);
    vs.push(v);
  }
  return ks.length ? [Float64Array.from(ks), Float64Array.from(vs)] : undefined;
}

function epochMap(run: Run): AxisMap | undefined {
  const ep = run.series.find((s) => s.role === 'epoch' && s.steps.length > 1);
  if (ep) {
    const k = knots(ep.steps, ep.values);
    if (k) return interpolator(k[0], k[1]);
  }
  const spe = run.meta.stepsPerEpoch;
  if (spe && spe > 0) return (s) => s / spe;
  return undefined;
}

function timeMap(run: Run): AxisMap | undefined {
  let best: Series | undefined;
  for (const s of run.series) if (s.wallTimes && (!best || s.steps.length > best.steps.length)) best = s;
  if (!best?.wallTimes) return undefined;
  const k = knots(best.steps, best.wallTimes);
  if (!k || k[0].length < 2) return undefined;
  const t0 = k[1][0]!;
  const rel = k[1].map((t) => t - t0);
  return interpolator(k[0], rel);
}

// Runs are immutable snapshots, so their maps are computed once per run.
const cache = new WeakMap<Run, Partial<Record<XAxis, AxisMap>>>();

/** The axes a run can be drawn on, with their maps. */
export function axisMaps(run: Run): Partial<Record<XAxis, AxisMap>> {
  const hit = cache.get(run);
  if (hit) return hit;
  const maps: Partial<Record<XAxis, AxisMap>> = { step: (s) => s };
  const e = epochMap(run);
  if (e) maps.epoch = e;
  const t = timeMap(run);
  if (t) maps.time = t;
  cache.set(run, maps);
  return maps;
}
