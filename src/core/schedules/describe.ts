// One-line, human descriptions of canonical schedules ("cosine with warm restarts, T_0=5 epochs").
import type { ScheduleSpec } from './families';

/** An LR with 3 significant digits: 0.0215, 2.15, 3e-4, 1.63e-3. */
export function formatLr(x: number): string {
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return String(x);
  const exp = Math.floor(Math.log10(Math.abs(x)));
  if (exp < -2 || exp >= 4) {
    const [m, e] = x.toExponential(2).split('e') as [string, string];
    return `${trimZeros(m)}e${Number(e)}`;
  }
  return trimZeros(x.toPrecision(3));
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

const round = (x: number, d = 4): string => trimZeros(x.toFixed(d));

/** A factor (gamma, decay per step): four decimals, or three significant digits when tiny (0.05 ** 60). */
const factor = (x: number, d = 4): string => (x !== 0 && Math.abs(x) < 10 ** -(d - 1) ? formatLr(x) : round(x, d));

/** "5 epochs (225 steps)" when an epoch length is known and the count is a whole or half number of epochs. */
export function formatSteps(steps: number, stepsPerEpoch?: number): string {
  const s = `${round(steps, 1)} step${steps === 1 ? '' : 's'}`;
  if (!stepsPerEpoch || !(stepsPerEpoch > 1)) return s;
  const e = steps / stepsPerEpoch;
  if (Math.abs(e * 2 - Math.round(e * 2)) < 1e-6) return `${round(e, 1)} epoch${e === 1 ? '' : 's'} (${s})`;
  return `${s} (${round(e, 2)} epochs)`;
}

/** A sentence describing the schedule, in epochs where that is the natural unit. */
export function describeSchedule(spec: ScheduleSpec, stepsPerEpoch?: number): string {
  const p = spec.params;
  const st = (n: number | undefined): string => formatSteps(n ?? NaN, stepsPerEpoch);
  const lr = formatLr(p.lr ?? NaN);
  const end = formatLr(p.endLr ?? 0);
  let text: string;
  switch (spec.family) {
    case 'constant':
      text = `constant LR ${lr}`;
      break;
    case 'step':
      text = `step decay from ${lr}: ×${factor(p.gamma ?? NaN)} every ${st(p.stepSize)}`;
      break;
    case 'multistep': {
      const at = (spec.milestones ?? []).map((m) => st(m)).join(', ');
      text =
        p.gamma !== undefined
          ? `multi-step decay from ${lr}: ×${factor(p.gamma)} at ${at}`
          : `piecewise constant: ${(spec.levels ?? []).map(formatLr).join(' → ')} (changes at ${at})`;
      break;
    }
    case 'reduce_on_plateau': {
      const at = (spec.milestones ?? []).map((m) => st(m)).join(', ');
      text = `reduce-on-plateau drops from ${lr}: ×${factor(p.factor ?? NaN)} at irregular points (${at})${p.minLr !== undefined ? `, floored at ${formatLr(p.minLr)}` : ''}`;
      break;
    }
    case 'exponential':
      if (spec.variant === 'staircase') text = `exponential decay from ${lr}: ×${factor(p.gamma ?? NaN)} every ${st(p.decaySteps)}`;
      else if (stepsPerEpoch && stepsPerEpoch > 1 && p.gammaPerEpoch !== undefined)
        text = `exponential decay from ${lr}: ×${factor(p.gammaPerEpoch)} per epoch (×${factor(p.gamma ?? NaN, 6)} per step)`;
      else text = `exponential decay from ${lr}: ×${factor(p.gamma ?? NaN, 6)} per step`;
      break;
    case 'linear':
      text = `linear decay from ${lr} to ${end} over ${st(p.decaySteps)}`;
      break;
    case 'polynomial':
      text = `polynomial decay (power ${round(p.power ?? NaN, 2)}) from ${lr} to ${end} over ${st(p.decaySteps)}`;
      break;
    case 'cosine':
      text = `cosine decay from ${lr} to ${end} over ${st(p.decaySteps)}`;
      if (spec.variant === 'periodic') text += ', then climbing back up (a cosine stepped past T_max)';
      break;
    case 'inverse_sqrt':
      text = `inverse square-root decay from ${lr}, timescale ${st(p.timescale)}`;
      break;
    case 'cosine_warm_restarts':
      text = `cosine with warm restarts from ${lr} to ${end}, T_0=${st(p.T_0)}, T_mult=${round(p.T_mult ?? 1)}`;
      if ((p.restartDecay ?? 1) !== 1) text += `, each restart at ×${factor(p.restartDecay ?? 1)} the previous peak`;
      break;
    case 'cyclic_triangular':
    case 'cyclic_triangular2':
    case 'cyclic_exp_range': {
      const mode = spec.family.slice('cyclic_'.length);
      text = `cyclic (${mode}) between ${formatLr(p.baseLr ?? NaN)} and ${formatLr(p.maxLr ?? NaN)}, ${st(p.stepSizeUp)} up and ${st(p.stepSizeDown)} down`;
      if (spec.family === 'cyclic_exp_range') text += `, amplitude ×${factor(p.gamma ?? NaN, 6)} per step`;
      break;
    }
    case 'one_cycle': {
      const max = p.maxLr ?? NaN;
      const initial = max / (p.divFactor ?? NaN);
      const min = initial / (p.finalDivFactor ?? NaN);
      text = `one-cycle (${spec.variant ?? 'cos'}${p.threePhase ? ', three phases' : ''}) over ${st(p.totalSteps)}: ${formatLr(initial)} up to ${formatLr(max)} at step ${round(p.peakStep ?? NaN, 1)}, then down to ${formatLr(min)}`;
      break;
    }
    case 'warmup_stable_decay':
      text = `stable at ${lr} until ${st((p.warmupSteps ?? 0) + (p.stableSteps ?? 0))}, then ${spec.variant ?? 'cosine'} decay to ${end} over ${st(p.decaySteps)}`;
      break;
    case 'lr_range_test':
      text = `LR range test: ${formatLr(p.startLr ?? NaN)} → ${formatLr(p.endLr ?? NaN)} exponentially over ${round(p.numSteps ?? NaN, 0)} steps`;
      break;
  }
  const w = p.warmupSteps ?? 0;
  if (w > 0 && spec.family !== 'one_cycle' && spec.family !== 'lr_range_test') {
    text =
      (p.warmupUnfinished ?? 0) > 0
        ? `linear warmup from ${formatLr(p.warmupStartLr ?? 0)}, still rising at the last step (warmup of at least ${st(w)})`
        : `linear warmup from ${formatLr(p.warmupStartLr ?? 0)} over ${st(w)}, then ${(p.holdSteps ?? 0) > 0 ? `(after ${st(p.holdSteps)} at the peak) ` : ''}${text}`;
  }
  const every = p.stepInterval ?? 1;
  if (every > 1) text += `; the scheduler is stepped every ${st(every)}`;
  if (spec.restarts && spec.restarts.length > 0) text += `; restarted from its beginning at ${spec.restarts.map((r) => st(r)).join(', ')}`;
  if (p.fromStep !== undefined) text += `, from step ${round(p.fromStep, 0)} (earlier points follow another schedule: a previous run in the same log)`;
  return text;
}
