// A parsed Python script: the lezer-python tree, positions, and the tree helpers every
// other python/ module uses (node text, argument lists, statements, syntax errors).
import type { SyntaxNode, Tree } from '@lezer/common';
import { parser } from '@lezer/python';

/** A 0-based position, in UTF-16 code units like VS Code's `Position`. */
export interface Position {
  line: number;
  character: number;
}

/** A 0-based half-open range, like VS Code's `Range`. */
export interface Range {
  start: Position;
  end: Position;
}

/** One script, parsed once; every other module reads it, none mutates it. */
export class PyDocument {
  readonly tree: Tree;
  /** Offsets where each line starts; `lineStarts[0] === 0`. */
  private readonly lineStarts: number[];
  /** `\r\n` when the file uses it, for text that edits insert. */
  readonly eol: string;

  constructor(readonly text: string) {
    this.tree = parser.parse(text);
    this.lineStarts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.lineStarts.push(i + 1);
      else if (c === 13 && text.charCodeAt(i + 1) !== 10) this.lineStarts.push(i + 1);
    }
    this.eol = /\r\n/.test(text.slice(0, 10000)) ? '\r\n' : '\n';
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.lineStarts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.lineStarts[lo]! };
  }

  offsetAt(pos: Position): number {
    const start = this.lineStarts[Math.max(0, Math.min(pos.line, this.lineStarts.length - 1))]!;
    return Math.min(start + pos.character, this.lineEnd(pos.line));
  }

  rangeOf(from: number | SyntaxNode, to?: number): Range {
    if (typeof from !== 'number') return { start: this.positionAt(from.from), end: this.positionAt(from.to) };
    return { start: this.positionAt(from), end: this.positionAt(to ?? from) };
  }

  /** The text of a node (or an offset span). */
  textOf(node: SyntaxNode | null | undefined): string {
    return node ? this.text.slice(node.from, node.to) : '';
  }

  /** 0-based line of an offset. */
  lineOf(offset: number): number {
    return this.positionAt(offset).line;
  }

  lineStart(line: number): number {
    return this.lineStarts[Math.max(0, Math.min(line, this.lineStarts.length - 1))]!;
  }

  /** Offset of the end of `line`, before its line break. */
  lineEnd(line: number): number {
    if (line + 1 >= this.lineStarts.length) return this.text.length;
    let end = this.lineStarts[line + 1]!;
    if (this.text.charCodeAt(end - 1) === 10) end--;
    if (this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }

  /** The leading whitespace of a line. */
  indentOf(line: number): string {
    return /^[ \t]*/.exec(this.lineText(line))![0];
  }
}

export function parseScript(text: string): PyDocument {
  return new PyDocument(text);
}

/** Offsets of the syntax errors lezer recovered from (empty for a valid script). */
export function syntaxErrors(doc: PyDocument): { from: number; to: number }[] {
  const out: { from: number; to: number }[] = [];
  doc.tree.iterate({
    enter: (n) => {
      if (n.type.isError) out.push({ from: n.from, to: n.to });
    },
  });
  return out;
}

/** Every node of one of `names`, in document order. */
export function nodesOfType(doc: PyDocument, names: ReadonlySet<string>): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  doc.tree.iterate({
    enter: (n) => {
      if (names.has(n.name)) out.push(n.node);
    },
  });
  return out;
}

/** The named (non-punctuation) children of a node. */
export function childrenOf(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

/** One argument of a call, as written. */
export interface Arg {
  /** Keyword name for `name=value`; undefined for positional ones. */
  name?: string;
  /** `*x` or `**x`. */
  star?: '*' | '**';
  value: SyntaxNode;
  /** The whole argument (keyword included), for edits that remove or replace it. */
  from: number;
  to: number;
}

const PUNCT = new Set(['(', ')', ',', '[', ']', '{', '}', ':']);

/** The arguments of a CallExpression (or of its ArgList), in the written order. */
export function callArgs(doc: PyDocument, call: SyntaxNode): Arg[] {
  const list = call.name === 'ArgList' ? call : call.getChild('ArgList');
  if (!list) return [];
  const groups: SyntaxNode[][] = [[]];
  for (let c = list.firstChild; c; c = c.nextSibling) {
    if (c.name === ',') groups.push([]);
    else if (c.name !== '(' && c.name !== ')') groups[groups.length - 1]!.push(c);
  }
  const out: Arg[] = [];
  for (const g of groups) {
    if (g.length === 0) continue;
    const first = g[0]!;
    const last = g[g.length - 1]!;
    if (g.length >= 3 && first.name === 'VariableName' && g[1]!.name === 'AssignOp' && doc.textOf(g[1]) === '=')
      out.push({ name: doc.textOf(first), value: g[2]!, from: first.from, to: last.to });
    else if ((first.name === '*' || first.name === '**') && g.length >= 2)
      out.push({ star: first.name, value: g[1]!, from: first.from, to: last.to });
    else if (!PUNCT.has(first.name)) out.push({ value: first, from: first.from, to: last.to });
  }
  return out;
}

/** The callee of a CallExpression. */
export function calleeOf(call: SyntaxNode): SyntaxNode | null {
  return call.firstChild;
}

/**
 * A dotted name for a callee or receiver: `torch.optim.AdamW`, `self.scheduler`,
 * `optim.lr_scheduler.StepLR`. Undefined for anything else (subscripts, calls).
 */
export function dottedName(doc: PyDocument, node: SyntaxNode | null): string | undefined {
  if (!node) return undefined;
  if (node.name === 'VariableName') return doc.textOf(node);
  if (node.name === 'MemberExpression') {
    const obj = node.firstChild;
    const prop = node.lastChild;
    if (!obj || !prop || prop.name !== 'PropertyName') return undefined;
    const base = dottedName(doc, obj);
    return base === undefined ? undefined : `${base}.${doc.textOf(prop)}`;
  }
  if (node.name === 'ParenthesizedExpression') return dottedName(doc, node.firstChild?.nextSibling ?? null);
  return undefined;
}

/** Statement node types (the ones that sit directly in a Script or Body). */
export const STATEMENT_TYPES = new Set([
  'ExpressionStatement',
  'AssignStatement',
  'UpdateStatement',
  'ReturnStatement',
  'PassStatement',
  'BreakStatement',
  'ContinueStatement',
  'RaiseStatement',
  'ImportStatement',
  'DeleteStatement',
  'AssertStatement',
  'GlobalStatement',
  'NonlocalStatement',
  'PrintStatement',
  'IfStatement',
  'ForStatement',
  'WhileStatement',
  'WithStatement',
  'TryStatement',
  'FunctionDefinition',
  'ClassDefinition',
  'DecoratedStatement',
  'MatchStatement',
  'StatementGroup',
  'TypeDefinition',
]);

/** The statement that contains `node` (the node itself when it is one). */
export function statementOf(node: SyntaxNode): SyntaxNode {
  let n: SyntaxNode | null = node;
  while (n) {
    if (STATEMENT_TYPES.has(n.name) && n.parent && (n.parent.name === 'Body' || n.parent.name === 'Script' || n.parent.name === 'StatementGroup'))
      return n.parent.name === 'StatementGroup' ? n.parent : n;
    n = n.parent;
  }
  return node;
}

/** The closest ancestor of one of `names` (not the node itself). */
export function ancestorOf(node: SyntaxNode, names: ReadonlySet<string>): SyntaxNode | null {
  for (let n = node.parent; n; n = n.parent) if (names.has(n.name)) return n;
  return null;
}

/** The innermost function definition around a node. */
export function enclosingFunction(node: SyntaxNode): SyntaxNode | null {
  return ancestorOf(node, FUNCTION_TYPES);
}

const FUNCTION_TYPES = new Set(['FunctionDefinition', 'LambdaExpression']);

/** The name of a FunctionDefinition. */
export function functionName(doc: PyDocument, fn: SyntaxNode): string {
  return doc.textOf(fn.getChild('VariableName'));
}

/** The value of a string literal (plain, single or triple quoted; no f-strings). */
export function stringValue(doc: PyDocument, node: SyntaxNode | null | undefined): string | undefined {
  if (!node || node.name !== 'String') return undefined;
  const raw = doc.textOf(node);
  const m = /^([rRbBuU]{0,2})('''|"""|'|")([\s\S]*)\2$/.exec(raw);
  if (!m) return undefined;
  if (/[bB]/.test(m[1]!)) return undefined;
  return /[rR]/.test(m[1]!) ? m[3]! : m[3]!.replace(/\\(.)/g, '$1');
}

/** The offset of the last non-whitespace character of a node, plus one. */
export function trimmedEnd(doc: PyDocument, node: SyntaxNode): number {
  let end = node.to;
  while (end > node.from && /\s/.test(doc.text[end - 1]!)) end--;
  return end;
}

/** The statements directly inside a Body or Script node. */
export function statementsIn(body: SyntaxNode): SyntaxNode[] {
  return childrenOf(body).filter((c) => STATEMENT_TYPES.has(c.name));
}
