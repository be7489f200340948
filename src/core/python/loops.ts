// Which loop a statement runs in: once per batch (optimizer step), once per epoch, or
// neither. This decides whether `scheduler.step()` is called at the cadence its
// schedule was sized for.
//
// What is resolved:
// - `for` and `while` loops, by their header: `for epoch in range(...)`,
//   `while epoch < n` are epoch loops; `for batch in train_loader`,
//   `for step, batch in enumerate(train_dataloader)`, `for i in range(num_batches)` are
//   batch loops; loops over `val_loader`/`eval_dataloader`/`test_loader` are `other`.
// - By structure: the innermost loop around an `optimizer.step()` is the batch loop
//   (nanoGPT's `while True:`, a gradient-accumulation loop inside it is not); a loop
//   around a batch loop is the epoch loop.
// - Through functions defined in the same file and called by name (`train(...)`,
//   `self.train_one_epoch(...)`), up to four calls deep: a statement in a function is
//   in the loop around its call site.
// - Framework hooks by name when nothing calls them: Lightning's `training_step` and
//   `on_train_batch_end` run per batch, `on_train_epoch_end` (and any function whose
//   name says "epoch") per epoch.
//
// What is not: functions passed as callbacks or stored in variables, methods called on
// other objects, code in other files, loops built from recursion or `itertools`
// helpers whose names say nothing. Those statements are reported as `other`, never
// guessed.
import type { SyntaxNode } from '@lezer/common';
import { childrenOf, dottedName, functionName, nodesOfType, type PyDocument } from './parse';

export type LoopKind = 'batch' | 'epoch' | 'other';

export interface LoopInfo {
  node: SyntaxNode;
  kind: LoopKind;
  /** 1-based line of the loop header. */
  line: number;
  /** The header as written (`for epoch in range(args.epochs)`). */
  header: string;
  /** Why it got its kind, in words. */
  reason: string;
}

/** Where a statement runs: the loop kind, the loop, and the call sites it was reached through. */
export interface LoopContext {
  kind: LoopKind;
  loop?: LoopInfo;
  /** Calls that lead from the loop to the statement (outermost first), when it is in a function. */
  via: SyntaxNode[];
}

const LOOPS = new Set(['ForStatement', 'WhileStatement']);
const FUNCS = new Set(['FunctionDefinition']);
const CALLS = new Set(['CallExpression']);

type Hint = 'epoch' | 'batch' | 'eval' | 'transparent' | undefined;

const EPOCH_TARGET = /(^|_)(ep|e)(_|$)|epoch/i;
const EVAL_ITER = /\b(val|valid|validation|eval|evaluation|test|dev)(_|\b)|(val|eval|test)_?(loader|dataloader|data|ds|dataset|iter)/i;
const BATCH_ITER = /loader|batch|data|_ds\b|\bds\b|iterator|steps|iters|updates|num_update|max_step|max_iter|train_iter/i;
const BATCH_TARGET = /batch|step|^i$|^it$|^iter|^idx$|_idx$|^x$|^inputs?$/i;

function loopHint(doc: PyDocument, loop: SyntaxNode): { hint: Hint; why: string } {
  if (loop.name === 'ForStatement') {
    const kids = childrenOf(loop);
    const inAt = kids.findIndex((k) => k.name === 'in');
    const target = kids
      .slice(1, inAt)
      .map((k) => doc.textOf(k))
      .join(' ');
    const iter = inAt >= 0 ? doc.textOf(kids[inAt + 1]) : '';
    const targets = target.split(/[\s,()[\]]+/).filter(Boolean);
    if (/param_groups|schedulers|optimizers/.test(iter)) return { hint: 'transparent', why: `iterates over ${iter}, not over data` };
    if (targets.some((t) => /micro|accum/i.test(t)) || /accum/i.test(iter)) return { hint: 'eval', why: `accumulates gradients over micro-batches (${target} in ${iter})` };
    if (/per_epoch|_per_ep\b/i.test(iter)) return { hint: 'batch', why: `iterates over the steps of an epoch (${target} in ${iter})` };
    if (targets.some((t) => EPOCH_TARGET.test(t)) || /epoch/i.test(iter)) return { hint: 'epoch', why: `iterates over epochs (${target} in ${iter})` };
    if (EVAL_ITER.test(iter) && !/train/i.test(iter)) return { hint: 'eval', why: `iterates over evaluation data (${iter})` };
    if (BATCH_ITER.test(iter) || targets.some((t) => BATCH_TARGET.test(t) && t !== 'e')) return { hint: 'batch', why: `iterates over batches (${target} in ${iter})` };
    return { hint: undefined, why: '' };
  }
  const cond = doc.textOf(childrenOf(loop)[1]);
  if (/epoch/i.test(cond)) return { hint: 'epoch', why: `runs while ${cond}` };
  return { hint: undefined, why: '' };
}

export class LoopAnalysis {
  readonly loops: LoopInfo[] = [];
  private readonly byFrom = new Map<number, LoopInfo>();
  /** Function name -> definitions (module functions and methods alike). */
  private readonly functions = new Map<string, SyntaxNode[]>();
  /** Function name -> call sites `f(...)` / `self.f(...)`. */
  private readonly callSites = new Map<string, SyntaxNode[]>();
  /** Loops over parameter groups or scheduler lists: a statement in them runs where the loop runs. */
  private readonly transparent = new Set<number>();

  /**
   * @param optimizerSteps the `optimizer.step()` calls (and `scaler.step(optimizer)`),
   *   which mark the batch loop structurally.
   */
  constructor(
    readonly doc: PyDocument,
    optimizerSteps: readonly SyntaxNode[],
  ) {
    for (const fn of nodesOfType(doc, FUNCS)) {
      const name = functionName(doc, fn);
      this.functions.set(name, [...(this.functions.get(name) ?? []), fn]);
    }
    for (const call of nodesOfType(doc, CALLS)) {
      const callee = dottedName(doc, call.firstChild);
      if (!callee) continue;
      const m = /^(?:self\.)?([A-Za-z_]\w*)$/.exec(callee);
      if (!m || !this.functions.has(m[1]!)) continue;
      this.callSites.set(m[1]!, [...(this.callSites.get(m[1]!) ?? []), call]);
    }
    const hints = new Map<number, { hint: Hint; why: string }>();
    const nodes = nodesOfType(doc, LOOPS);
    for (const n of nodes) {
      const h = loopHint(doc, n);
      hints.set(n.from, h);
      if (h.hint === 'transparent') this.transparent.add(n.from);
    }
    // Loops whose body runs optimizer.step() with no loop in between.
    const direct = new Map<number, string>();
    for (const s of optimizerSteps) {
      for (const l of this.innermostLoops(s)) if (!direct.has(l.from)) direct.set(l.from, `runs ${doc.textOf(s)} once per iteration`);
    }
    const kindOf = new Map<number, { kind: LoopKind; reason: string }>();
    for (const n of nodes) {
      const h = hints.get(n.from)!;
      if (h.hint === 'epoch') kindOf.set(n.from, { kind: 'epoch', reason: h.why });
      else if (h.hint === 'eval' || h.hint === 'transparent') kindOf.set(n.from, { kind: 'other', reason: h.why });
      else if (direct.has(n.from)) kindOf.set(n.from, { kind: 'batch', reason: direct.get(n.from)! });
      else if (h.hint === 'batch') kindOf.set(n.from, { kind: 'batch', reason: h.why });
    }
    // A loop around a batch loop (directly or through a call) is the epoch loop.
    for (const n of nodes) {
      if (kindOf.has(n.from)) continue;
      const inner = nodes.find((m) => m !== n && kindOf.get(m.from)?.kind === 'batch' && this.innermostLoops(m).some((l) => l.from === n.from));
      kindOf.set(n.from, inner ? { kind: 'epoch', reason: `runs the batch loop at line ${doc.lineOf(inner.from) + 1} once per iteration` } : { kind: 'other', reason: 'neither its header nor its body says batch or epoch' });
    }
    for (const n of nodes) {
      const k = kindOf.get(n.from)!;
      const headerEnd = n.getChild('Body')?.from ?? n.to;
      const info: LoopInfo = { node: n, kind: k.kind, line: doc.lineOf(n.from) + 1, header: doc.text.slice(n.from, headerEnd).replace(/\s+/g, ' ').trim(), reason: k.reason };
      this.loops.push(info);
      this.byFrom.set(n.from, info);
    }
  }

  /** The innermost loop(s) around `node`: in its own function, or around the calls that reach it. */
  private innermostLoops(node: SyntaxNode, depth = 0, seen = new Set<number>()): SyntaxNode[] {
    for (let n = node.parent; n; n = n.parent) {
      if (LOOPS.has(n.name) && node.from >= (n.getChild('Body')?.from ?? n.to) && !this.transparent.has(n.from)) return [n];
      if (n.name === 'FunctionDefinition') {
        if (depth >= 4 || seen.has(n.from)) return [];
        seen.add(n.from);
        const out: SyntaxNode[] = [];
        for (const c of this.callSites.get(functionName(this.doc, n)) ?? []) out.push(...this.innermostLoops(c, depth + 1, seen));
        return out;
      }
      if (n.name === 'LambdaExpression' || n.name === 'ClassDefinition') return [];
    }
    return [];
  }

  /** The loop a node runs in, following calls to functions in this file. */
  contextOf(node: SyntaxNode): LoopContext {
    return this.context(node, 0, new Set());
  }

  private context(node: SyntaxNode, depth: number, seen: Set<number>): LoopContext {
    for (let n = node.parent; n; n = n.parent) {
      if (LOOPS.has(n.name) && node.from >= (n.getChild('Body')?.from ?? n.to) && !this.transparent.has(n.from)) {
        const loop = this.byFrom.get(n.from)!;
        return { kind: loop.kind, loop, via: [] };
      }
      if (n.name === 'FunctionDefinition') {
        const name = functionName(this.doc, n);
        if (depth < 4 && !seen.has(n.from)) {
          seen.add(n.from);
          let best: LoopContext | undefined;
          for (const c of this.callSites.get(name) ?? []) {
            const ctx = this.context(c, depth + 1, seen);
            const here = { ...ctx, via: [...ctx.via, c] };
            if (!best || (best.kind === 'other' && ctx.kind !== 'other')) best = here;
          }
          if (best) return best;
        }
        return { kind: hookKind(name), via: [] };
      }
      if (n.name === 'LambdaExpression') return { kind: 'other', via: [] };
    }
    return { kind: 'other', via: [] };
  }

  /** The calls `f(...)` / `self.f(...)` of a function defined in this file, by its name. */
  callSitesOf(name: string): readonly SyntaxNode[] {
    return this.callSites.get(name) ?? [];
  }

  loopAt(from: number): LoopInfo | undefined {
    return this.byFrom.get(from);
  }
}

/** Framework hooks that nothing in the file calls: their name says when they run. */
function hookKind(name: string): LoopKind {
  if (/epoch/i.test(name)) return 'epoch';
  if (/^(training_step|train_step|train_batch|on_train_batch_end|on_train_batch_start|on_before_optimizer_step|optimizer_step|on_after_backward)$/.test(name)) return 'batch';
  return 'other';
}
