// TensorBoard's scalar-chart smoothing (debiased EMA), for display only.
//
// Source: tensorflow/tensorboard, `classicSmoothing` in
// tensorboard/webapp/widgets/line_chart_v2/data_transformer.ts (the same algorithm as
// `resmoothDataset` in tensorboard/components/vz_line_chart2/line-chart.ts):
//
//   - the weight is clamped to [0, 1]; a non-finite weight counts as 0;
//   - a series whose values all equal the first one (`==`, so NaN never does) is returned
//     unchanged (tensorboard#786: an EMA must not bend a constant line);
//   - otherwise `last = last * w + (1 - w) * value` starting from `last = 0`, over finite
//     values only, divided by `1 - w ** count` (count = finite values so far) to undo the
//     pull towards the initial 0; at `w == 1` the divisor is 1, so every finite point
//     becomes 0, as in TensorBoard (whose slider stops at 0.999);
//   - NaN and ±Inf are passed through where they are and leave the average untouched.
//
// The chart applies this to losses and metrics, never to learning rates (DESIGN.md: LR is
// drawn on its own axis, unsmoothed): `smoothSeries` returns an LR series as it is.
// Detectors never use it; they have their own robust statistics.
import type { Series } from './series';

/** TensorBoard-smoothed copy of `values` with weight `weight` (TensorBoard's "Smoothing" slider). */
export function smoothTensorBoard(values: ArrayLike<number>, weight: number): Float64Array {
  let w = Number.isFinite(weight) ? weight : 0;
  w = Math.max(0, Math.min(w, 1));
  const n = values.length;
  const out = new Float64Array(n);
  const first = n > 0 ? values[0]! : NaN;
  let constant = true;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    out[i] = v;
    if (v !== first) constant = false; // NaN !== NaN, as `==` in TensorBoard
  }
  if (constant) return out;
  let last = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    last = last * w + (1 - w) * v;
    count++;
    const debias = w === 1 ? 1 : 1 - Math.pow(w, count);
    out[i] = last / debias;
  }
  return out;
}

/**
 * The series with TensorBoard-smoothed values (steps, wall times and lines unchanged).
 * Learning-rate series are returned as they are: smoothing would move the schedule's
 * corners and invent values the optimizer never used.
 */
export function smoothSeries(series: Series, weight: number): Series {
  if (series.role === 'lr') return series;
  return { ...series, values: smoothTensorBoard(series.values, weight) };
}
