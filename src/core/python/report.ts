// The plain-data view of a script model: what `lr-lens script --format json` prints
// and what the extension can send anywhere (no syntax nodes, 1-based lines).
import type { ScriptFinding } from './checks';
import type { ScriptModel } from './scriptModel';

export interface ScriptReport {
  optimizers: { line: number; call: string; lrExpr?: string; lrValue?: number; lrSource?: string; variable?: string; family: string }[];
  schedulers: { line: number; call: string; family?: string; params: Record<string, number | string>; args: Record<string, string>; variable?: string; warmup?: boolean; stepped?: string }[];
  steps: { line: number; kind: 'optimizer' | 'scheduler'; call: string; loop: string; loopLine?: number; via?: number[] }[];
  clipping: { line: number; call: string; maxNorm?: number; maxNormExpr?: string; loop: string }[];
  trainingArguments: { line: number; call: string; learningRate?: number; schedulerType?: string; warmupRatio?: number; warmupSteps?: number; maxGradNorm?: number; args: Record<string, string> }[];
  lightning: { line: number; interval: string; scheduler: string }[];
  manualLr: { line: number; loop: string }[];
  settings: { line: number; name: string; kind: string; value?: number | string }[];
  findings: { rule: string; severity: string; line: number; endLine: number; message: string; fixes: string[] }[];
  syntaxErrors: { line: number }[];
}

export function scriptReport(model: ScriptModel, findings: readonly ScriptFinding[]): ScriptReport {
  const { doc } = model;
  return {
    optimizers: model.optimizers.map((o) => ({
      line: o.line,
      call: o.call,
      family: o.family,
      ...(o.lr ? { lrExpr: o.lr.expr } : {}),
      ...(o.lrValue !== undefined ? { lrValue: o.lrValue } : {}),
      ...(o.lr?.site && o.lr.site.kind !== 'literal' ? { lrSource: `${o.lr.site.kind} ${o.lr.site.flags?.[0] ?? o.lr.site.name ?? ''} (line ${o.lr.site.line})`.replace(/ +\(/, ' (') } : !o.lr && o.lrValue !== undefined ? { lrSource: 'library default' } : {}),
      ...(o.variable ? { variable: o.variable } : {}),
    })),
    schedulers: model.schedulers.map((s) => {
      const params: Record<string, number | string> = {};
      const args: Record<string, string> = {};
      for (const [k, v] of Object.entries(s.args)) {
        args[k] = v.expr;
        if (v.value !== undefined) params[k] = v.value;
        else if (v.text !== undefined) params[k] = v.text;
      }
      return {
        line: s.line,
        call: s.call,
        ...(s.family ? { family: s.family } : {}),
        params,
        args,
        ...(s.variable ? { variable: s.variable } : {}),
        ...(s.warmup !== undefined ? { warmup: s.warmup } : {}),
        ...(s.implicitLoop ? { stepped: s.implicitLoop === 'batch' ? 'per optimizer step by the framework' : 'per epoch by the framework' } : {}),
      };
    }),
    steps: model.steps.map((s) => ({
      line: s.line,
      kind: s.kind,
      call: doc.textOf(s.node),
      loop: s.loop,
      ...(s.loopLine !== undefined ? { loopLine: s.loopLine } : {}),
      ...(s.via.length ? { via: s.via } : {}),
    })),
    clipping: model.clipping.map((c) => ({
      line: c.line,
      call: c.call,
      ...(c.maxNorm?.value !== undefined ? { maxNorm: c.maxNorm.value } : {}),
      ...(c.maxNorm ? { maxNormExpr: c.maxNorm.expr } : {}),
      loop: c.loop,
    })),
    trainingArguments: model.trainingArguments.map((t) => ({
      line: t.line,
      call: t.call,
      ...(t.learningRate !== undefined ? { learningRate: t.learningRate } : {}),
      ...(t.schedulerType !== undefined ? { schedulerType: t.schedulerType } : {}),
      ...(t.warmupRatio !== undefined ? { warmupRatio: t.warmupRatio } : {}),
      ...(t.warmupSteps !== undefined ? { warmupSteps: t.warmupSteps } : {}),
      ...(t.maxGradNorm !== undefined ? { maxGradNorm: t.maxGradNorm } : {}),
      args: Object.fromEntries(Object.entries(t.args).map(([k, v]) => [k, v.expr])),
    })),
    lightning: model.lightning.map((l) => ({ line: l.line, interval: l.interval, scheduler: l.schedulerExpr })),
    manualLr: model.manualLr.map((m) => ({ line: m.line, loop: m.loop })),
    settings: model.settings.map((s) => ({ line: s.line, name: s.name, kind: s.kind, ...(s.value !== undefined ? { value: s.value } : s.text !== undefined ? { value: s.text } : {}) })),
    findings: findings.map((f) => ({ rule: f.rule, severity: f.severity, line: f.range.start.line + 1, endLine: f.range.end.line + 1, message: f.message, fixes: f.fixes.map((x) => x.title) })),
    syntaxErrors: model.syntaxErrors.map((e) => ({ line: doc.lineOf(e.from) + 1 })),
  };
}
