// Entry point: wires the providers and commands; all logic lives in them and in src/core.
import * as vscode from 'vscode';
import type { Finding } from '../core/analysis/finding';
import { suggestionOverlay } from '../core/chart/overlays';
import { smoothTensorBoard } from '../core/model/smoothing';
import { ChartPanel, type PanelDeps } from './chartPanel';
import { ConfigSupport } from './configSupport';
import { LogCodeLensProvider } from './codeLens';
import { readConfig } from './config';
import { LogDiagnostics } from './logDiagnostics';
import { ReadClient } from './readClient';
import { RunStore } from './runStore';
import { RunLinks } from './runLinks';
import { RunsTreeProvider } from './runsTree';
import { registerInsertSchedule } from './insertSchedule';
import { registerScriptCommands } from './scriptCommands';
import { ScriptSupport } from './scriptSupport';
import { RunStatusBar } from './statusBar';
import { TFEVENTS_VIEW_TYPE, TfeventsEditorProvider } from './tfeventsEditor';

/** What the extension returns from `activate`, for other extensions and the tests. */
export interface LrLensApi {
  store: RunStore;
  diagnostics: LogDiagnostics;
  tree: RunsTreeProvider;
  statusBar: RunStatusBar;
  scripts: ScriptSupport;
  links: RunLinks;
  charts: () => ChartPanel[];
}

const isEventFile = (uri: vscode.Uri): boolean => (uri.path.split('/').pop() ?? '').includes('tfevents');

async function isFolder(uri: vscode.Uri): Promise<boolean> {
  try {
    return ((await vscode.workspace.fs.stat(uri)).type & vscode.FileType.Directory) !== 0;
  } catch {
    return false;
  }
}

/** A short, distinguishable name: `diverging/train.log` rather than `train.log`. */
const nameOf = (uri: vscode.Uri): string => {
  const parts = uri.path.split('/').filter(Boolean);
  return parts.slice(-2).join('/') || uri.toString();
};

export function activate(context: vscode.ExtensionContext): LrLensApi {
  const log = vscode.window.createOutputChannel('LR Lens', { log: true });
  const client = new ReadClient(context.extensionPath, log);
  const store = new RunStore({ client, log, roleRules: () => readConfig().roles });
  context.subscriptions.push(log, client, store);
  const deps: PanelDeps = { extensionUri: context.extensionUri, store, log, smooth: smoothTensorBoard, previewOf: (src, s) => suggestionOverlay(src.id, src.run, s) };

  const diagnostics = LogDiagnostics.register(context, store);
  LogCodeLensProvider.register(context, diagnostics);
  const statusBar = RunStatusBar.register(context, diagnostics);
  const tree = RunsTreeProvider.register(context, store);
  const links = new RunLinks(context, tree);
  context.subscriptions.push(links);
  const scripts = ScriptSupport.register(context, links);
  ConfigSupport.register(context, links);
  context.subscriptions.push(TfeventsEditorProvider.register(deps), ChartPanel.registerSerializer(deps));
  registerScriptCommands(context, deps, scripts, links, tree);
  registerInsertSchedule(context, deps, scripts);

  /** Opens the chart of a log, an event file (in its editor) or a folder of runs. */
  async function showChart(arg?: unknown): Promise<string | undefined> {
    const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
    if (!uri) {
      void vscode.window.showInformationMessage('LR Lens: open a training log, then run "Show Chart".');
      return undefined;
    }
    if (await isFolder(uri)) return openRuns(uri);
    if (isEventFile(uri)) {
      await vscode.commands.executeCommand('vscode.openWith', uri, TFEVENTS_VIEW_TYPE, vscode.ViewColumn.Active);
      return TFEVENTS_VIEW_TYPE;
    }
    const source = store.acquire(uri);
    try {
      await source.load();
      if (source.state.runs.length === 0) {
        const why = source.state.failure ?? 'no training metrics found';
        void vscode.window.showWarningMessage(
          `LR Lens: ${vscode.workspace.asRelativePath(uri)} is not a training log LR Lens can read (${why}). It reads TensorBoard event files, text logs, CSV/JSONL metrics, trainer_state.json and MLflow runs.`,
        );
        return undefined;
      }
      return ChartPanel.show(deps, [uri], `LR Lens: ${nameOf(uri)}`).panel.viewType;
    } finally {
      store.release(source);
    }
  }

  /** Opens several runs (a logdir, a folder of runs, or a multi-selection) in one chart. */
  async function openRuns(arg?: unknown, all?: unknown): Promise<string | undefined> {
    const selected = Array.isArray(all) ? all.filter((u): u is vscode.Uri => u instanceof vscode.Uri) : [];
    const uris = selected.length ? selected : arg instanceof vscode.Uri ? [arg] : [];
    if (uris.length === 0) {
      const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: true, canSelectMany: true, openLabel: 'Open Runs' });
      if (!picked?.length) return undefined;
      uris.push(...picked);
    }
    const title = uris.length === 1 ? `LR Lens: ${nameOf(uris[0]!)}` : `LR Lens: ${uris.length} runs`;
    const panel = ChartPanel.show(deps, uris, title);
    // Say which selections held no run at all (the panel shows the others).
    const empty: string[] = [];
    for (const uri of uris) {
      const source = store.acquire(uri);
      try {
        await source.load();
        if (source.state.runs.length === 0) empty.push(`${vscode.workspace.asRelativePath(uri)} (${source.state.failure ?? 'no training metrics found'})`);
      } finally {
        store.release(source);
      }
    }
    if (empty.length)
      void vscode.window.showWarningMessage(
        `LR Lens: no training run found in ${empty.join('; ')}. LR Lens reads TensorBoard event files, text logs, CSV/JSONL metrics, trainer_state.json and MLflow runs.`,
      );
    return panel.panel.viewType;
  }

  context.subscriptions.push(
    vscode.commands.registerCommand('lrLens.showChart', showChart),
    vscode.commands.registerCommand('lrLens.openRuns', openRuns),
    vscode.commands.registerCommand('lrLens.focusFinding', async (uri: unknown, step: unknown, endStep: unknown, rule: unknown) => {
      if (!(uri instanceof vscode.Uri) || typeof step !== 'number') return;
      await showChart(uri);
      const session = TfeventsEditorProvider.sessionFor(uri) ?? ChartPanel.get([uri])?.session;
      session?.focus(session.runs[0]?.id ?? uri.toString(), step, typeof endStep === 'number' ? endStep : undefined, typeof rule === 'string' ? rule : undefined);
    }),
    vscode.commands.registerCommand('lrLens.analyzeFile', async (arg?: unknown): Promise<Finding[]> => {
      const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
      if (!uri) return [];
      const source = store.acquire(uri);
      try {
        await source.load();
        return source.state.runs.flatMap((r) => r.findings);
      } finally {
        store.release(source);
      }
    }),
  );
  log.info(`LR Lens ${String((context.extension.packageJSON as { version?: string }).version)} activated`);
  return { store, diagnostics, tree, statusBar, scripts, links, charts: () => ChartPanel.all() };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
