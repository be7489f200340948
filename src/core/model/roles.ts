// The one table that gives every tag or column name a role (train loss, LR, ...).
import type { Series } from './series';

export type SeriesRole =
  | 'train_loss'
  | 'val_loss'
  | 'lr'
  | 'grad_norm'
  | 'train_metric'
  | 'val_metric'
  | 'loss_scale'
  | 'epoch'
  | 'other';

export const SERIES_ROLES: readonly SeriesRole[] = [
  'train_loss',
  'val_loss',
  'lr',
  'grad_norm',
  'train_metric',
  'val_metric',
  'loss_scale',
  'epoch',
  'other',
];

/** A user rule from settings: a case-insensitive regular expression over the tag. */
export interface RoleRule {
  pattern: string;
  role: SeriesRole;
}

/** Compiled user rules; invalid patterns are reported, not thrown. */
export interface RoleRules {
  rules: { re: RegExp; role: SeriesRole }[];
  invalid: string[];
}

export function compileRoleRules(rules: readonly RoleRule[] | undefined): RoleRules {
  const out: RoleRules = { rules: [], invalid: [] };
  for (const r of rules ?? []) {
    if (!SERIES_ROLES.includes(r.role)) {
      out.invalid.push(`${r.pattern}: unknown role "${r.role}"`);
      continue;
    }
    try {
      out.rules.push({ re: new RegExp(r.pattern, 'i'), role: r.role });
    } catch (e) {
      out.invalid.push(`${r.pattern}: ${(e as Error).message}`);
    }
  }
  return out;
}

const VAL_WORDS = new Set(['val', 'valid', 'validation', 'eval', 'evaluation', 'test', 'dev', 'tel', 'vl', 'holdout']);
const METRIC_WORDS = new Set([
  'acc', 'accuracy', 'top1', 'top5', 'f1', 'map', 'precision', 'recall', 'auc', 'auroc', 'iou', 'miou', 'dice',
  'bleu', 'rouge', 'rouge1', 'rouge2', 'rougel', 'wer', 'cer', 'ppl', 'perplexity', 'mae', 'mse', 'rmse', 'r2',
  'reward', 'return', 'rew', 'score', 'exact', 'em', 'fid', 'psnr', 'ssim', 'bpb', 'bpc', 'metric',
]);

/**
 * Splits a tag into lower-case words: `train/loss_step` → [train, loss, step],
 * `Loss/train` → [loss, train], `lr-AdamW/pg1` → [lr, adamw, pg1], `learningRate` →
 * [learning, rate].
 */
export function tagWords(tag: string): string[] {
  return tag
    .replace(/([a-z])([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9@]+/)
    .filter((w) => w.length > 0);
}

/**
 * The role of a tag. User rules win; then the built-in table, which covers what the
 * frameworks write: `loss`, `train/loss`, `Loss/train`, `train_loss_step`, `eval_loss`,
 * `val/loss`, `validation/epoch_loss`, `lr`, `learning_rate`, `lr-Adam`, `lr-AdamW/pg1`,
 * `x/lr0`, `train/learning_rate`, `grad_norm`, `norm` (llm.c), `trl`/`tel` (llm.c),
 * `lm loss` (Megatron), `loss_scale`, `epoch`, accuracy-like metrics.
 */
export function roleOfTag(tag: string, user?: RoleRules): SeriesRole {
  for (const r of user?.rules ?? []) if (r.re.test(tag)) return r.role;
  const words = tagWords(tag);
  if (words.length === 0) return 'other';
  const joined = words.join('_');

  // `train/epoch`: the Hugging Face Trainer's TensorBoard callback.
  if (joined === 'epoch' || joined === 'epochs' || joined === 'train_epoch') return 'epoch';
  if (isLrName(words, joined)) return 'lr';
  if (/(^|_)(grad|gradient)s?_?norm/.test(joined) || joined === 'norm' || joined === 'gnorm' || joined === 'total_norm')
    return 'grad_norm';
  if (/loss_?scale/.test(joined) || joined === 'scale' || joined === 'grad_scale') return 'loss_scale';

  const isVal = words.some((w) => VAL_WORDS.has(w)) || joined.startsWith('validation');
  const isLoss =
    words.some((w) => w === 'loss' || w === 'losses' || w === 'nll' || w.endsWith('loss')) || joined === 'trl' || joined === 'tel';
  if (isLoss) return isVal ? 'val_loss' : 'train_loss';
  if (words.some((w) => METRIC_WORDS.has(w) || /^(map|acc|top)@?\d/.test(w)) || /ep_rew|ep_len|hp_metric/.test(joined)) {
    if (joined === 'hp_metric') return 'other';
    return isVal ? 'val_metric' : 'train_metric';
  }
  return 'other';
}

function isLrName(words: string[], joined: string): boolean {
  if (joined.includes('learning_rate') || joined.includes('learningrate')) return true;
  // `lr`, `lr0`, `lr_pg1`, `lr-Adam`, `x/lr0`, `train/lr`, `lr_scheduler`-free names.
  return words.some((w) => /^lr\d*$/.test(w)) && !words.includes('scheduler') && !words.includes('decay');
}

/** Higher is a better candidate for "the" series of its role. */
function primaryScore(s: Series): number {
  const words = tagWords(s.tag);
  const last = words[words.length - 1] ?? '';
  let score = 0;
  if (s.role === 'train_loss' || s.role === 'val_loss') {
    if (words.length === 1 && (last === 'loss' || last === 'trl' || last === 'tel')) score += 50;
    if (words.includes('total') || words.includes('lm')) score += 40;
    if (last === 'loss' || (words.includes('loss') && words.length <= 2)) score += 30;
    if (words.includes('epoch')) score -= 5; // prefer per-step over per-epoch aggregates
    if (words.includes('step')) score += 2;
    if (/(box|obj|cls|mask|rpn|reg|entropy|value|policy|kl|aux|z)/.test(words.join(' '))) score -= 20;
  }
  if (s.role === 'lr') {
    if (words.includes('pg1') || words.includes('lr1') || words.includes('lr2')) score -= 5;
  }
  return score - s.tag.length / 100 + Math.min(s.steps.length, 1e6) / 1e8;
}

/** The series that best stands for a role (e.g. the total training loss). */
export function primarySeries(series: readonly Series[], role: SeriesRole): Series | undefined {
  let best: Series | undefined;
  let bestScore = -Infinity;
  for (const s of series) {
    if (s.role !== role || s.steps.length === 0) continue;
    const sc = primaryScore(s);
    if (sc > bestScore) {
      best = s;
      bestScore = sc;
    }
  }
  return best;
}
