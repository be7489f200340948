// Builds what the chart draws for a visible range: mapped, smoothed and decimated series.
import type { Run } from '../model/run';
import type { Series } from '../model/series';
import { axisMaps, type AxisMap } from './axes';
import { decimate, lowerBound, upperBound } from './decimate';
import { smoothTensorBoard } from '../model/smoothing';
import type { NonFinitePoint, OverlayView, SeriesView, StepMap, ViewData, XAxis } from './types';

/** TensorBoard-style smoothing of a whole series (NaN/Inf passed through). */
export type Smoother = (values: Float64Array, weight: number) => Float64Array;

export interface ChartSource {
  /** Stable id of the run (its source URI). */
  id: string;
  run: Run;
  /** Curves over the LR, with x in steps. */
  overlays?: OverlayView[];
}

export interface ViewRequest {
  xAxis: XAxis;
  xRange: [number, number] | null;
  /** Chart width in pixels: one decimation bucket per pixel. */
  width: number;
  smoothing: number;
}

/** At most this many non-finite markers per series in one view. */
export const MAX_NON_FINITE_MARKERS = 500;

/** Knots per run in a view's step maps. */
export const STEP_MAP_KNOTS = 256;

export const seriesKey = (runId: string, tag: string): string => `${runId}\u0000${tag}`;

// Snapshots are immutable, so derived arrays are cached per Series object.
const mapped = new WeakMap<Series, Map<string, Float64Array>>();
const smoothedCache = new WeakMap<Series, { weight: number; smooth: Smoother; values: Float64Array }>();

function xsOf(s: Series, axis: XAxis, map: AxisMap, t0: number | undefined): Float64Array {
  if (axis === 'step') return s.steps;
  let byAxis = mapped.get(s);
  if (!byAxis) mapped.set(s, (byAxis = new Map<string, Float64Array>()));
  const hit = byAxis.get(axis);
  if (hit) return hit;
  const xs = new Float64Array(s.steps.length);
  const ownTime = axis === 'time' && s.wallTimes && t0 !== undefined;
  for (let i = 0; i < xs.length; i++) {
    const w = ownTime ? s.wallTimes[i]! : NaN;
    xs[i] = Number.isFinite(w) ? w - t0! : map(s.steps[i]!);
  }
  // Keep the axis sorted even when wall clocks jitter (monotone envelope).
  for (let i = 1; i < xs.length; i++) if (xs[i]! < xs[i - 1]!) xs[i] = xs[i - 1]!;
  byAxis.set(axis, xs);
  return xs;
}

function smoothedOf(s: Series, weight: number, smooth: Smoother): Float64Array {
  const hit = smoothedCache.get(s);
  if (hit && hit.weight === weight && hit.smooth === smooth) return hit.values;
  const values = smooth(s.values, weight);
  smoothedCache.set(s, { weight, smooth, values });
  return values;
}

/** The first wall time of a run, which relative time counts from. */
function firstWallTime(run: Run): number | undefined {
  let t0 = Infinity;
  for (const s of run.series) {
    if (!s.wallTimes) continue;
    for (let i = 0; i < s.wallTimes.length; i++) {
      const w = s.wallTimes[i]!;
      if (Number.isFinite(w)) {
        if (w < t0) t0 = w;
        break;
      }
    }
  }
  return t0 === Infinity ? undefined : t0;
}

const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

function nonFiniteKind(v: number): NonFinitePoint['value'] {
  return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
}

/** Knots of step → x for one run: the drawn positions of its longest series, thinned evenly. */
function stepMapOf(runId: string, s: Series, xs: Float64Array): StepMap {
  const n = s.steps.length;
  const stride = Math.max(1, Math.ceil(n / STEP_MAP_KNOTS));
  const steps: number[] = [];
  const x: number[] = [];
  const add = (i: number): void => {
    const step = s.steps[i]!;
    if (steps.length && step <= steps[steps.length - 1]!) return;
    steps.push(step);
    x.push(xs[i]!);
  };
  for (let i = 0; i < n; i += stride) add(i);
  add(n - 1);
  return { runId, steps, x };
}

/**
 * The data for one view of several runs. Series other than the LR are smoothed with
 * `smooth` (TensorBoard's algorithm unless told otherwise) when `req.smoothing` > 0.
 */
export function buildView(sources: readonly ChartSource[], req: ViewRequest, smooth: Smoother = smoothTensorBoard): ViewData {
  const prepared: { src: ChartSource; s: Series; xs: Float64Array; map: AxisMap }[] = [];
  let lo = Infinity;
  let hi = -Infinity;
  for (const src of sources) {
    const map = axisMaps(src.run)[req.xAxis];
    if (!map) continue;
    const t0 = req.xAxis === 'time' ? firstWallTime(src.run) : undefined;
    for (const s of src.run.series) {
      if (s.steps.length === 0) continue;
      const xs = xsOf(s, req.xAxis, map, t0);
      lo = Math.min(lo, xs[0]!);
      hi = Math.max(hi, xs[xs.length - 1]!);
      prepared.push({ src, s, xs, map });
    }
  }
  const extent: [number, number] = lo <= hi ? [lo, hi] : [0, 1];
  const [x0, x1] = req.xRange ?? extent;
  const buckets = Math.max(16, Math.min(8192, Math.round(req.width)));
  const series: SeriesView[] = [];
  for (const { src, s, xs } of prepared) {
    const { indexes, total } = decimate(xs, s.values, x0, x1, buckets);
    const n = indexes.length;
    const view: SeriesView = { key: seriesKey(src.id, s.tag), x: new Array<number>(n), y: new Array<number | null>(n), steps: new Array<number>(n), nonFinite: [], total };
    const sm = req.smoothing > 0 && s.role !== 'lr' ? smoothedOf(s, req.smoothing, smooth) : undefined;
    if (sm) view.smoothed = new Array<number | null>(n);
    if (s.lines) view.lines = new Array<number>(n);
    for (let k = 0; k < n; k++) {
      const i = indexes[k]!;
      view.x[k] = xs[i]!;
      view.y[k] = finiteOrNull(s.values[i]!);
      view.steps[k] = s.steps[i]!;
      if (sm) view.smoothed![k] = finiteOrNull(sm[i]!);
      if (s.lines) view.lines![k] = s.lines[i]!;
    }
    const from = lowerBound(xs, x0);
    const to = upperBound(xs, x1);
    for (let i = from; i < to && view.nonFinite.length < MAX_NON_FINITE_MARKERS; i++) {
      const v = s.values[i]!;
      if (Number.isFinite(v)) continue;
      const p: NonFinitePoint = { x: xs[i]!, step: s.steps[i]!, value: nonFiniteKind(v) };
      if (s.lines) p.line = s.lines[i]!;
      view.nonFinite.push(p);
    }
    series.push(view);
  }
  const overlays: OverlayView[] = [];
  for (const src of sources) {
    const map = axisMaps(src.run)[req.xAxis];
    if (!map) continue;
    for (const o of src.overlays ?? []) overlays.push(req.xAxis === 'step' ? o : { ...o, x: o.x.map(map) });
  }
  const stepMaps: StepMap[] = [];
  if (req.xAxis !== 'step') {
    const longest = new Map<ChartSource, { s: Series; xs: Float64Array }>();
    for (const p of prepared) {
      const best = longest.get(p.src);
      if (!best || p.s.steps.length > best.s.steps.length) longest.set(p.src, p);
    }
    for (const [src, { s, xs }] of longest) stepMaps.push(stepMapOf(src.id, s, xs));
  }
  const view: ViewData = { xAxis: req.xAxis, xRange: req.xRange, extent, series, overlays };
  if (req.xAxis !== 'step') view.stepMaps = stepMaps;
  return view;
}
