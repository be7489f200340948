// Test-side loaders for the LR column of the shared bench and corpus files whose product
// readers live elsewhere: a Hugging Face trainer_state.json's log_history and a
// Lightning-style metrics.csv. They only pull out (step, lr) pairs for schedule tests.
import * as fs from 'node:fs';

export interface LrColumn {
  steps: Float64Array;
  values: Float64Array;
}

/** `learning_rate` by `step` from log_history; `max_steps / num_train_epochs` when whole. */
export function trainerStateLr(file: string): LrColumn & { stepsPerEpoch?: number; maxSteps?: number } {
  // trainer_state.json is written by Python's json module, which emits bare NaN/Infinity.
  const text = fs.readFileSync(file, 'utf8').replace(/\bNaN\b/g, 'null').replace(/-?\bInfinity\b/g, 'null');
  const j = JSON.parse(text) as { log_history?: Record<string, unknown>[]; max_steps?: number; num_train_epochs?: number };
  const pts = (j.log_history ?? []).filter((e) => typeof e.learning_rate === 'number' && typeof e.step === 'number');
  const spe = j.max_steps && j.num_train_epochs ? j.max_steps / j.num_train_epochs : undefined;
  return {
    steps: Float64Array.from(pts, (e) => e.step as number),
    values: Float64Array.from(pts, (e) => e.learning_rate as number),
    ...(spe !== undefined && Number.isInteger(spe) ? { stepsPerEpoch: spe } : {}),
    ...(j.max_steps !== undefined ? { maxSteps: j.max_steps } : {}),
  };
}

/** The first `lr*` / `learning_rate*` column of a metrics.csv by its `step` column. */
export function metricsCsvLr(file: string): LrColumn {
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l.length > 0);
  const header = lines[0]!.split(',');
  const si = header.indexOf('step');
  const li = header.findIndex((h) => /^(lr|learning_rate)/i.test(h));
  const steps: number[] = [];
  const values: number[] = [];
  for (const line of lines.slice(1)) {
    const cells = line.split(',');
    const s = Number(cells[si]);
    const v = cells[li] === '' || cells[li] === undefined ? NaN : Number(cells[li]);
    if (Number.isFinite(s) && Number.isFinite(v)) {
      steps.push(s);
      values.push(v);
    }
  }
  return { steps: Float64Array.from(steps), values: Float64Array.from(values) };
}
