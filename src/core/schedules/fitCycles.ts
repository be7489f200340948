// Fitting schedules that go up as well as down: cosine with warm restarts (SGDR),
// cyclic (triangular, triangular2, exp_range) and one-cycle.
//
// Each is located from O(n) features of the full series (restart jumps, turning points,
// the single peak), then its step-valued parameters are refined by search with the LR
// values solved exactly by weighted least squares, as in fitWarmupDecay.ts.
import type { LrData, Sample } from './fitData';
import { minimizeInteger, minimizeReal, patternSearch, weightedLeastSquares } from './fitSearch';
import { restartCycle, type ScheduleSpec } from './families';
import { peakIndex, type Candidate, type WarmupRange } from './fitWarmupDecay';

/**
 * Restart-like jumps: intervals (a, b] (as steps) where the LR jumps up by more than 0.5%
 * and 5 sigma from a point that was not rising, to a point that does not keep rising
 * (so the steep bottom of a triangular ramp is not a restart; a resumed run that restarts
 * a long linear decay may only jump back by about 1%).
 */
export function upJumps(data: LrData, from = 0): { a: number; b: number; i: number }[] {
  const { steps, values } = data;
  const n = values.length;
  const out: { a: number; b: number; i: number }[] = [];
  for (let i = Math.max(0, from); i + 1 < n; i++) {
    const x = values[i]!;
    const y = values[i + 1]!;
    if (!(y > x * 1.005 && y - x > 5 * (data.noise(x) + data.noise(y)))) continue;
    if (i > 0 && x > values[i - 1]! + data.noise(x)) continue;
    if (i + 2 < n && values[i + 2]! > y + data.noise(y)) continue;
    out.push({ a: steps[i]!, b: steps[i + 1]!, i: i + 1 });
  }
  return out;
}

/** Fills `cols` on the sample for a given basis function and solves; returns SSE and coefficients. */
function solveWith(data: Sample, k: number, fill: (t: number, row: Float64Array) => void, cols: Float64Array[]): { sse: number; coef: number[] } {
  const { t } = data;
  const row = new Float64Array(k);
  for (let i = 0; i < t.length; i++) {
    row.fill(0);
    fill(t[i]!, row);
    for (let j = 0; j < k; j++) cols[j]![i] = row[j]!;
  }
  return weightedLeastSquares(cols.slice(0, k), data.y, data.w);
}

function columns(data: Sample, k: number): Float64Array[] {
  return Array.from({ length: k }, () => new Float64Array(data.t.length));
}

/** True when a weighted SSE means the curve is within one sigma on average (a cheap exactness hint). */
function withinNoise(data: Sample, sse: number): boolean {
  return sse <= data.t.length;
}

/** Cosine with warm restarts: restarts are upward jumps after a decay. */
export function fitWarmRestarts(data: LrData, warm: WarmupRange | undefined): Candidate[] {
  const w = warm ? warm.guess : 0;
  let i0 = 0;
  while (i0 < data.steps.length && data.steps[i0]! < w) i0++;
  const jumps = upJumps(data, i0);
  if (jumps.length === 0 || jumps.length > Math.min(64, data.steps.length / 4)) return [];
  const c0 = w;
  const len0 = jumps[0]!.b - c0;
  const mults: number[] = [];
  if (jumps.length >= 2) {
    const r = (jumps[1]!.b - jumps[0]!.b) / Math.max(1, len0);
    mults.push(Math.abs(r - Math.round(r)) < 0.1 && Math.round(r) >= 1 ? Math.round(r) : r);
  } else mults.push(1, 2, 3);
  const cols = columns(data.search, 3);
  const fineCols = columns(data, 3);
  const out: Candidate[] = [];
  for (const mult of mults) {
    const model = (t0: number, m: number) => (t: number, row: Float64Array) => {
      if (w > 0 && t < w) {
        row[0] = 1 - t / w;
        row[1] = t / w;
        return;
      }
      const { cycle, tCur, tI } = restartCycle(t - w, t0, mult);
      const g = (1 + Math.cos((Math.PI * tCur) / tI)) / 2;
      row[1] = m ** cycle * g;
      row[2] = 1 - g;
    };
    const k = 3;
    const sseOf = (t0: number, m: number): number => solveWith(data.search, k, model(t0, m), cols).sse;
    const span = Math.max(2, 2 * data.interval);
    let t0 = minimizeInteger((x) => sseOf(x, 1), Math.max(1, len0 - span), len0 + span).x;
    // Peaks decaying per restart (Keras m_mul): search m when the restarts' first values differ.
    const peaks = jumps.map((j) => data.values[j.i]!);
    const first = data.values[i0]!;
    const varying = peaks.some((p) => Math.abs(p - first) > 0.01 * first);
    let m = 1;
    if (varying) {
      m = minimizeReal((x) => sseOf(t0, x), 0.05, 1.5, { grid: 15, tol: 1e-9 }).x;
      t0 = minimizeInteger((x) => sseOf(x, m), Math.max(1, len0 - span), len0 + span).x;
    }
    const fit = solveWith(data, k, model(t0, m), fineCols);
    const [start, peak, end] = fit.coef as [number, number, number];
    if (!(peak > 0)) continue;
    const clean = (x: number): number => (x > 1e-9 * peak ? x : 0);
    const params: Record<string, number> = { warmupSteps: w, lr: peak, endLr: clean(end), T_0: t0, T_mult: mult, restartDecay: m };
    if (w > 0) params.warmupStartLr = clean(start);
    out.push({
      spec: { family: 'cosine_warm_restarts', params },
      complexity: 4 + (mult !== 1 ? 1 : 0) + (m !== 1 ? 1 : 0) + (w > 0 ? 2 : 0),
    });
  }
  return out;
}

/**
 * Alternating local extremes (index, kind), ignoring moves smaller than 5% of the peak
 * (zigzag with hysteresis). The first point counts as an extreme once the series has
 * clearly moved away from it.
 */
export function turningPoints(data: LrData): { i: number; max: boolean }[] {
  const { values, peak } = data;
  const thr = 0.05 * peak;
  const out: { i: number; max: boolean }[] = [];
  let dir = 0;
  let ext = 0;
  let imin = 0;
  let imax = 0;
  for (let i = 1; i < values.length; i++) {
    const v = values[i]!;
    if (dir === 0) {
      if (v < values[imin]!) imin = i;
      if (v > values[imax]!) imax = i;
      if (v >= values[imin]! + thr) {
        out.push({ i: imin, max: false });
        dir = 1;
        ext = i;
      } else if (v <= values[imax]! - thr) {
        out.push({ i: imax, max: true });
        dir = -1;
        ext = i;
      }
    } else if (dir > 0) {
      if (v > values[ext]!) ext = i;
      else if (v < values[ext]! - thr) {
        out.push({ i: ext, max: true });
        dir = -1;
        ext = i;
      }
    } else if (v < values[ext]!) ext = i;
    else if (v > values[ext]! + thr) {
      out.push({ i: ext, max: false });
      dir = 1;
      ext = i;
    }
  }
  return out;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1] ?? NaN;
};

/** Least-squares line through points i in [a, b]: slope and intercept, or undefined with fewer than 2 points. */
function lineThrough(steps: Float64Array, values: Float64Array, a: number, b: number): { slope: number; icpt: number } | undefined {
  const k = b - a + 1;
  if (k < 2) return undefined;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let i = a; i <= b; i++) {
    sx += steps[i]!;
    sy += values[i]!;
    sxx += steps[i]! * steps[i]!;
    sxy += steps[i]! * values[i]!;
  }
  const den = k * sxx - sx * sx;
  if (!(den > 0)) return undefined;
  const slope = (k * sxy - sx * sy) / den;
  return { slope, icpt: (sy - slope * sx) / k };
}

/** Turning times: each extreme located where the lines of the ramps on either side cross. */
function rampCorners(data: LrData, tps: { i: number; max: boolean }[]): { t: number; max: boolean; crossed: boolean }[] {
  const { steps, values } = data;
  const bounds = [0, ...tps.map((p) => p.i), values.length - 1];
  // Ramp r runs between bounds[r] and bounds[r+1]; its interior excludes both extremes.
  const lines = bounds.slice(0, -1).map((a, r) => lineThrough(steps, values, a + 1, bounds[r + 1]! - 1));
  return tps.map((p, k) => {
    const l1 = lines[k];
    const l2 = lines[k + 1];
    if (l1 && l2 && l1.slope !== l2.slope) {
      const t = (l2.icpt - l1.icpt) / (l1.slope - l2.slope);
      if (Number.isFinite(t) && Math.abs(t - steps[p.i]!) <= 2 * data.interval) return { t, max: p.max, crossed: true };
    }
    return { t: steps[p.i]!, max: p.max, crossed: false };
  });
}

/** CyclicLR: triangular waves between base_lr and max_lr. */
export function fitCyclic(data: LrData): Candidate[] {
  const tps = turningPoints(data);
  const maxes = tps.filter((p) => p.max);
  const mins = tps.filter((p) => !p.max);
  if (maxes.length < 2 && !(maxes.length >= 1 && mins.length >= 2)) return [];
  const st = data.steps;
  // Turning times from where consecutive ramps' lines cross (exact for triangular waves
  // however sparsely they are logged); fall back to the extreme points' steps.
  const corners = rampCorners(data, tps);
  const tMax = corners.filter((c) => c.max).map((c) => c.t);
  const tMin = corners.filter((c) => !c.max).map((c) => c.t);
  const periods: number[] = [];
  for (let k = 1; k < tMax.length; k++) periods.push(tMax[k]! - tMax[k - 1]!);
  for (let k = 1; k < tMin.length; k++) periods.push(tMin[k]! - tMin[k - 1]!);
  const ups: number[] = [];
  for (const tm of tMax) {
    const before = tMin.filter((x) => x < tm);
    if (before.length) ups.push(tm - before[before.length - 1]!);
  }
  const period0 = median(periods);
  const up0 = Math.round(median(ups.length ? ups : [period0 / 2]));
  const down0 = Math.round(period0) - up0;
  if (!(up0 > 0) || !(down0 > 0)) return [];
  // The phase from the first corner located by crossing lines (the series' first point is not one).
  const located = corners.find((c) => c.crossed) ?? corners[0]!;
  const firstMin = located.max ? located.t - up0 : located.t;
  const cols = columns(data.search, 2);
  const fineCols = columns(data, 2);
  const span = Math.max(2, 2 * data.interval);
  const out: Candidate[] = [];
  for (const mode of ['triangular', 'triangular2', 'exp_range'] as const) {
    const model = (up: number, down: number, off: number, lg: number) => (t: number, row: Float64Array) => {
      const e = t + off;
      const total = up + down;
      const cycle = Math.floor(1 + e / total);
      const x = 1 + e / total - cycle;
      const ratio = up / total;
      const scale = x <= ratio ? x / ratio : (x - 1) / (ratio - 1);
      const s = mode === 'triangular' ? 1 : mode === 'triangular2' ? 1 / 2 ** (cycle - 1) : Math.exp(lg * e);
      row[0] = 1;
      row[1] = scale * s;
    };
    const sseOf = (up: number, down: number, off: number, lg: number): number => solveWith(data.search, 2, model(up, down, off, lg), cols).sse;
    let up = up0;
    let down = down0;
    const p0 = up0 + down0;
    // The scheduler's step is the logged step plus `off`: near 0 unless logging is offset.
    // (For triangular2 and exp_range the offset also fixes the cycle count, so it is not
    // reduced modulo the period.)
    let off = Math.round(-firstMin - p0 * Math.round(-firstMin / p0));
    let lg = 0;
    for (let round = 0; round < 3; round++) {
      const o = off;
      const d0 = down;
      up = minimizeInteger((x) => sseOf(x, d0, o, lg), Math.max(1, up - span), up + span).x;
      const u0 = up;
      down = minimizeInteger((x) => sseOf(u0, x, o, lg), Math.max(1, down - span), down + span).x;
      const dNow = down;
      off = minimizeInteger((x) => sseOf(u0, dNow, x, lg), off - span, off + span).x;
      // Rise, fall and phase are coupled: polish them jointly.
      const lgNow = lg;
      const ps = patternSearch(([u, d, o]) => (u! >= 1 && d! >= 1 ? sseOf(u!, d!, o!, lgNow) : Infinity), [up, down, off], [2, 2, 2]);
      [up, down, off] = ps.x as [number, number, number];
      if (mode === 'exp_range') {
        const [uN, dN, oN] = [up, down, off];
        const spanSteps = Math.max(1, st[st.length - 1]! - st[0]!);
        lg = minimizeReal((x) => sseOf(uN, dN, oN, x), -20 / spanSteps, 0, { grid: 21, tol: 1e-12 }).x;
      }
    }
    const fit = solveWith(data, 2, model(up, down, off, lg), fineCols);
    const [baseLr, amp] = fit.coef as [number, number];
    if (!(amp > 0)) continue;
    const params: Record<string, number> = { warmupSteps: 0, baseLr, maxLr: baseLr + amp, stepSizeUp: up, stepSizeDown: down, offset: off };
    if (mode === 'exp_range') params.gamma = Math.exp(lg);
    const family = mode === 'triangular' ? 'cyclic_triangular' : mode === 'triangular2' ? 'cyclic_triangular2' : 'cyclic_exp_range';
    out.push({ spec: { family, params }, complexity: mode === 'exp_range' ? 6 : 5 });
    // An exact triangular wave has a constant amplitude: the scaled modes cannot do better.
    if (mode === 'triangular' && withinNoise(data, fit.sse)) break;
  }
  return out;
}

/** OneCycleLR (PyTorch, also optax's and fastai's one-cycle): one rise to the peak, one fall far below the start. */
export function fitOneCycle(data: LrData): Candidate[] {
  const { steps, values, peak } = data;
  const ip = peakIndex(data);
  const n = steps.length;
  if (ip < 2 || ip > n - 3) return [];
  if (!(values[0]! < 0.5 * peak) || !(values[n - 1]! < 0.5 * peak)) return [];
  const last = steps[n - 1]!;
  const cols = columns(data.search, 3);
  const fineCols = columns(data, 3);
  const out: Candidate[] = [];
  const variants: { cos: boolean; three: boolean }[] = [
    { cos: true, three: false },
    { cos: true, three: true },
    { cos: false, three: true },
  ];
  for (const { cos, three } of variants) {
    const h = (x: number): number => (cos ? (Math.cos(Math.PI * x) + 1) / 2 : 1 - x);
    // Columns: initial_lr, max_lr, min_lr.
    const model = (e1: number, total: number) => (t: number, row: Float64Array) => {
      if (t <= e1) {
        const g = h(t / e1);
        row[0] = g;
        row[1] = 1 - g;
      } else if (three && t <= 2 * e1) {
        const g = h((t - e1) / e1);
        row[1] = g;
        row[0] = 1 - g;
      } else {
        // Last phase: from max_lr (two phases) or initial_lr (three phases) down to min_lr.
        const s = three ? 2 * e1 : e1;
        const g = h((t - s) / (total - 1 - s));
        row[three ? 0 : 1] = g;
        row[2] = 1 - g;
      }
    };
    const sseOf = (e1: number, total: number): number => solveWith(data.search, 3, model(e1, total), cols).sse;
    // The top of a cosine is flat to within noise for a while: the peak lies anywhere there.
    let top = ip;
    const tol = 2 * data.noise(peak);
    while (top + 1 < n && values[top + 1]! >= peak - tol) top++;
    const lo = steps[Math.max(0, ip - 1)]!;
    const hi = steps[Math.min(n - 1, top + 1)]!;
    let e1 = steps[ip]!;
    let total = last + 1;
    for (let round = 0; round < 3; round++) {
      const tNow = total;
      e1 = minimizeReal((x) => sseOf(x, tNow), lo, hi, { grid: 17, tol: 1e-9 }).x;
      const eNow = e1;
      const minT = Math.max(Math.ceil(last), Math.ceil((three ? 2 : 1) * eNow + 2));
      total = minimizeInteger((x) => sseOf(eNow, x), minT, Math.max(minT + 2, 4 * last), { log: true }).x;
    }
    const fit = solveWith(data, 3, model(e1, total), fineCols);
    const [initial, max, min] = fit.coef as [number, number, number];
    if (!(max > 0) || !(initial > 0) || !(min > 0)) continue;
    const spec: ScheduleSpec = {
      family: 'one_cycle',
      variant: cos ? 'cos' : 'linear',
      params: {
        warmupSteps: Math.round(e1),
        maxLr: max,
        totalSteps: total,
        peakStep: e1,
        pctStart: (e1 + 1) / total,
        divFactor: max / initial,
        finalDivFactor: initial / min,
        threePhase: three ? 1 : 0,
      },
    };
    out.push({ spec, complexity: 5 + (three ? 1 : 0) });
  }
  return out;
}
