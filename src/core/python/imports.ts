// What each imported name in a script stands for, so `AW(...)`, `optim.AdamW(...)` and
// `torch.optim.AdamW(...)` all resolve to the qualified name `torch.optim.AdamW`.
//
// Scope: every import statement of the file counts, wherever it is (module level,
// inside `try:` or a function), because training scripts import conditionally and
// lazily. Relative imports (`from .model import GPT`) bind names to the module
// `.model`, which matches nothing in the catalogue. `from m import *` is remembered so
// that unbound names can be looked up in `m`.
import type { SyntaxNode } from '@lezer/common';
import { nodesOfType, type PyDocument } from './parse';

export interface ImportBinding {
  /** The local name the import binds (`AW`, `optim`, `torch`). */
  local: string;
  /** What it stands for (`torch.optim.AdamW`, `torch.optim`, `torch`). */
  qualified: string;
  /** `from m import n` (true) or `import m` (false). */
  fromImport: boolean;
  /** The module of a `from` import (`torch.optim.lr_scheduler`). */
  module?: string;
  statement: SyntaxNode;
}

export interface ImportTable {
  /** Local name to binding; a later import of the same name wins. */
  bindings: Map<string, ImportBinding>;
  /** Modules imported with `from m import *`. */
  starModules: string[];
  /** Every import statement, in document order. */
  statements: SyntaxNode[];
}

const IMPORT = new Set(['ImportStatement']);

export function importsOf(doc: PyDocument): ImportTable {
  const table: ImportTable = { bindings: new Map(), starModules: [], statements: [] };
  for (const st of nodesOfType(doc, IMPORT)) {
    table.statements.push(st);
    const kids: SyntaxNode[] = [];
    for (let c = st.firstChild; c; c = c.nextSibling) kids.push(c);
    if (kids[0]?.name === 'from') {
      let i = 1;
      let mod = '';
      while (i < kids.length && kids[i]!.name !== 'import') {
        mod += kids[i]!.name === 'VariableName' ? doc.textOf(kids[i]) : doc.textOf(kids[i]).replace(/\s+/g, '');
        i++;
      }
      i++;
      for (; i < kids.length; i++) {
        const k = kids[i]!;
        if (k.name === '*') table.starModules.push(mod);
        if (k.name !== 'VariableName') continue;
        const name = doc.textOf(k);
        let local = name;
        if (kids[i + 1]?.name === 'as' && kids[i + 2]?.name === 'VariableName') {
          local = doc.textOf(kids[i + 2]);
          i += 2;
        }
        table.bindings.set(local, { local, qualified: `${mod}.${name}`, fromImport: true, module: mod, statement: st });
      }
    } else {
      // import a.b.c [as x], d
      let parts: string[] = [];
      const flush = (alias?: string): void => {
        if (parts.length === 0) return;
        const dotted = parts.join('.');
        if (alias) table.bindings.set(alias, { local: alias, qualified: dotted, fromImport: false, statement: st });
        else table.bindings.set(parts[0]!, { local: parts[0]!, qualified: parts[0]!, fromImport: false, statement: st });
        parts = [];
      };
      for (let i = 1; i < kids.length; i++) {
        const k = kids[i]!;
        if (k.name === 'VariableName') parts.push(doc.textOf(k));
        else if (k.name === 'as' && kids[i + 1]?.name === 'VariableName') {
          flush(doc.textOf(kids[i + 1]));
          i++;
        } else if (k.name === ',') flush();
      }
      flush();
    }
  }
  return table;
}

/**
 * The qualified name of a dotted name as the script wrote it: the first segment is
 * replaced by what its import binds. `undefined` when the first segment was not
 * imported (a local variable, a parameter, or a star-imported name).
 */
export function resolveDotted(table: ImportTable, dotted: string): string | undefined {
  const dot = dotted.indexOf('.');
  const head = dot < 0 ? dotted : dotted.slice(0, dot);
  const b = table.bindings.get(head);
  if (!b) return undefined;
  return dot < 0 ? b.qualified : b.qualified + dotted.slice(dot);
}
