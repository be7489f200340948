// The detectors' speed: every detector over runs of 10 million points (a benchmark, not a test).
//
// Three shapes of 10M points each (a noisy healthy run, a run that blows up to NaN, a
// run with a per-batch StepLR and an overfitting validation loss), each with an LR
// series and a validation loss, so every detector does its full work. Built from typed
// arrays directly: the readers' speed is measured elsewhere.
import { analyze } from '../src/core/analysis/analyze';
import type { Run } from '../src/core/model/run';
import type { Series } from '../src/core/model/series';
import { gaussian, seeded } from '../test/support/random';

function series(tag: string, role: Series['role'], n: number, every: number, value: (i: number) => number): Series {
  const steps = new Float64Array(n);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    steps[i] = (i + 1) * every;
    values[i] = value(i);
  }
  return { tag, role, steps, values };
}

function runOf(name: string, series: Series[]): Run {
  return { source: name, format: 'tfevents', name, series, hparams: {}, meta: {}, restarts: [], errors: [] };
}

export function analysisBenchmark(n = 10_000_000): string[] {
  const g = gaussian(seeded(1));
  const evals = Math.max(10, Math.floor(n / 1000));
  const runs = [
    runOf('healthy', [
      series('train/loss', 'train_loss', n, 1, (i) => (1 + 3 * Math.exp(-i / (n / 10))) * Math.exp(0.3 * g())),
      series('train/lr', 'lr', n, 1, (i) => 3e-4 * (i < n / 20 ? (i + 1) / (n / 20) : 0.5 * (1 + Math.cos((Math.PI * i) / n)))),
      series('val/loss', 'val_loss', evals, 1000, (i) => 1.1 + 3 * Math.exp(-(i * 1000) / (n / 10))),
    ]),
    runOf('nan', [
      series('loss', 'train_loss', n, 1, (i) => (i > 0.7 * n ? NaN : 2 * Math.exp(0.05 * g()) * (i > 0.6 * n ? Math.exp((i - 0.6 * n) / (n / 50)) : 1))),
      series('lr', 'lr', n, 1, () => 1e-3),
      series('val_loss', 'val_loss', evals, 1000, () => 2),
    ]),
    runOf('collapse+overfit', [
      series('train_loss', 'train_loss', n, 1, (i) => (0.2 + 2 * Math.exp(-i / (n / 5))) * Math.exp(0.1 * g())),
      series('lr-SGD', 'lr', n, 1, (i) => 0.1 * 0.1 ** Math.floor(i / (n / 30))),
      series('val_loss', 'val_loss', evals, 1000, (i) => 1 + ((i - evals / 3) / evals) ** 2),
    ]),
  ];
  const out: string[] = [];
  let total = 0;
  let points = 0;
  const ms = (s: number): string => `${(s * 1000).toFixed(0)} ms`;
  const time = <T>(fn: () => T): [T, number] => {
    const t0 = process.hrtime.bigint();
    const r = fn();
    return [r, Number(process.hrtime.bigint() - t0) / 1e9];
  };
  for (const run of runs) {
    const pts = run.series.reduce((k, s) => k + s.values.length, 0);
    // The detectors alone, then the whole analysis with the schedule fit it includes.
    const [{ findings }, s] = time(() => analyze(run, { fitSchedule: false }));
    const [, all] = time(() => analyze(run));
    total += s;
    points += pts;
    out.push(
      `analysis: ${run.name.padEnd(17)} ${pts.toLocaleString('en-US')} points: detectors ${ms(s)}, with the schedule fit ${ms(all)} (${findings.map((f) => f.rule).join(', ') || 'no findings'})`,
    );
  }
  out.push(`analysis: detectors at ${(points / total / 1e6).toFixed(1)} M points/s`);
  return out;
}
