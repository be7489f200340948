// "LR Lens: Insert LR Schedule…": pick a framework and a schedule, answer its parameters
// (pre-filled from the linked run's length), see the curve drawn over the run's real LR,
// then insert it wired to the script's optimizer.
import * as vscode from 'vscode';
import type { OverlayView } from '../core/chart/types';
import {
  activeParams,
  detectFramework,
  insertTemplate,
  TEMPLATE_FRAMEWORKS,
  templateById,
  templateContext,
  templatesFor,
  type ScheduleTemplate,
} from '../core/python/scheduleTemplates';
import { formatParamValue, parseParamValue, type ParamValue, type TemplateContext, type TemplateParam } from '../core/python/templateParams';
import type { PanelDeps } from './chartPanel';
import { sampleCurve, showSchedulePreview } from './schedulePreviewChart';
import type { ScriptAnalysis, ScriptSupport } from './scriptSupport';
import { fixContextOf } from './scriptSupport';

/** Arguments for running the command without prompts (tests, other extensions). */
export interface InsertScheduleArgs {
  uri?: string;
  template: string;
  /** Values by parameter name; missing ones take their defaults. */
  values?: Record<string, ParamValue>;
  /** 0-based line to insert at, when valid. */
  line?: number;
}

export interface InsertScheduleResult {
  inserted: boolean;
  title?: string;
  notes?: string[];
  reason?: string;
  /** The preview drawn before inserting. */
  preview?: OverlayView;
}

function runContext(a: ScriptAnalysis): TemplateContext {
  const link = a.linked[0];
  if (!link) return templateContext(a.model);
  const f = fixContextOf(link);
  const run: TemplateContext = { ...(f.totalSteps ? { totalSteps: f.totalSteps } : {}), ...(f.stepsPerEpoch ? { stepsPerEpoch: f.stepsPerEpoch } : {}) };
  if (link.run.meta.plannedEpochs) run.epochs = link.run.meta.plannedEpochs;
  return templateContext(a.model, run);
}

/** The template's curve over the linked run (or on its own), as a dashed preview. */
function showPreview(deps: PanelDeps, a: ScriptAnalysis, uri: vscode.Uri, t: ScheduleTemplate, values: Record<string, ParamValue>, ctx: TemplateContext): OverlayView | undefined {
  const baseLr = ctx.baseLr ?? 1e-3;
  const fn = t.curve(values, baseLr, ctx.stepsPerEpoch);
  if (!fn) return undefined;
  const last = ctx.totalSteps ?? (ctx.epochs && ctx.stepsPerEpoch ? ctx.epochs * ctx.stepsPerEpoch : 10_000);
  return showSchedulePreview(deps, a.linked[0], `insert:${uri.toString()}`, t.label, `${t.label} (to insert)`, sampleCurve(fn, last), {
    source: vscode.workspace.asRelativePath(uri),
  });
}

async function askValue(p: TemplateParam, current: ParamValue): Promise<ParamValue | undefined> {
  if (p.kind === 'choice') {
    const pick = await vscode.window.showQuickPick(
      (p.choices ?? []).map((c) => ({ label: c, picked: c === current })),
      { title: `${p.name}: ${p.description}`, placeHolder: String(current) },
    );
    return pick?.label;
  }
  const text = await vscode.window.showInputBox({
    title: `${p.name}${p.unit ? ` (${p.unit})` : ''}`,
    prompt: p.description,
    value: formatParamValue(p, current),
    validateInput: (v) => {
      const r = parseParamValue(p, v);
      return 'error' in r ? r.error : undefined;
    },
  });
  if (text === undefined) return undefined;
  const r = parseParamValue(p, text);
  return 'value' in r ? r.value : undefined;
}

export function registerInsertSchedule(context: vscode.ExtensionContext, deps: PanelDeps, support: ScriptSupport): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('lrLens.insertSchedule', async (args?: InsertScheduleArgs): Promise<InsertScheduleResult> => {
      const uri = args?.uri ? vscode.Uri.parse(args.uri) : vscode.window.activeTextEditor?.document.uri;
      const doc = uri && (await vscode.workspace.openTextDocument(uri));
      if (!doc || doc.languageId !== 'python') {
        void vscode.window.showInformationMessage('LR Lens: open the Python training script to insert a schedule into.');
        return { inserted: false, reason: 'no Python script' };
      }
      const a = await support.analysisOf(doc);
      const ctx = runContext(a);
      const interactive = !args;

      // 1. Framework and schedule.
      let t: ScheduleTemplate | undefined;
      if (args) t = templateById(args.template);
      else {
        const detected = detectFramework(a.model);
        const fw = await vscode.window.showQuickPick(
          TEMPLATE_FRAMEWORKS.map((f) => ({ label: f.label, id: f.id, description: f.id === detected ? 'used by this script' : undefined })).sort((x, y) => Number(y.id === detected) - Number(x.id === detected)),
          { title: 'LR Lens: Insert LR Schedule (1/3): framework' },
        );
        if (!fw) return { inserted: false, reason: 'cancelled' };
        const pick = await vscode.window.showQuickPick(
          templatesFor(fw.id).map((x) => ({ label: x.label, detail: x.description, id: x.id })),
          { title: 'LR Lens: Insert LR Schedule (2/3): schedule', matchOnDetail: true },
        );
        if (!pick) return { inserted: false, reason: 'cancelled' };
        t = templateById(pick.id);
      }
      if (!t) return { inserted: false, reason: `unknown schedule ${args?.template ?? ''}` };

      // 2. Parameters, pre-filled from the run, then the preview.
      const values: Record<string, ParamValue> = { ...t.defaults(ctx), ...(args?.values ?? {}) };
      for (;;) {
        if (interactive) {
          for (const p of activeParams(t, values)) {
            const v = await askValue(p, values[p.name]!);
            if (v === undefined) return { inserted: false, reason: 'cancelled' };
            values[p.name] = v;
          }
        }
        const preview = showPreview(deps, a, doc.uri, t, values, ctx);
        if (!interactive) return await insert(doc, a, t, values, args?.line, preview);
        const over = a.linked[0] ? ` over ${a.linked[0].entry.label}` : '';
        const choice = await vscode.window.showQuickPick(
          [
            { label: `$(check) Insert into ${vscode.workspace.asRelativePath(doc.uri)}`, id: 'insert' },
            { label: '$(edit) Change the parameters', id: 'again' },
            { label: '$(close) Cancel', id: 'cancel' },
          ],
          { title: `LR Lens: Insert LR Schedule (3/3): ${t.label}${preview ? `, previewed on the chart${over}` : ' (no curve to preview)'}` },
        );
        if (!choice || choice.id === 'cancel') return { inserted: false, reason: 'cancelled', ...(preview ? { preview } : {}) };
        if (choice.id === 'insert') {
          const line = vscode.window.activeTextEditor?.document === doc ? vscode.window.activeTextEditor.selection.active.line : undefined;
          return await insert(doc, a, t, values, line, preview);
        }
      }
    }),
  );
}

async function insert(doc: vscode.TextDocument, a: ScriptAnalysis, t: ScheduleTemplate, values: Record<string, ParamValue>, line: number | undefined, preview: OverlayView | undefined): Promise<InsertScheduleResult> {
  const out = insertTemplate(t, a.model, values, line !== undefined ? { line } : undefined);
  if ('reason' in out) {
    void vscode.window.showWarningMessage(`LR Lens: cannot insert ${t.label} here: ${out.reason}`);
    return { inserted: false, reason: out.reason, ...(preview ? { preview } : {}) };
  }
  if (doc.version !== a.version) return { inserted: false, reason: 'the script changed while the schedule was being chosen; run the command again' };
  const we = new vscode.WorkspaceEdit();
  for (const e of out.edits) we.replace(doc.uri, new vscode.Range(e.range.start.line, e.range.start.character, e.range.end.line, e.range.end.character), e.newText);
  const ok = await vscode.workspace.applyEdit(we);
  if (ok && out.notes.length) void vscode.window.showInformationMessage(`LR Lens: ${out.title}. ${out.notes.join(' ')}`);
  return { inserted: ok, title: out.title, notes: out.notes, ...(preview ? { preview } : {}) };
}
