import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildView, seriesKey } from '../../src/core/chart/view';
import { decimate } from '../../src/core/chart/decimate';
import { RunBuilder } from '../../src/core/model/runBuilder';

test('decimation keeps every extreme of a million points at a few points per pixel', () => {
  const n = 1_000_000;
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    xs[i] = i;
    ys[i] = Math.sin(i / 1000) + (i === 123_457 ? 50 : 0) - (i === 654_321 ? 50 : 0);
  }
  const { indexes, total } = decimate(xs, ys, 0, n - 1, 1000);
  assert.equal(total, n);
  assert.ok(indexes.length <= 1000 * 5 + 2, `${indexes.length} points`);
  const picked = new Set(indexes);
  assert.ok(picked.has(123_457), 'the spike is kept');
  assert.ok(picked.has(654_321), 'the dip is kept');
  for (let k = 1; k < indexes.length; k++) assert.ok(indexes[k]! > indexes[k - 1]!, 'ascending, no duplicates');
  assert.equal(indexes[0], 0);
  assert.equal(indexes[indexes.length - 1], n - 1);
});

test('a small range returns every point plus one beyond each edge', () => {
  const xs = Float64Array.from({ length: 100 }, (_, i) => i * 10);
  const ys = Float64Array.from({ length: 100 }, (_, i) => i);
  const { indexes, total } = decimate(xs, ys, 200, 300, 800);
  assert.equal(total, 11);
  assert.deepEqual(Array.from(indexes), [19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31]);
});

test('non-finite values survive decimation as gaps and are listed as markers', () => {
  const b = new RunBuilder('r.log', 'text', 'r.log');
  for (let i = 0; i < 100_000; i++) b.add('loss', i, i === 70_000 ? NaN : 1 / (1 + i), { line: i + 1 });
  const view = buildView([{ id: 'r', run: b.build() }], { xAxis: 'step', xRange: null, width: 500, smoothing: 0 });
  const s = view.series.find((x) => x.key === seriesKey('r', 'loss'))!;
  assert.ok(s.y.includes(null), 'the NaN breaks the line');
  assert.deepEqual(s.nonFinite, [{ x: 70_000, step: 70_000, value: 'NaN', line: 70_001 }]);
  assert.equal(s.total, 100_000);
  assert.deepEqual(view.extent, [0, 99_999]);
});

test('epoch and relative-time axes map steps through the run', () => {
  const b = new RunBuilder('r', 'csv', 'r');
  for (let s = 0; s <= 100; s += 10) {
    b.add('loss', s, 1, { wallTime: 1000 + s * 2 });
    b.add('epoch', s, s / 50);
  }
  const run = b.build();
  const byEpoch = buildView([{ id: 'r', run }], { xAxis: 'epoch', xRange: null, width: 100, smoothing: 0 });
  assert.deepEqual(byEpoch.series.find((x) => x.key.endsWith('loss'))!.x.slice(0, 3), [0, 0.2, 0.4]);
  const byTime = buildView([{ id: 'r', run }], { xAxis: 'time', xRange: null, width: 100, smoothing: 0 });
  assert.deepEqual(byTime.series.find((x) => x.key.endsWith('loss'))!.x.slice(0, 3), [0, 20, 40]);
});

test('smoothing applies to losses, never to the learning rate', () => {
  const b = new RunBuilder('r', 'text', 'r');
  for (let s = 0; s < 10; s++) {
    b.add('loss', s, s % 2);
    b.add('lr', s, s % 2);
  }
  const halve = (v: Float64Array): Float64Array => v.map((x) => x / 2);
  const view = buildView([{ id: 'r', run: b.build() }], { xAxis: 'step', xRange: null, width: 100, smoothing: 0.6 }, halve);
  assert.ok(view.series.find((x) => x.key.endsWith('loss'))!.smoothed);
  assert.equal(view.series.find((x) => x.key.endsWith('\u0000lr'))!.smoothed, undefined);
});

test('the LR is drawn raw while the loss is smoothed with TensorBoard smoothing by default', () => {
  const b = new RunBuilder('r', 'text', 'r');
  for (let s = 0; s < 5; s++) {
    b.add('loss', s, s % 2);
    b.add('lr', s, 1e-3 * (s + 1));
  }
  const view = buildView([{ id: 'r', run: b.build() }], { xAxis: 'step', xRange: null, width: 100, smoothing: 0.5 });
  const loss = view.series.find((x) => x.key.endsWith('loss'))!;
  // 0, 1, 0 smoothed at 0.5: 0, 2/3, 2/7.
  assert.deepEqual(loss.smoothed!.slice(0, 3).map((v) => Math.round(v! * 1e6) / 1e6), [0, 0.666667, 0.285714]);
  const lr = view.series.find((x) => x.key.endsWith('\u0000lr'))!;
  assert.equal(lr.smoothed, undefined);
  assert.deepEqual(lr.y, [1e-3, 2e-3, 3e-3, 4e-3, 5e-3]);
});

test('views on the epoch and time axes carry each run\'s step map; the step axis needs none', () => {
  const b = new RunBuilder('r', 'csv', 'r');
  b.meta.stepsPerEpoch = 100;
  for (let s = 0; s <= 10_000; s += 5) b.add('loss', s, 1, { wallTime: 5000 + s * 0.5 });
  const run = b.build();
  const byStep = buildView([{ id: 'r', run }], { xAxis: 'step', xRange: null, width: 100, smoothing: 0 });
  assert.equal(byStep.stepMaps, undefined);
  const byEpoch = buildView([{ id: 'r', run }], { xAxis: 'epoch', xRange: null, width: 100, smoothing: 0 });
  const map = byEpoch.stepMaps![0]!;
  assert.equal(map.runId, 'r');
  assert.ok(map.steps.length <= 257 && map.steps.length > 100, `${map.steps.length} knots`);
  assert.equal(map.steps[map.steps.length - 1], 10_000);
  map.steps.forEach((s, i) => assert.equal(map.x[i], s / 100));
  const byTime = buildView([{ id: 'r', run }], { xAxis: 'time', xRange: null, width: 100, smoothing: 0 });
  byTime.stepMaps![0]!.steps.forEach((s, i) => assert.equal(byTime.stepMaps![0]!.x[i], s * 0.5));
});
