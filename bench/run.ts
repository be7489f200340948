// `npm run bench`: prints throughput figures. Never part of the pass/fail suite.
import { readBytes } from '../src/core/formats/registry';
import { analyzeRun } from '../src/core/analysis/analyze';
import { analysisBenchmark } from './analysis';

function textLog(lines: number): Uint8Array {
  const parts: string[] = [];
  for (let i = 0; i < lines; i++) {
    const loss = 1 + 3 * Math.exp(-i / 1e5) + 0.01 * Math.sin(i);
    parts.push(`step ${i}/${lines} | loss ${loss.toFixed(4)} | lr ${(3e-4).toExponential(2)} | norm 0.9123 | dt 211.3ms\n`);
  }
  return new TextEncoder().encode(parts.join(''));
}

function time<T>(fn: () => T): [T, number] {
  const t0 = process.hrtime.bigint();
  const r = fn();
  return [r, Number(process.hrtime.bigint() - t0) / 1e9];
}

const bytes = textLog(1_000_000);
const mb = bytes.length / 1e6;
const [result, readS] = time(() => readBytes('bench.log', bytes));
const run = result.runs[0]!;
const [, analyzeS] = time(() => analyzeRun(run));
const points = run.series.reduce((n, s) => n + s.values.length, 0);
console.log(`text log: ${mb.toFixed(1)} MB, 1,000,000 lines read in ${readS.toFixed(2)} s = ${(mb / readS).toFixed(1)} MB/s`);
console.log(`analysis: ${points.toLocaleString('en-US')} points in ${(analyzeS * 1000).toFixed(1)} ms`);
for (const line of analysisBenchmark()) console.log(line);
console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
