// Run + findings → the chart's wire format.
import type { Finding } from '../core/analysis/finding';
import type { Run } from '../core/model/run';
import type { Series } from '../core/model/series';
import type { ChartRun, ChartSeries } from '../protocol/messages';

export function toChartSeries(s: Series): ChartSeries {
  const values: (number | null)[] = new Array<number | null>(s.values.length);
  const nonFinite: ChartSeries['nonFinite'] = [];
  for (let i = 0; i < s.values.length; i++) {
    const v = s.values[i]!;
    if (Number.isFinite(v)) values[i] = v;
    else {
      values[i] = null;
      nonFinite.push({ index: i, value: Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity' });
    }
  }
  return {
    tag: s.tag,
    role: s.role,
    steps: Array.from(s.steps),
    values,
    nonFinite,
    ...(s.lines ? { lines: Array.from(s.lines) } : {}),
  };
}

export function toChartRun(id: string, run: Run, findings: Finding[]): ChartRun {
  return { id, name: run.name, source: run.source, series: run.series.map(toChartSeries), findings };
}
