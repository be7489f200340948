// Numbers as ML engineers write them: `3e-4` learning rates, `12,000` steps, `1h 20m`.
// Pure functions (no DOM), shared by axis ticks, tooltips, the findings list and the status line.
import type { Suggestion } from '../src/core/analysis/finding';
import type { XAxis } from '../src/core/chart/types';

/** `v` in exponent notation with at most `digits` significant digits: 3e-4, 6.5e-5, 1.2e6. */
export function formatExponent(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return formatNonFinite(v);
  if (v === 0) return '0';
  const [mantissa, exp] = v.toExponential(Math.max(0, digits - 1)).split('e') as [string, string];
  const m = mantissa.includes('.') ? mantissa.replace(/\.?0+$/, '') : mantissa;
  const e = exp.startsWith('+') ? exp.slice(1) : exp;
  return `${m}e${e}`;
}

function formatNonFinite(v: number): string {
  return Number.isNaN(v) ? 'NaN' : v > 0 ? 'inf' : '-inf';
}

/** Plain decimal with at most `digits` significant digits and no trailing zeros. */
function formatDecimal(v: number, digits: number): string {
  const s = v.toPrecision(digits);
  if (s.includes('e')) return formatExponent(v, digits);
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/**
 * A loss or metric value: decimal when it reads well (2.413, 0.0123, 1,520), exponent
 * notation for the very small or very large (3e-5, 1.2e7).
 */
export function formatValue(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return formatNonFinite(v);
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a < 1e-3 || a >= 1e6) return formatExponent(v, digits);
  if (a >= 1e4) return groupThousands(Math.round(v));
  return formatDecimal(v, digits);
}

/** A learning rate: exponent notation below 0.01 (3e-4), decimal above (0.1, 1). */
export function formatLr(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return formatNonFinite(v);
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a < 0.01 || a >= 1e4) return formatExponent(v, digits);
  return formatDecimal(v, digits);
}

/** An integer with thousands separators: 12,000. Non-integers are rounded. */
export function groupThousands(v: number): string {
  if (!Number.isFinite(v)) return formatNonFinite(v);
  const n = Math.round(v);
  const s = Math.abs(n).toString();
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (i > 0 && (s.length - i) % 3 === 0) out += ',';
    out += s[i];
  }
  return n < 0 ? `-${out}` : out;
}

/** A step in text: 12,000. */
export const formatStep = groupThousands;

/** A step on an axis tick: 2,500, then 12k, 1.25M once the labels get long. */
export function formatStepTick(v: number): string {
  const a = Math.abs(v);
  if (a < 10_000) return groupThousands(v);
  // Thresholds sit where rounding would otherwise print 1000k or 1000M.
  if (a < 999_950) return `${trim(v / 1000, 1)}k`;
  if (a < 999_995_000) return `${trim(v / 1_000_000, 2)}M`;
  return `${trim(v / 1_000_000_000, 2)}B`;
}

function trim(v: number, decimals: number): string {
  return v.toFixed(decimals).replace(/\.?0+$/, '');
}

/** An epoch: 3, 2.5, 0.25 (at most two decimals). */
export function formatEpoch(v: number): string {
  if (!Number.isFinite(v)) return formatNonFinite(v);
  return trim(v, Math.abs(v) < 10 ? 2 : 1);
}

/** A duration in seconds, the way a person reads a training clock: 45s, 2m 30s, 1h 20m, 2d 3h. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return formatNonFinite(seconds);
  const sign = seconds < 0 ? '-' : '';
  let s = Math.abs(seconds);
  if (s < 10 && s !== Math.floor(s)) return `${sign}${trim(s, 1)}s`;
  s = Math.round(s);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const parts: string[] = [];
  if (d) parts.push(`${d}d`, ...(h ? [`${h}h`] : []));
  else if (h) parts.push(`${h}h`, ...(m ? [`${m}m`] : []));
  else if (m) parts.push(`${m}m`, ...(sec ? [`${sec}s`] : []));
  else parts.push(`${sec}s`);
  return sign + parts.join(' ');
}

/** A position on the x axis, for a tooltip or the status line. */
export function formatX(axis: XAxis, v: number): string {
  switch (axis) {
    case 'step':
      return `step ${formatStep(v)}`;
    case 'epoch':
      return `epoch ${formatEpoch(v)}`;
    case 'time':
      return formatDuration(v);
  }
}

/** A tick label on the x axis. */
export function formatXTick(axis: XAxis, v: number): string {
  switch (axis) {
    case 'step':
      return formatStepTick(v);
    case 'epoch':
      return formatEpoch(v);
    case 'time':
      return formatDuration(v);
  }
}

/** The x axis's title. */
export function axisTitle(axis: XAxis): string {
  return axis === 'time' ? 'relative time' : axis;
}

const RULE_NAMES: Record<string, string> = { lr_collapse: 'LR collapse', slow_convergence: 'slow convergence', loss_spike: 'loss spike' };

/** A finding's rule as a person reads it: `lr_collapse` → "LR collapse". */
export function ruleName(rule: string): string {
  return RULE_NAMES[rule] ?? rule.replace(/_/g, ' ');
}

/** A count of things with its noun: "1 finding", "3 findings", "12,000 points". */
export function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${groupThousands(n)} ${n === 1 ? noun : nouns}`;
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : NaN);

/** A suggestion in a few words, with its numbers: "LR ×0.3", "warmup 2,000 steps", "cosine decay". */
export function suggestionText(s: Suggestion): string {
  switch (s.fix) {
    case 'scale_lr':
      return `LR ×${formatValue(num(s.factor), 2)}`;
    case 'add_warmup':
      return `warmup ${formatStep(num(s.steps))} steps`;
    case 'add_schedule':
      return `${String(s.family).replace(/_/g, ' ')} schedule`;
    case 'add_reduce_on_plateau':
      return `ReduceLROnPlateau (patience ${formatValue(num(s.patience))}, ×${formatValue(num(s.factor), 2)})`;
    case 'clip_grad_norm':
      return `clip grad norm at ${formatValue(num(s.maxNorm), 3)}`;
    case 'switch_optimizer':
      return `${String(s.optimizer)} at ${formatLr(num(s.lr))}`;
    case 'step_per_epoch':
      return 'step the scheduler per epoch';
    case 'early_stop':
      return `stop at step ${formatStep(num(s.step))}`;
    default: {
      const fix = (s as { fix?: unknown }).fix;
      return typeof fix === 'string' ? fix.replace(/_/g, ' ') : 'suggestion';
    }
  }
}

/** Suggestions that change the LR curve, so the host can draw them as a preview. */
export function changesSchedule(s: Suggestion): boolean {
  return s.fix === 'scale_lr' || s.fix === 'add_warmup' || s.fix === 'add_schedule' || s.fix === 'step_per_epoch';
}
