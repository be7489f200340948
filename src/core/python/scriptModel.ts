// What LR Lens understood of a training script: optimizers and their LR, schedulers and
// their parameters, where `optimizer.step()` / `scheduler.step()` run (batch or epoch
// loop), gradient clipping, Hugging Face TrainingArguments, Lightning
// `configure_optimizers`, and pretrained-model loading. Everything carries 1-based
// `line` (for people and the CLI) and a 0-based `range` (for editors).
import type { SyntaxNode } from '@lezer/common';
import type { ScheduleFamily } from '../schedules/types';
import { specFor, specForBareName, type Cadence, type Framework, type OptimizerFamily, type OptimizerSpec, type SchedulerSpec, type Spec } from './catalog';
import { importsOf, resolveDotted, type ImportTable } from './imports';
import { lightningSchedulers, type LightningScheduler } from './lightning';
import { LoopAnalysis, type LoopContext, type LoopKind } from './loops';
import { callArgs, childrenOf, dottedName, nodesOfType, parseScript, statementOf, stringValue, syntaxErrors, type Arg, type PyDocument, type Range } from './parse';
import { ValueIndex, assignmentPairs, type ValueSite } from './values';

/** A place in the script. */
export interface Span {
  /** 1-based line of the start. */
  line: number;
  /** 0-based range. */
  range: Range;
  from: number;
  to: number;
}

/** Where a value is written (what an edit changes). */
export interface SiteInfo extends Span {
  kind: ValueSite['kind'];
  name?: string;
  flags?: string[];
}

/** One argument value as written, with what it resolves to. */
export interface ArgValue extends Span {
  expr: string;
  value?: number;
  text?: string;
  site?: SiteInfo;
  node: SyntaxNode;
}

export interface OptimizerInfo extends Span {
  /** Canonical qualified name (`torch.optim.AdamW`), or `keras.optimizers.Adam` for `compile(optimizer="adam")`. */
  call: string;
  /** The callee as written (`AW`, `optim.AdamW`). */
  callee: string;
  framework: Framework;
  family: OptimizerFamily;
  spec: OptimizerSpec;
  /** The name it is assigned to (`optimizer`, `self.opt`), when it is. */
  variable?: string;
  /** The LR argument, when passed. */
  lr?: ArgValue;
  /** The LR in effect: the argument's value, or the library default when absent. */
  lrValue?: number;
  /** The first argument (parameters or model), as written. */
  params?: ArgValue;
  /** Whether parameter groups are passed (a list of dicts). */
  paramGroups: boolean;
  /** Index in `schedulers` of a schedule passed as the LR (Keras, optax). */
  lrSchedule?: number;
  /** Set for `model.compile(optimizer="adam")`. */
  byString?: boolean;
  node: SyntaxNode;
  statement: SyntaxNode;
  args: Arg[];
}

export interface SchedulerInfo extends Span {
  call: string;
  callee: string;
  framework: Framework;
  family?: ScheduleFamily;
  cadence: Cadence;
  spec: SchedulerSpec;
  variable?: string;
  /** The optimizer variable it wraps, as written. */
  optimizerExpr?: string;
  /** Arguments by parameter name. */
  args: Record<string, ArgValue>;
  /** Whether it ramps the LR up first (warmup > 0), when known. */
  warmup?: boolean;
  /** Index of the composite (SequentialLR, join_schedules) it is part of. */
  partOf?: number;
  /** Indexes of the schedules a composite wraps. */
  children: number[];
  /** Set for schedulers whose stepping the framework does (Lightning, Trainer, Keras, optax). */
  implicitLoop?: LoopKind;
  node: SyntaxNode;
  statement: SyntaxNode;
}

export interface StepCall extends Span {
  kind: 'optimizer' | 'scheduler';
  /** The receiver as written (`scheduler`, `self.lr_scheduler`, `scaler` for `scaler.step(optimizer)`). */
  receiver: string;
  /** `step`, or timm's `step_update`. */
  method: string;
  /** Arguments as written. */
  args: string[];
  loop: LoopKind;
  /** 1-based line of the loop, when in one. */
  loopLine?: number;
  /** Calls that lead to it (`train()` at line 80), when it is inside a function. */
  via: number[];
  /** Index of the optimizer/scheduler it steps, when known. */
  target?: number;
  node: SyntaxNode;
  statement: SyntaxNode;
  context: LoopContext;
}

export interface ClipInfo extends Span {
  /** `torch.nn.utils.clip_grad_norm_`, `accelerator.clip_grad_norm_`, `optax.clip_by_global_norm`, `keras:global_clipnorm`, ... */
  call: string;
  maxNorm?: ArgValue;
  loop: LoopKind;
  node: SyntaxNode;
}

export interface TrainingArgumentsInfo extends Span {
  call: string;
  args: Record<string, ArgValue>;
  learningRate?: number;
  schedulerType?: string;
  warmupRatio?: number;
  warmupSteps?: number;
  maxGradNorm?: number;
  node: SyntaxNode;
}

export interface PretrainedInfo extends Span {
  /** `hf` (`from_pretrained`), `torchvision` (`weights=`/`pretrained=True`), `timm` (`create_model(pretrained=True)`). */
  source: 'hf' | 'torchvision' | 'timm';
  call: string;
  /** The variable the model is assigned to. */
  variable?: string;
  /** How to reach the new head's parameters (`model.fc`, `model.classifier`, `model.get_classifier()`), when known. */
  head?: string;
}

/** A hand-written schedule: `param_group['lr'] = lr` in a loop (nanoGPT, many research scripts). */
export interface ManualLrInfo extends Span {
  loop: LoopKind;
}

/** A named LR-ish setting outside any constructor call (`learning_rate = 6e-4`, `--lr`). */
export interface SettingInfo extends Span {
  name: string;
  kind: 'variable' | 'argparse' | 'field';
  value?: number;
  text?: string;
  node: SyntaxNode;
  flags?: string[];
}

export interface ScriptModel {
  doc: PyDocument;
  imports: ImportTable;
  values: ValueIndex;
  loops: LoopAnalysis;
  optimizers: OptimizerInfo[];
  schedulers: SchedulerInfo[];
  steps: StepCall[];
  clipping: ClipInfo[];
  trainingArguments: TrainingArgumentsInfo[];
  lightning: LightningScheduler[];
  pretrained: PretrainedInfo[];
  manualLr: ManualLrInfo[];
  /** LR, warmup, schedule, clipping and length settings by name (module variables, argparse, dataclass fields). */
  settings: SettingInfo[];
  /** Frameworks the imports mention. */
  frameworks: Framework[];
  /** Offsets of syntax errors lezer recovered from. */
  syntaxErrors: { from: number; to: number }[];
}

const CALL = new Set(['CallExpression']);
const SETTING_NAME = /^(lr|learning_rate|base_lr|max_lr|peak_lr|init_lr|min_lr|lr_min|warmup\w*|\w*warmup\w*|num_warmup_steps|lr_scheduler_type|lr_decay_iters|max_iters|max_steps|num_train_steps|total_steps|num_train_epochs|epochs|num_epochs|max_epochs|grad_clip|max_grad_norm|clip_grad|gradient_clip_val|decay_lr)$/;

function span(doc: PyDocument, from: number, to: number): Span {
  return { line: doc.lineOf(from) + 1, range: doc.rangeOf(from, to), from, to };
}

function siteInfo(doc: PyDocument, s: ValueSite | undefined): SiteInfo | undefined {
  if (!s) return undefined;
  return { ...span(doc, s.node.from, s.node.to), kind: s.kind, ...(s.name ? { name: s.name } : {}), ...(s.flags ? { flags: s.flags } : {}) };
}

export function argValue(doc: PyDocument, values: ValueIndex, node: SyntaxNode): ArgValue {
  const r = values.resolve(node);
  const site = siteInfo(doc, r.site);
  return {
    ...span(doc, node.from, node.to),
    expr: doc.textOf(node),
    ...(r.value !== undefined && Number.isFinite(r.value) ? { value: r.value } : {}),
    ...(r.text !== undefined ? { text: r.text } : {}),
    ...(site ? { site } : {}),
    node,
  };
}

/** The argument bound to `param` given a signature (keyword first, then position). */
export function argFor(args: readonly Arg[], params: readonly string[], param: string): Arg | undefined {
  const kw = args.find((a) => a.name === param);
  if (kw) return kw;
  const idx = params.indexOf(param);
  if (idx < 0) return undefined;
  const positional = args.filter((a) => !a.name && !a.star);
  if (args.some((a, i) => a.star === '*' && i <= idx)) return undefined;
  return positional[idx];
}

/** The target a call's value is assigned to (`optimizer = ...` -> `optimizer`). */
function assignedName(doc: PyDocument, call: SyntaxNode): string | undefined {
  let n: SyntaxNode = call;
  while (n.parent && n.parent.name === 'ParenthesizedExpression') n = n.parent;
  const st = n.parent;
  if (!st || st.name !== 'AssignStatement') return undefined;
  for (const [t, v] of assignmentPairs(st)) if (v.from === n.from && v.to === n.to) return dottedName(doc, t) ?? doc.textOf(t);
  return undefined;
}

function lastSegment(s: string): string {
  return s.slice(s.lastIndexOf('.') + 1);
}

/** Parses and analyses a script. Never throws: a script with syntax errors is analysed as far as lezer recovered it. */
export function analyzeScript(text: string): ScriptModel {
  const doc = parseScript(text);
  const imports = importsOf(doc);
  const values = new ValueIndex(doc);
  const localDefs = new Set<string>();
  for (const d of nodesOfType(doc, new Set(['FunctionDefinition', 'ClassDefinition']))) localDefs.add(doc.textOf(d.getChild('VariableName')));

  const frameworks = new Set<Framework>();
  for (const b of imports.bindings.values()) {
    const root = b.qualified.split('.')[0]!;
    if (root === 'torch') frameworks.add('torch');
    else if (root === 'transformers' || root === 'trl' || root === 'accelerate') frameworks.add('transformers');
    else if (root === 'tensorflow' || root === 'keras' || root === 'tf_keras') frameworks.add('keras');
    else if (root === 'optax' || root === 'flax' || root === 'jax') frameworks.add('optax');
    else if (root === 'lightning' || root === 'pytorch_lightning') frameworks.add('lightning');
    else if (root === 'timm') frameworks.add('timm');
    else if (root === 'bitsandbytes') frameworks.add('bitsandbytes');
  }

  /** The qualified name of a callee, through imports (undefined for locals, parameters, unknown objects). */
  const qualify = (callee: SyntaxNode | null): string | undefined => {
    const dotted = dottedName(doc, callee);
    if (!dotted) return undefined;
    const q = resolveDotted(imports, dotted);
    if (q) return q;
    return undefined;
  };

  const specOf = (callee: SyntaxNode | null): { spec: Spec; calleeText: string } | undefined => {
    const dotted = dottedName(doc, callee);
    if (!dotted) return undefined;
    const q = resolveDotted(imports, dotted);
    if (q) {
      const s = specFor(q);
      return s ? { spec: s, calleeText: dotted } : undefined;
    }
    if (dotted.includes('.') || localDefs.has(dotted)) return undefined;
    const s = specForBareName(dotted, imports.starModules);
    return s ? { spec: s, calleeText: dotted } : undefined;
  };

  const optimizers: OptimizerInfo[] = [];
  const schedulers: SchedulerInfo[] = [];
  const clipping: ClipInfo[] = [];
  const trainingArguments: TrainingArgumentsInfo[] = [];
  const pretrained: PretrainedInfo[] = [];
  const stepCandidates: { call: SyntaxNode; receiver: string; method: string; args: Arg[] }[] = [];
  const keywordOptimizers: { call: SyntaxNode; args: Arg[] }[] = [];
  const manualLrNodes: SyntaxNode[] = [];
  const trainerSchedulerExprs: string[] = [];

  for (const call of nodesOfType(doc, CALL)) {
    let callee = call.firstChild;
    const args = callArgs(doc, call);
    // optax.inject_hyperparams(optax.adamw)(learning_rate=...)
    if (callee?.name === 'CallExpression' && /inject_hyperparams$/.test(qualify(callee.firstChild) ?? '')) {
      const inner = callArgs(doc, callee)[0];
      if (inner) callee = inner.value;
    }
    const found = specOf(callee);
    if (found) {
      const { spec, calleeText } = found;
      const st = statementOf(call);
      const variable = assignedName(doc, call);
      if (spec.kind === 'optimizer') {
        const lrArg = argFor(args, spec.params, spec.lrParam);
        const paramsArg = spec.params[0] === 'params' || spec.params[0] === 'model_or_params' ? argFor(args, spec.params, spec.params[0]) : undefined;
        const lr = lrArg ? argValue(doc, values, lrArg.value) : undefined;
        const params = paramsArg ? argValue(doc, values, paramsArg.value) : undefined;
        optimizers.push({
          ...span(doc, call.from, call.to),
          call: spec.name,
          callee: calleeText,
          framework: spec.framework,
          family: spec.family,
          spec,
          ...(variable ? { variable } : {}),
          ...(lr ? { lr } : {}),
          ...(lr?.value !== undefined ? { lrValue: lr.value } : !lr && spec.defaultLr !== undefined ? { lrValue: spec.defaultLr } : {}),
          ...(params ? { params } : {}),
          paramGroups: params ? isParamGroups(doc, values, params.node) : false,
          node: call,
          statement: st,
          args,
        });
        if (spec.framework === 'timm' && !lr) {
          // create_optimizer(args, model) reads args.lr; create_optimizer_v2(model, **optimizer_kwargs(cfg=args)) too.
          const a = values.argparseArg('lr');
          const o = optimizers[optimizers.length - 1]!;
          if (a?.defaultNode) {
            o.lr = argValue(doc, values, a.defaultNode);
            o.lr.site = siteInfo(doc, { kind: 'argparse', node: a.defaultNode, name: 'lr', flags: a.flags });
            if (o.lr.value !== undefined) o.lrValue = o.lr.value;
          }
          const opt = argFor(args, spec.params, 'opt');
          const optName = opt ? values.resolve(opt.value).text : values.argparseArg('opt')?.defaultNode ? values.resolve(values.argparseArg('opt')!.defaultNode!).text : undefined;
          if (optName) o.family = timmFamily(optName);
        }
      } else {
        const a: Record<string, ArgValue> = {};
        for (const p of spec.params) {
          const arg = argFor(args, spec.params, p);
          if (arg) a[p] = argValue(doc, values, arg.value);
        }
        for (const arg of args) if (arg.name && !a[arg.name]) a[arg.name] = argValue(doc, values, arg.value);
        const optArg = a.optimizer;
        let family = spec.family;
        if (spec.name === 'transformers.get_scheduler') family = hfFamily(a.name?.text);
        if (spec.name === 'timm.scheduler.create_scheduler_v2') family = timmSchedFamily(a.sched?.text ?? 'cosine');
        schedulers.push({
          ...span(doc, call.from, call.to),
          call: spec.name,
          callee: calleeText,
          framework: spec.framework,
          ...(family ? { family } : {}),
          cadence: spec.cadence,
          spec,
          ...(variable ? { variable } : {}),
          ...(optArg ? { optimizerExpr: optArg.expr } : {}),
          args: a,
          children: [],
          ...(spec.cadence === 'implicit' ? { implicitLoop: 'batch' } : {}),
          node: call,
          statement: st,
        });
        const s = schedulers[schedulers.length - 1]!;
        const w = warmupOf(s);
        if (w !== undefined) s.warmup = w;
      }
      continue;
    }
    const q = qualify(callee);
    const dotted = dottedName(doc, callee) ?? '';
    const method = lastSegment(dotted);
    if (q && /(^transformers\.(\w+\.)*\w*TrainingArguments$)|(^trl\.(\w+\.)*\w+Config$)/.test(q)) {
      const a: Record<string, ArgValue> = {};
      for (const arg of args) if (arg.name) a[arg.name] = argValue(doc, values, arg.value);
      trainingArguments.push({
        ...span(doc, call.from, call.to),
        call: q.replace(/^transformers\.(training_args\.)?/, 'transformers.'),
        args: a,
        ...(a.learning_rate?.value !== undefined ? { learningRate: a.learning_rate.value } : {}),
        ...(a.lr_scheduler_type?.text !== undefined ? { schedulerType: a.lr_scheduler_type.text } : {}),
        ...(a.warmup_ratio?.value !== undefined ? { warmupRatio: a.warmup_ratio.value } : {}),
        ...(a.warmup_steps?.value !== undefined ? { warmupSteps: a.warmup_steps.value } : {}),
        ...(a.max_grad_norm?.value !== undefined ? { maxGradNorm: a.max_grad_norm.value } : {}),
        node: call,
      });
      continue;
    }
    if (q && /^transformers\.(\w+\.)*\w*Trainer$/.test(q)) {
      const o = args.find((x) => x.name === 'optimizers');
      if (o) {
        const kids = childrenOf(o.value).filter((c) => c.name !== '(' && c.name !== ')' && c.name !== ',');
        if (kids[1]) trainerSchedulerExprs.push(doc.textOf(kids[1]));
      }
      continue;
    }
    if (/^(torch\.nn\.utils\.(clip_grad\.)?clip_grad_norm_?|torch\.nn\.utils\.clip_grad_value_)$/.test(q ?? '') || (!q && /^(\w+\.)*(clip_grad_norm_|clip_gradients|clip_grad_value_)$/.test(dotted) && dotted.includes('.'))) {
      const name = q ?? dotted;
      const normArg = /value_$/.test(name) ? argFor(args, ['parameters', 'clip_value'], 'clip_value') : /clip_gradients$/.test(name) ? args.find((x) => x.name === 'gradient_clip_val' || x.name === 'max_norm') ?? args[1] : argFor(args, ['parameters', 'max_norm'], 'max_norm');
      clipping.push({ ...span(doc, call.from, call.to), call: q ? name.replace('.clip_grad.', '.') : dotted, ...(normArg ? { maxNorm: argValue(doc, values, normArg.value) } : {}), loop: 'other', node: call });
      continue;
    }
    if (q && /^optax\.(clip_by_global_norm|clip)$/.test(q)) {
      const normArg = args[0];
      clipping.push({ ...span(doc, call.from, call.to), call: q, ...(normArg ? { maxNorm: argValue(doc, values, normArg.value) } : {}), loop: 'batch', node: call });
      continue;
    }
    if (method === 'from_pretrained' && q && /^(transformers|peft|diffusers)\./.test(q) && !/(Tokenizer|Config|Processor|FeatureExtractor)\w*\.from_pretrained$/.test(q)) {
      const variable = assignedName(doc, call);
      const cls = lastSegment(q.slice(0, q.lastIndexOf('.')));
      const head = /For(Sequence|Token|Image|Audio|MultipleChoice|Video)Classification$/.test(cls) ? hfHead(cls) : undefined;
      pretrained.push({ ...span(doc, call.from, call.to), source: 'hf', call: q, ...(variable ? { variable } : {}), ...(head ? { head } : {}) });
      continue;
    }
    if (q && /^torchvision\.models\.(\w+\.)*\w+$/.test(q)) {
      const w = args.find((x) => x.name === 'weights');
      const p = args.find((x) => x.name === 'pretrained');
      const on = (w && doc.textOf(w.value) !== 'None') || (p && doc.textOf(p.value) === 'True');
      if (on) {
        const variable = assignedName(doc, call);
        pretrained.push({ ...span(doc, call.from, call.to), source: 'torchvision', call: q, ...(variable ? { variable } : {}) });
      }
      continue;
    }
    if (q && /^timm\.(models\.)?create_model$/.test(q)) {
      const p = args.find((x) => x.name === 'pretrained');
      if (p && doc.textOf(p.value) !== 'False') {
        const variable = assignedName(doc, call);
        pretrained.push({ ...span(doc, call.from, call.to), source: 'timm', call: 'timm.create_model', ...(variable ? { variable } : {}), head: `${variable ?? 'model'}.get_classifier()` });
      }
      continue;
    }
    if (method === 'compile' && callee?.name === 'MemberExpression') {
      keywordOptimizers.push({ call, args });
    }
    if ((method === 'step' || method === 'step_update') && callee?.name === 'MemberExpression') {
      stepCandidates.push({ call, receiver: dotted.slice(0, dotted.lastIndexOf('.')) || doc.textOf(callee.firstChild), method, args });
    }
  }

  // Keras `model.compile(optimizer="adam")`.
  for (const { call, args } of keywordOptimizers) {
    const o = args.find((a) => a.name === 'optimizer');
    const s = o ? stringValue(doc, o.value) : undefined;
    if (!o || !s) continue;
    const spec = specFor(`keras.optimizers.${KERAS_STRINGS[s.toLowerCase()] ?? ''}`);
    if (!spec || spec.kind !== 'optimizer') continue;
    optimizers.push({
      ...span(doc, o.value.from, o.value.to),
      call: spec.name,
      callee: doc.textOf(o.value),
      framework: 'keras',
      family: spec.family,
      spec,
      ...(spec.defaultLr !== undefined ? { lrValue: spec.defaultLr } : {}),
      paramGroups: false,
      byString: true,
      node: o.value,
      statement: statementOf(call),
      args: [],
    });
    void call;
  }
  optimizers.sort((a, b) => a.from - b.from);

  // Schedules used as an optimizer's LR (Keras, optax), and composites' children.
  for (const o of optimizers) {
    if (!o.lr) continue;
    const target = o.lr.site && o.lr.site.kind === 'variable' ? o.lr.site : o.lr;
    const i = schedulers.findIndex((s) => s.from === target.from && s.to === target.to);
    if (i >= 0) o.lrSchedule = i;
  }
  schedulers.forEach((s, i) => {
    if (!s.spec.composite) return;
    const list = s.args.schedulers ?? s.args.schedules ?? s.args.cosine_kwargs;
    if (!list) return;
    for (const el of childrenOf(list.node)) {
      const j = schedulers.findIndex((c, k) => k !== i && ((c.from === el.from && c.to === el.to) || (c.variable !== undefined && c.variable === doc.textOf(el))));
      if (j >= 0) {
        s.children.push(j);
        schedulers[j]!.partOf = i;
      }
    }
    if (s.children.some((j) => schedulers[j]!.warmup)) s.warmup = true;
  });

  // Step calls.
  const isSchedVar = (r: string): number => {
    const exact = schedulers.findIndex((s) => s.variable === r);
    if (exact >= 0) return exact;
    return schedulers.findIndex((s) => s.variable !== undefined && lastSegment(s.variable) === lastSegment(r));
  };
  const isOptVar = (r: string): number => {
    const exact = optimizers.findIndex((o) => o.variable === r);
    if (exact >= 0) return exact;
    return optimizers.findIndex((o) => o.variable !== undefined && lastSegment(o.variable) === lastSegment(r));
  };
  const pending: { call: SyntaxNode; kind: 'optimizer' | 'scheduler'; receiver: string; method: string; args: Arg[]; target?: number }[] = [];
  for (const c of stepCandidates) {
    const last = lastSegment(c.receiver);
    const s = isSchedVar(c.receiver);
    const o = isOptVar(c.receiver);
    if (s >= 0 && (o < 0 || optimizers[o]!.variable !== c.receiver)) pending.push({ ...c, kind: 'scheduler', target: s });
    else if (o >= 0) pending.push({ ...c, kind: 'optimizer', target: o });
    else if (/scaler$/i.test(last) && c.args[0]) {
      const r = doc.textOf(c.args[0].value);
      const t = isOptVar(r);
      if (t >= 0 || /optim|^opt$/i.test(lastSegment(r))) pending.push({ ...c, kind: 'optimizer', ...(t >= 0 ? { target: t } : {}) });
    } else if (/sched|^lr_s/i.test(last)) {
      const only = schedulers.filter((x) => x.partOf === undefined);
      pending.push({ ...c, kind: 'scheduler', ...(only.length === 1 ? { target: schedulers.indexOf(only[0]!) } : {}) });
    } else if (/optim|^opt$/i.test(last)) {
      pending.push({ ...c, kind: 'optimizer', ...(optimizers.length === 1 ? { target: 0 } : {}) });
    }
  }
  const loops = new LoopAnalysis(
    doc,
    pending.filter((p) => p.kind === 'optimizer').map((p) => p.call),
  );
  const steps: StepCall[] = pending.map((p) => {
    const ctx = loops.contextOf(p.call);
    return {
      ...span(doc, p.call.from, p.call.to),
      kind: p.kind,
      receiver: p.receiver,
      method: p.method,
      args: p.args.map((a) => doc.text.slice(a.from, a.to)),
      loop: ctx.kind,
      ...(ctx.loop ? { loopLine: ctx.loop.line } : {}),
      via: ctx.via.map((v) => doc.lineOf(v.from) + 1),
      ...(p.target !== undefined ? { target: p.target } : {}),
      node: p.call,
      statement: statementOf(p.call),
      context: ctx,
    };
  });
  for (const c of clipping) if (c.loop === 'other' && !c.call.startsWith('optax')) c.loop = loops.contextOf(c.node).kind;

  // Keras optimizers' own clipping arguments.
  for (const o of optimizers) {
    if (o.framework !== 'keras') continue;
    const a = o.args.find((x) => x.name === 'global_clipnorm' || x.name === 'clipnorm' || x.name === 'clipvalue');
    if (a) clipping.push({ ...span(doc, a.from, a.to), call: `keras:${a.name!}`, maxNorm: argValue(doc, values, a.value), loop: 'batch', node: a.value });
  }

  // Schedulers stepped by a framework.
  const lightning = lightningSchedulers(doc, values);
  for (const l of lightning) {
    const i = schedulers.findIndex((s) => (s.variable !== undefined && s.variable === l.schedulerExpr) || (s.from >= l.schedulerFrom && s.to <= l.schedulerTo));
    if (i >= 0) {
      schedulers[i]!.implicitLoop = l.interval === 'step' ? 'batch' : 'epoch';
      l.scheduler = i;
    }
  }
  for (const e of trainerSchedulerExprs) {
    const i = isSchedVar(e);
    if (i >= 0) schedulers[i]!.implicitLoop = 'batch';
  }
  for (const s of schedulers) if (s.spec.callback) s.implicitLoop = 'epoch';

  // Hand-written schedules: `param_group["lr"] = lr`, `g['lr'] *= 0.5`.
  for (const st of nodesOfType(doc, new Set(['AssignStatement', 'UpdateStatement']))) {
    const t = st.firstChild;
    if (t?.name === 'MemberExpression' && /\[\s*['"]lr['"]\s*\]$/.test(doc.textOf(t))) manualLrNodes.push(st);
  }
  const manualLr = manualLrNodes.map((n) => ({ ...span(doc, n.from, n.to), loop: loops.contextOf(n).kind }));

  // Pretrained heads: `model.fc = nn.Linear(...)`, `model.classifier[6] = ...`, `model.heads.head = ...`.
  for (const p of pretrained) {
    if (p.head || !p.variable) continue;
    for (const st of nodesOfType(doc, new Set(['AssignStatement']))) {
      const t = st.firstChild;
      const tt = doc.textOf(t);
      if (t?.name !== 'MemberExpression' || !tt.startsWith(p.variable + '.') || st.from < p.from) continue;
      const m = /^[\w.]+?\.(fc|classifier|head|heads|score|last_linear)\b/.exec(tt);
      if (m) {
        p.head = `${p.variable}.${m[1]!}`;
        break;
      }
    }
  }

  const settings: SettingInfo[] = [];
  for (const name of values.assignedNames()) {
    if (!SETTING_NAME.test(name)) continue;
    for (const a of values.topLevelAssignments(name)) {
      const r = values.resolve(a.value, 1);
      if (r.value === undefined && r.text === undefined) continue;
      settings.push({ ...span(doc, a.value.from, a.value.to), name, kind: 'variable', ...(r.value !== undefined ? { value: r.value } : {}), ...(r.text !== undefined ? { text: r.text } : {}), node: a.value });
    }
  }
  for (const dest of values.argparseDests()) {
    if (!SETTING_NAME.test(dest)) continue;
    const a = values.argparseArg(dest)!;
    if (!a.defaultNode) continue;
    const r = values.resolve(a.defaultNode, 1);
    settings.push({ ...span(doc, a.defaultNode.from, a.defaultNode.to), name: dest, kind: 'argparse', flags: a.flags, ...(r.value !== undefined ? { value: r.value } : {}), ...(r.text !== undefined ? { text: r.text } : {}), node: a.defaultNode });
  }
  settings.sort((a, b) => a.from - b.from);

  return {
    doc,
    imports,
    values,
    loops,
    optimizers,
    schedulers,
    steps,
    clipping,
    trainingArguments,
    lightning,
    pretrained,
    manualLr,
    settings,
    frameworks: [...frameworks],
    syntaxErrors: syntaxErrors(doc),
  };
}

const KERAS_STRINGS: Record<string, string> = {
  adam: 'Adam',
  adamw: 'AdamW',
  sgd: 'SGD',
  rmsprop: 'RMSprop',
  adagrad: 'Adagrad',
  adadelta: 'Adadelta',
  adamax: 'Adamax',
  nadam: 'Nadam',
  ftrl: 'Ftrl',
  lion: 'Lion',
  adafactor: 'Adafactor',
};

function isParamGroups(doc: PyDocument, values: ValueIndex, node: SyntaxNode): boolean {
  let n = node;
  if (n.name === 'VariableName') {
    const s = values.lookupName(n);
    if (s) n = s.node;
  }
  if (n.name === 'ArrayExpression' || n.name === 'ArrayComprehensionExpression') return /\{|dict\(/.test(doc.textOf(n));
  return false;
}

function hfHead(cls: string): string {
  // The attribute the newly initialised classification head lives in for the common
  // architectures (BERT/RoBERTa/DeBERTa/ViT: `classifier`; GPT-2/Llama: `score`).
  return /^(GPT|Llama|Mistral|Qwen|Gemma|Phi|Falcon|OPT|Bloom)/.test(cls) ? 'score' : 'classifier';
}

/** Maps HF `get_scheduler` names / `lr_scheduler_type` values to schedule families. */
export function hfFamily(name: string | undefined): ScheduleFamily | undefined {
  switch (name) {
    case 'linear':
      return 'linear';
    case 'cosine':
    case 'cosine_with_min_lr':
    case 'cosine_warmup_with_min_lr':
      return 'cosine';
    case 'cosine_with_restarts':
      return 'cosine_warm_restarts';
    case 'polynomial':
      return 'polynomial';
    case 'constant':
    case 'constant_with_warmup':
      return 'constant';
    case 'inverse_sqrt':
      return 'inverse_sqrt';
    case 'reduce_lr_on_plateau':
      return 'reduce_on_plateau';
    case 'warmup_stable_decay':
      return 'warmup_stable_decay';
    default:
      return undefined;
  }
}

function timmSchedFamily(name: string): ScheduleFamily | undefined {
  const m: Record<string, ScheduleFamily> = { cosine: 'cosine', step: 'step', multistep: 'multistep', plateau: 'reduce_on_plateau', poly: 'polynomial' };
  return m[name];
}

function timmFamily(opt: string): OptimizerFamily {
  const o = opt.toLowerCase().replace(/^(fused|lookahead_|bnb)/, '');
  if (/^(sgd|momentum|nesterov|lars|lamb_sgd)/.test(o)) return 'sgd';
  if (/adam|lamb|adan|adopt|nadam|radam/.test(o)) return 'adam';
  if (/rmsprop/.test(o)) return 'rmsprop';
  if (/lion/.test(o)) return 'lion';
  if (/adagrad/.test(o)) return 'adagrad';
  if (/adafactor/.test(o)) return 'adafactor';
  return 'other';
}

/** Whether a scheduler ramps up first: true/false when its arguments say, undefined when unknowable. */
function warmupOf(s: SchedulerInfo): boolean | undefined {
  if (s.spec.warmup === 'always') {
    if (s.call === 'torch.optim.lr_scheduler.ConstantLR') return true;
    return true;
  }
  if (s.spec.warmup !== 'param') return false;
  const positive = (a: ArgValue | undefined): boolean | undefined => (a === undefined ? undefined : a.value !== undefined ? a.value > 0 : undefined);
  switch (s.framework) {
    case 'transformers': {
      if (s.call === 'transformers.get_constant_schedule') return false;
      const w = s.args.num_warmup_steps;
      if (!w) return s.call === 'transformers.get_scheduler' ? false : undefined;
      return positive(w);
    }
    case 'torch':
      if (s.call === 'torch.optim.lr_scheduler.LinearLR') {
        const sf = s.args.start_factor?.value ?? 1 / 3;
        const ef = s.args.end_factor?.value ?? 1;
        return sf < ef;
      }
      return false;
    case 'keras': {
      const w = s.args.warmup_steps;
      return w ? positive(w) : false;
    }
    case 'optax':
      if (s.call === 'optax.linear_schedule') {
        const a = s.args.init_value?.value;
        const b = s.args.end_value?.value;
        return a !== undefined && b !== undefined ? a < b : undefined;
      }
      return false;
    case 'timm': {
      const w = s.args.warmup_epochs ?? s.args.warmup_t;
      return w ? positive(w) : false;
    }
    default:
      return undefined;
  }
}

/** The optimizers, schedulers, steps etc. that a line (1-based) touches, for hovers and code lenses. */
export function schedulerAt(model: ScriptModel, offset: number): SchedulerInfo | undefined {
  return model.schedulers.find((s) => s.from <= offset && offset <= s.to);
}
