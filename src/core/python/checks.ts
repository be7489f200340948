// Static checks on a training script: mistakes visible without running it. Each has a
// stable rule id (the diagnostic code), a severity, a 0-based range, a message in the
// user's terms, related places, and its quick fixes (the first one preferred).
//
// | rule                          | severity | fires on                                                        |
// |-------------------------------|----------|-----------------------------------------------------------------|
// | epoch_scheduler_per_batch     | warning  | StepLR/MultiStepLR/ExponentialLR (or a cosine/linear/polynomial  |
// |                               |          | schedule sized in epochs) stepped in the batch loop              |
// | scheduler_before_optimizer    | warning  | scheduler.step() before optimizer.step() in the same iteration   |
// | plateau_step_without_metric   | error    | ReduceLROnPlateau.step() with no metric (a TypeError at run time)|
// | batch_scheduler_per_epoch     | warning  | OneCycleLR/CyclicLR/HF schedules stepped once per epoch          |
// | lr_out_of_range               | warning  | an LR far above its optimizer's usual range (info when far below)|
// | no_warmup                     | warning  | fine-tuning a pretrained transformer with AdamW and no warmup    |
// | single_lr_finetune            | info     | a pretrained backbone and a new head trained at one LR           |
//
// Thresholds: the usual ranges are those of catalog.ts `USUAL_LR` (Adam-family 1e-6..1e-2,
// SGD 1e-4..1); "sized in epochs" means the size argument names epochs (`args.epochs`)
// or is a literal of at most 1000 without any mention of steps, iterations or loaders.
import type { Severity } from '../analysis/finding';
import { USUAL_LR } from './catalog';
import { formatLrLiteral, type ScriptFix } from './edits';
import {
  lightningIntervalFix,
  moveStepAfterOptimizerFix,
  moveStepToBatchFix,
  moveStepToEpochFix,
  paramGroupsFix,
  plateauMetricFix,
  setLrFix,
  warmupRatioFix,
  type FixContext,
} from './fixes';
import { statementReaching } from './anchors';
import type { Range } from './parse';
import type { ArgValue, SchedulerInfo, ScriptModel, StepCall } from './scriptModel';

export type ScriptRule =
  | 'epoch_scheduler_per_batch'
  | 'scheduler_before_optimizer'
  | 'plateau_step_without_metric'
  | 'batch_scheduler_per_epoch'
  | 'lr_out_of_range'
  | 'no_warmup'
  | 'single_lr_finetune';

export const SCRIPT_RULES: readonly ScriptRule[] = [
  'epoch_scheduler_per_batch',
  'scheduler_before_optimizer',
  'plateau_step_without_metric',
  'batch_scheduler_per_epoch',
  'lr_out_of_range',
  'no_warmup',
  'single_lr_finetune',
];

export interface RelatedInfo {
  range: Range;
  message: string;
}

export interface ScriptFinding {
  rule: ScriptRule;
  severity: Severity;
  range: Range;
  message: string;
  related: RelatedInfo[];
  fixes: ScriptFix[];
}

const STEP_SIZED = /step|iter|len\(|loader|batch|update|total|num_training/i;

/** Whether a size argument is in epochs: it names epochs, or is a small literal that names no step count. */
function epochSized(a: ArgValue | undefined): boolean {
  if (!a) return false;
  const texts = [a.expr, a.site?.name ?? '', ...(a.site?.flags ?? [])].join(' ');
  if (STEP_SIZED.test(texts)) return false;
  if (/epoch/i.test(texts)) return true;
  if (a.node.name === 'ArrayExpression' || a.node.name === 'TupleExpression') return true;
  return a.value !== undefined && a.value <= 1000;
}

function describe(s: SchedulerInfo): string {
  const main = s.args.step_size ?? s.args.milestones ?? s.args.gamma ?? s.args.T_max ?? s.args.T_0 ?? s.args.total_iters;
  const name = s.callee.slice(s.callee.lastIndexOf('.') + 1);
  if (!main) return `${name}(...)`;
  const key = Object.entries(s.args).find(([, v]) => v === main)![0];
  return `${name}(${key}=${main.expr})`;
}

function perEpochMisuse(s: SchedulerInfo): string | undefined {
  const name = s.call.slice(s.call.lastIndexOf('.') + 1);
  switch (name) {
    case 'StepLR':
      return epochSized(s.args.step_size) ? `the LR is multiplied by ${s.args.gamma?.expr ?? '0.1'} every ${s.args.step_size?.expr ?? '?'} batches instead of every ${s.args.step_size?.expr ?? '?'} epochs` : undefined;
    case 'MultiStepLR':
      return epochSized(s.args.milestones) ? `its milestones ${s.args.milestones?.expr ?? ''} are passed within the first few hundred batches` : undefined;
    case 'ExponentialLR': {
      const g = s.args.gamma?.value;
      return g !== undefined && g >= 0.999 ? undefined : `the LR is multiplied by ${s.args.gamma?.expr ?? 'gamma'} after every batch and collapses within a few hundred steps`;
    }
    case 'CosineAnnealingLR':
      return epochSized(s.args.T_max) ? `T_max=${s.args.T_max!.expr} counts epochs, so the cosine reaches its floor after ${s.args.T_max!.expr} batches and then rises again` : undefined;
    case 'CosineAnnealingWarmRestarts':
      return epochSized(s.args.T_0) ? `T_0=${s.args.T_0!.expr} counts epochs, so the LR restarts every ${s.args.T_0!.expr} batches` : undefined;
    case 'PolynomialLR':
    case 'LinearLR':
    case 'ConstantLR': {
      const t = s.args.total_iters;
      return t && epochSized(t) && /epoch/i.test(t.expr + (t.site?.name ?? '')) ? `total_iters=${t.expr} counts epochs but it is stepped every batch` : undefined;
    }
    default:
      return undefined;
  }
}

const lastName = (s: string): string => s.slice(s.lastIndexOf('.') + 1);

const ADAMW = /^(torch\.optim\.AdamW|transformers\.AdamW|bitsandbytes\.optim\.\w*AdamW\w*)$/;

/** Every static finding in a script, in line order. */
export function checkScript(model: ScriptModel, ctx: FixContext = {}): ScriptFinding[] {
  const out: ScriptFinding[] = [];
  const { doc } = model;
  const schedOf = (st: StepCall): SchedulerInfo | undefined => (st.target !== undefined ? model.schedulers[st.target] : undefined);
  const related = (s: SchedulerInfo | undefined, what: string): RelatedInfo[] => (s ? [{ range: s.range, message: `${what} (line ${s.line})` }] : []);
  const fixes = (...f: (ScriptFix | undefined)[]): ScriptFix[] => f.filter((x): x is ScriptFix => !!x);

  for (const st of model.steps) {
    if (st.kind !== 'scheduler') continue;
    const s = schedOf(st);
    if (!s || s.partOf !== undefined) continue;
    const where = st.loopLine !== undefined ? ` (the loop at line ${st.loopLine})` : '';
    // 1. Sized in epochs, stepped per batch.
    if (st.loop === 'batch' && st.method === 'step' && s.framework === 'torch') {
      const why = perEpochMisuse(s);
      if (why)
        out.push({
          rule: 'epoch_scheduler_per_batch',
          severity: 'warning',
          range: st.range,
          message: `${describe(s)} is sized in epochs, but ${doc.textOf(st.node)} runs once per batch${where}: ${why}.`,
          related: related(s, `${s.callee} is constructed here`),
          fixes: fixes(moveStepToEpochFix(model, st)),
        });
    }
    // 3. ReduceLROnPlateau without a metric.
    if (s.cadence === 'metric' && st.args.length === 0 && st.method === 'step' && s.framework !== 'keras') {
      out.push({
        rule: 'plateau_step_without_metric',
        severity: 'error',
        range: st.range,
        message: `${s.callee}.step() needs the monitored metric, e.g. ${st.receiver}.step(val_loss); without it the call raises a TypeError.`,
        related: related(s, 'ReduceLROnPlateau is constructed here'),
        fixes: fixes(plateauMetricFix(model, st)),
      });
    }
    // 4. A per-batch schedule stepped per epoch.
    if (st.loop === 'epoch' && (s.cadence === 'batch' || (s.framework === 'transformers' && s.cadence !== 'metric'))) {
      const nested = model.steps.some((o) => o.kind === 'optimizer' && o.loop === 'batch' && o.context.loop?.node !== st.context.loop?.node);
      if (nested)
        out.push({
          rule: 'batch_scheduler_per_epoch',
          severity: 'warning',
          range: st.range,
          message: `${s.callee} is sized in optimizer steps, but ${doc.textOf(st.node)} runs once per epoch${where}: the schedule barely moves (it expects a step after every batch).`,
          related: related(s, `${s.callee} is constructed here`),
          fixes: fixes(moveStepToBatchFix(model, st)),
        });
    }
    // 2. scheduler.step() before optimizer.step() in the same iteration.
    if ((st.loop === 'batch' || st.loop === 'epoch') && s.framework !== 'timm' && s.cadence !== 'metric' && st.statement.parent) {
      const block = st.statement.parent;
      let opt: StepCall | undefined;
      let optBefore = false;
      for (const o of model.steps) {
        if (o.kind !== 'optimizer' || (o.target !== undefined && s.optimizerExpr !== undefined && model.optimizers[o.target]?.variable !== undefined && lastName(model.optimizers[o.target]!.variable!) !== lastName(s.optimizerExpr))) continue;
        const reach = statementReaching(model, o, block);
        if (!reach) continue;
        if (reach.from > st.statement.from) opt ??= o;
        else optBefore = true;
      }
      if (opt && !optBefore)
        out.push({
          rule: 'scheduler_before_optimizer',
          severity: 'warning',
          range: st.range,
          message: `${doc.textOf(st.node)} runs before ${doc.textOf(opt.node)} (line ${opt.line}): the first value of the schedule is skipped and PyTorch warns about it. Step the scheduler after the optimizer.`,
          related: [{ range: opt.range, message: `the optimizer step (line ${opt.line})` }],
          fixes: fixes(moveStepAfterOptimizerFix(model, st, opt)),
        });
    }
  }

  // Lightning: the interval decides the cadence.
  model.lightning.forEach((l, i) => {
    if (l.scheduler === undefined) return;
    const s = model.schedulers[l.scheduler]!;
    const range = doc.rangeOf(l.schedulerFrom, l.schedulerTo);
    if (l.interval === 'epoch' && (s.cadence === 'batch' || (s.framework === 'transformers' && s.cadence !== 'metric')))
      out.push({
        rule: 'batch_scheduler_per_epoch',
        severity: 'warning',
        range,
        message: `${s.callee} is sized in optimizer steps, but Lightning steps it once per epoch unless the scheduler config says "interval": "step".`,
        related: related(s, `${s.callee} is constructed here`),
        fixes: fixes(lightningIntervalFix(model, i)),
      });
    if (l.interval === 'step' && s.framework === 'torch') {
      const why = perEpochMisuse(s);
      if (why) out.push({ rule: 'epoch_scheduler_per_batch', severity: 'warning', range, message: `${describe(s)} is sized in epochs, but "interval": "step" makes Lightning step it every batch: ${why}.`, related: related(s, `${s.callee} is constructed here`), fixes: fixes(lightningIntervalFix(model, i, 'epoch')) });
    }
  });

  // 5. LR far outside the usual range.
  for (const o of model.optimizers) {
    const range = USUAL_LR[o.family];
    const v = o.lrSchedule === undefined ? (o.lr ? o.lr.value : undefined) : undefined;
    if (!range || v === undefined || v <= 0) continue;
    const fam = o.family === 'adam' ? 'Adam-family optimizers' : `${o.callee.slice(o.callee.lastIndexOf('.') + 1)}`;
    if (v > range.high * 1.0000001) {
      out.push({
        rule: 'lr_out_of_range',
        severity: 'warning',
        range: (o.lr!.site ?? o.lr!).range,
        message: `Learning rate ${formatLrLiteral(v)} is far above the usual range for ${fam} (${formatLrLiteral(range.low)} to ${formatLrLiteral(range.high)}; ${formatLrLiteral(range.typical)} is a common start): expect divergence.`,
        related: o.lr!.site && o.lr!.site.from !== o.lr!.from ? [{ range: o.lr!.range, message: `used by ${o.callee} (line ${o.line})` }] : [],
        fixes: fixes(setLrFix(model, o, range.typical)),
      });
    } else if (v < range.low / 1.0000001) {
      out.push({
        rule: 'lr_out_of_range',
        severity: 'info',
        range: (o.lr!.site ?? o.lr!).range,
        message: `Learning rate ${formatLrLiteral(v)} is far below the usual range for ${fam} (${formatLrLiteral(range.low)} to ${formatLrLiteral(range.high)}): training will barely move.`,
        related: [],
        fixes: fixes(setLrFix(model, o, range.typical)),
      });
    }
  }
  for (const t of model.trainingArguments) {
    const v = t.learningRate;
    if (v === undefined || v <= 1e-2) continue;
    const a = t.args.learning_rate!;
    const site = a.site && a.value !== undefined ? a.site : a;
    const fix: ScriptFix = { title: 'Set learning_rate to 5e-5 (the Trainer default)', edits: [{ range: site.range, newText: '5e-5' }], isPreferred: true };
    out.push({ rule: 'lr_out_of_range', severity: 'warning', range: site.range, message: `learning_rate=${formatLrLiteral(v)} is far above the usual range for AdamW fine-tuning (1e-5 to 1e-3): expect divergence.`, related: [], fixes: [fix] });
  }

  // 6. Transformer fine-tuning with AdamW and no warmup.
  const hfPretrained = model.pretrained.find((p) => p.source === 'hf');
  if (hfPretrained) {
    const warmupSetting = model.settings.some((s) => /warmup/.test(s.name) && (s.value === undefined || s.value > 0));
    const warmScheduler = model.schedulers.some((s) => s.warmup !== false);
    for (const t of model.trainingArguments) {
      const w = [t.args.warmup_ratio, t.args.warmup_steps].filter((x): x is ArgValue => !!x);
      if (w.some((x) => x.value === undefined || x.value > 0) || warmupSetting) continue;
      out.push({
        rule: 'no_warmup',
        severity: 'warning',
        range: doc.rangeOf(t.node.from, t.node.firstChild!.to),
        message: `Fine-tuning the pretrained ${hfPretrained.call.split('.').slice(-2, -1)[0] ?? 'model'} with the Trainer's default AdamW and no warmup: the first updates hit the pretrained weights at the full LR. A warmup over 5–10% of the steps is the usual recipe (warmup_ratio).`,
        related: [{ range: hfPretrained.range, message: `pretrained weights loaded here (line ${hfPretrained.line})` }],
        fixes: fixes(warmupRatioFix(model, 0.06, ctx)),
      });
    }
    const adamw = model.optimizers.find((o) => ADAMW.test(o.call));
    if (adamw && model.trainingArguments.length === 0 && !warmScheduler && !warmupSetting && model.manualLr.length === 0) {
      const zeroByDefault = model.schedulers.map((s) => /\bargs\.(\w+)/.exec(s.args.num_warmup_steps?.expr ?? '')?.[1]).find((d) => d !== undefined && model.values.argparseArg(d)?.defaultNode);
      const flag = zeroByDefault ? model.values.argparseArg(zeroByDefault)!.flags[0] : undefined;
      out.push({
        rule: 'no_warmup',
        severity: zeroByDefault ? 'info' : 'warning',
        range: adamw.range,
        message: zeroByDefault
          ? `Warmup defaults to 0 steps (${flag ?? 'the option'}): fine-tuning a pretrained transformer with AdamW usually warms up over 5–10% of the steps.`
          : `Fine-tuning a pretrained transformer with ${adamw.callee} and no warmup: the first updates hit the pretrained weights at the full LR. Warm up over 5–10% of the steps.`,
        related: [{ range: hfPretrained.range, message: `pretrained weights loaded here (line ${hfPretrained.line})` }],
        fixes: fixes(warmupRatioFix(model, 0.06, ctx)),
      });
    }
  }

  // 7. One LR for a pretrained backbone and a new head.
  for (const p of model.pretrained) {
    if (!p.head || !p.variable) continue;
    const o = model.optimizers.find((x) => !x.paramGroups && x.params && x.params.expr === `${p.variable}.parameters()`);
    if (!o) continue;
    out.push({
      rule: 'single_lr_finetune',
      severity: 'info',
      range: o.params!.range,
      message: `The pretrained layers of ${p.variable} and its new head (${p.head}) train at the same learning rate; a lower LR for the pretrained layers (often 0.1×) keeps what they learned.`,
      related: [{ range: p.range, message: `pretrained weights loaded here (line ${p.line})` }],
      fixes: fixes(paramGroupsFix(model, o, p.head)),
    });
  }

  return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}
