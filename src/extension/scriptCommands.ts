// Commands around training scripts: link a run to a script, preview a scheduler's curve.
import * as vscode from 'vscode';
import type { OverlayView } from '../core/chart/types';
import type { PanelDeps } from './chartPanel';
import type { RunLinks } from './runLinks';
import type { RunsTreeProvider } from './runsTree';
import { sampleCurve, showSchedulePreview } from './schedulePreviewChart';
import { fixContextOf, type ScriptSupport } from './scriptSupport';

export function registerScriptCommands(context: vscode.ExtensionContext, deps: PanelDeps, support: ScriptSupport, links: RunLinks, tree: RunsTreeProvider): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('lrLens.previewSchedule', async (uriArg?: unknown, indexArg?: unknown): Promise<OverlayView | undefined> => {
      const uri = typeof uriArg === 'string' ? vscode.Uri.parse(uriArg) : uriArg instanceof vscode.Uri ? uriArg : vscode.window.activeTextEditor?.document.uri;
      if (!uri) return undefined;
      const doc = await vscode.workspace.openTextDocument(uri);
      const a = await support.analysisOf(doc);
      const index = typeof indexArg === 'number' ? indexArg : a.model.schedulers.findIndex((s) => s.partOf === undefined);
      const sched = a.model.schedulers[index];
      if (!sched) {
        void vscode.window.showInformationMessage('LR Lens: no scheduler construction found in this script.');
        return undefined;
      }
      const p = support.preview(a, index);
      if (!p.fn) {
        void vscode.window.showWarningMessage(`LR Lens: the ${sched.callee} curve needs ${p.missing.join(', ')}, which the script sets at run time. Link a run to the script to fill them in.`);
        return undefined;
      }
      const link = a.linked[0];
      const ctx = link ? fixContextOf(link) : {};
      const spe = ctx.stepsPerEpoch;
      const perStep = p.unit === 'epoch' && spe ? (t: number): number => p.fn!(Math.floor(t / spe)) : p.fn;
      const last = ctx.totalSteps ?? (p.keyNumbers?.horizon ?? 1000) * (p.unit === 'epoch' && spe ? spe : 1);
      const label = `${sched.callee} (line ${sched.line})`;
      return showSchedulePreview(deps, link, `schedule:${uri.toString()}#${index}`, sched.callee, label, sampleCurve(perStep, last), {
        source: `${vscode.workspace.asRelativePath(uri)}, line ${sched.line}`,
        epochs: p.unit === 'epoch' && !spe,
      });
    }),

    vscode.commands.registerCommand('lrLens.linkRunToScript', async (runArg?: unknown, scriptArg?: unknown): Promise<boolean> => {
      // From the Training Runs view the argument is the tree node of the run.
      const node = runArg as { entry?: { uri?: unknown } } | undefined;
      let run = runArg instanceof vscode.Uri ? runArg : node?.entry?.uri instanceof vscode.Uri ? node.entry.uri : undefined;
      let script = scriptArg instanceof vscode.Uri ? scriptArg : undefined;
      const active = vscode.window.activeTextEditor?.document;
      if (!script && !run && active?.languageId === 'python') script = active.uri;
      if (!run) {
        const entries = (await tree.settled()).filter((e) => e.state === 'done');
        const pick = await vscode.window.showQuickPick(
          entries.map((e) => ({ label: e.label, description: e.format, detail: e.runs.map((r) => Object.entries(r.hparams).slice(0, 4).map(([k, v]) => `${k}=${String(v)}`).join(', ')).join(' · ') || undefined, uri: e.uri })),
          { title: 'LR Lens: Link Run to Script', placeHolder: 'The run this script produced' },
        );
        if (!pick) return false;
        run = pick.uri;
      }
      if (!script) {
        const files = await vscode.workspace.findFiles('**/*.{py,yaml,yml}', '**/{node_modules,.git,.venv,venv,site-packages}/**', 500);
        const pick = await vscode.window.showQuickPick(
          files.map((f) => ({ label: vscode.workspace.asRelativePath(f), uri: f })),
          { title: 'LR Lens: Link Run to Script', placeHolder: `The script (or its config) that produced ${vscode.workspace.asRelativePath(run)}` },
        );
        if (!pick) return false;
        script = pick.uri;
      }
      await links.link(run, script);
      void vscode.window.showInformationMessage(`LR Lens: ${vscode.workspace.asRelativePath(run)} is linked to ${vscode.workspace.asRelativePath(script)}; its findings now show in the script.`);
      return true;
    }),
  );
}
