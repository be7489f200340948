// Robust statistics the detectors share: medians, MAD, Theil-Sen slopes (all NaN-safe).
//
// Detectors judge a curve against its own noise, so every estimate here is robust: a
// median is not moved by a spike, a MAD-based sigma is not inflated by a few outliers,
// and a Theil-Sen slope is not tilted by them (it tolerates ~29% outliers).

/** 1.4826 × MAD estimates the standard deviation of normally distributed data. */
export const MAD_TO_SIGMA = 1.4826;

/** Median of `a[from..to)` ignoring NaN; NaN when there is no finite value. O(n). */
export function median(a: ArrayLike<number>, from = 0, to = a.length): number {
  return quantile(a, 0.5, from, to);
}

/** The q-quantile (0..1, nearest rank with linear interpolation) of the finite values. */
export function quantile(a: ArrayLike<number>, q: number, from = 0, to = a.length): number {
  const buf = finiteCopy(a, from, to);
  return quantileInPlace(buf, q);
}

/** Quantile of a scratch buffer (reordered in place). */
export function quantileInPlace(buf: Float64Array, q: number): number {
  const n = buf.length;
  if (n === 0) return NaN;
  const pos = Math.min(Math.max(q, 0), 1) * (n - 1);
  const lo = Math.floor(pos);
  const vlo = select(buf, lo);
  if (pos === lo) return vlo;
  // The next order statistic is the minimum of the part above `lo` after selection.
  let vhi = Infinity;
  for (let i = lo + 1; i < n; i++) if (buf[i]! < vhi) vhi = buf[i]!;
  return vlo + (pos - lo) * (vhi - vlo);
}

function finiteCopy(a: ArrayLike<number>, from: number, to: number): Float64Array {
  let n = 0;
  for (let i = from; i < to; i++) if (Number.isFinite(a[i]!)) n++;
  const buf = new Float64Array(n);
  let j = 0;
  for (let i = from; i < to; i++) {
    const v = a[i]!;
    if (Number.isFinite(v)) buf[j++] = v;
  }
  return buf;
}

/** Hoare-style quickselect: after the call buf[k] is the k-th smallest, smaller ones before it. */
function select(buf: Float64Array, k: number): number {
  let lo = 0;
  let hi = buf.length - 1;
  while (hi > lo) {
    // Median of three as pivot keeps sorted and constant inputs linear.
    const mid = (lo + hi) >>> 1;
    const a = buf[lo]!;
    const b = buf[mid]!;
    const c = buf[hi]!;
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (buf[i]! < pivot) i++;
      while (buf[j]! > pivot) j--;
      if (i <= j) {
        const t = buf[i]!;
        buf[i] = buf[j]!;
        buf[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return buf[k]!;
  }
  return buf[k]!;
}

/** Robust sigma: 1.4826 × the median absolute deviation from the median. */
export function robustSigma(a: ArrayLike<number>, from = 0, to = a.length): number {
  const buf = finiteCopy(a, from, to);
  if (buf.length === 0) return NaN;
  const m = quantileInPlace(buf, 0.5);
  for (let i = 0; i < buf.length; i++) buf[i] = Math.abs(buf[i]! - m);
  return MAD_TO_SIGMA * quantileInPlace(buf, 0.5);
}

/**
 * Noise sigma of a sequence from its second differences: for a smooth trend plus iid
 * noise e, (e[i-1] - 2e[i] + e[i+1]) has variance 6σ², and a locally linear trend
 * cancels out. Robust (MAD-based), so a few spikes or steps do not inflate it.
 */
export function noiseSigma(y: ArrayLike<number>): number {
  const n = y.length;
  if (n < 3) return NaN;
  const d = new Float64Array(n - 2);
  for (let i = 1; i < n - 1; i++) d[i - 1] = y[i - 1]! - 2 * y[i]! + y[i + 1]!;
  return robustSigma(d) / Math.sqrt(6);
}

/**
 * Theil-Sen slope: the median of the pairwise slopes. O(m²) in the number of points, so
 * callers pass binned series (tens of points), never raw millions.
 */
export function theilSen(x: ArrayLike<number>, y: ArrayLike<number>, from = 0, to = x.length): { slope: number; intercept: number } {
  const slopes: number[] = [];
  for (let i = from; i < to; i++)
    for (let j = i + 1; j < to; j++) {
      const dx = x[j]! - x[i]!;
      if (dx !== 0 && Number.isFinite(y[i]!) && Number.isFinite(y[j]!)) slopes.push((y[j]! - y[i]!) / dx);
    }
  if (slopes.length === 0) return { slope: NaN, intercept: NaN };
  const slope = median(slopes);
  const res: number[] = [];
  for (let i = from; i < to; i++) if (Number.isFinite(y[i]!)) res.push(y[i]! - slope * x[i]!);
  return { slope, intercept: median(res) };
}

/** Sum of the signs of all pairwise differences (Mann-Kendall S) and its z-score. */
export function mannKendall(y: ArrayLike<number>, from = 0, to = y.length): { s: number; z: number } {
  let s = 0;
  let n = 0;
  for (let i = from; i < to; i++) {
    if (!Number.isFinite(y[i]!)) continue;
    n++;
    for (let j = i + 1; j < to; j++) {
      if (!Number.isFinite(y[j]!)) continue;
      s += Math.sign(y[j]! - y[i]!);
    }
  }
  if (n < 3) return { s, z: 0 };
  const variance = (n * (n - 1) * (2 * n + 5)) / 18;
  const z = s === 0 ? 0 : (s - Math.sign(s)) / Math.sqrt(variance);
  return { s, z };
}

export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}
