// Extrema-preserving decimation for drawing: at most five points per pixel column.
//
// For each of `buckets` equal-width columns over [x0, x1] we keep the first, the lowest,
// the highest and the last point (the M4 scheme), so every peak and trough a full-resolution
// line would show on screen is still drawn, while a million points become a few thousand.
// Non-finite values break the line: a bucket that holds one keeps it (as a gap) too.
// One point beyond each end of the range is kept so lines run to the chart's edges.

/** Index of the first element of sorted `xs` that is >= `x`. */
export function lowerBound(xs: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first element of sorted `xs` that is > `x`. */
export function upperBound(xs: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface Decimated {
  /** Indexes into the input arrays, ascending. */
  indexes: Int32Array;
  /** Input points inside [x0, x1]. */
  total: number;
}

/**
 * Chooses which points of (xs, ys) to draw over [x0, x1] at `buckets` columns.
 * `xs` must be sorted ascending. Runs in O(log n + points in range).
 */
export function decimate(xs: ArrayLike<number>, ys: ArrayLike<number>, x0: number, x1: number, buckets: number): Decimated {
  const n = xs.length;
  const from = lowerBound(xs, x0);
  const to = upperBound(xs, x1); // exclusive
  const total = to - from;
  const start = Math.max(0, from - 1);
  const end = Math.min(n, to + 1); // exclusive, one beyond each side
  const count = end - start;
  buckets = Math.max(1, Math.floor(buckets));
  if (count <= buckets * 4) {
    const all = new Int32Array(count);
    for (let i = 0; i < count; i++) all[i] = start + i;
    return { indexes: all, total };
  }
  const out = new Int32Array(Math.min(count, buckets * 5 + 2));
  let k = 0;
  const push = (i: number): void => {
    if (k === 0 || out[k - 1]! < i) out[k++] = i;
  };
  if (start < from) push(start);
  const span = x1 - x0 || 1;
  let i = from;
  while (i < to) {
    const b = Math.min(buckets - 1, Math.floor(((xs[i]! - x0) / span) * buckets));
    const bucketEnd = x0 + ((b + 1) / buckets) * span;
    const first = i;
    let minI = -1;
    let maxI = -1;
    let gapI = -1;
    let last = i;
    for (; i < to && (xs[i]! < bucketEnd || b === buckets - 1); i++) {
      const y = ys[i]!;
      last = i;
      if (!Number.isFinite(y)) {
        if (gapI < 0) gapI = i;
        continue;
      }
      if (minI < 0 || y < ys[minI]!) minI = i;
      if (maxI < 0 || y > ys[maxI]!) maxI = i;
    }
    if (i === first) i++; // guard against a zero-width bucket
    const picks = [first, minI, maxI, gapI, last].filter((p) => p >= 0).sort((a, b2) => a - b2);
    for (const p of picks) push(p);
  }
  if (end > to) push(to);
  return { indexes: out.slice(0, k), total };
}
