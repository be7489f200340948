// Where in a script a fix goes: the LR to change, the epoch-level statement after a
// batch loop, the statement holding an `optimizer.step()`, the validation loss a
// plateau scheduler needs, and names that are free to introduce.
import type { SyntaxNode } from '@lezer/common';
import type { LoopContext } from './loops';
import { enclosingFunction, functionName, nodesOfType, statementsIn } from './parse';
import type { ScriptModel, StepCall } from './scriptModel';
import { assignmentPairs } from './values';

/** The ancestor of `node` (or `node`) that is a direct statement of `body`. */
export function statementIn(node: SyntaxNode, body: SyntaxNode): SyntaxNode | undefined {
  for (let n: SyntaxNode | null = node; n; n = n.parent) if (n.parent && n.parent.from === body.from && n.parent.to === body.to && n.parent.name === body.name) return n;
  return undefined;
}

/**
 * The statement at epoch level after which per-epoch code goes, for code that now runs
 * in the batch loop of `ctx`: the batch loop itself when the epoch loop holds it, or the
 * call (`train(...)`) through which the epoch loop reaches it.
 */
export function epochAnchor(model: ScriptModel, ctx: LoopContext): SyntaxNode | undefined {
  if (!ctx.loop || ctx.kind !== 'batch') return undefined;
  const batchLoop = ctx.loop.node;
  const outer = model.loops.contextOf(batchLoop);
  if (outer.kind !== 'epoch' || !outer.loop) return undefined;
  const body = outer.loop.node.getChild('Body');
  if (!body) return undefined;
  // The outermost call in the chain is the one inside the epoch loop.
  const reach = outer.via.length ? outer.via[0]! : batchLoop;
  return statementIn(reach, body);
}

/** The statement in `stmt`'s block that contains the optimizer step `o` (or the call reaching it). */
export function statementReaching(model: ScriptModel, o: StepCall, block: SyntaxNode): SyntaxNode | undefined {
  const direct = statementIn(o.node, block);
  if (direct) return direct;
  for (const v of o.context.via) {
    const s = statementIn(v, block);
    if (s) return s;
  }
  // The optimizer step is in a function called from somewhere in the block.
  const fn = enclosingFunction(o.node);
  if (!fn) return undefined;
  for (const call of model.loops.callSitesOf(functionName(model.doc, fn))) {
    const s = statementIn(call, block);
    if (s) return s;
  }
  return undefined;
}

const LOSS_NAME = /^(val|valid|validation|eval|test|dev)_?\w*loss\w*$|^\w*loss_?(val|valid|eval|test)$/i;
const VALIDATE_FN = /valid|eval|test/i;

export interface MetricChoice {
  /** The expression to pass (`val_loss`). */
  expr: string;
  /** When the metric has to be captured first: the call statement to turn into `val_loss = ...`. */
  capture?: SyntaxNode;
}

/**
 * The validation loss visible before offset `before` in `block`: a variable named like
 * one, assigned earlier in the same function, else a call to a validation function of
 * this file whose result is discarded (`test(model, loader)`, when that function
 * returns something), to capture.
 */
export function validationMetric(model: ScriptModel, block: SyntaxNode, before: number): MetricChoice | undefined {
  const doc = model.doc;
  const fn = enclosingFunction(block);
  let best: { name: string; from: number } | undefined;
  for (const st of nodesOfType(doc, new Set(['AssignStatement']))) {
    if (st.from >= before || enclosingFunction(st)?.from !== fn?.from) continue;
    for (const [t] of assignmentPairs(st)) {
      const name = doc.textOf(t);
      if (t.name === 'VariableName' && LOSS_NAME.test(name) && (!best || st.from > best.from)) best = { name, from: st.from };
    }
  }
  if (best) return { expr: best.name };
  const stmts = statementsIn(block).filter((s) => s.from < before).reverse();
  for (const s of stmts) {
    if (s.name !== 'ExpressionStatement' || s.firstChild?.name !== 'CallExpression') continue;
    const callee = doc.textOf(s.firstChild.firstChild).replace(/^self\./, '');
    if (!VALIDATE_FN.test(callee)) continue;
    const def = nodesOfType(doc, new Set(['FunctionDefinition'])).find((f) => functionName(doc, f) === callee);
    if (!def || !returnsValue(def)) continue;
    return { expr: freeName(model, 'val_loss'), capture: s };
  }
  return undefined;
}

function returnsValue(fn: SyntaxNode): boolean {
  let found = false;
  fn.toTree().iterate({
    enter: (n) => {
      if (n.name === 'ReturnStatement' && n.node.firstChild?.nextSibling) found = true;
    },
  });
  return found;
}

/** `base`, or `base_2`, ... whichever no assignment or import in the file uses yet. */
export function freeName(model: ScriptModel, base: string): string {
  const used = new Set(model.values.assignedNames());
  for (const b of model.imports.bindings.keys()) used.add(b);
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) if (!used.has(`${base}_${i}`)) return `${base}_${i}`;
}

/** The name to use for a variable at `at`: its own name when it is visible there (same function or module level), else `fallback`. */
export function visibleName(variable: string | undefined, constructedAt: SyntaxNode, fallback: string, at: SyntaxNode): string {
  if (!variable) return fallback;
  const a = enclosingFunction(constructedAt);
  if (a === null || a.from === enclosingFunction(at)?.from) return variable;
  return fallback;
}
