// `npm run bench`: prints throughput figures. Never part of the pass/fail suite.
import { readBytes } from '../src/core/formats/registry';
import { analyzeRun } from '../src/core/analysis/analyze';
import { checkScript } from '../src/core/python/checks';
import { parseScript } from '../src/core/python/parse';
import { analyzeScript } from '../src/core/python/scriptModel';
import { analysisBenchmark } from './analysis';
import { benchScheduleFit } from './scheduleFit';
import { benchTextReaders } from './textReaders';
import { benchTfevents } from './tfevents';

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
for (const line of benchScheduleFit()) console.log(line);
{
  // A 5,000-line training script: module config, helpers, and a train loop, repeated.
  const block = [
    'import torch',
    'from torch.optim.lr_scheduler import StepLR',
    'lr = 3e-4',
    'def train(model, loader, optimizer, scheduler):',
    '    for step, (x, y) in enumerate(loader):',
    '        loss = torch.nn.functional.cross_entropy(model(x), y)',
    '        optimizer.zero_grad()',
    '        loss.backward()',
    '        optimizer.step()',
    '    return loss.item()',
    'optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)',
    'scheduler = StepLR(optimizer, step_size=30, gamma=0.1)',
    'for epoch in range(90):',
    '    train(model, train_loader, optimizer, scheduler)',
    '    scheduler.step()',
    '',
  ];
  const lines: string[] = [];
  while (lines.length < 5000) lines.push(...block.map((l) => l.replace(/\btrain\b/g, `train_${lines.length}`)));
  const script = lines.slice(0, 5000).join('\n');
  // Best of ten: the machine is shared, and the first run includes JIT warm-up.
  const best = <T>(fn: () => T): [T, number] => {
    let out = time(fn);
    for (let i = 0; i < 9; i++) {
      const t = time(fn);
      if (t[1] < out[1]) out = t;
    }
    return out;
  };
  const [, parseS] = best(() => parseScript(script));
  const [model, modelS] = best(() => analyzeScript(script));
  const [, checkS] = best(() => checkScript(model));
  console.log(`python script: 5,000 lines parsed in ${(parseS * 1000).toFixed(1)} ms; understood in ${(modelS * 1000).toFixed(1)} ms (${model.optimizers.length} optimizers, ${model.steps.length} step calls); checked in ${(checkS * 1000).toFixed(1)} ms`);
}
console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);

benchTfevents(process.argv.includes('--huge') || process.env.LRLENS_BENCH_HUGE === '1');
benchTextReaders();
