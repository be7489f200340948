// The chart's data model: what the host computes for a visible range and the webview draws.

/** What the x axis shows. `epoch` and `time` exist only when the run records them. */
export type XAxis = 'step' | 'epoch' | 'time';

/** A non-finite point, drawn as a marker (values cannot be plotted). */
export interface NonFinitePoint {
  x: number;
  step: number;
  value: 'NaN' | 'Infinity' | '-Infinity';
  line?: number;
}

/** One series for the visible range, decimated to about two points per pixel column. */
export interface SeriesView {
  key: string;
  /** Positions in the requested x-axis unit, ascending. */
  x: number[];
  /** Raw values at those positions; null where the value is not finite. */
  y: (number | null)[];
  /** TensorBoard-smoothed values at the same positions (absent for LR series and smoothing 0). */
  smoothed?: (number | null)[];
  /** The step of each point (equals `x` on the step axis). */
  steps: number[];
  /** 1-based source line of each point, for text formats. */
  lines?: number[];
  /** Non-finite points in range (at most a few hundred; the first ones). */
  nonFinite: NonFinitePoint[];
  /** Raw points in the visible range before decimation. */
  total: number;
}

/**
 * A curve drawn over the LR: the fitted schedule, or the one a suggestion proposes. In a
 * view, `x` is in the view's axis unit; the overlay of a `preview` message has `x` in steps
 * (the webview places it through the view's step maps), `y` is the LR.
 */
export interface OverlayView {
  id: string;
  runId: string;
  kind: 'fitted' | 'preview';
  label: string;
  x: number[];
  y: number[];
}

/**
 * How one run's steps map onto a non-step x axis: knots (ascending steps and their x) to
 * interpolate linearly between, so the webview can place findings, focus ranges and
 * preview curves (all in steps) on the epoch or time axis. At most a few hundred knots.
 */
export interface StepMap {
  runId: string;
  steps: number[];
  x: number[];
}

export interface ViewData {
  xAxis: XAxis;
  /** The range the data covers; null for "everything". */
  xRange: [number, number] | null;
  /** The full extent of all runs on this axis. */
  extent: [number, number];
  series: SeriesView[];
  overlays: OverlayView[];
  /** One per run when `xAxis` is not `step` (on the step axis x is the step). */
  stepMaps?: StepMap[];
}

