import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fittedOverlay, suggestionOverlay } from '../../src/core/chart/overlays';
import { RunBuilder } from '../../src/core/model/runBuilder';
import { primarySeries } from '../../src/core/model/roles';
import { fitSchedule } from '../../src/core/schedules/fit';

function cosineRun() {
  const b = new RunBuilder('r', 'text', 'r');
  for (let t = 0; t <= 1000; t += 10) {
    const lr = t < 100 ? (1e-3 * t) / 100 : 1e-5 + (1e-3 - 1e-5) * 0.5 * (1 + Math.cos((Math.PI * (t - 100)) / 900));
    b.add('lr', t, lr);
    b.add('loss', t, 2 / (1 + t / 100));
  }
  return b.build();
}

test('the fitted schedule is drawn over the real LR and follows it', () => {
  const run = cosineRun();
  const fit = fitSchedule(primarySeries(run.series, 'lr')!, run.meta)!;
  assert.ok(fit, 'a schedule was identified');
  const o = fittedOverlay('r', run, fit)!;
  assert.equal(o.kind, 'fitted');
  assert.match(o.label, /warmup|cosine/);
  const lr = primarySeries(run.series, 'lr')!;
  for (const step of [0, 100, 500, 1000]) {
    const k = o.x.indexOf(step);
    assert.ok(k >= 0, `step ${step} sampled`);
    const i = Array.from(lr.steps).indexOf(step);
    assert.ok(Math.abs(o.y[k]! - lr.values[i]!) <= 0.02 * lr.values[i]! + 1e-9, `at ${step}: ${o.y[k]} vs ${lr.values[i]}`);
  }
});

test('suggestions become preview curves over the run', () => {
  const run = cosineRun();
  const scaled = suggestionOverlay('r', run, { fix: 'scale_lr', factor: 0.5 })!;
  assert.equal(scaled.kind, 'preview');
  assert.ok(Math.abs(Math.max(...scaled.y) - 5e-4) < 1e-9);
  const warm = suggestionOverlay('r', run, { fix: 'add_warmup', steps: 400 })!;
  assert.equal(warm.y[0], 0);
  const sched = suggestionOverlay('r', run, { fix: 'add_schedule', family: 'cosine', params: { warmupSteps: 50, decaySteps: 950, endLr: 1e-6 } })!;
  assert.ok(Math.abs(Math.max(...sched.y) - 1e-3) < 1e-9, 'peaks at the run’s own peak LR');
  assert.ok(sched.x.includes(50) && sched.x[sched.x.length - 1] === 1000);
  assert.equal(suggestionOverlay('r', run, { fix: 'clip_grad_norm', maxNorm: 1 }), undefined);
});
