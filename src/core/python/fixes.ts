// Turns a run finding's `Suggestion` (and the static checks' needs) into edits of this
// particular script: the preferred place and form for each change, in the file's own
// import style, indentation and line endings. Every builder returns undefined rather
// than an edit it cannot make correctly.
import type { Finding, Suggestion } from '../analysis/finding';
import { SEVERITY_RANK } from '../analysis/finding';
import type { SyntaxNode } from '@lezer/common';
import { epochAnchor, freeName, statementReaching, validationMetric, visibleName } from './anchors';
import { USUAL_LR } from './catalog';
import {
  ImportPlanner,
  moveStatement,
  formatInt,
  formatLrLiteral,
  indentAt,
  indentUnit,
  insertAfter,
  insertAt,
  insertBefore,
  replaceSpan,
  type ScriptFix,
  type TextEdit,
} from './edits';
import { enclosingFunction, statementOf, statementsIn, trimmedEnd } from './parse';
import type { ArgValue, OptimizerInfo, SchedulerInfo, ScriptModel, StepCall } from './scriptModel';

/** What the linked run says about the script's length, for sizing schedules. */
export interface FixContext {
  /** Optimizer steps per epoch. */
  stepsPerEpoch?: number;
  /** The run's (planned) length in optimizer steps. */
  totalSteps?: number;
}

const fmtFactor = (f: number): string => String(Number(f.toPrecision(3)));

/** The main optimizer: the first one not inside a composite, preferring ones that are stepped. */
export function mainOptimizer(model: ScriptModel): OptimizerInfo | undefined {
  const stepped = model.steps.filter((s) => s.kind === 'optimizer' && s.target !== undefined).map((s) => s.target!);
  return model.optimizers[stepped[0] ?? 0];
}

/** The scheduler in charge (not a child of a composite). */
export function mainScheduler(model: ScriptModel): SchedulerInfo | undefined {
  return model.schedulers.find((s) => s.partOf === undefined && !s.spec.callback);
}

// ---------------------------------------------------------------------------------
// Changing a number

/** An edit that multiplies the value written at `v` (its assignment, argparse default or literal) by `factor`. */
function scaleValueEdit(model: ScriptModel, v: ArgValue, factor: number): { edit: TextEdit; from?: number; to?: number; where: string } | undefined {
  const doc = model.doc;
  const site = v.site;
  if (site && v.value !== undefined) {
    const text = doc.text.slice(site.from, site.to);
    const node = doc.tree.resolveInner(site.from, 1);
    const isLiteral = /^[-+]?(\d[\d_]*\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text.trim());
    const newText = isLiteral ? formatLrLiteral(v.value * factor, text) : scaledText(text, factor);
    void node;
    const where = site.kind === 'argparse' ? `the default of ${site.flags?.[0] ?? site.name ?? 'the option'}` : site.kind === 'literal' ? 'the literal' : `${site.name ?? 'the variable'}`;
    return { edit: replaceSpan(doc, site.from, site.to, newText), from: v.value, to: v.value * factor, where };
  }
  return { edit: replaceSpan(doc, v.from, v.to, scaledText(v.expr, factor, v.node)), where: v.expr };
}

function scaledText(text: string, factor: number, node?: SyntaxNode): string {
  const atom = !node || ['VariableName', 'MemberExpression', 'CallExpression', 'Number', 'ParenthesizedExpression'].includes(node.name) || (node.name === 'BinaryExpression' && /^[^+-]*$/.test(text.replace(/\de-/gi, '')));
  return atom ? `${text} * ${fmtFactor(factor)}` : `(${text}) * ${fmtFactor(factor)}`;
}

export interface LrTarget {
  value?: ArgValue;
  /** When the LR is not written, where to add `lr=...`: the optimizer. */
  optimizer?: OptimizerInfo;
  label: string;
  /** Other values to scale with it (nanoGPT's min_lr, CyclicLR's base_lr). */
  companions: ArgValue[];
}

/** Where this script sets the learning rate, most authoritative first. */
export function lrTargets(model: ScriptModel): LrTarget[] {
  const out: LrTarget[] = [];
  const doc = model.doc;
  const settingValue = (name: RegExp): ArgValue[] =>
    model.settings.filter((s) => name.test(s.name) && s.value !== undefined).map((s) => ({ line: s.line, range: s.range, from: s.from, to: s.to, expr: doc.textOf(s.node), value: s.value!, site: { kind: s.kind, line: s.line, range: s.range, from: s.from, to: s.to, name: s.name, ...(s.flags ? { flags: s.flags } : {}) }, node: s.node }));
  // Schedules that set the LR themselves: OneCycleLR/CyclicLR max_lr, Keras/optax schedules' peak.
  for (const s of model.schedulers) {
    const peak = s.args.max_lr ?? s.args.peak_value ?? (s.framework === 'keras' ? s.args.initial_learning_rate : undefined) ?? (s.framework === 'optax' && s.call !== 'optax.join_schedules' ? s.args.init_value ?? s.args.value : undefined);
    if (peak && (s.args.max_lr || model.optimizers.some((o) => o.lrSchedule === model.schedulers.indexOf(s)) || s.partOf === undefined)) {
      if (s.framework === 'torch' && !s.args.max_lr) continue;
      const comp = [s.args.base_lr, s.args.end_value, s.args.end_learning_rate, s.args.warmup_target].filter((x): x is ArgValue => !!x && x.value !== undefined && x.value > 0);
      out.push({ value: peak, label: `${s.callee} ${peak === s.args.max_lr ? 'max_lr' : 'peak LR'}`, companions: comp });
    }
  }
  for (const o of model.optimizers) {
    if (o.lrSchedule !== undefined) continue;
    if (o.lr) out.push({ value: o.lr, label: `${o.callee} learning rate`, companions: [] });
    else if (o.lrValue !== undefined && !o.byString) out.push({ optimizer: o, label: `${o.callee} learning rate`, companions: [] });
  }
  for (const t of model.trainingArguments) if (t.args.learning_rate) out.push({ value: t.args.learning_rate, label: 'TrainingArguments learning_rate', companions: [] });
  const named = settingValue(/^(learning_rate|lr|base_lr|max_lr|peak_lr|init_lr)$/);
  if (named.length && !out.some((t) => t.value?.site && named.some((n) => n.from === t.value!.site!.from))) {
    out.push({ value: named[0]!, label: named[0]!.site!.name ?? 'learning rate', companions: settingValue(/^(min_lr|lr_min)$/) });
  }
  return out;
}

/** `scale_lr`: multiply the LR where it is written. */
export function scaleLrFix(model: ScriptModel, factor: number): ScriptFix | undefined {
  const t = lrTargets(model)[0];
  if (!t) return undefined;
  const verb = factor < 1 ? 'Lower' : 'Raise';
  if (t.optimizer) {
    const o = t.optimizer;
    const v = o.lrValue! * factor;
    return { title: `${verb} the learning rate to ${formatLrLiteral(v)} (×${fmtFactor(factor)})`, edits: [addKeyword(model, o.node, o.spec.lrParam, formatLrLiteral(v), o.spec.params.indexOf(o.spec.lrParam))], isPreferred: true };
  }
  const s = scaleValueEdit(model, t.value!, factor);
  if (!s) return undefined;
  const edits = [s.edit];
  for (const c of t.companions) {
    const e = scaleValueEdit(model, c, factor);
    if (e && !edits.some((x) => x.range.start.line === e.edit.range.start.line && x.range.start.character === e.edit.range.start.character)) edits.push(e.edit);
  }
  const num = s.to !== undefined ? ` from ${formatLrLiteral(s.from!)} to ${formatLrLiteral(s.to)}` : '';
  return { title: `${verb} the learning rate${num} (×${fmtFactor(factor)}, ${s.where})`, edits, isPreferred: true };
}

/** Sets the LR (of optimizer `o`) to `value`. */
export function setLrFix(model: ScriptModel, o: OptimizerInfo, value: number): ScriptFix | undefined {
  const doc = model.doc;
  const v = formatLrLiteral(value);
  if (!o.lr) return { title: `Set the learning rate to ${v}`, edits: [addKeyword(model, o.node, o.spec.lrParam, v, o.spec.params.indexOf(o.spec.lrParam))], isPreferred: true };
  const site = o.lr.site;
  if (site && o.lr.value !== undefined) {
    const where = site.kind === 'argparse' ? ` (default of ${site.flags?.[0] ?? site.name})` : site.kind !== 'literal' ? ` (${site.name})` : '';
    return { title: `Set the learning rate to ${v}${where}`, edits: [replaceSpan(doc, site.from, site.to, formatLrLiteral(value, doc.text.slice(site.from, site.to)))], isPreferred: true };
  }
  return undefined;
}

/** Adds `name=value` to a call, after the positional arguments it follows. */
function addKeyword(model: ScriptModel, call: SyntaxNode, name: string, value: string, _position: number): TextEdit {
  const doc = model.doc;
  const list = call.getChild('ArgList')!;
  const close = list.lastChild!;
  const inner = doc.text.slice(list.from + 1, close.from);
  if (/^\s*$/.test(inner)) return insertAt(doc, close.from, `${name}=${value}`);
  const trailingComma = /,\s*$/.test(inner);
  let end = close.from;
  while (end > list.from + 1 && /\s/.test(doc.text[end - 1]!)) end--;
  if (trailingComma) {
    // Multi-line call with a trailing comma: a new line in the same style.
    const lastLine = doc.lineOf(end);
    if (lastLine !== doc.lineOf(list.from)) return insertAt(doc, end, `${doc.eol}${doc.indentOf(lastLine)}${name}=${value},`);
    return insertAt(doc, end, ` ${name}=${value},`);
  }
  return insertAt(doc, end, `, ${name}=${value}`);
}

/** Replaces or adds a keyword argument of a call. */
export function setKeyword(model: ScriptModel, call: SyntaxNode, args: Record<string, ArgValue>, name: string, value: string): TextEdit {
  const a = args[name];
  if (a) return replaceSpan(model.doc, a.from, a.to, value);
  return addKeyword(model, call, name, value, -1);
}

// ---------------------------------------------------------------------------------
// Moving scheduler.step()

/** `step_per_epoch`: move a scheduler step out of the batch loop to the end of the epoch. */
export function moveStepToEpochFix(model: ScriptModel, step: StepCall): ScriptFix | undefined {
  if (step.loop !== 'batch') return undefined;
  const anchor = epochAnchor(model, step.context);
  if (!anchor) return undefined;
  const doc = model.doc;
  const sched = step.target !== undefined ? model.schedulers[step.target] : undefined;
  const receiver = sched ? visibleName(sched.variable, sched.node, step.receiver, anchor) : step.receiver;
  const callText = doc.textOf(step.node).replace(step.receiver, receiver);
  const line = `${callText}`;
  return {
    title: `Move ${doc.textOf(step.node)} to the epoch loop (after line ${doc.lineOf(trimmedEnd(doc, anchor)) + 1})`,
    edits: moveStatement(doc, step.statement, anchor, [line], indentAt(doc, anchor)),
    isPreferred: true,
  };
}

/** Moves `scheduler.step()` after the statement (in its loop) that runs `optimizer.step()`. */
export function moveStepAfterOptimizerFix(model: ScriptModel, step: StepCall, opt: StepCall): ScriptFix | undefined {
  const block = step.statement.parent;
  if (!block) return undefined;
  const after = statementReaching(model, opt, block);
  if (!after || after.from < step.statement.from) return undefined;
  const doc = model.doc;
  return {
    title: `Call ${doc.textOf(step.node)} after ${doc.textOf(opt.node)}`,
    edits: moveStatement(doc, step.statement, after, [doc.textOf(step.statement)], indentAt(doc, step.statement)),
    isPreferred: true,
  };
}

/** Moves a per-epoch `scheduler.step()` of a per-batch schedule (OneCycleLR, CyclicLR) right after `optimizer.step()`. */
export function moveStepToBatchFix(model: ScriptModel, step: StepCall): ScriptFix | undefined {
  const doc = model.doc;
  const opt = model.steps.find((s) => s.kind === 'optimizer' && s.loop === 'batch');
  if (!opt) return undefined;
  const sched = step.target !== undefined ? model.schedulers[step.target] : undefined;
  // The scheduler has to be visible where the optimizer steps.
  const optFn = enclosingFunction(opt.node);
  const stepFn = enclosingFunction(step.node);
  const constructedFn = sched ? enclosingFunction(sched.node) : stepFn;
  const visible = optFn?.from === stepFn?.from || constructedFn === null || isParameter(model, optFn, step.receiver);
  if (!visible) return undefined;
  return {
    title: `Call ${doc.textOf(step.node)} after every ${doc.textOf(opt.node)} (per batch)`,
    edits: moveStatement(doc, step.statement, opt.statement, [doc.textOf(step.statement)], indentAt(doc, opt.statement)),
    isPreferred: true,
  };
}

function isParameter(model: ScriptModel, fn: SyntaxNode | null, name: string): boolean {
  if (!fn) return false;
  const params = fn.getChild('ParamList');
  return !!params && new RegExp(`\\b${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(model.doc.textOf(params));
}

/** Lightning: make `configure_optimizers` ask for per-step scheduling. */
export function lightningIntervalFix(model: ScriptModel, index: number, interval: 'step' | 'epoch' = 'step'): ScriptFix | undefined {
  const l = model.lightning[index];
  if (!l) return undefined;
  if (interval === 'epoch') {
    if (!l.intervalNode) return undefined;
    const q0 = model.doc.textOf(l.intervalNode)[0] === "'" ? "'" : '"';
    return { title: 'Step the scheduler once per epoch ("interval": "epoch")', edits: [replaceSpan(model.doc, l.intervalNode.from, l.intervalNode.to, `${q0}epoch${q0}`)], isPreferred: true };
  }
  const doc = model.doc;
  const q = /"/.test(doc.textOf(l.configDict ?? l.method)) || !/'/.test(doc.textOf(l.method)) ? '"' : "'";
  if (l.intervalNode) return { title: `Step the scheduler every optimizer step ("interval": "step")`, edits: [replaceSpan(doc, l.intervalNode.from, l.intervalNode.to, `${q}step${q}`)], isPreferred: true };
  if (l.configDict) {
    const close = l.configDict.lastChild!;
    let end = close.from;
    while (/\s/.test(doc.text[end - 1]!)) end--;
    const comma = doc.text[end - 1] === ',' ? '' : ',';
    const multiline = doc.lineOf(l.configDict.from) !== doc.lineOf(close.from);
    const text = multiline ? `${comma}${doc.eol}${doc.indentOf(doc.lineOf(end))}${q}interval${q}: ${q}step${q},` : `${comma} ${q}interval${q}: ${q}step${q}`;
    return { title: `Step the scheduler every optimizer step ("interval": "step")`, edits: [insertAt(doc, end, text)], isPreferred: true };
  }
  return {
    title: `Step the scheduler every optimizer step ("interval": "step")`,
    edits: [replaceSpan(doc, l.schedulerFrom, l.schedulerTo, `{${q}scheduler${q}: ${l.schedulerExpr}, ${q}interval${q}: ${q}step${q}}`)],
    isPreferred: true,
  };
}

/** `ReduceLROnPlateau.step()` without a metric: pass the validation loss. */
export function plateauMetricFix(model: ScriptModel, step: StepCall): ScriptFix | undefined {
  const doc = model.doc;
  const m = step.statement.parent ? validationMetric(model, step.statement.parent, step.statement.from) : undefined;
  const list = step.node.getChild('ArgList');
  if (!list) return undefined;
  const edits: TextEdit[] = [];
  let expr = m?.expr;
  if (m?.capture) edits.push(insertAt(doc, m.capture.from, `${m.expr} = `));
  if (!expr) expr = 'val_loss';
  edits.push(replaceSpan(doc, list.from, list.to, `(${expr})`));
  return { title: m ? `Pass the validation loss: ${doc.textOf(step.node).replace(/\(\s*\)$/, `(${expr})`)}` : `Pass the validation loss (${expr}, computed in the epoch loop)`, edits, isPreferred: !!m };
}

// ---------------------------------------------------------------------------------
// Adding schedules

/** The statement after which a new scheduler is constructed: after the optimizer. */
function afterOptimizer(o: OptimizerInfo): SyntaxNode {
  return o.statement;
}

/** The optimizer variable as visible at `at`. */
function optimizerRef(o: OptimizerInfo): string {
  return o.variable ?? 'optimizer';
}

/** Builds a PyTorch scheduler constructor text for a family sized in steps. */
function torchSchedule(imports: ImportPlanner, opt: string, family: string, p: Record<string, number>, baseLr: number | undefined): string | undefined {
  const total = num(p, 'totalSteps', 'decaySteps', 'steps', 'T_max', 'total_steps');
  const warm = num(p, 'warmupSteps') ?? 0;
  const minLr = num(p, 'minLr', 'finalLr', 'endLr', 'eta_min', 'floorLr');
  const decay = total !== undefined ? Math.max(1, total - warm) : undefined;
  const T = (n: string): string => imports.ref(`torch.optim.lr_scheduler.${n}`);
  let main: string | undefined;
  switch (family) {
    case 'cosine':
      if (decay === undefined) return undefined;
      main = `${T('CosineAnnealingLR')}(${opt}, T_max=${formatInt(decay)}${minLr !== undefined ? `, eta_min=${formatLrLiteral(minLr)}` : ''})`;
      break;
    case 'linear':
      if (decay === undefined) return undefined;
      main = `${T('LinearLR')}(${opt}, start_factor=1.0, end_factor=${minLr !== undefined && baseLr ? formatLrLiteral(Math.max(minLr / baseLr, 0)) : '0.0'}, total_iters=${formatInt(decay)})`;
      break;
    case 'polynomial':
      if (decay === undefined) return undefined;
      main = `${T('PolynomialLR')}(${opt}, total_iters=${formatInt(decay)}, power=${num(p, 'power') ?? 1.0})`;
      break;
    case 'exponential': {
      const gamma = num(p, 'gamma') ?? (decay !== undefined && minLr !== undefined && baseLr ? Math.pow(minLr / baseLr, 1 / decay) : undefined);
      if (gamma === undefined) return undefined;
      main = `${T('ExponentialLR')}(${opt}, gamma=${Number(gamma.toPrecision(6))})`;
      break;
    }
    case 'step': {
      const size = num(p, 'stepSize', 'step_size');
      if (size === undefined) return undefined;
      main = `${T('StepLR')}(${opt}, step_size=${formatInt(size)}, gamma=${num(p, 'gamma') ?? 0.1})`;
      break;
    }
    case 'one_cycle': {
      const peak = num(p, 'peakLr', 'maxLr', 'max_lr') ?? baseLr;
      if (total === undefined || peak === undefined) return undefined;
      return `${T('OneCycleLR')}(${opt}, max_lr=${formatLrLiteral(peak)}, total_steps=${formatInt(total)})`;
    }
    case 'cosine_warm_restarts': {
      const t0 = num(p, 'T_0', 'cycleSteps', 'periodSteps', 'firstCycleSteps');
      if (t0 === undefined) return undefined;
      main = `${T('CosineAnnealingWarmRestarts')}(${opt}, T_0=${formatInt(t0)}, T_mult=${num(p, 'T_mult', 'cycleMult') ?? 1}${minLr !== undefined ? `, eta_min=${formatLrLiteral(minLr)}` : ''})`;
      break;
    }
    case 'inverse_sqrt':
      main = `${T('LambdaLR')}(${opt}, lr_lambda=lambda step: ${formatInt(Math.max(warm, 1))} ** 0.5 / max(step, ${formatInt(Math.max(warm, 1))}) ** 0.5)`;
      if (warm > 0) return `${T('SequentialLR')}(${opt}, schedulers=[${T('LinearLR')}(${opt}, start_factor=1e-3, total_iters=${formatInt(warm)}), ${main}], milestones=[${formatInt(warm)}])`;
      return main;
    case 'constant':
      main = `${T('ConstantLR')}(${opt}, factor=1.0, total_iters=0)`;
      break;
    default:
      return undefined;
  }
  if (warm > 0) return `${T('SequentialLR')}(${opt}, schedulers=[${T('LinearLR')}(${opt}, start_factor=1e-3, total_iters=${formatInt(warm)}), ${main}], milestones=[${formatInt(warm)}])`;
  return main;
}

function num(p: Record<string, number>, ...keys: string[]): number | undefined {
  for (const k of keys) if (typeof p[k] === 'number' && Number.isFinite(p[k])) return p[k];
  return undefined;
}

const HF_TYPE: Record<string, string> = {
  cosine: 'cosine',
  linear: 'linear',
  polynomial: 'polynomial',
  constant: 'constant_with_warmup',
  cosine_warm_restarts: 'cosine_with_restarts',
  inverse_sqrt: 'inverse_sqrt',
  warmup_stable_decay: 'warmup_stable_decay',
  reduce_on_plateau: 'reduce_lr_on_plateau',
};

/** `add_schedule`: a decay schedule of `family` sized to the run. */
export function addScheduleFix(model: ScriptModel, family: string, params: Record<string, number>, ctx: FixContext = {}): ScriptFix | undefined {
  const doc = model.doc;
  const warm = num(params, 'warmupSteps') ?? 0;
  // Hugging Face Trainer: lr_scheduler_type (+ warmup_steps).
  const ta = model.trainingArguments[0];
  if (ta && HF_TYPE[family]) {
    const q = quoteOf(doc.textOf(ta.node));
    const edits = [setKeyword(model, ta.node, ta.args, 'lr_scheduler_type', `${q}${HF_TYPE[family]}${q}`)];
    if (warm > 0) edits.push(...warmupArgEdits(model, ta, warm));
    return { title: `Use lr_scheduler_type="${HF_TYPE[family]}"${warm > 0 ? ` with ${formatInt(warm)} warmup steps` : ''}`, edits, isPreferred: true };
  }
  const hf = model.schedulers.find((s) => s.call === 'transformers.get_scheduler');
  if (hf && HF_TYPE[family] && hf.args.name) {
    const q = quoteOf(hf.args.name.expr);
    const edits = [replaceSpan(doc, (hf.args.name.site ?? hf.args.name).from, (hf.args.name.site ?? hf.args.name).to, `${q}${HF_TYPE[family]}${q}`)];
    if (warm > 0 && hf.args.num_warmup_steps) edits.push(replaceSpan(doc, hf.args.num_warmup_steps.from, hf.args.num_warmup_steps.to, formatInt(warm)));
    return { title: `Use the "${HF_TYPE[family]}" schedule`, edits, isPreferred: true };
  }
  const o = mainOptimizer(model);
  if (!o) return undefined;
  if (o.framework === 'torch' || o.framework === 'transformers' || o.framework === 'bitsandbytes') {
    const planner = new ImportPlanner(doc, model.imports);
    const existing = mainScheduler(model);
    const total = num(params, 'totalSteps', 'decaySteps', 'steps', 'T_max', 'total_steps') ?? ctx.totalSteps;
    const p = { ...params, ...(total !== undefined ? { totalSteps: total } : {}) };
    const opt = optimizerRef(o);
    const text = torchSchedule(planner, opt, family, p, o.lrValue);
    if (!text) return undefined;
    if (existing && existing.framework === 'torch') {
      const stepped = model.steps.find((s) => s.kind === 'scheduler' && s.target === model.schedulers.indexOf(existing));
      const edits: TextEdit[] = [replaceSpan(doc, existing.from, existing.to, text)];
      if (stepped && stepped.loop === 'epoch') {
        const m = moveStepToBatchFix(model, stepped);
        if (!m) return undefined;
        edits.push(...m.edits);
      }
      return { title: `Replace ${existing.callee} with a ${family.replace(/_/g, ' ')} schedule over ${formatInt(total ?? 0)} steps`, edits: [...edits, ...planner.edits()], isPreferred: true };
    }
    const optStep = model.steps.find((s) => s.kind === 'optimizer' && s.loop === 'batch');
    if (!optStep) return undefined;
    const name = freeName(model, 'scheduler');
    const edits = [insertAfter(doc, afterOptimizer(o), [`${name} = ${text}`]), insertAfter(doc, optStep.statement, [`${visibleName(name, o.node, name, optStep.node)}.step()`])];
    if (!visibleInStep(o, optStep)) return undefined;
    return { title: `Add a ${family.replace(/_/g, ' ')} schedule over ${formatInt(total ?? 0)} steps`, edits: [...edits, ...planner.edits()], isPreferred: true };
  }
  if ((o.framework === 'keras' || o.framework === 'optax') && o.lr && o.lrSchedule === undefined) {
    const total = num(params, 'totalSteps', 'decaySteps', 'steps') ?? ctx.totalSteps;
    if (total === undefined) return undefined;
    const planner = new ImportPlanner(doc, model.imports);
    const minLr = num(params, 'minLr', 'finalLr', 'endLr') ?? 0;
    const lr = o.lr.expr;
    let text: string | undefined;
    if (o.framework === 'keras' && family === 'cosine') {
      const ratio = o.lrValue ? formatLrLiteral(minLr / o.lrValue) : '0.0';
      text = warm > 0 ? `${planner.ref('keras.optimizers.schedules.CosineDecay')}(initial_learning_rate=0.0, decay_steps=${formatInt(total - warm)}, alpha=${ratio}, warmup_target=${lr}, warmup_steps=${formatInt(warm)})` : `${planner.ref('keras.optimizers.schedules.CosineDecay')}(initial_learning_rate=${lr}, decay_steps=${formatInt(total)}, alpha=${ratio})`;
    } else if (o.framework === 'optax' && family === 'cosine') {
      text = `${planner.ref('optax.warmup_cosine_decay_schedule')}(init_value=0.0, peak_value=${lr}, warmup_steps=${formatInt(warm)}, decay_steps=${formatInt(total)}, end_value=${formatLrLiteral(minLr)})`;
    } else if (o.framework === 'optax' && family === 'linear') {
      text = `${planner.ref('optax.linear_schedule')}(init_value=${lr}, end_value=${formatLrLiteral(minLr)}, transition_steps=${formatInt(total)})`;
    } else if (o.framework === 'optax' && family === 'exponential') {
      text = `${planner.ref('optax.exponential_decay')}(init_value=${lr}, transition_steps=${formatInt(total)}, decay_rate=${o.lrValue && minLr > 0 ? formatLrLiteral(minLr / o.lrValue) : '0.1'})`;
    }
    if (!text) return undefined;
    return { title: `Use a ${family} schedule over ${formatInt(total)} steps as the learning rate`, edits: [replaceSpan(doc, o.lr.from, o.lr.to, text), ...planner.edits()], isPreferred: true };
  }
  return undefined;
}

function visibleInStep(o: OptimizerInfo, step: StepCall): boolean {
  const a = enclosingFunction(o.node);
  return a === null || a.from === enclosingFunction(step.node)?.from;
}

function quoteOf(text: string): string {
  return /'/.test(text) && !/"/.test(text) ? "'" : '"';
}

function warmupArgEdits(model: ScriptModel, ta: { node: SyntaxNode; args: Record<string, ArgValue> }, steps: number): TextEdit[] {
  const edits: TextEdit[] = [];
  const ratio = ta.args.warmup_ratio;
  if (ratio) {
    edits.push(replaceSpan(model.doc, ratio.from, ratio.to, '0.0'));
  }
  edits.push(setKeyword(model, ta.node, ta.args, 'warmup_steps', formatInt(steps)));
  return edits;
}

/** `add_warmup`: linear warmup over `steps` optimizer steps, in the script's own mechanism. */
export function addWarmupFix(model: ScriptModel, steps: number): ScriptFix | undefined {
  const doc = model.doc;
  const n = formatInt(steps);
  const ta = model.trainingArguments[0];
  if (ta) return { title: `Warm up over ${n} steps (warmup_steps=${n})`, edits: warmupArgEdits(model, ta, steps), isPreferred: true };
  const hf = model.schedulers.find((s) => s.framework === 'transformers' && s.spec.params.includes('num_warmup_steps'));
  if (hf) {
    const w = hf.args.num_warmup_steps;
    if (w) {
      const site = w.site && w.site.kind !== 'literal' && w.value !== undefined ? w.site : w;
      return { title: `Warm up over ${n} steps (num_warmup_steps${site !== w ? `: ${w.site!.flags?.[0] ?? w.site!.name}` : ''})`, edits: [replaceSpan(doc, site.from, site.to, n)], isPreferred: true };
    }
    if (hf.call === 'transformers.get_constant_schedule') {
      const planner = new ImportPlanner(doc, model.imports);
      const ref = planner.ref('transformers.get_constant_schedule_with_warmup');
      const list = hf.node.getChild('ArgList')!;
      return { title: `Warm up over ${n} steps (get_constant_schedule_with_warmup)`, edits: [replaceSpan(doc, hf.from, list.from, ref), insertAt(doc, list.lastChild!.from, `, num_warmup_steps=${n}`), ...planner.edits()], isPreferred: true };
    }
    return { title: `Warm up over ${n} steps`, edits: [addKeyword(model, hf.node, 'num_warmup_steps', n, -1)], isPreferred: true };
  }
  // Hand-written schedules (nanoGPT): a warmup variable.
  const wv = model.settings.find((s) => /warmup/.test(s.name) && /(iters|steps)$/.test(s.name) && s.value !== undefined);
  if (wv && model.manualLr.length) return { title: `Warm up over ${n} steps (${wv.name})`, edits: [replaceSpan(doc, wv.from, wv.to, n)], isPreferred: true };
  const o = mainOptimizer(model);
  if (!o) return undefined;
  if (o.framework === 'optax' && o.lr && o.lrSchedule === undefined) {
    const planner = new ImportPlanner(doc, model.imports);
    const text = `${planner.ref('optax.linear_schedule')}(init_value=0.0, end_value=${o.lr.expr}, transition_steps=${n})`;
    return { title: `Warm up over ${n} steps (optax.linear_schedule)`, edits: [replaceSpan(doc, o.lr.from, o.lr.to, text), ...planner.edits()], isPreferred: true };
  }
  if (o.framework !== 'torch' && o.framework !== 'transformers' && o.framework !== 'bitsandbytes') return undefined;
  const planner = new ImportPlanner(doc, model.imports);
  const existing = mainScheduler(model);
  const opt = optimizerRef(o);
  const linear = `${planner.ref('torch.optim.lr_scheduler.LinearLR')}(${opt}, start_factor=1e-3, end_factor=1.0, total_iters=${n})`;
  if (existing && existing.framework === 'torch' && existing.cadence !== 'metric') {
    const stepped = model.steps.find((s) => s.kind === 'scheduler' && s.target === model.schedulers.indexOf(existing));
    if (!stepped || stepped.loop === 'batch') {
      const seq = `${planner.ref('torch.optim.lr_scheduler.SequentialLR')}(${opt}, schedulers=[${linear}, ${doc.textOf(existing.node)}], milestones=[${n}])`;
      return { title: `Warm up over ${n} steps before ${existing.callee} (SequentialLR)`, edits: [replaceSpan(doc, existing.from, existing.to, seq), ...planner.edits()], isPreferred: true };
    }
  }
  // No per-batch scheduler: a LinearLR warmup stepped after every optimizer step.
  const optStep = model.steps.find((s) => s.kind === 'optimizer' && s.loop === 'batch');
  if (!optStep || !visibleInStep(o, optStep)) return undefined;
  const name = freeName(model, existing ? 'warmup_scheduler' : 'scheduler');
  return {
    title: `Warm up over ${n} steps (LinearLR, stepped after ${doc.textOf(optStep.node)})`,
    edits: [insertAfter(doc, afterOptimizer(o), [`${name} = ${linear}`]), insertAfter(doc, optStep.statement, [`${name}.step()`]), ...planner.edits()],
    isPreferred: true,
  };
}

/**
 * Warmup over `ratio` of training, for the static check (no run yet): `warmup_ratio`
 * for the Trainer, `num_warmup_steps=int(ratio * num_training_steps)` for HF
 * schedules, else a LinearLR warmup over `ratio` of the known length (the linked run's,
 * or the script's own max-steps setting), else over 500 steps.
 */
export function warmupRatioFix(model: ScriptModel, ratio: number, ctx: FixContext = {}): ScriptFix | undefined {
  const doc = model.doc;
  const ta = model.trainingArguments[0];
  if (ta) {
    const edits = [setKeyword(model, ta.node, ta.args, 'warmup_ratio', String(ratio))];
    return { title: `Warm up over ${Math.round(ratio * 100)}% of the steps (warmup_ratio=${ratio})`, edits, isPreferred: true };
  }
  const hf = model.schedulers.find((s) => s.framework === 'transformers' && s.args.num_training_steps);
  if (hf) {
    const total = hf.args.num_training_steps!;
    const totalExpr = /^[\w.]+$/.test(total.expr) ? total.expr : `(${total.expr})`;
    const w = hf.args.num_warmup_steps;
    const warm = `int(${ratio} * ${totalExpr})`;
    if (w) {
      const keepOverride = w.site?.kind === 'argparse' || w.node.name !== 'Number';
      return { title: `Warm up over ${Math.round(ratio * 100)}% of the steps (num_warmup_steps)`, edits: [replaceSpan(doc, w.from, w.to, keepOverride ? `${w.expr} or ${warm}` : warm)], isPreferred: true };
    }
    return { title: `Warm up over ${Math.round(ratio * 100)}% of the steps (num_warmup_steps)`, edits: [addKeyword(model, hf.node, 'num_warmup_steps', warm, -1)], isPreferred: true };
  }
  const own = model.settings.find((s) => /^(max_steps|max_iters|num_train_steps|total_steps|max_train_steps)$/.test(s.name) && s.value !== undefined);
  const total = ctx.totalSteps ?? own?.value;
  const steps = total !== undefined ? Math.max(1, Math.round(ratio * total)) : 500;
  return addWarmupFix(model, steps);
}

/** `add_reduce_on_plateau`. */
export function addReduceOnPlateauFix(model: ScriptModel, patience: number, factor: number): ScriptFix | undefined {
  const doc = model.doc;
  const ta = model.trainingArguments[0];
  if (ta) {
    const q = quoteOf(doc.textOf(ta.node));
    return { title: 'Reduce the LR when the evaluation loss plateaus (lr_scheduler_type="reduce_lr_on_plateau")', edits: [setKeyword(model, ta.node, ta.args, 'lr_scheduler_type', `${q}reduce_lr_on_plateau${q}`)], isPreferred: true };
  }
  const o = mainOptimizer(model);
  if (o?.framework === 'keras') {
    const fit = kerasFit(model);
    if (!fit) return undefined;
    const planner = new ImportPlanner(doc, model.imports);
    const cb = `${planner.ref('keras.callbacks.ReduceLROnPlateau')}(monitor="val_loss", factor=${fmtFactor(factor)}, patience=${patience})`;
    return { title: `Reduce the LR ×${fmtFactor(factor)} after ${patience} epochs without improvement (ReduceLROnPlateau callback)`, edits: [...addCallbackEdits(model, fit, cb), ...planner.edits()], isPreferred: true };
  }
  if (!o || (o.framework !== 'torch' && o.framework !== 'transformers' && o.framework !== 'bitsandbytes')) return undefined;
  const optStep = model.steps.find((s) => s.kind === 'optimizer' && s.loop === 'batch');
  if (!optStep) return undefined;
  const anchor = epochAnchor(model, optStep.context);
  if (!anchor) return undefined;
  const epochBody = anchor.parent!;
  const last = statementsIn(epochBody).pop()!;
  const metric = validationMetric(model, epochBody, epochBody.to);
  const planner = new ImportPlanner(doc, model.imports);
  const name = freeName(model, mainScheduler(model) ? 'plateau_scheduler' : 'scheduler');
  const edits: TextEdit[] = [insertAfter(doc, o.statement, [`${name} = ${planner.ref('torch.optim.lr_scheduler.ReduceLROnPlateau')}(${optimizerRef(o)}, mode="min", factor=${fmtFactor(factor)}, patience=${patience})`])];
  if (metric?.capture) edits.push(insertAt(doc, metric.capture.from, `${metric.expr} = `));
  edits.push(insertAfter(doc, last, [`${visibleName(name, o.node, name, anchor)}.step(${metric?.expr ?? 'val_loss'})`], indentAt(doc, anchor)));
  return { title: `Reduce the LR ×${fmtFactor(factor)} after ${patience} epochs without improvement (ReduceLROnPlateau)`, edits: [...edits, ...planner.edits()], isPreferred: !!metric };
}

/** The `model.fit(...)` call of a Keras script. */
export function kerasFit(model: ScriptModel): SyntaxNode | undefined {
  let found: SyntaxNode | undefined;
  model.doc.tree.iterate({
    enter: (n) => {
      if (found || n.name !== 'CallExpression') return;
      const callee = model.doc.textOf(n.node.firstChild);
      if (/\.fit$/.test(callee)) found = n.node;
    },
  });
  return found;
}

/** Adds a callback to `fit(callbacks=[...])`: to the list (or the list variable) it passes, or as a new keyword. */
export function addCallbackEdits(model: ScriptModel, fit: SyntaxNode, cb: string): TextEdit[] {
  const doc = model.doc;
  const list = fit.getChild('ArgList')!;
  for (let c = list.firstChild; c; c = c.nextSibling) {
    if (c.name === 'VariableName' && doc.textOf(c) === 'callbacks' && c.nextSibling?.name === 'AssignOp') {
      let v = c.nextSibling.nextSibling!;
      if (v.name === 'VariableName') {
        const s = model.values.lookupName(v);
        if (s && s.node.name === 'ArrayExpression') v = s.node;
      }
      if (v.name === 'ArrayExpression') {
        const close = v.lastChild!;
        let end = close.from;
        while (/\s/.test(doc.text[end - 1]!)) end--;
        const empty = doc.text[end - 1] === '[';
        const comma = empty || doc.text[end - 1] === ',' ? '' : ',';
        const multiline = doc.lineOf(v.from) !== doc.lineOf(close.from);
        return [insertAt(doc, end, multiline ? `${comma}${doc.eol}${doc.indentOf(doc.lineOf(end))}${cb},` : `${comma}${empty ? '' : ' '}${cb}`)];
      }
      return [replaceSpan(doc, v.from, v.to, `[*${doc.textOf(v)}, ${cb}]`)];
    }
  }
  return [addKeyword(model, fit, 'callbacks', `[${cb}]`, -1)];
}

// ---------------------------------------------------------------------------------
// Clipping, optimizer switch, early stop

/** `clip_grad_norm`: clip the global gradient norm at `maxNorm` before the optimizer step. */
export function clipGradFix(model: ScriptModel, maxNorm: number): ScriptFix | undefined {
  const doc = model.doc;
  const v = String(Number(maxNorm.toPrecision(3)));
  const existing = model.clipping.find((c) => /norm|clip_gradients/.test(c.call));
  if (existing?.maxNorm) {
    const m = existing.maxNorm;
    const site = m.site && m.value !== undefined ? m.site : m;
    return { title: `Clip gradients at norm ${v}${site !== m ? ` (${m.site!.name ?? m.site!.flags?.[0]})` : ''}`, edits: [replaceSpan(doc, site.from, site.to, v)], isPreferred: true };
  }
  const ta = model.trainingArguments[0];
  if (ta) return { title: `Clip gradients at norm ${v} (max_grad_norm=${v})`, edits: [setKeyword(model, ta.node, ta.args, 'max_grad_norm', v)], isPreferred: true };
  const o = mainOptimizer(model);
  if (o?.framework === 'keras' && !o.byString) return { title: `Clip gradients at global norm ${v} (global_clipnorm)`, edits: [addKeyword(model, o.node, 'global_clipnorm', v, -1)], isPreferred: true };
  if (o?.framework === 'optax') {
    const planner = new ImportPlanner(doc, model.imports);
    const text = `${planner.ref('optax.chain')}(${planner.ref('optax.clip_by_global_norm')}(${v}), ${doc.textOf(o.node)})`;
    return { title: `Clip gradients at global norm ${v} (optax.clip_by_global_norm)`, edits: [replaceSpan(doc, o.from, o.to, text), ...planner.edits()], isPreferred: true };
  }
  const step = model.steps.find((s) => s.kind === 'optimizer' && s.loop === 'batch') ?? model.steps.find((s) => s.kind === 'optimizer');
  if (!step) return undefined;
  const planner = new ImportPlanner(doc, model.imports);
  const params = o?.params && /\.parameters\(\)$/.test(o.params.expr) && visibleInStep(o, step) ? o.params.expr : 'model.parameters()';
  const accel = /\baccelerator\.backward\(/.test(doc.text);
  const lines: string[] = [];
  const scaler = /scaler$/i.test(step.receiver) ? step.receiver : undefined;
  if (scaler && !/\.unscale_\(/.test(doc.text)) lines.push(`${scaler}.unscale_(${step.args[0] ?? 'optimizer'})`);
  lines.push(accel ? `accelerator.clip_grad_norm_(${params}, ${v})` : `${planner.ref('torch.nn.utils.clip_grad_norm_')}(${params}, ${v})`);
  return { title: `Clip gradients at norm ${v} before ${doc.textOf(step.node)}`, edits: [insertBefore(doc, step.statement, lines), ...planner.edits()], isPreferred: true };
}

const TORCH_OPTIMIZERS: Record<string, string> = { adamw: 'AdamW', adam: 'Adam', sgd: 'SGD', rmsprop: 'RMSprop', adagrad: 'Adagrad', nadam: 'NAdam', radam: 'RAdam', adamax: 'Adamax', adadelta: 'Adadelta' };
const KERAS_OPTIMIZERS: Record<string, string> = { adamw: 'AdamW', adam: 'Adam', sgd: 'SGD', rmsprop: 'RMSprop', adagrad: 'Adagrad', nadam: 'Nadam', adamax: 'Adamax', lion: 'Lion' };
/** Keyword arguments each target accepts (others are dropped when switching). */
const KEEP = new Set(['weight_decay', 'eps', 'foreach', 'maximize', 'capturable', 'differentiable', 'fused']);

/** `switch_optimizer`: the same construction with another optimizer at `lr`. */
export function switchOptimizerFix(model: ScriptModel, name: string, lr: number): ScriptFix | undefined {
  const o = mainOptimizer(model);
  if (!o) return undefined;
  const doc = model.doc;
  const key = name.toLowerCase().replace(/^torch\.optim\.|^keras\.optimizers\.|^optax\./, '').replace(/[_\s-]/g, '');
  const planner = new ImportPlanner(doc, model.imports);
  const lrText = formatLrLiteral(lr);
  let text: string | undefined;
  if (o.framework === 'torch' || o.framework === 'transformers' || o.framework === 'bitsandbytes') {
    const cls = TORCH_OPTIMIZERS[key];
    if (!cls || !o.params) return undefined;
    const keep = o.args.filter((a) => a.name && KEEP.has(a.name)).map((a) => doc.text.slice(a.from, a.to));
    const extra = cls === 'SGD' ? ['momentum=0.9'] : [];
    const callee = o.callee.includes('.') ? o.callee.replace(/[A-Za-z_]\w*$/, cls) : planner.ref(`torch.optim.${cls}`);
    text = `${callee}(${[o.params.expr, `lr=${lrText}`, ...extra, ...keep].join(', ')})`;
  } else if (o.framework === 'keras') {
    const cls = KERAS_OPTIMIZERS[key];
    if (!cls) return undefined;
    const callee = o.byString ? planner.ref(`keras.optimizers.${cls}`) : o.callee.replace(/[A-Za-z_]\w*$/, cls);
    text = `${callee}(learning_rate=${lrText}${cls === 'SGD' ? ', momentum=0.9' : ''})`;
  } else if (o.framework === 'optax') {
    if (!/^(adamw|adam|sgd|rmsprop|lion|adagrad|nadam)$/.test(key)) return undefined;
    const callee = o.callee.replace(/[A-Za-z_]\w*$/, key);
    text = `${callee}(learning_rate=${lrText}${key === 'sgd' ? ', momentum=0.9' : ''})`;
  }
  if (!text) return undefined;
  return { title: `Switch to ${name} at learning rate ${lrText}`, edits: [replaceSpan(doc, o.from, o.to, text), ...planner.edits()], isPreferred: true };
}

/** `early_stop`: stop at `step` (the best validation step), through the script's own length setting. */
export function earlyStopFix(model: ScriptModel, step: number, ctx: FixContext = {}): ScriptFix | undefined {
  const doc = model.doc;
  const n = formatInt(step);
  const ta = model.trainingArguments[0];
  if (ta) return { title: `Stop at step ${n} (max_steps=${n})`, edits: [setKeyword(model, ta.node, ta.args, 'max_steps', n)], isPreferred: true };
  const stepsVar = model.settings.find((s) => /^(max_iters|max_steps|num_train_steps|total_steps)$/.test(s.name) && s.value !== undefined);
  if (stepsVar) return { title: `Stop at step ${n} (${stepsVar.kind === 'argparse' ? `default of ${stepsVar.flags?.[0] ?? stepsVar.name}` : stepsVar.name})`, edits: [replaceSpan(doc, stepsVar.from, stepsVar.to, n)], isPreferred: true };
  const o = mainOptimizer(model);
  if (o?.framework === 'keras') {
    const fit = kerasFit(model);
    if (!fit) return undefined;
    const planner = new ImportPlanner(doc, model.imports);
    const cb = `${planner.ref('keras.callbacks.EarlyStopping')}(monitor="val_loss", patience=3, restore_best_weights=True)`;
    return { title: 'Stop when the validation loss stops improving (EarlyStopping, restore best weights)', edits: [...addCallbackEdits(model, fit, cb), ...planner.edits()], isPreferred: true };
  }
  const epochsVar = model.settings.find((s) => /^(epochs|num_epochs|max_epochs|num_train_epochs)$/.test(s.name) && s.value !== undefined);
  if (epochsVar && ctx.stepsPerEpoch) {
    const epochs = Math.max(1, Math.ceil(step / ctx.stepsPerEpoch));
    return { title: `Stop after epoch ${epochs} (step ${n}; ${epochsVar.kind === 'argparse' ? `default of ${epochsVar.flags?.[0] ?? epochsVar.name}` : epochsVar.name})`, edits: [replaceSpan(doc, epochsVar.from, epochsVar.to, String(epochs))], isPreferred: true };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------
// Pretrained fine-tuning

/** Parameter groups: the pretrained backbone at `ratio` × the LR, the new head at the LR. */
export function paramGroupsFix(model: ScriptModel, o: OptimizerInfo, head: string, ratio = 0.1): ScriptFix | undefined {
  if (!o.params || !/\.parameters\(\)$/.test(o.params.expr)) return undefined;
  const doc = model.doc;
  const modelExpr = o.params.expr.replace(/\.parameters\(\)$/, '');
  const headExpr = head.replace(/^[\w.]+?(?=\.(fc|classifier|head|heads|score|last_linear|get_classifier\(\))$)/, modelExpr);
  const lrExpr = o.lr ? o.lr.expr : o.lrValue !== undefined ? formatLrLiteral(o.lrValue) : undefined;
  if (!lrExpr) return undefined;
  const backboneLr = o.lr?.value !== undefined && o.lr.site?.kind === 'literal' ? formatLrLiteral(o.lr.value * ratio, o.lr.expr) : `${/^[\w.]+$/.test(lrExpr) ? lrExpr : `(${lrExpr})`} * ${ratio}`;
  const head_ = freeName(model, 'head_params');
  const backbone = freeName(model, 'backbone_params');
  const ids = freeName(model, 'head_ids');
  const unit = indentUnit(doc);
  const indent = indentAt(doc, o.statement);
  const groups = `[${doc.eol}${indent}${unit}{"params": ${backbone}, "lr": ${backboneLr}},${doc.eol}${indent}${unit}{"params": ${head_}},${doc.eol}${indent}]`;
  const edits: TextEdit[] = [
    insertBefore(doc, o.statement, [`${head_} = list(${headExpr}.parameters())`, `${ids} = {id(p) for p in ${head_}}`, `${backbone} = [p for p in ${o.params.expr} if id(p) not in ${ids}]`]),
    replaceSpan(doc, o.params.from, o.params.to, groups),
  ];
  if (!o.lr) edits.push(addKeyword(model, o.node, o.spec.lrParam, lrExpr, -1));
  return { title: `Train the pretrained layers at ${ratio}× the head's learning rate (parameter groups)`, edits, isPreferred: true };
}

// ---------------------------------------------------------------------------------
// From findings

/** The edit for one suggestion, or undefined when this script gives it no clear place. */
export function fixForSuggestion(model: ScriptModel, s: Suggestion, ctx: FixContext = {}): ScriptFix | undefined {
  switch (s.fix) {
    case 'scale_lr':
      return scaleLrFix(model, s.factor);
    case 'add_warmup':
      return addWarmupFix(model, s.steps);
    case 'add_schedule':
      return addScheduleFix(model, s.family, s.params, ctx);
    case 'add_reduce_on_plateau':
      return addReduceOnPlateauFix(model, s.patience, s.factor);
    case 'clip_grad_norm':
      return clipGradFix(model, s.maxNorm);
    case 'switch_optimizer':
      return switchOptimizerFix(model, s.optimizer, s.lr);
    case 'step_per_epoch': {
      const st = model.steps.find((x) => x.kind === 'scheduler' && x.loop === 'batch');
      return st ? moveStepToEpochFix(model, st) : undefined;
    }
    case 'early_stop':
      return earlyStopFix(model, s.step, ctx);
  }
}

/** Every fix for a finding's suggestions, in the finding's order; the first one is preferred. */
export function fixesForFinding(model: ScriptModel, f: Finding, ctx: FixContext = {}): { suggestion: Suggestion; fix: ScriptFix }[] {
  const out: { suggestion: Suggestion; fix: ScriptFix }[] = [];
  for (const s of f.suggestions) {
    const fix = fixForSuggestion(model, s, ctx);
    if (fix) out.push({ suggestion: s, fix: { ...fix, isPreferred: out.length === 0 } });
  }
  return out;
}

/**
 * The top fix for a run: the most severe finding (then the earliest) whose suggestions
 * this script can take, and its first applicable suggestion.
 */
export function topFix(model: ScriptModel, findings: readonly Finding[], ctx: FixContext = {}): { finding: Finding; suggestion: Suggestion; fix: ScriptFix } | undefined {
  const sorted = [...findings].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.step - b.step);
  for (const f of sorted) {
    const fx = fixesForFinding(model, f, ctx)[0];
    if (fx) return { finding: f, ...fx };
  }
  return undefined;
}

/** The typical LR of an optimizer's family, for "LR far outside the usual range" fixes. */
export function typicalLr(o: OptimizerInfo): number | undefined {
  return USUAL_LR[o.family]?.typical;
}

/** A statement's own line text, for titles. */
export function statementText(model: ScriptModel, node: SyntaxNode): string {
  return model.doc.textOf(statementOf(node)).split(/\r?\n/)[0]!.trim();
}

