// Which script produced a run: the run's recorded hyperparameters (event-file hparams,
// hparams.yaml, trainer_state.json, MLflow params — all in `run.hparams`) against the
// LR, optimizer, schedule and warmup the script sets. A score in [0, 1] with the
// reasons for it, so a link is never a silent guess.
import type { HParamValue } from '../model/run';
import { formatLrLiteral } from './edits';
import { hfFamily, type ScriptModel } from './scriptModel';

export interface LinkScore {
  /** 0 (unrelated) .. 1 (every recorded setting matches). */
  score: number;
  /** What matched, in words ("learning rate 3e-4 matches line 40"). */
  reasons: string[];
  /** What contradicts the link. */
  conflicts: string[];
}

/** The score above which a run is linked to a script without asking. */
export const LINK_THRESHOLD = 0.5;

const LR_KEY = /^(lr|learning_rate|learning-rate|base_lr|max_lr|peak_lr|init_lr)$/i;
const OPT_KEY = /^(optimizer|optim|opt|optimizer_name|optimizer_type)$/i;
const SCHED_KEY = /^(lr_scheduler_type|lr_scheduler|scheduler|sched|schedule)$/i;
const WARMUP_KEY = /^(warmup_steps|num_warmup_steps|warmup_iters|warmup_ratio|warmup_epochs)$/i;

const lastKey = (k: string): string => k.split(/[./]/).pop()!;
const same = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)) + 1e-15;

/** `adamw_torch`, `torch.optim.AdamW`, `AdamW`, `<class 'torch.optim.adamw.AdamW'>` -> `adamw`. */
export function optimizerKey(name: string): string {
  const n = name.toLowerCase().replace(/<class '|'>/g, '');
  const last = n.split('.').pop()!;
  return last.replace(/^(paged_)?/, '').replace(/_(torch|hf|apex_fused|torch_fused|torch_xla|8bit|32bit|bnb_8bit)$/, '').replace(/(8bit|32bit)$/, '');
}

export function scoreLink(hparams: Readonly<Record<string, HParamValue>>, model: ScriptModel): LinkScore {
  const reasons: string[] = [];
  const conflicts: string[] = [];
  let got = 0;
  let possible = 0;
  const lrs: { value: number; line: number }[] = [];
  for (const o of model.optimizers) if (o.lrValue !== undefined) lrs.push({ value: o.lrValue, line: o.lr?.site?.line ?? o.line });
  for (const t of model.trainingArguments) if (t.learningRate !== undefined) lrs.push({ value: t.learningRate, line: t.args.learning_rate!.line });
  for (const s of model.settings) if (LR_KEY.test(s.name) && s.value !== undefined) lrs.push({ value: s.value, line: s.line });
  for (const s of model.schedulers) for (const k of ['max_lr', 'peak_value', 'initial_learning_rate']) if (s.args[k]?.value !== undefined) lrs.push({ value: s.args[k].value, line: s.args[k].line });

  for (const [key, value] of Object.entries(hparams)) {
    const k = lastKey(key);
    if (LR_KEY.test(k) && typeof value === 'number') {
      possible += 0.5;
      const hit = lrs.find((l) => same(l.value, value));
      if (hit) {
        got += 0.5;
        reasons.push(`learning rate ${formatLrLiteral(value)} matches line ${hit.line}`);
      } else if (lrs.length) conflicts.push(`the run's learning rate ${formatLrLiteral(value)} is not one the script sets (${lrs.map((l) => formatLrLiteral(l.value)).join(', ')})`);
    } else if (OPT_KEY.test(k) && typeof value === 'string') {
      possible += 0.3;
      const want = optimizerKey(value);
      const o = model.optimizers.find((x) => optimizerKey(x.call) === want) ?? (model.trainingArguments.length && /^adamw/.test(want) ? model.optimizers[0] : undefined);
      const trainerDefault = !o && model.trainingArguments.length > 0 && want === 'adamw';
      if (o || trainerDefault) {
        got += 0.3;
        reasons.push(`optimizer ${value} matches ${o ? `line ${o.line}` : "the Trainer's default AdamW"}`);
      } else if (model.optimizers.length) conflicts.push(`the run used ${value}, the script builds ${model.optimizers.map((x) => x.call).join(', ')}`);
    } else if (SCHED_KEY.test(k) && typeof value === 'string') {
      possible += 0.2;
      const fam = hfFamily(value.toLowerCase().replace(/^schedulertype\./, ''));
      const scriptFams = [...model.schedulers.map((s) => s.family), ...model.trainingArguments.map((t) => hfFamily(t.schedulerType))];
      if (fam && scriptFams.includes(fam)) {
        got += 0.2;
        reasons.push(`schedule ${value} matches the script's ${fam} schedule`);
      } else if (scriptFams.some((f) => f !== undefined) && fam) conflicts.push(`the run's schedule ${value} differs from the script's`);
    } else if (WARMUP_KEY.test(k) && typeof value === 'number') {
      possible += 0.1;
      const w = model.settings.find((s) => s.name === k && s.value !== undefined && same(s.value, value)) ?? model.trainingArguments.find((t) => t.args[k]?.value !== undefined && same(t.args[k].value, value));
      if (w) {
        got += 0.1;
        reasons.push(`${k}=${value} matches`);
      }
    }
  }
  if (possible === 0) return { score: 0, reasons: [], conflicts: ['the run records no learning rate, optimizer or schedule to compare'] };
  const score = Math.max(0, Math.min(1, got / possible - 0.25 * conflicts.length));
  return { score, reasons, conflicts };
}

/** The best-matching script for a run, when its score clears the threshold. */
export function bestScript<T extends { model: ScriptModel }>(hparams: Readonly<Record<string, HParamValue>>, candidates: readonly T[]): { candidate: T; link: LinkScore } | undefined {
  let best: { candidate: T; link: LinkScore } | undefined;
  for (const c of candidates) {
    const link = scoreLink(hparams, c.model);
    if (!best || link.score > best.link.score) best = { candidate: c, link };
  }
  return best && best.link.score >= LINK_THRESHOLD ? best : undefined;
}
