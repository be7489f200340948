// Where a value in a script comes from and what number it is: literals (`1e-3`,
// `3 * 1e-4`, `2**-10`), one hop through a simple assignment (`lr = 3e-4`), an
// argparse default (`args.lr` -> `add_argument('--lr', default=0.1)`), a dataclass
// field default, or a function parameter default.
//
// Resolution is deliberately shallow and explainable: each hop is a plain assignment
// the user can see; anything computed at run time (configs loaded from files, CLI
// overrides, `exec(...)` configurators) stays unresolved rather than guessed.
import type { SyntaxNode } from '@lezer/common';
import { childrenOf, enclosingFunction, nodesOfType, stringValue, type PyDocument } from './parse';

/** Where a value is written, i.e. what an edit has to change to change it. */
export interface ValueSite {
  kind: 'literal' | 'variable' | 'argparse' | 'field' | 'parameter';
  /** The expression node holding the value (the literal, the assignment's right side, the `default=` value). */
  node: SyntaxNode;
  /** The variable, argparse destination, field or parameter name. */
  name?: string;
  /** The option strings of an argparse argument (`--lr`, `--learning-rate`). */
  flags?: string[];
}

export interface Resolved {
  /** The number, when every hop is a literal or plain arithmetic. */
  value?: number;
  /** The string, for string-valued settings (`lr_scheduler_type="cosine"`). */
  text?: string;
  /** The place to edit; absent when the expression is not something we can follow. */
  site?: ValueSite;
}

/** One assignment `name = value` (or `name: T = value`), from any scope. */
interface Assignment {
  name: string;
  value: SyntaxNode;
  statement: SyntaxNode;
  /** The function it is in, or null at module/class level. */
  scope: SyntaxNode | null;
  /** Whether it sits directly in a class body (a dataclass field). */
  classField: boolean;
}

interface ArgparseArg {
  dest: string;
  flags: string[];
  defaultNode?: SyntaxNode;
  call: SyntaxNode;
}

/** Index of the assignments and argparse arguments of one document. */
export class ValueIndex {
  private readonly assignments = new Map<string, Assignment[]>();
  private readonly argparse = new Map<string, ArgparseArg>();

  constructor(readonly doc: PyDocument) {
    for (const st of nodesOfType(doc, ASSIGN)) {
      for (const [target, value] of assignmentPairs(st)) {
        let name: string | undefined;
        if (target.name === 'VariableName') name = doc.textOf(target);
        else if (target.name === 'MemberExpression' && /^self\.[A-Za-z_]\w*$/.test(doc.textOf(target))) name = doc.textOf(target);
        if (!name) continue;
        let v = value;
        if (v.name === 'CallExpression' && /^(dataclasses\.)?field$/.test(doc.textOf(v.firstChild))) {
          const d = childrenOf(v.getChild('ArgList')!).find((c, i, all) => doc.textOf(c) === 'default' && all[i + 1]?.name === 'AssignOp');
          const dv = d?.nextSibling?.nextSibling;
          if (!dv) continue;
          v = dv;
        }
        const list = this.assignments.get(name) ?? [];
        list.push({ name, value: v, statement: st, scope: enclosingFunction(st), classField: st.parent?.parent?.name === 'ClassDefinition' });
        this.assignments.set(name, list);
      }
    }
    for (const call of nodesOfType(doc, CALL)) {
      const callee = call.firstChild;
      if (callee?.name !== 'MemberExpression' || doc.textOf(callee.lastChild) !== 'add_argument') continue;
      const a = parseAddArgument(doc, call);
      if (a && !this.argparse.has(a.dest)) this.argparse.set(a.dest, a);
    }
  }

  /** The argparse argument with this destination (`lr` for `--lr`/`--learning-rate dest=lr`). */
  argparseArg(dest: string): ArgparseArg | undefined {
    return this.argparse.get(dest);
  }

  /** Every argparse destination, for callers that look for settings by name. */
  argparseDests(): string[] {
    return [...this.argparse.keys()];
  }

  /** The assignment of `name` that a use at `at` sees: same function first, then module level; the last one before the use, else the first after it. */
  assignmentFor(name: string, at: SyntaxNode): Assignment | undefined {
    const all = this.assignments.get(name);
    if (!all) return undefined;
    const fn = enclosingFunction(at);
    const pick = (cands: Assignment[]): Assignment | undefined => {
      if (cands.length === 0) return undefined;
      const before = cands.filter((a) => a.statement.from < at.from);
      return before.length ? before[before.length - 1] : cands[0];
    };
    return pick(all.filter((a) => fn && a.scope && a.scope.from === fn.from)) ?? pick(all.filter((a) => a.scope === null));
  }

  /** Every module-level (or class-level) assignment to `name`. */
  topLevelAssignments(name: string): Assignment[] {
    return (this.assignments.get(name) ?? []).filter((a) => a.scope === null);
  }

  /** Every name that has an assignment, for lookups by pattern. */
  assignedNames(): string[] {
    return [...this.assignments.keys()];
  }

  /**
   * What an expression evaluates to and where to edit it. `depth` bounds the hops
   * through assignments (one hop for the edit site, a few more for the number).
   */
  resolve(node: SyntaxNode, depth = 4): Resolved {
    const doc = this.doc;
    const lit = evalNumber(doc, node, (n) => (depth > 0 ? this.resolve(n, depth - 1).value : undefined), (n) => this.lookupName(n));
    if (node.name === 'String') {
      const s = stringValue(doc, node);
      return s === undefined ? {} : { text: s, site: { kind: 'literal', node } };
    }
    if (node.name === 'VariableName' || (node.name === 'MemberExpression' && node.lastChild?.name === 'PropertyName')) {
      const target = this.lookupName(node);
      if (target) {
        const inner = depth > 0 ? this.resolve(target.node, depth - 1) : {};
        return { ...(inner.value !== undefined ? { value: inner.value } : {}), ...(inner.text !== undefined ? { text: inner.text } : {}), site: target };
      }
      return lit !== undefined ? { value: lit } : {};
    }
    if (lit !== undefined) return hasNames(node) ? { value: lit } : { value: lit, site: { kind: 'literal', node } };
    return {};
  }

  /** The site a name or attribute stands for: its assignment, argparse default, field default or parameter default. */
  lookupName(node: SyntaxNode): ValueSite | undefined {
    const doc = this.doc;
    const text = doc.textOf(node);
    if (node.name === 'VariableName') {
      const a = this.assignmentFor(text, node);
      if (a) return { kind: a.classField ? 'field' : 'variable', node: a.value, name: text };
      const p = parameterDefault(doc, node, text);
      if (p) return { kind: 'parameter', node: p, name: text };
      return undefined;
    }
    if (node.name === 'MemberExpression') {
      if (text.startsWith('self.')) {
        const a = this.assignmentFor(text, node);
        if (a) return { kind: 'variable', node: a.value, name: text };
      }
      const hp = /^self\.hparams\.(\w+)$/.exec(text);
      if (hp) {
        const init = initParameterDefault(doc, node, hp[1]!);
        if (init) return { kind: 'parameter', node: init, name: hp[1]! };
      }
      const attr = doc.textOf(node.lastChild);
      const arg = this.argparse.get(attr);
      if (arg?.defaultNode) return { kind: 'argparse', node: arg.defaultNode, name: attr, flags: arg.flags };
      // `config.lr` / `cfg.lr` over a dataclass: a class-level field of that name.
      const fields = (this.assignments.get(attr) ?? []).filter((a) => a.classField);
      if (fields.length === 1) return { kind: 'field', node: fields[0]!.value, name: attr };
    }
    return undefined;
  }
}

const ASSIGN = new Set(['AssignStatement']);
const CALL = new Set(['CallExpression']);

/** `(target, value)` pairs of an assignment; `a = b = 1` gives two pairs, `a, b = 1, 2` pairs them up. */
export function assignmentPairs(st: SyntaxNode): [SyntaxNode, SyntaxNode][] {
  const kids = childrenOf(st).filter((c) => c.name !== ',' && c.name !== 'TypeDef');
  const ops = kids.map((k, i) => (k.name === 'AssignOp' ? i : -1)).filter((i) => i >= 0);
  if (ops.length === 0) return [];
  const lastOp = ops[ops.length - 1]!;
  const values = kids.slice(lastOp + 1);
  const out: [SyntaxNode, SyntaxNode][] = [];
  let start = 0;
  for (const op of ops) {
    const targets = kids.slice(start, op);
    start = op + 1;
    if (targets.length === 1 && values.length === 1) out.push([targets[0]!, values[0]!]);
    else if (targets.length === values.length) targets.forEach((t, i) => out.push([t, values[i]!]));
  }
  return out;
}

function parseAddArgument(doc: PyDocument, call: SyntaxNode): ArgparseArg | undefined {
  const list = call.getChild('ArgList');
  if (!list) return undefined;
  const kids = childrenOf(list);
  const flags: string[] = [];
  let dest: string | undefined;
  let defaultNode: SyntaxNode | undefined;
  for (let i = 0; i < kids.length; i++) {
    const k = kids[i]!;
    if (k.name === 'VariableName' && kids[i + 1]?.name === 'AssignOp') {
      const key = doc.textOf(k);
      const v = kids[i + 2];
      if (key === 'default' && v) defaultNode = v;
      if (key === 'dest' && v) dest = stringValue(doc, v);
      i += 2;
    } else if (k.name === 'String') {
      const s = stringValue(doc, k);
      if (s !== undefined) flags.push(s);
    }
  }
  if (!dest) {
    const long = flags.find((f) => f.startsWith('--')) ?? flags.find((f) => !f.startsWith('-'));
    const first = long ?? flags[0];
    if (!first) return undefined;
    dest = first.replace(/^-+/, '').replace(/-/g, '_');
  }
  return { dest, flags, call, ...(defaultNode ? { defaultNode } : {}) };
}

/** Whether an expression reads any name (so it is not a plain literal to overwrite). */
function hasNames(node: SyntaxNode): boolean {
  let found = false;
  node.toTree().iterate({
    enter: (n) => {
      if (n.name === 'VariableName') found = true;
    },
  });
  return found;
}

/** Lightning's `self.hparams.x`: the default of `x` in the class's `__init__` (saved by `save_hyperparameters()`). */
function initParameterDefault(doc: PyDocument, use: SyntaxNode, name: string): SyntaxNode | undefined {
  let cls: SyntaxNode | null = use.parent;
  while (cls && cls.name !== 'ClassDefinition') cls = cls.parent;
  const body = cls?.getChild('Body');
  if (!body) return undefined;
  for (const fn of body.getChildren('FunctionDefinition')) {
    if (doc.textOf(fn.getChild('VariableName')) !== '__init__') continue;
    const kids = childrenOf(fn.getChild('ParamList')!);
    for (let i = 0; i < kids.length; i++) {
      if (kids[i]!.name !== 'VariableName' || doc.textOf(kids[i]) !== name) continue;
      let j = i + 1;
      if (kids[j]?.name === 'TypeDef') j++;
      return kids[j]?.name === 'AssignOp' ? kids[j + 1] : undefined;
    }
  }
  return undefined;
}

function parameterDefault(doc: PyDocument, use: SyntaxNode, name: string): SyntaxNode | undefined {
  const fn = enclosingFunction(use);
  if (!fn || fn.name !== 'FunctionDefinition') return undefined;
  const params = fn.getChild('ParamList');
  if (!params) return undefined;
  const kids = childrenOf(params);
  for (let i = 0; i < kids.length; i++) {
    if (kids[i]!.name === 'VariableName' && doc.textOf(kids[i]) === name) {
      let j = i + 1;
      if (kids[j]?.name === 'TypeDef') j++;
      if (kids[j]?.name === 'AssignOp') return kids[j + 1];
      return undefined;
    }
  }
  return undefined;
}

/** A Python number literal's value (`1e-3`, `3_000`, `0x10`, `.5`); undefined for complex or malformed ones. */
export function parseNumber(text: string): number | undefined {
  const t = text.replace(/_/g, '');
  if (/[jJ]$/.test(t)) return undefined;
  if (/^0[xX][0-9a-fA-F]+$/.test(t)) return parseInt(t.slice(2), 16);
  if (/^0[oO][0-7]+$/.test(t)) return parseInt(t.slice(2), 8);
  if (/^0[bB][01]+$/.test(t)) return parseInt(t.slice(2), 2);
  if (/^[lL]$/.test(t.slice(-1))) return parseNumber(t.slice(0, -1));
  if (!/^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return undefined;
  return Number(t);
}

/**
 * Evaluates plain arithmetic over number literals. Names go through `name` (which
 * follows assignments); attribute reads like `args.lr` go through `site` and then `name`.
 */
export function evalNumber(
  doc: PyDocument,
  node: SyntaxNode,
  name: (n: SyntaxNode) => number | undefined = () => undefined,
  site: (n: SyntaxNode) => ValueSite | undefined = () => undefined,
): number | undefined {
  const ev = (n: SyntaxNode | null | undefined): number | undefined => (n ? evalNumber(doc, n, name, site) : undefined);
  switch (node.name) {
    case 'Number':
      return parseNumber(doc.textOf(node));
    case 'Boolean':
      return doc.textOf(node) === 'True' ? 1 : 0;
    case 'ParenthesizedExpression': {
      const inner = childrenOf(node).filter((c) => c.name !== '(' && c.name !== ')');
      return inner.length === 1 ? ev(inner[0]) : undefined;
    }
    case 'UnaryExpression': {
      const op = doc.textOf(node.firstChild);
      const v = ev(node.lastChild);
      if (v === undefined) return undefined;
      return op === '-' ? -v : op === '+' ? v : undefined;
    }
    case 'BinaryExpression': {
      const kids = childrenOf(node);
      if (kids.length !== 3) return undefined;
      const a = ev(kids[0]);
      const b = ev(kids[2]);
      // `0 * anything` is 0 (e.g. `args.num_warmup_steps * accelerator.num_processes` with a default of 0).
      if (doc.textOf(kids[1]) === '*' && (a === 0 || b === 0)) return 0;
      if (a === undefined || b === undefined) return undefined;
      switch (doc.textOf(kids[1])) {
        case '+':
          return a + b;
        case '-':
          return a - b;
        case '*':
          return a * b;
        case '/':
          return b === 0 ? undefined : a / b;
        case '//':
          return b === 0 ? undefined : Math.floor(a / b);
        case '%':
          return b === 0 ? undefined : a - b * Math.floor(a / b);
        case '**':
          return a ** b;
        default:
          return undefined;
      }
    }
    case 'CallExpression': {
      const fn = doc.textOf(node.firstChild);
      const args = childrenOf(node.getChild('ArgList')!).filter((c) => c.name !== '(' && c.name !== ')' && c.name !== ',');
      if ((fn === 'int' || fn === 'float') && args.length === 1) {
        const s = stringValue(doc, args[0]);
        const v = s !== undefined ? parseNumber(s.trim()) : ev(args[0]);
        return v === undefined ? undefined : fn === 'int' ? Math.trunc(v) : v;
      }
      if ((fn === 'math.sqrt' || fn === 'np.sqrt') && args.length === 1) {
        const v = ev(args[0]);
        return v === undefined || v < 0 ? undefined : Math.sqrt(v);
      }
      return undefined;
    }
    case 'VariableName':
    case 'MemberExpression': {
      const s = site(node);
      return s ? name(s.node) : undefined;
    }
    default:
      return undefined;
  }
}
