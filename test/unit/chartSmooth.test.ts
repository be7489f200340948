import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { tensorboardSmooth } from '../../src/core/chart/smooth';

const close = (a: number, b: number, eps = 1e-12): boolean => Math.abs(a - b) <= eps * Math.max(1, Math.abs(a), Math.abs(b));

test('smoothing is the debiased EMA TensorBoard draws', () => {
  // By hand, weight 0.5: last = 0.5, debias 1 - 0.5 → 1; last = 0.25 + 1 = 1.25, debias 0.75 → 5/3;
  // last = 0.625 + 0 = 0.625, debias 0.875 → 5/7.
  const out = tensorboardSmooth(Float64Array.of(1, 2, 0), 0.5);
  assert.ok(close(out[0]!, 1));
  assert.ok(close(out[1]!, 5 / 3));
  assert.ok(close(out[2]!, 5 / 7));
});

test('the first point is never pulled towards zero, and weight 0 changes nothing', () => {
  fc.assert(
    fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 50 }), fc.double({ min: 0.001, max: 0.999, noNaN: true }), (xs, w) => {
      const v = Float64Array.from(xs);
      assert.ok(close(tensorboardSmooth(v, w)[0]!, xs[0]!, 1e-9));
      assert.deepEqual(Array.from(tensorboardSmooth(v, 0)), xs);
    }),
  );
});

test('smoothed values stay within the range of the values seen so far', () => {
  fc.assert(
    fc.property(fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: 200 }), fc.double({ min: 0, max: 0.999, noNaN: true }), (xs, w) => {
      const out = tensorboardSmooth(Float64Array.from(xs), w);
      let lo = Infinity;
      let hi = -Infinity;
      xs.forEach((x, i) => {
        lo = Math.min(lo, x);
        hi = Math.max(hi, x);
        assert.ok(out[i]! >= lo - 1e-9 * Math.abs(lo) - 1e-9 && out[i]! <= hi + 1e-9 * Math.abs(hi) + 1e-9, `${out[i]} in [${lo}, ${hi}]`);
      });
    }),
  );
});

test('NaN and infinities pass through and do not advance the average', () => {
  const out = tensorboardSmooth(Float64Array.of(1, NaN, 2, Infinity, 0), 0.5);
  const clean = tensorboardSmooth(Float64Array.of(1, 2, 0), 0.5);
  assert.ok(Number.isNaN(out[1]!));
  assert.equal(out[3], Infinity);
  assert.ok(close(out[0]!, clean[0]!) && close(out[2]!, clean[1]!) && close(out[4]!, clean[2]!));
});

test('a constant series is returned as is (TensorBoard #786)', () => {
  const v = new Float64Array(1000).fill(0.1);
  assert.deepEqual(Array.from(tensorboardSmooth(v, 0.99)), Array.from(v));
});

test('a million points smooth in well under a second', () => {
  const v = Float64Array.from({ length: 1_000_000 }, (_, i) => Math.sin(i));
  const t = performance.now();
  tensorboardSmooth(v, 0.6);
  assert.ok(performance.now() - t < 1000);
});
