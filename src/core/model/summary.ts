// Per-series summary figures, as the CLI's JSON reports them.
import type { Series } from './series';

export interface SeriesSummary {
  tag: string;
  role: Series['role'];
  /** Points, including non-finite ones. */
  count: number;
  firstStep: number | null;
  lastStep: number | null;
  /** Over finite values only; null when there are none. */
  min: number | null;
  max: number | null;
  nonFinite: number;
}

export function summarize(s: Series): SeriesSummary {
  let min = Infinity;
  let max = -Infinity;
  let nonFinite = 0;
  for (let i = 0; i < s.values.length; i++) {
    const v = s.values[i]!;
    if (!Number.isFinite(v)) nonFinite++;
    else {
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  const n = s.steps.length;
  return {
    tag: s.tag,
    role: s.role,
    count: n,
    firstStep: n ? s.steps[0]! : null,
    lastStep: n ? s.steps[n - 1]! : null,
    min: min === Infinity ? null : min,
    max: max === -Infinity ? null : max,
    nonFinite,
  };
}
