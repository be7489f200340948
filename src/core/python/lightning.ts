// Lightning's `configure_optimizers`: which scheduler it returns and whether Lightning
// steps it per optimizer step (`"interval": "step"`) or per epoch (the default).
//
// Understood return shapes (the ones Lightning documents):
//   return optimizer
//   return [optimizer], [scheduler]                      -> interval "epoch"
//   return [optimizer], [{"scheduler": s, "interval": "step"}]
//   return {"optimizer": o, "lr_scheduler": s}           -> interval "epoch"
//   return {"optimizer": o, "lr_scheduler": {"scheduler": s, "interval": "step", ...}}
// A dict or list held in a local variable is followed one assignment.
import type { SyntaxNode } from '@lezer/common';
import { childrenOf, functionName, nodesOfType, stringValue, type PyDocument } from './parse';
import type { ValueIndex } from './values';

export interface LightningScheduler {
  /** 1-based line of the scheduler expression in the return value. */
  line: number;
  interval: 'step' | 'epoch';
  /** The `"interval"` value node, when written. */
  intervalNode?: SyntaxNode;
  /** The scheduler-config dict (`{"scheduler": s, ...}`), when the scheduler is given in one. */
  configDict?: SyntaxNode;
  /** The scheduler expression as written (`scheduler`, `OneCycleLR(...)`). */
  schedulerExpr: string;
  schedulerFrom: number;
  schedulerTo: number;
  /** The scheduler value node. */
  schedulerNode: SyntaxNode;
  /** The configure_optimizers definition. */
  method: SyntaxNode;
  /** Index in the script model's schedulers, once linked. */
  scheduler?: number;
}

const FN = new Set(['FunctionDefinition']);

/** Key -> value node of a dict literal with string keys. */
export function dictEntries(doc: PyDocument, dict: SyntaxNode): Map<string, SyntaxNode> {
  const out = new Map<string, SyntaxNode>();
  const kids = childrenOf(dict).filter((c) => c.name !== '{' && c.name !== '}' && c.name !== ',');
  for (let i = 0; i + 1 < kids.length; i++) {
    if (kids[i + 1]?.name === ':') {
      const k = stringValue(doc, kids[i]);
      if (k !== undefined && kids[i + 2]) out.set(k, kids[i + 2]!);
      i += 2;
    }
  }
  return out;
}

export function lightningSchedulers(doc: PyDocument, values: ValueIndex): LightningScheduler[] {
  const out: LightningScheduler[] = [];
  for (const fn of nodesOfType(doc, FN)) {
    if (functionName(doc, fn) !== 'configure_optimizers') continue;
    const returns: SyntaxNode[] = [];
    collectReturns(fn, returns);
    const follow = (n: SyntaxNode): SyntaxNode => {
      if (n.name === 'VariableName') {
        const s = values.lookupName(n);
        if (s && (s.node.name === 'DictionaryExpression' || s.node.name === 'ArrayExpression' || s.node.name === 'TupleExpression')) return s.node;
      }
      return n;
    };
    const addScheduler = (node: SyntaxNode): void => {
      const n = follow(node);
      if (n.name === 'DictionaryExpression') {
        const e = dictEntries(doc, n);
        const s = e.get('scheduler');
        if (!s) return;
        const iv = e.get('interval');
        const interval = iv && stringValue(doc, iv) === 'step' ? 'step' : 'epoch';
        out.push({ line: doc.lineOf(s.from) + 1, interval, ...(iv ? { intervalNode: iv } : {}), configDict: n, schedulerExpr: doc.textOf(s), schedulerFrom: s.from, schedulerTo: s.to, schedulerNode: s, method: fn });
      } else {
        out.push({ line: doc.lineOf(node.from) + 1, interval: 'epoch', schedulerExpr: doc.textOf(node), schedulerFrom: node.from, schedulerTo: node.to, schedulerNode: node, method: fn });
      }
    };
    for (const r of returns) {
      const parts = childrenOf(r).filter((c) => c.name !== 'return' && c.name !== ',');
      let items = parts;
      if (parts.length === 1) {
        const p = follow(parts[0]!);
        if (p.name === 'TupleExpression' || p.name === 'ParenthesizedExpression') items = childrenOf(p).filter((c) => !['(', ')', ','].includes(c.name));
        else items = [p];
      }
      if (items.length === 2) {
        // ([optimizers], [schedulers])
        const scheds = follow(items[1]!);
        const els = scheds.name === 'ArrayExpression' ? childrenOf(scheds).filter((c) => !['[', ']', ','].includes(c.name)) : [scheds];
        for (const el of els) addScheduler(el);
      } else if (items.length === 1 && items[0]!.name === 'DictionaryExpression') {
        const e = dictEntries(doc, items[0]!);
        const s = e.get('lr_scheduler');
        if (s) addScheduler(s);
      }
    }
  }
  return out;
}

function collectReturns(node: SyntaxNode, out: SyntaxNode[]): void {
  for (let c = node.firstChild; c; c = c.nextSibling) {
    if (c.name === 'ReturnStatement') out.push(c);
    else if (c.name !== 'FunctionDefinition' && c.name !== 'ClassDefinition' && c.name !== 'LambdaExpression') collectReturns(c, out);
  }
}
