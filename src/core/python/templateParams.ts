// The parameters of schedule templates: their kinds and units, the values users give,
// defaults sized to a run (warmup 5% of the steps, floors at 1/100 of the LR, per-epoch
// knobs in epochs), and checking and parsing what the user types.
import { pyFloat } from './pyLayout';

/** What the linked run (and the script) say about the training, for sizing defaults. All optional. */
export interface TemplateContext {
  /** The run's length in optimizer steps. */
  totalSteps?: number;
  /** Optimizer steps per epoch. */
  stepsPerEpoch?: number;
  /** Epochs in the run. */
  epochs?: number;
  /** The optimizer's learning rate (the peak most schedules scale). */
  baseLr?: number;
}

/**
 * `int` and `float` are single numbers; `choice` is one of `choices` (Python booleans
 * are the choices `False`/`True`); `int_list` / `float_list` are Python lists
 * (MultiStepLR milestones, PiecewiseConstantDecay boundaries and values).
 */
export type ParamKind = 'int' | 'float' | 'choice' | 'int_list' | 'float_list';

/**
 * What a number means: `steps` (optimizer steps), `epochs`, `lr` (an absolute learning
 * rate), `factor` (a multiplier: gamma, start_factor, div_factor) or `ratio` (a
 * fraction of something, in [0, 1]: pct_start, alpha, min_lr_ratio).
 */
export type ParamUnit = 'steps' | 'epochs' | 'lr' | 'factor' | 'ratio';

export type ParamValue = number | string | readonly number[];
export type TemplateValues = Readonly<Record<string, ParamValue>>;

export interface TemplateParam {
  /** The name as the library spells it (`T_max`, `num_warmup_steps`, `warmup_target`). */
  name: string;
  /** One line for the input box. */
  description: string;
  kind: ParamKind;
  choices?: readonly string[];
  unit?: ParamUnit;
  /** Bounds the library accepts (inclusive unless `minExclusive`). */
  min?: number;
  max?: number;
  minExclusive?: boolean;
  /** Only used (asked, written, checked) when another parameter has a given value. */
  when?: { param: string; equals: string };
  /** The value to pre-fill, sized to the run. */
  default(ctx: TemplateContext): ParamValue;
}

// ---------------------------------------------------------------------------------
// Sizing defaults

/** A run as the defaults see it: always a length, an epoch count and an LR (fallbacks when unknown). */
export interface RunShape {
  total: number;
  epochs: number;
  stepsPerEpoch?: number;
  lr: number;
  /** 5% of the run, rounded to two significant digits. */
  warmup: number;
}

/** Used when the context says nothing: a 10,000-step run, 30 epochs, LR 1e-3. */
export const FALLBACK_CONTEXT = { totalSteps: 10_000, epochs: 30, baseLr: 1e-3 } as const;

export const positive = (x: number | undefined): number | undefined => (x !== undefined && Number.isFinite(x) && x > 0 ? x : undefined);

/** A step count rounded to two significant digits (586 -> 590), at least 1. */
export function cleanSteps(x: number): number {
  return Math.max(1, Math.round(Number(x.toPrecision(2))));
}

/** A number rounded to two significant digits. */
export const clean2 = (x: number): number => Number(x.toPrecision(2));

/** The per-unit multiplier that takes the LR down `to` (default 1/100) over `n` units, with two significant digits in `1 - gamma`. */
export function decayPer(n: number, to = 0.01): number {
  const g = to ** (1 / Math.max(1, n));
  return Number((1 - Number((1 - g).toPrecision(2))).toPrecision(12));
}

/** The run a context describes, each count derived from the others when missing, else from `FALLBACK_CONTEXT`. */
export function shape(ctx: TemplateContext): RunShape {
  let total = positive(ctx.totalSteps);
  let spe = positive(ctx.stepsPerEpoch);
  let epochs = positive(ctx.epochs);
  if (!spe && total && epochs) spe = total / epochs;
  if (!total && spe && epochs) total = spe * epochs;
  if (!epochs && total && spe) epochs = total / spe;
  const t = Math.max(1, Math.round(total ?? (spe ? spe * FALLBACK_CONTEXT.epochs : FALLBACK_CONTEXT.totalSteps)));
  const e = Math.max(1, Math.round(epochs ?? (spe ? t / spe : FALLBACK_CONTEXT.epochs)));
  return {
    total: t,
    epochs: e,
    ...(spe ? { stepsPerEpoch: Math.max(1, Math.round(spe)) } : {}),
    lr: positive(ctx.baseLr) ?? FALLBACK_CONTEXT.baseLr,
    warmup: cleanSteps(0.05 * t),
  };
}

// ---------------------------------------------------------------------------------
// Parameter constructors, by unit

export type Def = (r: RunShape) => ParamValue;
export const param = (p: Omit<TemplateParam, 'default'>, def: Def): TemplateParam => ({ ...p, default: (ctx) => def(shape(ctx)) });
export const steps = (name: string, description: string, def: (r: RunShape) => number, min = 1): TemplateParam => param({ name, description, kind: 'int', unit: 'steps', min }, def);
export const epochs = (name: string, description: string, def: (r: RunShape) => number, min = 1): TemplateParam => param({ name, description, kind: 'int', unit: 'epochs', min }, def);
export const lr = (name: string, description: string, def: (r: RunShape) => number): TemplateParam => param({ name, description, kind: 'float', unit: 'lr', min: 0 }, def);
export const factor = (name: string, description: string, def: (r: RunShape) => number, bounds: Partial<TemplateParam> = { min: 0, minExclusive: true }): TemplateParam =>
  param({ name, description, kind: 'float', unit: 'factor', ...bounds }, def);
export const ratio = (name: string, description: string, def: (r: RunShape) => number, bounds: Partial<TemplateParam> = { min: 0, max: 1 }): TemplateParam =>
  param({ name, description, kind: 'float', unit: 'ratio', ...bounds }, def);
export const choice = (name: string, description: string, choices: readonly string[], def?: string): TemplateParam => param({ name, description, kind: 'choice', choices }, () => def ?? choices[0]!);
export const BOOL = ['False', 'True'] as const;

export const floorLr = (r: RunShape): number => clean2(r.lr / 100);
export const patience = (r: RunShape): number => Math.max(2, Math.min(10, Math.round(r.epochs / 6)));

// ---------------------------------------------------------------------------------
// Values (read after validation, so the casts hold)

export const num = (v: TemplateValues, k: string): number => v[k] as number;
export const str = (v: TemplateValues, k: string): string => v[k] as string;
export const nums = (v: TemplateValues, k: string): number[] => [...(v[k] as readonly number[])];

export const increasing = (xs: readonly number[]): boolean => xs.every((x, i) => i === 0 || x > xs[i - 1]!);

function inBounds(p: TemplateParam, x: number): string | undefined {
  if (!Number.isFinite(x)) return 'must be a finite number';
  if (p.kind === 'int' || p.kind === 'int_list') if (!Number.isInteger(x)) return `${x} is not a whole number`;
  if (p.min !== undefined && (p.minExclusive ? !(x > p.min) : !(x >= p.min))) return `must be ${p.minExclusive ? 'greater than' : 'at least'} ${p.min}`;
  if (p.max !== undefined && !(x <= p.max)) return `must be at most ${p.max}`;
  return undefined;
}

/** What is wrong with one value for `p`, in words; undefined when it is fine. */
export function checkValue(p: TemplateParam, v: ParamValue | undefined): string | undefined {
  if (v === undefined) return 'missing';
  switch (p.kind) {
    case 'int':
    case 'float':
      return typeof v === 'number' ? inBounds(p, v) : 'must be a number';
    case 'choice':
      return typeof v === 'string' && p.choices?.includes(v) ? undefined : `must be one of ${(p.choices ?? []).join(', ')}`;
    case 'int_list':
    case 'float_list': {
      if (!Array.isArray(v) || v.length === 0) return 'must be a non-empty list of numbers';
      for (const x of v as readonly number[]) {
        const e = typeof x === 'number' ? inBounds(p, x) : 'must be numbers';
        if (e) return e;
      }
      return undefined;
    }
  }
}

/** Parses what the user typed for `p` (numbers as Python writes them, lists comma-separated). */
export function parseParamValue(p: TemplateParam, text: string): { value: ParamValue } | { error: string } {
  const t = text.trim();
  const parseOne = (s: string): number | undefined => {
    const c = s.trim().replace(/_/g, '');
    if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(c)) return undefined;
    return Number(c);
  };
  let value: ParamValue;
  if (p.kind === 'choice') {
    const c = p.choices?.find((x) => x === t) ?? p.choices?.find((x) => x.toLowerCase() === t.replace(/^['"]|['"]$/g, '').toLowerCase());
    if (c === undefined) return { error: `one of ${(p.choices ?? []).join(', ')}` };
    value = c;
  } else if (p.kind === 'int_list' || p.kind === 'float_list') {
    const parts = t.replace(/^[[(]|[\])]$/g, '').split(',').filter((s) => s.trim() !== '');
    const xs = parts.map(parseOne);
    if (parts.length === 0 || xs.some((x) => x === undefined)) return { error: 'a comma-separated list of numbers' };
    value = xs as number[];
  } else {
    const x = parseOne(t);
    if (x === undefined) return { error: 'a number' };
    value = x;
  }
  const problem = checkValue(p, value);
  return problem ? { error: problem } : { value };
}

/** A value as the input box shows it. */
export function formatParamValue(p: TemplateParam, v: ParamValue): string {
  const one = (x: number): string => (p.kind === 'float' || p.kind === 'float_list' ? pyFloat(x) : String(x));
  if (Array.isArray(v)) return (v as readonly number[]).map(one).join(', ');
  return typeof v === 'number' ? one(v) : String(v);
}
