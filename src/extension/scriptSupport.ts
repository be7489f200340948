// Training scripts: static checks and linked runs' findings as diagnostics on the lines
// that set the LR or schedule, quick fixes from their suggestions, hovers with a
// scheduler's key numbers, and a "Preview schedule" CodeLens.
import * as vscode from 'vscode';
import { formatLr } from '../core/analysis/format';
import type { Finding } from '../core/analysis/finding';
import { anchorForFinding } from '../core/python/findingAnchor';
import { checkScript, type ScriptFinding } from '../core/python/checks';
import type { ScriptFix, TextEdit } from '../core/python/edits';
import { fixesForFinding, mainOptimizer, type FixContext } from '../core/python/fixes';
import type { Range } from '../core/python/parse';
import { previewScheduler, type SchedulePreview } from '../core/python/schedulePreview';
import { analyzeScript, schedulerAt, type ScriptModel } from '../core/python/scriptModel';
import { readConfig } from './config';
import { DocumentAnalyses, SEVERITY, toRange } from './documentAnalyses';
import { DIAGNOSTIC_SOURCE, visibleFindings } from './findingDiagnostics';
import type { LinkedRun, RunLinks } from './runLinks';

/** A linked run's finding placed in the script. */
export interface PlacedFinding {
  finding: Finding;
  link: LinkedRun;
  range: Range;
  what: string;
  ctx: FixContext;
}

/** Everything known about one version of a script. */
export interface ScriptAnalysis {
  version: number;
  model: ScriptModel;
  checks: ScriptFinding[];
  placed: PlacedFinding[];
  linked: LinkedRun[];
}

const sameRange = (a: vscode.Range, b: Range): boolean =>
  a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;

/** What a linked run says about the script's length, for sizing schedules and warmups. */
export function fixContextOf(link: LinkedRun): FixContext {
  const m = link.run.meta;
  const ctx: FixContext = {};
  if (m.stepsPerEpoch) ctx.stepsPerEpoch = m.stepsPerEpoch;
  const total = m.plannedSteps ?? (link.run.lastStep > 0 ? link.run.lastStep : undefined);
  if (total) ctx.totalSteps = total;
  return ctx;
}

function runFileUri(link: LinkedRun): vscode.Uri | undefined {
  const fmt = link.run.format;
  if (fmt === 'text' || fmt === 'csv' || fmt === 'jsonl' || fmt === 'hf-trainer-state') return link.entry.uri.scheme === 'file' ? vscode.Uri.file(link.run.source) : link.entry.uri;
  return undefined;
}

export class ScriptSupport extends DocumentAnalyses<ScriptAnalysis> {
  private readonly changed = this.register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidUpdate = this.changed.event;

  static register(context: vscode.ExtensionContext, links: RunLinks): ScriptSupport {
    const s = new ScriptSupport(links);
    const selector: vscode.DocumentSelector = { language: 'python' };
    context.subscriptions.push(
      s,
      vscode.languages.registerCodeActionsProvider(selector, new ScriptCodeActions(s), { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
      vscode.languages.registerHoverProvider(selector, new ScriptHover(s)),
      vscode.languages.registerCodeLensProvider(selector, new ScriptCodeLens(s)),
      vscode.commands.registerCommand('lrLens.applyScriptFix', (uri: unknown, version: unknown, edits: unknown) => s.applyFix(uri, version, edits)),
    );
    return s;
  }

  private constructor(private readonly links: RunLinks) {
    super('lrLens.script', links);
    this.refreshAll();
  }

  protected accepts(doc: vscode.TextDocument): boolean {
    return doc.languageId === 'python';
  }

  /** The analysis of the document's current version (computed now if needed). */
  async analysisOf(doc: vscode.TextDocument): Promise<ScriptAnalysis> {
    const cached = this.analyses.get(doc.uri.toString());
    if (cached && cached.version === doc.version) return cached;
    return this.update(doc);
  }

  async update(doc: vscode.TextDocument): Promise<ScriptAnalysis> {
    const version = doc.version;
    const model = analyzeScript(doc.getText());
    const linked = await this.links.linkedRuns(doc.uri, model);
    const config = readConfig(doc.uri);
    const placed: PlacedFinding[] = [];
    for (const link of linked) {
      for (const finding of visibleFindings(link.run.findings, config)) {
        const anchor = anchorForFinding(model, finding);
        if (anchor) placed.push({ finding, link, range: anchor.range, what: anchor.what, ctx: fixContextOf(link) });
      }
    }
    const ctx = linked[0] ? fixContextOf(linked[0]) : {};
    const analysis: ScriptAnalysis = { version, model, checks: checkScript(model, ctx), placed, linked };
    if (this.keep(doc, analysis)) this.publish(doc, analysis);
    return analysis;
  }

  private publish(doc: vscode.TextDocument, a: ScriptAnalysis): void {
    const config = readConfig(doc.uri);
    if (!config.diagnosticsEnabled) {
      this.collection.delete(doc.uri);
      this.changed.fire(doc.uri);
      return;
    }
    const diags: vscode.Diagnostic[] = [];
    for (const f of a.checks) {
      const d = new vscode.Diagnostic(toRange(f.range), f.message, SEVERITY[f.severity]);
      d.source = DIAGNOSTIC_SOURCE;
      d.code = f.rule;
      if (f.related.length) d.relatedInformation = f.related.map((r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(doc.uri, toRange(r.range)), r.message));
      diags.push(d);
    }
    for (const p of a.placed) {
      const runName = p.link.entry.label;
      const d = new vscode.Diagnostic(toRange(p.range), `${p.finding.message} (run ${runName}; ${p.what} is set here)`, SEVERITY[p.finding.severity]);
      d.source = DIAGNOSTIC_SOURCE;
      d.code = p.finding.rule;
      const file = runFileUri(p.link);
      const related: vscode.DiagnosticRelatedInformation[] = [];
      if (file && p.finding.line) related.push(new vscode.DiagnosticRelatedInformation(new vscode.Location(file, new vscode.Position(p.finding.line - 1, 0)), `${runName}, line ${p.finding.line}: where it shows in the log`));
      else related.push(new vscode.DiagnosticRelatedInformation(new vscode.Location(p.link.entry.uri, new vscode.Position(0, 0)), `${runName}, step ${p.finding.step}`));
      if (p.link.how === 'hparams' && p.link.score) related.push(new vscode.DiagnosticRelatedInformation(new vscode.Location(doc.uri, toRange(p.range)), `linked because ${p.link.score.reasons.join('; ')}`));
      d.relatedInformation = related;
      diags.push(d);
    }
    this.collection.set(doc.uri, diags);
    this.changed.fire(doc.uri);
  }

  /** Quick fixes for a diagnostic of this analysis. */
  fixesFor(a: ScriptAnalysis, d: vscode.Diagnostic): { fix: ScriptFix; from: string }[] {
    const code = typeof d.code === 'object' ? d.code.value : d.code;
    const check = a.checks.find((f) => f.rule === code && sameRange(d.range, f.range) && d.message === f.message);
    if (check) return check.fixes.map((fix) => ({ fix, from: 'script' }));
    const placed = a.placed.find((p) => p.finding.rule === code && sameRange(d.range, p.range) && d.message.startsWith(p.finding.message));
    if (!placed) return [];
    return fixesForFinding(a.model, placed.finding, placed.ctx).map(({ fix }) => ({ fix, from: placed.link.entry.label }));
  }

  /** Applies a fix only to the document version it was computed for. */
  private async applyFix(uri: unknown, version: unknown, edits: unknown): Promise<boolean> {
    if (!(uri instanceof vscode.Uri) || typeof version !== 'number' || !Array.isArray(edits)) return false;
    const doc = await vscode.workspace.openTextDocument(uri);
    if (doc.version !== version) {
      void vscode.window.showWarningMessage(`LR Lens: ${vscode.workspace.asRelativePath(uri)} changed since this fix was computed; run the quick fix again.`);
      return false;
    }
    const we = new vscode.WorkspaceEdit();
    for (const e of edits as TextEdit[]) we.replace(uri, toRange(e.range), e.newText);
    return vscode.workspace.applyEdit(we);
  }

  /** The key numbers of the scheduler at a position, with a linked run's length filled in. */
  previewAt(a: ScriptAnalysis, doc: vscode.TextDocument, pos: vscode.Position): { index: number; preview: SchedulePreview } | undefined {
    const s = schedulerAt(a.model, doc.offsetAt(pos));
    if (!s) return undefined;
    const index = a.model.schedulers.indexOf(s);
    return { index, preview: this.preview(a, index) };
  }

  preview(a: ScriptAnalysis, index: number): SchedulePreview {
    const link = a.linked[0];
    const lr = mainOptimizer(a.model)?.lrValue ?? numberParam(link?.run.hparams, /^(lr|learning_rate)$/);
    const ctx = link ? fixContextOf(link) : {};
    const horizon = ctx.totalSteps;
    const overrides: Record<string, number> = {};
    if (ctx.totalSteps) for (const k of ['total_steps', 'num_training_steps', 'decay_steps', 'T_max', 'total_iters']) overrides[k] = ctx.totalSteps;
    const first = previewScheduler(a.model, index, { ...(lr !== undefined ? { baseLr: lr } : {}), ...(horizon ? { horizon } : {}) });
    if (first.fn || !ctx.totalSteps) return first;
    // Fill only what the script leaves to run time.
    const fill = Object.fromEntries(first.missing.filter((m) => overrides[m] !== undefined).map((m) => [m, overrides[m]!]));
    return previewScheduler(a.model, index, { ...(lr !== undefined ? { baseLr: lr } : {}), overrides: fill, ...(horizon ? { horizon } : {}) });
  }
}

function numberParam(h: Record<string, unknown> | undefined, re: RegExp): number | undefined {
  for (const [k, v] of Object.entries(h ?? {})) if (re.test(k.split(/[./]/).pop() ?? k) && typeof v === 'number') return v;
  return undefined;
}

class ScriptCodeActions implements vscode.CodeActionProvider {
  constructor(private readonly support: ScriptSupport) {}

  async provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    const ours = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
    if (ours.length === 0) return [];
    const a = await this.support.analysisOf(doc);
    const out: vscode.CodeAction[] = [];
    for (const d of ours) {
      for (const { fix, from } of this.support.fixesFor(a, d)) {
        const action = new vscode.CodeAction(from === 'script' ? fix.title : `${fix.title} (from run ${from})`, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [d];
        action.isPreferred = fix.isPreferred;
        action.command = { command: 'lrLens.applyScriptFix', title: fix.title, arguments: [doc.uri, a.version, fix.edits] };
        out.push(action);
      }
    }
    return out;
  }
}

function keyNumbersMarkdown(name: string, p: SchedulePreview, stepsPerEpoch: number | undefined): string {
  const k = p.keyNumbers;
  if (!p.fn || !k) return `**${name}** · its curve needs ${p.missing.join(', ') || 'values set at run time'} (link a run to fill them in).`;
  const unit = p.unit === 'epoch' ? 'epoch' : 'step';
  const when = (s: number): string => `${unit} ${s.toLocaleString('en-US')}${unit === 'step' && stepsPerEpoch ? ` (epoch ${(s / stepsPerEpoch).toFixed(1)})` : ''}`;
  return [
    `**${name}** · stepped per ${p.unit === 'epoch' ? 'epoch' : p.unit === 'step' ? 'optimizer step' : 'call'}`,
    '',
    `- starts at **${formatLr(k.start)}**`,
    `- peaks at **${formatLr(k.peak)}** at ${when(k.peakStep)}`,
    `- reaches its floor **${formatLr(k.floor)}** at ${when(k.floorStep)}`,
    `- is **${formatLr(k.end)}** at ${when(k.horizon)}`,
  ].join('\n');
}

class ScriptHover implements vscode.HoverProvider {
  constructor(private readonly support: ScriptSupport) {}

  async provideHover(doc: vscode.TextDocument, pos: vscode.Position): Promise<vscode.Hover | undefined> {
    const a = await this.support.analysisOf(doc);
    const hit = this.support.previewAt(a, doc, pos);
    if (!hit) return undefined;
    const s = a.model.schedulers[hit.index]!;
    const md = new vscode.MarkdownString(keyNumbersMarkdown(s.callee, hit.preview, a.linked[0]?.run.meta.stepsPerEpoch));
    const args = encodeURIComponent(JSON.stringify([doc.uri.toString(), hit.index]));
    md.appendMarkdown(`\n\n[$(graph-line) Preview schedule](command:lrLens.previewSchedule?${args} "Draw this schedule${a.linked.length ? ' over the linked run' : ''}")`);
    md.supportThemeIcons = true;
    md.isTrusted = { enabledCommands: ['lrLens.previewSchedule'] };
    return new vscode.Hover(md, new vscode.Range(s.range.start.line, s.range.start.character, s.range.end.line, s.range.end.character));
  }
}

class ScriptCodeLens implements vscode.CodeLensProvider {
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(private readonly support: ScriptSupport) {
    const ev = new vscode.EventEmitter<void>();
    support.onDidUpdate(() => ev.fire());
    this.onDidChangeCodeLenses = ev.event;
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!readConfig(doc.uri).codeLens) return [];
    const a = this.support.current(doc);
    if (!a) return [];
    return a.model.schedulers
      .map((s, i) => ({ s, i }))
      .filter(({ s }) => s.partOf === undefined)
      .map(({ s, i }) => new vscode.CodeLens(new vscode.Range(s.range.start.line, 0, s.range.start.line, 0), { title: 'Preview schedule', command: 'lrLens.previewSchedule', arguments: [doc.uri.toString(), i], tooltip: `Draw the ${s.callee} curve` }));
  }
}
