// The chart's "Export CSV": the visible range of the visible series at full resolution.
import type { Run } from '../model/run';
import { axisMaps } from './axes';
import { lowerBound, upperBound } from './decimate';
import type { XAxis } from './types';
import { seriesKey } from './view';

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Long-format CSV (`run,tag,step,x,value`) so series with different steps stay exact;
 * `x` is the position on the chosen axis. Non-finite values are written as NaN/inf/-inf.
 */
export function visibleCsv(sources: readonly { id: string; run: Run }[], keys: readonly string[], xAxis: XAxis, xRange: [number, number] | null): string {
  const want = new Set(keys);
  const rows = [`run,tag,step,${xAxis},value`];
  for (const { id, run } of sources) {
    const map = axisMaps(run)[xAxis];
    if (!map) continue;
    for (const s of run.series) {
      if (!want.has(seriesKey(id, s.tag))) continue;
      const xs = xAxis === 'step' ? s.steps : s.steps.map(map);
      const from = xRange ? lowerBound(xs, xRange[0]) : 0;
      const to = xRange ? upperBound(xs, xRange[1]) : xs.length;
      const prefix = `${csvField(run.name)},${csvField(s.tag)},`;
      for (let i = from; i < to; i++) {
        const v = s.values[i]!;
        const vs = Number.isNaN(v) ? 'NaN' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : String(v);
        rows.push(`${prefix}${s.steps[i]!},${xs[i]!},${vs}`);
      }
    }
  }
  return rows.join('\n') + '\n';
}
