// Python source text for generated code: number literals as people type them, and
// call / list / dict expressions laid out the way black lays them out (on one line when
// they fit, else one element per line with a trailing comma, nested as needed).

/** A Python expression to print: source text, a call, a list or a dict. */
export type PyExpr = string | PyCall | PyList | PyDict;

export interface PyCall {
  kind: 'call';
  /** The callee as it is spelled in this file (`CosineAnnealingLR`, `optax.adamw`). */
  callee: string;
  args: PyArg[];
}

/** A positional argument, or `name=value`. */
export type PyArg = PyExpr | { kw: string; value: PyExpr };

export interface PyList {
  kind: 'list';
  items: PyExpr[];
}

export interface PyDict {
  kind: 'dict';
  /** Keys as source text (already quoted). */
  entries: [string, PyExpr][];
}

export const pyCall = (callee: string, ...args: PyArg[]): PyCall => ({ kind: 'call', callee, args });
export const pyKw = (kw: string, value: PyExpr): PyArg => ({ kw, value });
export const pyList = (...items: PyExpr[]): PyList => ({ kind: 'list', items });
export const pyDict = (...entries: [string, PyExpr][]): PyDict => ({ kind: 'dict', entries });

/** Where an expression is printed: the indentation of the line it starts on, the file's indent step and line ending. */
export interface PyLayout {
  indent: string;
  unit: string;
  eol: string;
  /** Line length to stay within (default 100). */
  width?: number;
}

const isKw = (a: PyArg): a is { kw: string; value: PyExpr } => typeof a === 'object' && 'kw' in a;

/** The expression on one line. */
export function flatExpr(e: PyExpr): string {
  if (typeof e === 'string') return e;
  switch (e.kind) {
    case 'call':
      return `${e.callee}(${e.args.map((a) => (isKw(a) ? `${a.kw}=${flatExpr(a.value)}` : flatExpr(a))).join(', ')})`;
    case 'list':
      return `[${e.items.map(flatExpr).join(', ')}]`;
    case 'dict':
      return `{${e.entries.map(([k, v]) => `${k}: ${flatExpr(v)}`).join(', ')}}`;
  }
}

/**
 * The expression as source text starting at `column` of a line indented by
 * `layout.indent`: flat when it fits in the width, else exploded one element per line
 * (continuation lines carry their full indentation).
 */
export function renderExpr(e: PyExpr, layout: PyLayout, column: number): string {
  const flat = flatExpr(e);
  const width = layout.width ?? 100;
  if (typeof e === 'string' || column + flat.length <= width) return flat;
  const inner = layout.indent + layout.unit;
  const sub: PyLayout = { ...layout, indent: inner };
  const lines: string[] = [];
  let open: string;
  let close: string;
  if (e.kind === 'call') {
    open = `${e.callee}(`;
    close = ')';
    for (const a of e.args) {
      if (isKw(a)) lines.push(`${inner}${a.kw}=${renderExpr(a.value, sub, inner.length + a.kw.length + 1)},`);
      else lines.push(`${inner}${renderExpr(a, sub, inner.length)},`);
    }
  } else if (e.kind === 'list') {
    open = '[';
    close = ']';
    for (const it of e.items) lines.push(`${inner}${renderExpr(it, sub, inner.length)},`);
  } else {
    open = '{';
    close = '}';
    for (const [k, v] of e.entries) lines.push(`${inner}${k}: ${renderExpr(v, sub, inner.length + k.length + 2)},`);
  }
  if (lines.length === 0) return flat;
  return `${open}${layout.eol}${lines.join(layout.eol)}${layout.eol}${layout.indent}${close}`;
}

/**
 * A float literal that reads back as exactly `x`: `0.0`, `0.1`, `0.858`, `1e-5`,
 * `2.5e-4`, `1e4` (exponent form below 1e-3 and from 1e4 up, the shortest digits that
 * round-trip).
 */
export function pyFloat(x: number): string {
  if (x === 0) return '0.0';
  const a = Math.abs(x);
  if (a < 1e-3 || a >= 1e4) return x.toExponential().replace('e+', 'e');
  const s = String(x);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

/** An int literal, grouped with `_` from 10,000 up (`12_000`). */
export function pyInt(n: number): string {
  const s = String(Math.round(n));
  return Math.abs(n) >= 10000 ? s.replace(/\B(?=(\d{3})+(?!\d))/g, '_') : s;
}
