// Source lines of points: where in a text file a step was printed.
import type { Series } from './series';

/** The 1-based line of the first point at or after `step`, when the series has lines. */
export function lineOfStep(s: Series, step: number): number | undefined {
  if (!s.lines || s.steps.length === 0) return undefined;
  let lo = 0;
  let hi = s.steps.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (s.steps[mid]! < step) lo = mid + 1;
    else hi = mid;
  }
  if (lo >= s.steps.length) return undefined;
  return s.lines[lo]! || undefined;
}
