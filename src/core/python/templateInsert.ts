// Writes a schedule template into a training script, wired to what the script already
// has: the scheduler built on its optimizer and stepped where its cadence says (after
// `optimizer.step()` in the batch loop, or at the end of the epoch loop, threaded through
// the function that runs the batch loop when needed), `TrainingArguments` for Trainer
// scripts, the optimizer's learning rate for Keras and optax, `fit(callbacks=[...])` for
// Keras callbacks, and `configure_optimizers`' return value for Lightning. An existing
// scheduler is replaced, not doubled; imports go through the script's own import style.
//
// Every function returns either the edits or the reason it cannot place the template;
// it never returns edits it is not sure of.
import type { SyntaxNode } from '@lezer/common';
import { epochAnchor, statementReaching, validationMetric } from './anchors';
import { ImportPlanner, deleteStatement, indentAt, indentUnit, insertAfter, insertAt, insertBefore, replaceSpan, type TextEdit } from './edits';
import { addCallbackEdits, kerasFit, mainOptimizer, plateauMetricFix, setKeyword } from './fixes';
import { dictEntries, type LightningScheduler } from './lightning';
import type { LoopKind } from './loops';
import { callArgs, childrenOf, enclosingFunction, functionName, nodesOfType, statementOf, statementsIn, stringValue, trimmedEnd, type PyDocument } from './parse';
import { flatExpr, pyDict, pyFloat, pyInt, renderExpr, type PyExpr } from './pyLayout';
import type { ScheduleTemplate, TemplateCodeGen } from './scheduleTemplates';
import type { TemplateValues } from './templateParams';
import type { OptimizerInfo, SchedulerInfo, ScriptModel, StepCall } from './scriptModel';

/** The edits that insert a template, and a title in the user's terms. */
export interface InsertResult {
  title: string;
  edits: TextEdit[];
  /** What else the user should know (a removed hand-written LR update, a metric to pass). */
  notes: string[];
}

export type InsertOutcome = InsertResult | { reason: string };

const TORCHISH = new Set(['torch', 'transformers', 'bitsandbytes', 'timm']);
const TRAINER_REASON = 'The Hugging Face Trainer builds the optimizer and the scheduler here: pick a Hugging Face schedule, which goes into TrainingArguments.';

/** Inserts `t` with `values` (already validated) into `model`'s script. */
export function wireTemplate(t: ScheduleTemplate, model: ScriptModel, values: TemplateValues, at?: { line: number }): InsertOutcome {
  switch (t.wiring) {
    case 'scheduler': {
      const fn = configureOptimizers(model);
      if (fn) return wireLightning(t, model, values, fn, at);
      if (t.trainer && usesTrainerScheduler(model)) return wireTrainer(t, model, values);
      return wireLoop(t, model, values, at);
    }
    case 'lr':
      return wireLr(t, model, values, at);
    case 'callback':
      return wireCallback(t, model, values);
  }
}

// ---------------------------------------------------------------------------------
// Shared pieces

function codeGen(model: ScriptModel, planner: ImportPlanner, opt: string, o?: OptimizerInfo, replaced?: SchedulerInfo, helperName = ''): TemplateCodeGen {
  const q = quoteOf(model);
  const names = lrNames(model, o, replaced);
  return {
    ref: (x) => planner.ref(x),
    opt,
    ...(o ? { optimizerFamily: o.family } : {}),
    helperName,
    int: pyInt,
    float: pyFloat,
    lr: (x) => names.get(x) ?? pyFloat(x),
    str: (s) => `${q}${s}${q}`,
  };
}

const LR_ARGS = ['max_lr', 'base_lr', 'peak_value', 'init_value', 'end_value', 'initial_learning_rate', 'warmup_target', 'eta_min', 'min_lr', 'lr_end', 'value'];
const LR_SETTING = /^(learning_rate|lr|base_lr|max_lr|peak_lr|init_lr|min_lr|lr_min|final_lr|end_lr)$/;

/**
 * Names the script already uses for LR values, by value: the optimizer's LR expression
 * (`args.lr`, `self.hparams.lr`, `learning_rate`), the LR arguments of the scheduler being
 * replaced, and module-level LR settings. Writing the name keeps the script's own knobs
 * (a `--lr` flag, a config variable) in charge when the value is unchanged.
 */
function lrNames(model: ScriptModel, o?: OptimizerInfo, replaced?: SchedulerInfo): Map<number, string> {
  const m = new Map<number, string>();
  const add = (value: number | undefined, expr: string): void => {
    if (value !== undefined && value > 0 && /^[A-Za-z_][\w.]*$/.test(expr) && !/^\d/.test(expr) && !m.has(value)) m.set(value, expr);
  };
  if (o?.lr && o.lrSchedule === undefined) add(o.lr.value, o.lr.expr);
  const scheds = replaced ? [replaced, ...replaced.children.map((c) => model.schedulers[c]!)] : [];
  for (const s of scheds) for (const k of LR_ARGS) if (s.args[k]) add(s.args[k].value, s.args[k].expr);
  for (const s of model.settings) if (s.kind === 'variable' && LR_SETTING.test(s.name)) add(s.value, s.name);
  return m;
}

/** The quote most of the file's one-line strings use. */
function quoteOf(model: ScriptModel): string {
  let single = 0;
  let double = 0;
  for (const s of nodesOfType(model.doc, new Set(['String']))) {
    const t = model.doc.textOf(s).replace(/^[rRbBuUfF]+/, '');
    if (t.startsWith("'''") || t.startsWith('"""')) continue;
    if (t.startsWith("'")) single++;
    else if (t.startsWith('"')) double++;
  }
  return single > double ? "'" : '"';
}

/**
 * The line length the file keeps to: its longest line, between black's 88 and 120 (so a
 * file written to 119 columns, as Hugging Face's are, gets one-line calls up to that).
 */
function lineWidth(doc: PyDocument): number {
  let longest = 0;
  for (let l = 0; l < doc.lineCount; l++) longest = Math.max(longest, doc.lineEnd(l) - doc.lineStart(l));
  return Math.max(88, Math.min(120, longest));
}

/** An expression rendered in place of the span starting at `from` (its line's indentation, its column). */
function renderAt(model: ScriptModel, e: PyExpr, from: number): string {
  const doc = model.doc;
  const line = doc.lineOf(from);
  return renderExpr(e, { indent: doc.indentOf(line), unit: indentUnit(doc), eol: doc.eol, width: lineWidth(doc) }, from - doc.lineStart(line));
}

/** `name = <expr>` for a new statement at `indent`. */
function assignment(model: ScriptModel, name: string, e: PyExpr, indent: string): string {
  const doc = model.doc;
  return `${name} = ${renderExpr(e, { indent, unit: indentUnit(doc), eol: doc.eol, width: lineWidth(doc) }, indent.length + name.length + 3)}`;
}

/** `base`, or `base_2`, ... unused by any assignment, import, function, class or parameter of the file. */
function unusedName(model: ScriptModel, base: string): string {
  const used = new Set(model.values.assignedNames());
  for (const b of model.imports.bindings.keys()) used.add(b);
  for (const d of nodesOfType(model.doc, new Set(['FunctionDefinition', 'ClassDefinition']))) used.add(model.doc.textOf(d.getChild('VariableName')));
  for (const p of nodesOfType(model.doc, new Set(['ParamList']))) for (const c of childrenOf(p)) if (c.name === 'VariableName') used.add(model.doc.textOf(c));
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) if (!used.has(`${base}_${i}`)) return `${base}_${i}`;
}

const sameFn = (a: SyntaxNode | null, b: SyntaxNode | null): boolean => (a === null ? b === null : b !== null && a.from === b.from && a.to === b.to);
const within = (outer: SyntaxNode, n: { from: number; to: number }): boolean => n.from >= outer.from && n.to <= outer.to;
const lineOf = (doc: PyDocument, n: { from: number }): number => doc.lineOf(n.from) + 1;
const shortName = (call: string): string => call.slice(call.lastIndexOf('.') + 1);

/**
 * Appends `items` after the last element of a bracketed list (arguments, parameters, a
 * dict or list literal), in its style: after a comma on the same line, or one per line
 * with a trailing comma when the list is laid out that way.
 */
function appendToList(doc: PyDocument, list: SyntaxNode, ...items: string[]): TextEdit {
  const close = list.lastChild!;
  const open = list.firstChild!;
  const inner = doc.text.slice(open.to, close.from);
  if (/^\s*$/.test(inner)) return insertAt(doc, close.from, items.join(', '));
  let end = close.from;
  while (end > open.to && /\s/.test(doc.text[end - 1]!)) end--;
  if (doc.text[end - 1] === ',') {
    const lastLine = doc.lineOf(end);
    if (lastLine !== doc.lineOf(open.from)) return insertAt(doc, end, items.map((t) => `${doc.eol}${doc.indentOf(lastLine)}${t},`).join(''));
    return insertAt(doc, end, items.map((t) => ` ${t},`).join(''));
  }
  return insertAt(doc, end, items.map((t) => `, ${t}`).join(''));
}

/**
 * Removes element `i` of a comma-separated list whose elements span `items`: whole lines
 * when it has its line(s) to itself, else the element and one separating comma.
 */
function removeElement(doc: PyDocument, items: readonly { from: number; to: number }[], i: number): TextEdit {
  const a = items[i]!;
  const startLine = doc.lineOf(a.from);
  const before = doc.text.slice(doc.lineStart(startLine), a.from);
  const rest = doc.text.slice(a.to, doc.lineEnd(doc.lineOf(a.to)));
  if (/^\s*$/.test(before) && /^\s*,?\s*(#.*)?$/.test(rest)) {
    const endLine = doc.lineOf(a.to);
    const to = endLine + 1 < doc.lineCount ? doc.lineStart(endLine + 1) : doc.text.length;
    return replaceSpan(doc, doc.lineStart(startLine), to, '');
  }
  if (i + 1 < items.length) return replaceSpan(doc, a.from, items[i + 1]!.from, '');
  if (i > 0) return replaceSpan(doc, items[i - 1]!.to, a.to, '');
  const comma = /^\s*,/.exec(rest);
  return replaceSpan(doc, a.from, a.to + (comma ? comma[0].length : 0), '');
}

/** Removes the keyword argument `name` of a call. */
function removeArg(model: ScriptModel, call: SyntaxNode, name: string): TextEdit | undefined {
  const args = callArgs(model.doc, call);
  const i = args.findIndex((a) => a.name === name);
  return i < 0 ? undefined : removeElement(model.doc, args, i);
}

/** The elements of a list/tuple literal. */
function elementsOf(list: SyntaxNode): SyntaxNode[] {
  return childrenOf(list).filter((c) => !['[', ']', '(', ')', ','].includes(c.name));
}

/**
 * Where a new statement goes for `at` (a 0-based line) in `block`: before the first
 * statement starting on or after that line, or after the block's last statement. Undefined
 * when the line is inside a statement of the block or outside the block.
 */
function placeAt(doc: PyDocument, block: SyntaxNode, line: number): { index: number; before?: SyntaxNode; after?: SyntaxNode } | undefined {
  const stmts = statementsIn(block);
  if (stmts.length === 0 || line < doc.lineOf(stmts[0]!.from)) return undefined;
  for (const s of stmts) {
    const sl = doc.lineOf(s.from);
    const el = doc.lineOf(trimmedEnd(doc, s));
    if (line > sl && line <= el) return undefined;
  }
  const idx = stmts.findIndex((s) => doc.lineOf(s.from) >= line);
  if (idx >= 0) return { index: idx, before: stmts[idx]! };
  const last = stmts[stmts.length - 1]!;
  if (line > doc.lineOf(trimmedEnd(doc, last)) + 1) return undefined;
  return { index: stmts.length, after: last };
}

function statementIndex(block: SyntaxNode, stmt: SyntaxNode): number {
  return statementsIn(block).findIndex((s) => s.from === stmt.from && s.to === stmt.to);
}

/** Inserts `lines` at a place from `placeAt` (or after `fallback`). */
function insertLines(doc: PyDocument, place: { before?: SyntaxNode; after?: SyntaxNode }, lines: string[]): TextEdit {
  return place.before ? insertBefore(doc, place.before, lines) : insertAfter(doc, place.after!, lines);
}

// ---------------------------------------------------------------------------------
// PyTorch and Hugging Face schedulers in a hand-written training loop

interface OptimizerTarget {
  expr: string;
  statement: SyntaxNode;
  node: SyntaxNode;
  info?: OptimizerInfo;
}

/**
 * The optimizer to build the scheduler on: the script's main PyTorch optimizer, else the
 * variable its batch loop steps, assigned from something LR Lens does not recognise
 * (`optimizer = model.configure_optimizers(...)` in nanoGPT).
 */
function optimizerTarget(model: ScriptModel): OptimizerTarget | undefined {
  const o = mainOptimizer(model);
  if (o && TORCHISH.has(o.framework)) return o.variable ? { expr: o.variable, statement: o.statement, node: o.node, info: o } : undefined;
  if (o) return undefined;
  const os = model.steps.find((s) => s.kind === 'optimizer' && s.loop === 'batch');
  if (!os) return undefined;
  const expr = /scaler$/i.test(os.receiver) ? os.args[0] : os.receiver;
  if (!expr || !/^[A-Za-z_][\w.]*$/.test(expr)) return undefined;
  const a = model.values.assignmentFor(expr, os.node);
  return a ? { expr, statement: a.statement, node: a.value } : undefined;
}

/** The scheduler a new one replaces: the first top-level PyTorch/HF/timm scheduler on the same optimizer. */
function replaceable(model: ScriptModel, target: OptimizerTarget): SchedulerInfo | undefined {
  const last = (s: string): string => s.slice(s.lastIndexOf('.') + 1);
  return model.schedulers.find(
    (s) => s.partOf === undefined && !s.spec.callback && TORCHISH.has(s.framework) && (s.optimizerExpr === undefined || s.optimizerExpr === target.expr || last(s.optimizerExpr) === last(target.expr)),
  );
}

function usesTrainerScheduler(model: ScriptModel): boolean {
  return model.trainingArguments.length > 0 && !model.schedulers.some((s) => s.partOf === undefined && (s.framework === 'torch' || s.framework === 'transformers'));
}

function wireLoop(t: ScheduleTemplate, model: ScriptModel, values: TemplateValues, at?: { line: number }): InsertOutcome {
  const doc = model.doc;
  const target = optimizerTarget(model);
  if (!target) {
    if (model.trainingArguments.length) return { reason: TRAINER_REASON };
    const o = mainOptimizer(model);
    if (o && TORCHISH.has(o.framework)) return { reason: `The optimizer at line ${o.line} is not assigned to a variable a scheduler could wrap.` };
    return { reason: o ? `This script's optimizer is a ${FRAMEWORK_NAME[o.framework] ?? o.framework} one; pick a ${FRAMEWORK_NAME[o.framework] ?? o.framework} schedule.` : 'No PyTorch optimizer in this file to build a scheduler on.' };
  }
  const existing = replaceable(model, target);
  if (existing?.framework === 'timm') return { reason: `This script uses timm's scheduler (line ${existing.line}), stepped with epoch and update counts; change its --sched options instead.` };
  if (existing && existing.variable === undefined && existing.implicitLoop !== 'batch') return { reason: `The scheduler at line ${existing.line} is not assigned to a variable LR Lens could step.` };
  const planner = new ImportPlanner(doc, model.imports);
  const expr = t.build(values, codeGen(model, planner, target.expr, target.info, existing));
  const edits: TextEdit[] = [];
  const notes: string[] = [];
  const what = describe(t);
  let title: string;
  let name: string;
  let site: Construction;
  let place: { before?: SyntaxNode; after?: SyntaxNode } | undefined;
  const existingIndex = existing ? model.schedulers.indexOf(existing) : undefined;
  if (existing) {
    edits.push(replaceSpan(doc, existing.from, existing.to, renderAt(model, expr, existing.from)));
    edits.push(...deleteChildStatements(model, existing));
    name = existing.variable ?? 'scheduler';
    site = { node: existing.node, at: existing.statement.to };
    title = existing.call === t.call && !existing.spec.composite ? `Update ${existing.callee} (line ${existing.line})` : `Replace ${existing.callee} (line ${existing.line}) with ${what}`;
  } else {
    name = unusedName(model, 'scheduler');
    const block = target.statement.parent!;
    const oIdx = statementIndex(block, target.statement);
    const os = model.steps.find((s) => s.kind === 'optimizer' && s.loop === 'batch');
    const use = os ? statementReaching(model, os, block) : undefined;
    const useIdx = use ? statementIndex(block, use) : statementsIn(block).length;
    place = { after: target.statement };
    if (at) {
      const p = placeAt(doc, block, at.line);
      if (p && p.index > oIdx && p.index <= useIdx) place = p;
      else notes.push(`Line ${at.line + 1} is not between the optimizer (line ${lineOf(doc, target.statement)}) and the training loop; the scheduler goes right after the optimizer.`);
    }
    site = place.before ? { node: place.before, at: place.before.from } : { node: place.after!, at: place.after!.to };
    title = `Add ${what} on ${target.expr}`;
  }
  // Stepping: the Trainer steps a scheduler handed to it (`optimizers=(...)`); otherwise it is the loop's job.
  let comment: string | undefined;
  const handedToTrainer = existing?.implicitLoop === 'batch' && !model.steps.some((s) => s.kind === 'scheduler' && s.target === existingIndex);
  if (handedToTrainer) {
    if (t.stepping === 'epoch') return { reason: 'The Trainer steps this scheduler after every optimizer step; pick a schedule sized in steps.' };
    title += ', stepped by the Trainer after every optimizer step';
  } else {
    const st = stepEdits(model, t, values, name, site, existingIndex);
    edits.push(...st.edits);
    notes.push(...st.notes);
    comment = st.comment;
    title += `, ${st.where}`;
  }
  if (existing) {
    if (comment) edits.push(insertAfter(doc, existing.statement, [comment]));
  } else {
    const anchor = place!.before ?? place!.after!;
    edits.push(insertLines(doc, place!, [assignment(model, name, expr, indentAt(doc, anchor)), ...(comment ? [comment] : [])]));
  }
  if (!comment) {
    // Once the scheduler is stepped, a hand-written LR update in the loop would override it.
    const manual = removeManualLr(model);
    edits.push(...manual.edits);
    notes.push(...manual.notes);
  }
  edits.push(...planner.edits());
  return { title, edits, notes };
}

/** Where a scheduler is constructed: the statement (for its function) and the offset from which it exists. */
interface Construction {
  node: SyntaxNode;
  at: number;
}

/** Children of a replaced composite built in statements of their own: they would still act on the optimizer (PyTorch schedulers set the LR when constructed). */
function deleteChildStatements(model: ScriptModel, composite: SchedulerInfo): TextEdit[] {
  const out: TextEdit[] = [];
  for (const c of composite.children) {
    const child = model.schedulers[c]!;
    if (child.statement.from !== composite.statement.from && child.statement.to <= composite.statement.from) out.push(deleteStatement(model.doc, child.statement));
  }
  return out;
}

function describe(t: ScheduleTemplate): string {
  if (/(SequentialLR|ChainedScheduler|LambdaLR|join_schedules)$/.test(t.call)) {
    const l = t.label.replace(/\s*\(.*\)$/, '');
    return `${l[0]!.toLowerCase()}${l.slice(1)} (${shortName(t.call)})`;
  }
  return shortName(t.call);
}

interface StepPlan {
  edits: TextEdit[];
  notes: string[];
  /** Where the scheduler is stepped, for the title. */
  where: string;
  /** A comment line to add after the construction when no loop was found. */
  comment?: string;
}

function stepEdits(model: ScriptModel, t: ScheduleTemplate, values: TemplateValues, name: string, site: Construction, existingIndex: number | undefined): StepPlan {
  const doc = model.doc;
  const want: LoopKind = t.stepping === 'step' ? 'batch' : 'epoch';
  const existing = existingIndex === undefined ? [] : model.steps.filter((s) => s.kind === 'scheduler' && s.target === existingIndex);
  const keep = existing.find((s) => s.loop === want);
  const edits: TextEdit[] = [];
  const notes: string[] = [];
  const cadence = want === 'batch' ? 'after every optimizer step' : 'once per epoch';
  if (keep) {
    for (const s of existing) if (s !== keep) edits.push(deleteStatement(doc, s.statement));
    edits.push(...stepArgEdits(model, t, keep, notes));
    return { edits, notes, where: `stepped ${cadence} where ${keep.receiver}.step() already is (line ${keep.line})` };
  }
  const placed = want === 'batch' ? placeBatchStep(model, name, site) : placeEpochStep(model, t, values, name, site);
  if (placed) {
    for (const s of existing) edits.push(deleteStatement(doc, s.statement));
    return { edits: [...edits, ...placed.edits], notes: [...notes, ...placed.notes], where: placed.where };
  }
  const call = `${name}.step(${t.needsMetric ? 'val_loss' : ''})`;
  if (existing.length) {
    const s = existing[0]!;
    edits.push(...stepArgEdits(model, t, s, notes));
    notes.push(`${doc.textOf(s.node)} at line ${s.line} runs ${s.loop === 'other' ? 'outside any loop LR Lens recognises' : `once per ${s.loop}`}; this schedule expects it ${cadence}.`);
    return { edits, notes, where: `stepped where ${s.receiver}.step() already is (line ${s.line})` };
  }
  const comment = want === 'batch' ? `# Call ${call} after every optimizer.step().` : t.needsMetric ? `# Call ${call} once per epoch, after validation.` : `# Call ${call} once per epoch, after the epoch's batches.`;
  notes.push(`No ${want === 'batch' ? 'batch loop with optimizer.step()' : 'epoch loop'} found: call ${call} ${cadence}.`);
  return { edits, notes, where: `call ${call} ${cadence}`, comment };
}

/** Adjusts the arguments of a kept `scheduler.step(...)`: a metric for ReduceLROnPlateau, none otherwise. */
function stepArgEdits(model: ScriptModel, t: ScheduleTemplate, s: StepCall, notes: string[]): TextEdit[] {
  if (t.needsMetric && s.args.length === 0) {
    const fix = plateauMetricFix(model, s);
    if (!fix) return [];
    if (!fix.isPreferred) notes.push(`Pass this epoch's validation loss to ${s.receiver}.step() (line ${s.line}).`);
    return fix.edits;
  }
  if (!t.needsMetric && s.args.length > 0 && s.method === 'step') {
    const list = s.node.getChild('ArgList');
    return list ? [replaceSpan(model.doc, list.from, list.to, '()')] : [];
  }
  return [];
}

/** `name.step()` right after the batch loop's `optimizer.step()` (after `scaler.update()` with AMP). */
function placeBatchStep(model: ScriptModel, name: string, site: Construction): { edits: TextEdit[]; notes: string[]; where: string } | undefined {
  const doc = model.doc;
  const os = model.steps.find((s) => s.kind === 'optimizer' && s.loop === 'batch');
  if (!os) return undefined;
  let after = os.statement;
  const block = after.parent;
  if (block && /scaler$/i.test(os.receiver)) {
    const stmts = statementsIn(block);
    const next = stmts[stmts.findIndex((s) => s.from === after.from) + 1];
    if (next && new RegExp(`^${os.receiver.replace(/\./g, '\\.')}\\.update\\(\\s*\\)$`).test(doc.textOf(next).trim())) after = next;
  }
  const where = `stepped after every ${doc.textOf(os.node)} (line ${os.line})`;
  const fnStep = enclosingFunction(os.node);
  const fnCons = enclosingFunction(site.node);
  if (fnCons === null || sameFn(fnStep, fnCons)) {
    if (fnCons !== null && os.node.from < site.at) return undefined;
    return { edits: [insertAfter(doc, after, [`${name}.step()`])], notes: [], where };
  }
  // The batch loop is in a function the constructing function calls: pass the scheduler in.
  if (!fnStep || fnStep.name !== 'FunctionDefinition') return undefined;
  const params = fnStep.getChild('ParamList');
  const sites = model.loops.callSitesOf(functionName(doc, fnStep));
  if (!params || /\*/.test(doc.textOf(params)) || sites.length === 0) return undefined;
  if (sites.some((c) => !sameFn(enclosingFunction(c), fnCons) || c.from < site.at || !c.getChild('ArgList'))) return undefined;
  const taken = new Set(childrenOf(params).filter((c) => c.name === 'VariableName').map((c) => doc.textOf(c)));
  const base = /^[A-Za-z_]\w*$/.test(name) ? name : 'scheduler';
  let p = base;
  for (let i = 2; taken.has(p); i++) p = `${base}_${i}`;
  const unit = indentUnit(doc);
  return {
    edits: [appendToList(doc, params, `${p}=None`), ...sites.map((c) => appendToList(doc, c.getChild('ArgList')!, `${p}=${name}`)), insertAfter(doc, after, [`if ${p} is not None:`, `${unit}${p}.step()`])],
    notes: [`${functionName(doc, fnStep)}() now takes the scheduler as \`${p}\` and steps it after every optimizer step.`],
    where,
  };
}

const FLOW = new Set(['BreakStatement', 'ContinueStatement', 'ReturnStatement', 'PassStatement', 'RaiseStatement']);

/** `name.step()` (or `name.step(metric)`) at the end of the epoch loop around the batch loop. */
function placeEpochStep(model: ScriptModel, t: ScheduleTemplate, values: TemplateValues, name: string, site: Construction): { edits: TextEdit[]; notes: string[]; where: string } | undefined {
  const doc = model.doc;
  const fnCons = enclosingFunction(site.node);
  let body: SyntaxNode | undefined;
  const os = model.steps.find((s) => s.kind === 'optimizer' && s.loop === 'batch');
  if (os) body = epochAnchor(model, os.context)?.parent ?? undefined;
  if (!body) {
    const loop = model.loops.loops.find((l) => l.kind === 'epoch' && sameFn(enclosingFunction(l.node), fnCons) && l.node.from >= site.at);
    body = loop?.node.getChild('Body') ?? undefined;
  }
  if (!body || body.from < site.at) return undefined;
  if (fnCons !== null && !sameFn(enclosingFunction(body), fnCons)) return undefined;
  const stmts = statementsIn(body);
  let i = stmts.length - 1;
  while (i > 0 && FLOW.has(stmts[i]!.name)) i--;
  const last = stmts[i]!;
  const edits: TextEdit[] = [];
  const notes: string[] = [];
  let arg = '';
  if (t.needsMetric) {
    const maximize = values.mode === 'max';
    const acc = maximize ? accuracyVariable(model, body) : undefined;
    const m = acc !== undefined ? { expr: acc } : maximize ? undefined : validationMetric(model, body, body.to);
    if (m && 'capture' in m && m.capture) edits.push(insertAt(doc, m.capture.from, `${m.expr} = `));
    arg = m?.expr ?? (maximize ? 'val_metric' : 'val_loss');
    if (!m) notes.push(`Compute this epoch's validation ${maximize ? 'metric' : 'loss'} as \`${arg}\` before ${name}.step(${arg}).`);
  }
  const line = `${name}.step(${arg})`;
  edits.push(FLOW.has(last.name) ? insertBefore(doc, last, [line]) : insertAfter(doc, last, [line]));
  return { edits, notes, where: `stepped once per epoch at the end of the epoch loop (line ${doc.lineOf(body.parent!.from) + 1})` };
}

/** A variable assigned in the epoch loop body that holds an accuracy-like metric (for `mode="max"`). */
function accuracyVariable(model: ScriptModel, body: SyntaxNode): string | undefined {
  for (const st of statementsIn(body).reverse()) {
    if (st.name !== 'AssignStatement') continue;
    const target = st.firstChild;
    if (target?.name === 'VariableName' && /acc|top1|f1|auc|score|map\b/i.test(model.doc.textOf(target))) return model.doc.textOf(target);
  }
  return undefined;
}

/** Deletes hand-written per-step/epoch LR updates (`param_group["lr"] = lr` in the training loop), which would override the scheduler. */
function removeManualLr(model: ScriptModel): { edits: TextEdit[]; notes: string[] } {
  const doc = model.doc;
  const edits: TextEdit[] = [];
  const notes: string[] = [];
  const seen = new Set<number>();
  for (const m of model.manualLr) {
    if (m.loop === 'other') continue;
    const st = statementOf(doc.tree.resolveInner(m.from, 1));
    const body = st.parent;
    const loop = body?.parent;
    const onlyStatement = body !== null && statementsIn(body).length === 1;
    const target = loop && loop.name === 'ForStatement' && onlyStatement && /param_groups/.test(doc.lineText(doc.lineOf(loop.from))) ? loop : st;
    if (seen.has(target.from)) continue;
    seen.add(target.from);
    edits.push(deleteStatement(doc, target));
    notes.push(`Removed the hand-written LR update at line ${lineOf(doc, target)}: the scheduler sets the LR now.`);
  }
  return { edits, notes };
}

// ---------------------------------------------------------------------------------
// Hugging Face Trainer

function wireTrainer(t: ScheduleTemplate, model: ScriptModel, values: TemplateValues): InsertOutcome {
  const ta = model.trainingArguments[0]!;
  const trainer = t.trainer!;
  const q = quoteOf(model);
  const edits: TextEdit[] = [setKeyword(model, ta.node, ta.args, 'lr_scheduler_type', `${q}${trainer.type}${q}`)];
  const warm = values.num_warmup_steps as number;
  edits.push(setKeyword(model, ta.node, ta.args, 'warmup_steps', pyInt(warm)));
  const ratio = removeArg(model, ta.node, 'warmup_ratio');
  if (ratio) edits.push(ratio);
  const kwargs: [string, PyExpr][] = [];
  const lit = (k: string): string => {
    const v = values[k]!;
    const p = t.params.find((x) => x.name === k)!;
    return p.kind === 'choice' ? `${q}${String(v)}${q}` : p.kind === 'int' ? pyInt(v as number) : pyFloat(v as number);
  };
  for (const k of trainer.kwargs) if (!(k in trainer.defaults) || trainer.defaults[k] !== values[k]) kwargs.push([`${q}${k}${q}`, lit(k)]);
  if (trainer.type === 'warmup_stable_decay') {
    // get_scheduler does not pass num_training_steps to the WSD schedule in every version: say how long the stable phase is.
    const stable = (values.num_training_steps as number) - warm - (values.num_decay_steps as number);
    kwargs.push([`${q}num_stable_steps${q}`, pyInt(Math.max(0, stable))]);
  }
  if (kwargs.length) edits.push(setKeyword(model, ta.node, ta.args, 'lr_scheduler_kwargs', flatExpr(pyDict(...kwargs))));
  else {
    const r = removeArg(model, ta.node, 'lr_scheduler_kwargs');
    if (r) edits.push(r);
  }
  const notes =
    trainer.type === 'warmup_stable_decay'
      ? [`The decay ends at step ${pyInt(values.num_training_steps as number)}; if the Trainer runs longer, the LR stays at its floor.`]
      : ['The Trainer sizes the schedule to its own length (max_steps, or num_train_epochs × steps per epoch).'];
  return { title: `Use lr_scheduler_type=${q}${trainer.type}${q} with ${pyInt(warm)} warmup steps (TrainingArguments, line ${ta.line})`, edits, notes };
}

// ---------------------------------------------------------------------------------
// Keras and optax: a schedule as the optimizer's learning rate

const FRAMEWORK_NAME: Record<string, string> = { keras: 'Keras', optax: 'optax', torch: 'PyTorch', transformers: 'PyTorch', lightning: 'PyTorch' };

function wireLr(t: ScheduleTemplate, model: ScriptModel, values: TemplateValues, at?: { line: number }): InsertOutcome {
  const doc = model.doc;
  const o = model.optimizers.find((x) => x.framework === t.framework && (x.lrSchedule !== undefined || x === mainOptimizer(model))) ?? model.optimizers.find((x) => x.framework === t.framework);
  if (!o) return { reason: `No ${FRAMEWORK_NAME[t.framework]} optimizer in this file to take the schedule as its learning rate.` };
  const planner = new ImportPlanner(doc, model.imports);
  const existing = o.lrSchedule !== undefined ? model.schedulers[o.lrSchedule] : undefined;
  const expr = t.build(values, codeGen(model, planner, '', o, existing));
  const edits: TextEdit[] = [];
  const notes: string[] = [];
  let title: string;
  if (existing) {
    edits.push(replaceSpan(doc, existing.from, existing.to, renderAt(model, expr, existing.from)));
    title = `Replace ${existing.callee} (line ${existing.line}) with ${shortName(t.call)}`;
  } else {
    const name = unusedName(model, t.framework === 'keras' ? 'lr_schedule' : 'schedule');
    const block = o.statement.parent!;
    let where: { before?: SyntaxNode; after?: SyntaxNode } = { before: o.statement };
    if (at) {
      const p = placeAt(doc, block, at.line);
      if (p && p.index <= statementIndex(block, o.statement)) where = p;
      else notes.push(`Line ${at.line + 1} is not before the optimizer (line ${lineOf(doc, o.statement)}); the schedule goes right before it.`);
    }
    const anchor = where.before ?? where.after!;
    edits.push(insertLines(doc, where, [assignment(model, name, expr, indentAt(doc, anchor))]));
    if (o.byString) {
      const cls = shortName(o.call);
      edits.push(replaceSpan(doc, o.node.from, o.node.to, `${planner.ref(`keras.optimizers.${cls}`)}(learning_rate=${name})`));
    } else if (o.lr) edits.push(replaceSpan(doc, o.lr.from, o.lr.to, name));
    else edits.push(setKeyword(model, o.node, {}, o.spec.lrParam, name));
    title = `Use ${shortName(t.call)} as the learning rate of ${o.callee} (line ${o.line})`;
  }
  if (t.framework === 'keras') {
    const r = removeLrCallbacks(model);
    edits.push(...r.edits);
    notes.push(...r.notes);
  }
  edits.push(...planner.edits());
  return { title, edits, notes };
}

/** The `callbacks` list passed to `fit`, following one variable. */
function callbacksList(model: ScriptModel): SyntaxNode | undefined {
  const fit = kerasFit(model);
  const arg = fit ? callArgs(model.doc, fit).find((a) => a.name === 'callbacks') : undefined;
  if (!arg) return undefined;
  let v = arg.value;
  if (v.name === 'VariableName') {
    const s = model.values.lookupName(v);
    if (s) v = s.node;
  }
  return v.name === 'ArrayExpression' ? v : undefined;
}

/** Keras refuses to set the LR of an optimizer driven by a schedule: LR callbacks come out of `fit`. */
function removeLrCallbacks(model: ScriptModel): { edits: TextEdit[]; notes: string[] } {
  const doc = model.doc;
  const edits: TextEdit[] = [];
  const notes: string[] = [];
  const list = callbacksList(model);
  for (const cb of model.schedulers.filter((s) => s.spec.callback)) {
    const els = list ? elementsOf(list) : [];
    const i = els.findIndex((e) => (e.from === cb.from && e.to === cb.to) || (cb.variable !== undefined && doc.textOf(e) === cb.variable));
    if (i < 0) {
      notes.push(`Remove the ${cb.callee} callback (line ${cb.line}): Keras cannot change the LR of an optimizer driven by a schedule.`);
      continue;
    }
    edits.push(removeElement(doc, els, i));
    if (cb.variable !== undefined && doc.textOf(els[i]) === cb.variable) edits.push(deleteStatement(doc, cb.statement));
    notes.push(`Removed the ${cb.callee} callback (line ${cb.line}): Keras cannot change the LR of an optimizer driven by a schedule.`);
  }
  return { edits, notes };
}

// ---------------------------------------------------------------------------------
// Keras callbacks

function wireCallback(t: ScheduleTemplate, model: ScriptModel, values: TemplateValues): InsertOutcome {
  const doc = model.doc;
  const planner = new ImportPlanner(doc, model.imports);
  const helperName = t.helper ? unusedName(model, 'lr_schedule') : '';
  const o = model.optimizers.find((x) => x.framework === 'keras');
  const gen = codeGen(model, planner, '', o, undefined, helperName);
  const expr = t.build(values, gen);
  const edits: TextEdit[] = [];
  const notes: string[] = [];
  const existing = model.schedulers.find((s) => s.spec.callback);
  const fit = kerasFit(model);
  let title: string;
  let helperBefore: SyntaxNode;
  if (existing) {
    edits.push(replaceSpan(doc, existing.from, existing.to, renderAt(model, expr, existing.from)));
    helperBefore = existing.statement;
    title = `Replace the ${existing.callee} callback (line ${existing.line}) with ${shortName(t.call)}`;
  } else if (fit) {
    const list = callbacksList(model);
    edits.push(...addCallbackEdits(model, fit, flatExpr(expr)));
    helperBefore = list ? statementOf(list) : statementOf(fit);
    title = `Add the ${shortName(t.call)} callback to ${doc.textOf(fit.firstChild)}() (line ${lineOf(doc, fit)})`;
  } else {
    return { reason: 'No model.fit(...) call in this file to pass the callback to.' };
  }
  if (t.helper) {
    const topLevel = helperBefore.parent?.name === 'Script';
    const lines = t.helper(values, gen).map((l) => l.replace(/^( {4})+/, (m) => indentUnit(doc).repeat(m.length / 4)));
    const want = topLevel ? 2 : 1;
    let blank = 0;
    for (let l = doc.lineOf(helperBefore.from) - 1; l >= 0 && blank < want && doc.lineText(l).trim() === ''; l--) blank++;
    const gap = (n: number): string[] => Array.from({ length: n }, () => '');
    edits.push(insertBefore(doc, helperBefore, [...gap(want - blank), ...lines, ...gap(want)]));
  }
  // An optimizer driven by a schedule object cannot take an LR callback: give it the schedule's starting LR.
  if (o?.lrSchedule !== undefined && o.lr) {
    const s = model.schedulers[o.lrSchedule]!;
    const peak = [s.args.warmup_target, s.args.initial_learning_rate].find((a) => a && a.expr !== 'None');
    if (!peak) return { reason: `${o.callee} (line ${o.line}) is driven by ${s.callee}; Keras cannot change its LR from a callback.` };
    edits.push(replaceSpan(doc, o.lr.from, o.lr.to, peak.expr));
    notes.push(`${o.callee} now starts at ${peak.expr} instead of following ${s.callee}: Keras cannot change the LR of an optimizer driven by a schedule.`);
  }
  edits.push(...planner.edits());
  return { title, edits, notes };
}

// ---------------------------------------------------------------------------------
// Lightning

function configureOptimizers(model: ScriptModel): SyntaxNode | undefined {
  return nodesOfType(model.doc, new Set(['FunctionDefinition'])).find((f) => functionName(model.doc, f) === 'configure_optimizers');
}

function wireLightning(t: ScheduleTemplate, model: ScriptModel, values: TemplateValues, fn: SyntaxNode, at?: { line: number }): InsertOutcome {
  const doc = model.doc;
  const o = model.optimizers.find((x) => within(fn, x) && TORCHISH.has(x.framework));
  if (!o) return { reason: `configure_optimizers (line ${lineOf(doc, fn)}) builds no PyTorch optimizer LR Lens recognises.` };
  if (!o.variable) return { reason: `The optimizer at line ${o.line} is not assigned to a variable a scheduler could wrap.` };
  const interval = t.interval ?? t.stepping;
  const planner = new ImportPlanner(doc, model.imports);
  const existing = model.schedulers.find((s) => within(fn, s) && s.partOf === undefined);
  const expr = t.build(values, codeGen(model, planner, o.variable, o, existing));
  const edits: TextEdit[] = [];
  const notes: string[] = [];
  const l = model.lightning.find((x) => x.method.from === fn.from);
  const q = quoteOf(model);
  let title: string;
  if (existing && l && existing.from >= l.schedulerFrom && existing.to <= l.schedulerTo) {
    edits.push(...lightningConfig(model, l, interval, t.needsMetric, renderAt(model, expr, l.schedulerFrom)));
    title = `Replace ${existing.callee} (line ${existing.line}) with ${describe(t)}`;
  } else if (existing) {
    edits.push(replaceSpan(doc, existing.from, existing.to, renderAt(model, expr, existing.from)));
    edits.push(...deleteChildStatements(model, existing));
    if (l) edits.push(...lightningConfig(model, l, interval, t.needsMetric));
    else {
      const r = returnWithScheduler(model, fn, o.variable, existing.variable ?? 'scheduler', interval, t.needsMetric);
      if (!r) return { reason: `configure_optimizers (line ${lineOf(doc, fn)}) does not return ${existing.variable ?? 'the scheduler'} in a form LR Lens can extend.` };
      edits.push(r);
    }
    title = `Replace ${existing.callee} (line ${existing.line}) with ${describe(t)}`;
  } else {
    const name = unusedName(model, 'scheduler');
    const block = o.statement.parent!;
    const oIdx = statementIndex(block, o.statement);
    const ret = statementsIn(block).findIndex((s, i) => i > oIdx && s.name === 'ReturnStatement');
    let where: { before?: SyntaxNode; after?: SyntaxNode } = { after: o.statement };
    if (at) {
      const p = placeAt(doc, block, at.line);
      if (p && p.index > oIdx && (ret < 0 || p.index <= ret)) where = p;
      else notes.push(`Line ${at.line + 1} is not between the optimizer and the return of configure_optimizers; the scheduler goes after the optimizer.`);
    }
    const anchor = where.before ?? where.after!;
    edits.push(insertLines(doc, where, [assignment(model, name, expr, indentAt(doc, anchor))]));
    if (l) edits.push(...lightningConfig(model, l, interval, t.needsMetric, name));
    else {
      const r = returnWithScheduler(model, fn, o.variable, name, interval, t.needsMetric);
      if (!r) return { reason: `configure_optimizers (line ${lineOf(doc, fn)}) does not end with \`return ${o.variable}\`; LR Lens cannot tell where to hand Lightning the scheduler.` };
      edits.push(r);
    }
    title = `Add ${describe(t)} in configure_optimizers`;
  }
  title += `, stepped by Lightning every ${interval === 'step' ? `optimizer step (${q}interval${q}: ${q}step${q})` : 'epoch'}`;
  if (t.needsMetric && !/\blog\(\s*['"]val_loss['"]/.test(doc.text)) notes.push(`Lightning passes the logged ${q}val_loss${q} to ReduceLROnPlateau: log it in validation_step.`);
  edits.push(...planner.edits());
  return { title, edits, notes };
}

/** Makes a Lightning scheduler config say `interval` (and `monitor` for metric schedulers); optionally replaces the scheduler expression. */
function lightningConfig(model: ScriptModel, l: LightningScheduler, interval: 'step' | 'epoch', metric: boolean, scheduler?: string): TextEdit[] {
  const doc = model.doc;
  const q = quoteOf(model);
  const s = (x: string): string => `${q}${x}${q}`;
  const edits: TextEdit[] = [];
  if (!l.configDict) {
    const entries: [string, PyExpr][] = [
      [s('scheduler'), scheduler ?? l.schedulerExpr],
      [s('interval'), s(interval)],
    ];
    if (metric) entries.push([s('monitor'), s('val_loss')]);
    return [replaceSpan(doc, l.schedulerFrom, l.schedulerTo, renderAt(model, pyDict(...entries), l.schedulerFrom))];
  }
  if (scheduler !== undefined) edits.push(replaceSpan(doc, l.schedulerFrom, l.schedulerTo, scheduler));
  const e = dictEntries(doc, l.configDict);
  const adds: string[] = [];
  const iv = e.get('interval');
  if (iv) {
    if (stringValue(doc, iv) !== interval) edits.push(replaceSpan(doc, iv.from, iv.to, s(interval)));
  } else adds.push(`${s('interval')}: ${s(interval)}`);
  if (metric && !e.get('monitor')) adds.push(`${s('monitor')}: ${s('val_loss')}`);
  if (adds.length) edits.push(appendToList(doc, l.configDict, ...adds));
  return edits;
}

/** Rewrites `return optimizer` (or `[optimizer]`) of configure_optimizers to hand Lightning the scheduler too. */
function returnWithScheduler(model: ScriptModel, fn: SyntaxNode, opt: string, scheduler: string, interval: 'step' | 'epoch', metric: boolean): TextEdit | undefined {
  const doc = model.doc;
  const q = quoteOf(model);
  const s = (x: string): string => `${q}${x}${q}`;
  const rets = nodesOfType(doc, new Set(['ReturnStatement'])).filter((r) => within(fn, r) && sameFn(enclosingFunction(r), fn));
  const r = rets.find((x) => {
    const v = doc.textOf(x).replace(/^return\s*/, '').replace(/\s+/g, '');
    return v === opt || v === `[${opt}]` || v === `(${opt})`;
  });
  const value = r ? childrenOf(r).find((c) => c.name !== 'return') : undefined;
  if (!r || !value) return undefined;
  const config: [string, PyExpr][] = [
    [s('scheduler'), scheduler],
    [s('interval'), s(interval)],
  ];
  if (metric) config.push([s('monitor'), s('val_loss')]);
  const dict = pyDict([s('optimizer'), opt], [s('lr_scheduler'), pyDict(...config)]);
  return replaceSpan(doc, value.from, r.to, renderAt(model, dict, value.from));
}
