// Reading a schedule template back from a script: the values of the construction a
// template writes (its arguments, its children's for composites, a Keras schedule
// function's numbers, the Trainer's lr_scheduler_kwargs), as the script model resolves
// them. A value computed at run time is left out rather than guessed.
import type { SyntaxNode } from '@lezer/common';
import { dictEntries } from './lightning';
import { callArgs, childrenOf } from './parse';
import type { ArgValue, SchedulerInfo, ScriptModel } from './scriptModel';
import type { ParamValue, TemplateParam } from './templateParams';

/** What a template's reader found in a script. */
export interface TemplateReading {
  /** The parameters it could read (a value computed at run time is absent). */
  values: Record<string, ParamValue>;
  /** 1-based line of the construction. */
  line: number;
}

export function argParam(model: ScriptModel, a: ArgValue | undefined, p: TemplateParam): ParamValue | undefined {
  if (!a) return undefined;
  if (p.kind === 'choice') {
    if (a.text !== undefined) return a.text;
    return a.expr === 'True' || a.expr === 'False' ? a.expr : undefined;
  }
  if (p.kind === 'int_list' || p.kind === 'float_list') return listValue(model, a.node);
  return a.value;
}

/** The numbers of a list or tuple literal (through one variable), each resolved. */
export function listValue(model: ScriptModel, node: SyntaxNode): number[] | undefined {
  let n = node;
  if (n.name === 'VariableName') {
    const s = model.values.lookupName(n);
    if (s) n = s.node;
  }
  if (n.name !== 'ArrayExpression' && n.name !== 'TupleExpression') return undefined;
  const out: number[] = [];
  for (const c of childrenOf(n)) {
    if (['[', ']', '(', ')', ','].includes(c.name)) continue;
    const v = model.values.resolve(c).value;
    if (v === undefined) return undefined;
    out.push(v);
  }
  return out;
}

/** The last top-level construction of `call` in the script (the one in charge). */
export function constructionOf(model: ScriptModel, call: string, pred: (s: SchedulerInfo) => boolean = () => true): SchedulerInfo | undefined {
  const all = model.schedulers.filter((s) => s.call === call && s.partOf === undefined && pred(s));
  return all[all.length - 1];
}

export function readArgs(model: ScriptModel, s: SchedulerInfo, params: readonly TemplateParam[], rename: Record<string, string> = {}): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const p of params) {
    const v = argParam(model, s.args[rename[p.name] ?? p.name], p);
    if (v !== undefined) out[p.name] = v;
  }
  return out;
}

export const reading = (s: { line: number }, values: Record<string, ParamValue>): TemplateReading => ({ values, line: s.line });

/** Reads a single-call template: its parameters are the call's arguments. */
export const readCall =
  (call: string) =>
  (t: { params: readonly TemplateParam[] }, model: ScriptModel): TemplateReading | undefined => {
    const s = constructionOf(model, call);
    return s ? reading(s, readArgs(model, s, t.params)) : undefined;
  };

/** Reads a composite (SequentialLR, ChainedScheduler, join_schedules): each parameter from the child that takes it. */
export const readComposite =
  (call: string, children: readonly string[], from: Record<string, number>, rename: Record<string, string> = {}) =>
  (t: { params: readonly TemplateParam[] }, model: ScriptModel): TemplateReading | undefined => {
    const s = constructionOf(model, call, (x) => x.children.length === children.length && x.children.every((c, i) => model.schedulers[c]!.call === children[i]));
    if (!s) return undefined;
    const values: Record<string, ParamValue> = {};
    for (const p of t.params) {
      const child = model.schedulers[s.children[from[p.name] ?? 0]!]!;
      const v = argParam(model, child.args[rename[p.name] ?? p.name], p);
      if (v !== undefined) values[p.name] = v;
    }
    return reading(s, values);
  };

/** The numbers in a lambda's text, in order (`lambda step: 600 / max(1, step)` -> [600, 1]). */
export function numbersIn(text: string): number[] {
  return [...text.matchAll(/(?<![\w.])(\d[\d_]*\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)/g)].map((m) => Number(m[1]!.replace(/_/g, '')));
}

/** The keyword arguments of a `dict(...)` call or `{...}` literal, resolved. */
export function kwargsOf(model: ScriptModel, node: SyntaxNode): Record<string, number> {
  const out: Record<string, number> = {};
  if (node.name === 'CallExpression' && model.doc.textOf(node.firstChild) === 'dict') {
    for (const a of callArgs(model.doc, node)) {
      const v = a.name ? model.values.resolve(a.value).value : undefined;
      if (a.name && v !== undefined) out[a.name] = v;
    }
  } else if (node.name === 'DictionaryExpression') {
    for (const [k, n] of dictEntries(model.doc, node)) {
      const v = model.values.resolve(n).value;
      if (v !== undefined) out[k] = v;
    }
  }
  return out;
}
