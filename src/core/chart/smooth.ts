// TensorBoard's scalar smoothing, exactly: a debiased exponential moving average.
//
// This is the algorithm of TensorBoard's scalar dashboard (`resmoothDataset` in
// tensorboard/components/vz_line_chart2/line-chart.ts, `classicSmoothing` in the newer
// line_chart_v2 data transformer), so a curve here matches the one users know:
//
//   last_0 = 0;  last_t = w * last_{t-1} + (1 - w) * y_t;  smoothed_t = last_t / (1 - w^n)
//
// where n counts the finite points seen so far (the division removes the bias towards the
// zero start). Non-finite points pass through unchanged and do not advance the average,
// and a constant series is returned as is (TensorBoard issue #786: floating-point error
// would otherwise make a flat line wobble).

/** Smooths `values` with weight `weight` in [0, 1); returns a new array. */
export function tensorboardSmooth(values: Float64Array, weight: number): Float64Array {
  const n = values.length;
  const out = new Float64Array(n);
  if (n === 0) return out;
  const first = values[0]!;
  let constant = true;
  for (let i = 1; i < n; i++) {
    // `==` as TensorBoard compares: NaN is never equal, so a series with NaN is not constant.
    if (values[i] !== first) {
      constant = false;
      break;
    }
  }
  if (constant || !(weight > 0)) {
    out.set(values);
    return out;
  }
  let last = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const y = values[i]!;
    if (!Number.isFinite(y)) {
      out[i] = y;
      continue;
    }
    last = last * weight + (1 - weight) * y;
    count++;
    // Math.pow rather than a running product, to match TensorBoard to the last bit.
    out[i] = weight === 1 ? last : last / (1 - Math.pow(weight, count));
  }
  return out;
}
