// Text edits on a script, in the shape VS Code's `TextEdit` takes (0-based positions),
// and the primitives every fix is built from: replace a value, insert a statement with
// the file's own indentation and line endings, delete or move a statement, and refer
// to a library name through the script's existing imports (adding one only when needed).
import type { SyntaxNode } from '@lezer/common';
import { canonicalName } from './catalog';
import type { ImportTable } from './imports';
import { childrenOf, statementsIn, trimmedEnd, type PyDocument, type Range } from './parse';

export interface TextEdit {
  range: Range;
  newText: string;
}

/** One quick fix: a title in the user's terms and the edits that make it. */
export interface ScriptFix {
  title: string;
  edits: TextEdit[];
  /** The fix to apply when only one is applied (VS Code's `isPreferred`). */
  isPreferred: boolean;
}

export function replaceSpan(doc: PyDocument, from: number, to: number, newText: string): TextEdit {
  return { range: doc.rangeOf(from, to), newText };
}

export function insertAt(doc: PyDocument, offset: number, newText: string): TextEdit {
  return { range: doc.rangeOf(offset, offset), newText };
}

/** Applies non-overlapping edits (as VS Code does: all positions refer to the original text). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
    else if (text.charCodeAt(i) === 13 && text.charCodeAt(i + 1) !== 10) lineStarts.push(i + 1);
  }
  const off = (p: { line: number; character: number }): number => {
    if (p.line >= lineStarts.length) return text.length;
    return Math.min(lineStarts[p.line]! + p.character, text.length);
  };
  const spans = edits.map((e, i) => ({ from: off(e.range.start), to: off(e.range.end), text: e.newText, i }));
  spans.sort((a, b) => a.from - b.from || a.to - b.to || a.i - b.i);
  for (let i = 1; i < spans.length; i++) if (spans[i]!.from < spans[i - 1]!.to) throw new Error('overlapping edits');
  let out = '';
  let pos = 0;
  for (const s of spans) {
    out += text.slice(pos, s.from) + s.text;
    pos = s.to;
  }
  return out + text.slice(pos);
}

/** The file's indentation step: what a block adds to its header's indentation (4 spaces when the file has no block). */
export function indentUnit(doc: PyDocument): string {
  let found: string | undefined;
  doc.tree.iterate({
    enter: (n) => {
      if (found !== undefined) return false;
      if (n.name !== 'Body' || !n.node.parent) return undefined;
      const first = statementsIn(n.node)[0];
      if (!first) return undefined;
      const headerLine = doc.lineOf(n.node.parent.from);
      const bodyLine = doc.lineOf(first.from);
      if (bodyLine === headerLine) return undefined;
      const outer = doc.indentOf(headerLine);
      const inner = doc.indentOf(bodyLine);
      if (inner.startsWith(outer) && inner.length > outer.length) found = inner.slice(outer.length);
      return undefined;
    },
  });
  return found ?? '    ';
}

/** The indentation of the line a statement starts on. */
export function indentAt(doc: PyDocument, node: SyntaxNode): string {
  return doc.indentOf(doc.lineOf(node.from));
}

/** Inserts lines after a statement, at `indent` (default: the statement's own). */
export function insertAfter(doc: PyDocument, stmt: SyntaxNode, lines: readonly string[], indent = indentAt(doc, stmt)): TextEdit {
  const endLine = doc.lineOf(trimmedEnd(doc, stmt));
  const at = doc.lineEnd(endLine);
  return insertAt(doc, at, lines.map((l) => doc.eol + (l ? indent + l : '')).join(''));
}

/** Inserts lines before a statement, at its indentation. */
export function insertBefore(doc: PyDocument, stmt: SyntaxNode, lines: readonly string[], indent = indentAt(doc, stmt)): TextEdit {
  const line = doc.lineOf(stmt.from);
  return insertAt(doc, doc.lineStart(line), lines.map((l) => (l ? indent + l : '') + doc.eol).join(''));
}

/**
 * Deletes a statement. When it has its line(s) to itself the whole lines go; when it is
 * the only statement of its block, it becomes `pass` so the file still parses.
 */
export function deleteStatement(doc: PyDocument, stmt: SyntaxNode): TextEdit {
  const body = stmt.parent;
  const end = trimmedEnd(doc, stmt);
  const startLine = doc.lineOf(stmt.from);
  const endLine = doc.lineOf(end);
  const before = doc.text.slice(doc.lineStart(startLine), stmt.from);
  const after = doc.text.slice(end, doc.lineEnd(endLine));
  const alone = /^[ \t]*$/.test(before) && /^[ \t]*(#.*)?$/.test(after);
  if (body && body.name === 'Body' && statementsIn(body).length === 1) return replaceSpan(doc, stmt.from, end, 'pass');
  if (!alone) {
    // `a(); scheduler.step()` — drop the statement and its separator only.
    const semi = /^[ \t]*;[ \t]*/.exec(after);
    if (semi) return replaceSpan(doc, stmt.from, end + semi[0].length, '');
    const prevSemi = /;[ \t]*$/.exec(before);
    if (prevSemi) return replaceSpan(doc, stmt.from - prevSemi[0].length, end, '');
    return replaceSpan(doc, stmt.from, end, 'pass');
  }
  const from = doc.lineStart(startLine);
  const to = endLine + 1 < doc.lineCount ? doc.lineStart(endLine + 1) : doc.text.length;
  return replaceSpan(doc, from, to, '');
}

/**
 * Moves a statement: deletes it and inserts `lines` after `anchor`. When the anchor
 * ends on the deleted line (the statement was the last one of the anchor's block), the
 * two become one edit, so the result has no overlapping edits.
 */
export function moveStatement(doc: PyDocument, stmt: SyntaxNode, anchor: SyntaxNode, lines: readonly string[], indent: string): TextEdit[] {
  const del = deleteStatement(doc, stmt);
  const ins = insertAfter(doc, anchor, lines, indent);
  const delFrom = doc.offsetAt(del.range.start);
  const delTo = doc.offsetAt(del.range.end);
  const at = doc.offsetAt(ins.range.start);
  if (at < delFrom || at > delTo || (at === delTo && del.newText !== '')) return [del, ins];
  if (del.newText !== '' || doc.positionAt(delFrom).character !== 0) return [del, ins];
  const text = lines.map((l) => (l ? indent + l : '') + doc.eol).join('');
  return [replaceSpan(doc, delFrom, delTo, text)];
}

/** Formats a learning rate the way people write them: `3e-4`, `0.1`, `1.5e-5`. */
export function formatLrLiteral(x: number, like?: string): string {
  if (!Number.isFinite(x)) return String(x);
  const r = Number(x.toPrecision(2));
  const exp = r.toExponential().replace('e+', 'e');
  const [mant, e] = exp.split('e') as [string, string];
  const sci = `${mant}e${e}`;
  const plain = String(r);
  const likeSci = like !== undefined ? /[eE]/.test(like) : undefined;
  if (likeSci === true && r !== 0) return sci;
  if (likeSci === false && Math.abs(r) >= 1e-4) return plain;
  return Math.abs(r) >= 1e-2 || r === 0 ? plain : sci;
}

/** Formats an integer step count (Python `_` grouping for 10,000 and above). */
export function formatInt(n: number): string {
  const s = String(Math.round(n));
  return Math.abs(n) >= 10000 ? s.replace(/\B(?=(\d{3})+(?!\d))/g, '_') : s;
}

/**
 * Resolves library names to expressions through the script's imports, and collects
 * the import edits needed for the names it cannot reach. One planner per fix, so a fix
 * that needs `LinearLR` and `SequentialLR` adds one import line, not two.
 */
export class ImportPlanner {
  private readonly added = new Map<string, string[]>();
  private readonly extended = new Map<SyntaxNode, string[]>();

  constructor(
    private readonly doc: PyDocument,
    private readonly imports: ImportTable,
  ) {}

  /** The expression that names `qualified` (e.g. `torch.optim.lr_scheduler.LinearLR`) in this file. */
  ref(qualified: string): string {
    const name = qualified.slice(qualified.lastIndexOf('.') + 1);
    const module = qualified.slice(0, qualified.lastIndexOf('.'));
    const spellings = [qualified, ...aliasesOf(qualified)];
    const bindings = [...this.imports.bindings.values()];
    // 1. The name itself is imported.
    for (const b of bindings) if (spellings.some((sp) => canonicalName(sp) === canonicalName(b.qualified))) return b.local;
    // 2. Already planned in this fix.
    for (const [, names] of this.extended) if (names.includes(name)) return name;
    if (this.added.get(module)?.includes(name)) return name;
    // 3. Extend an existing `from module import ...` (the file's style for this module).
    for (const st of this.imports.statements) {
      if (bindings.some((x) => x.statement === st && x.fromImport && x.module !== undefined && spellings.some((sp) => canonicalName(sp.slice(0, sp.lastIndexOf('.'))) === canonicalName(x.module!)))) {
        this.extended.set(st, [...(this.extended.get(st) ?? []), name]);
        return name;
      }
    }
    // 4. A module above it is imported: `optim.lr_scheduler.LinearLR`, `torch.optim.lr_scheduler.LinearLR`.
    let best: { expr: string; depth: number } | undefined;
    for (const b of bindings) {
      for (const sp of spellings) {
        const depth = b.qualified.split('.').length;
        if (sp.startsWith(b.qualified + '.') && (!best || depth > best.depth)) best = { expr: b.local + sp.slice(b.qualified.length), depth };
      }
    }
    if (best) return best.expr;
    // 5. A new import line.
    this.added.set(module, [...(this.added.get(module) ?? []), name]);
    return name;
  }

  /** The edits for every name `ref` could not reach through existing imports. */
  edits(): TextEdit[] {
    const doc = this.doc;
    const out: TextEdit[] = [];
    for (const [st, names] of this.extended) {
      const kids = childrenOf(st);
      const last = [...kids].reverse().find((k) => k.name === 'VariableName');
      if (!last) continue;
      out.push(insertAt(doc, last.to, names.map((n) => `, ${n}`).join('')));
    }
    if (this.added.size) {
      const lines = [...this.added].map(([m, names]) => `from ${m} import ${names.join(', ')}`);
      const top = this.imports.statements.filter((s) => s.parent?.name === 'Script');
      if (top.length) out.push(insertAfter(doc, top[top.length - 1]!, lines, ''));
      else out.push(insertAt(doc, headerEnd(doc), lines.map((l) => l + doc.eol).join('') + (doc.text.length ? doc.eol : '')));
    }
    return out;
  }
}

/** Other public spellings of a library name (`keras.X` is also `tensorflow.keras.X`). */
function aliasesOf(q: string): string[] {
  if (q.startsWith('keras.')) return [`tensorflow.${q}`];
  if (q.startsWith('transformers.') && !q.startsWith('transformers.optimization.')) return [q.replace(/^transformers\./, 'transformers.optimization.')];
  return [];
}

/** The offset after a shebang, encoding line, module docstring and `from __future__` imports. */
function headerEnd(doc: PyDocument): number {
  let line = 0;
  while (line < doc.lineCount && /^(#!|#.*coding[:=])/.test(doc.lineText(line))) line++;
  let at = doc.lineStart(line);
  const script = doc.tree.topNode;
  for (const st of statementsIn(script)) {
    const text = doc.textOf(st);
    if (st.name === 'ExpressionStatement' && st.firstChild?.name === 'String' && st.from <= at + 1) at = nextLineStart(doc, trimmedEnd(doc, st));
    else if (st.name === 'ImportStatement' && /^from\s+__future__/.test(text)) at = nextLineStart(doc, trimmedEnd(doc, st));
    else break;
  }
  return at;
}

function nextLineStart(doc: PyDocument, offset: number): number {
  const line = doc.lineOf(offset);
  return line + 1 < doc.lineCount ? doc.lineStart(line + 1) : doc.text.length;
}
