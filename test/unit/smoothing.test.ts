// TensorBoard's smoothing, pinned to the numbers TensorBoard's algorithm gives
// (tensorboard/webapp/widgets/line_chart_v2/data_transformer.ts `classicSmoothing`,
// replayed by hand in Python for the expected values below).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { smoothSeries, smoothTensorBoard } from '../../src/core/model/smoothing';
import type { Series } from '../../src/core/model/series';

const smooth = (values: number[], w: number): number[] => [...smoothTensorBoard(values, w)];

/** Equal to within one or two ulps (the expected values come from CPython's pow). */
function close(actual: number[], expected: number[]): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((a, i) => {
    const e = expected[i]!;
    if (Number.isNaN(e)) assert.ok(Number.isNaN(a), `index ${i}: NaN expected, got ${a}`);
    else if (!Number.isFinite(e)) assert.equal(a, e);
    else assert.ok(Math.abs(a - e) <= 4e-16 * Math.abs(e), `index ${i}: ${a} vs ${e}`);
  });
}

test('debiased EMA: the first point is the value itself, then the corrected average', () => {
  // 1, (0.6*0.4 + 0.4*2)/(1-0.36) = 1.625, ...
  close(smooth([1, 2, 3, 4], 0.6), [1, 1.625, 2.3265306122448983, 3.0955882352941173]);
});

test('NaN and Inf pass through at their place and do not enter the average', () => {
  close(smooth([2, NaN, 4, Infinity, 1], 0.9), [2, NaN, 3.0526315789473686, Infinity, 2.2952029520295207]);
  close(smooth([NaN, 1, 1], 0.5), [NaN, 1, 1]);
});

test('a constant series is returned unchanged (tensorboard#786)', () => {
  close(smooth([5, 5, 5], 0.9), [5, 5, 5]);
  close(smooth([0.1 + 0.2, 0.1 + 0.2], 0.99), [0.30000000000000004, 0.30000000000000004]);
  assert.deepEqual(smooth([], 0.6), []);
});

test('weight edge cases follow TensorBoard: 0 is identity, 1 flattens to 0, others are clamped', () => {
  close(smooth([1, 3], 0), [1, 3]);
  close(smooth([1, 3], 1), [0, 0]);
  close(smooth([1, 3], 7), [0, 0]);
  close(smooth([1, 3], -2), [1, 3]);
  close(smooth([1, 3], NaN), [1, 3]);
  close(smooth([10, 0, 10, 0, 10], 0.999), [10, 4.99749874937476, 6.6666677788896385, 4.99749874937474, 6.00000200200082]);
});

test('smoothed values stay within the range of the finite values seen so far', () => {
  fc.assert(
    fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 60 }), fc.double({ min: 0, max: 0.999, noNaN: true }), (vals, w) => {
      const out = smoothTensorBoard(vals, w);
      let lo = Infinity;
      let hi = -Infinity;
      vals.forEach((v, i) => {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
        const slack = 1e-9 * Math.max(1, Math.abs(lo), Math.abs(hi));
        assert.ok(out[i]! >= lo - slack && out[i]! <= hi + slack);
      });
    }),
  );
});

test('learning-rate series are never smoothed; other roles are', () => {
  const mk = (role: Series['role']): Series => ({
    tag: role,
    role,
    steps: new Float64Array([0, 1, 2]),
    values: new Float64Array([1, 0.5, 0.25]),
  });
  const lr = mk('lr');
  assert.equal(smoothSeries(lr, 0.9), lr);
  const loss = smoothSeries(mk('train_loss'), 0.5);
  assert.deepEqual([...loss.values], [1, (0.25 + 0.25) / 0.75, ((0.25 + 0.25) * 0.5 + 0.125) / 0.875]);
  assert.deepEqual([...loss.steps], [0, 1, 2]);
});
