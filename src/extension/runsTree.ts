// The "Training Runs" view: runs found in the workspace, with their verdicts and findings.
import * as vscode from 'vscode';
import { SEVERITY_RANK, type Finding } from '../core/analysis/finding';
import type { Run } from '../core/model/run';
import { readConfig } from './config';
import { Disposable } from './dispose';
import { visibleFindings } from './findingDiagnostics';
import type { RunStore } from './runStore';

/** Files that are training runs by name; other logs are found by opening them. */
export const RUN_FILE_GLOB =
  '**/{events.out.tfevents.*,trainer_state.json,metrics.csv,hparams.yaml,results.csv,progress.csv,training_log.csv,metrics.json,*.log.json,train.log,training.log,*.jsonl,meta.yaml}';
const EXCLUDE_GLOB = '**/{node_modules,.git,.venv,venv,__pycache__,site-packages}/**';
/** At most this many runs are listed. */
export const MAX_RUNS = 300;

/** What the tree keeps of a run after reading it (the data itself is released). */
export interface RunSummary {
  source: string;
  format: Run['format'];
  hparams: Run['hparams'];
  meta: Run['meta'];
  findings: Finding[];
  /** The last step any series reached. */
  lastStep: number;
}

export interface RunEntry {
  /** The file, or the folder for event-file runs and MLflow runs. */
  uri: vscode.Uri;
  label: string;
  state: 'pending' | 'done' | 'failed';
  findings: Finding[];
  runs: RunSummary[];
  failure?: string;
  format?: string;
}

type Node = { kind: 'run'; entry: RunEntry } | { kind: 'finding'; entry: RunEntry; finding: Finding };

/** Folders Keras (and TF estimators) write next to each other for one run. */
const SPLIT_FOLDERS = new Set(['train', 'validation', 'eval', 'val']);

/**
 * The run a discovered file stands for: event files and MLflow runs are their folder,
 * and Keras' `train/` + `validation/` event folders are one run, their parent.
 */
export function runUriOf(file: vscode.Uri): vscode.Uri {
  const parts = file.path.split('/');
  const base = parts[parts.length - 1] ?? '';
  if (base === 'meta.yaml') return vscode.Uri.joinPath(file, '..');
  if (base.startsWith('events.out.tfevents.')) {
    const folder = parts[parts.length - 2] ?? '';
    return SPLIT_FOLDERS.has(folder) ? vscode.Uri.joinPath(file, '..', '..') : vscode.Uri.joinPath(file, '..');
  }
  return file;
}

export class RunsTreeProvider extends Disposable implements vscode.TreeDataProvider<Node> {
  private entries = new Map<string, RunEntry>();
  private readonly changed = this.register(new vscode.EventEmitter<Node | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private scanning: Promise<void> | undefined;
  private queue: RunEntry[] = [];
  private working = false;

  static register(context: vscode.ExtensionContext, store: RunStore): RunsTreeProvider {
    const p = new RunsTreeProvider(store);
    const view = vscode.window.createTreeView('lrLens.runs', { treeDataProvider: p, showCollapseAll: true });
    context.subscriptions.push(p, view, vscode.commands.registerCommand('lrLens.refreshRuns', () => p.refresh()));
    const watcher = vscode.workspace.createFileSystemWatcher(RUN_FILE_GLOB, false, true, false);
    context.subscriptions.push(watcher, watcher.onDidCreate(() => p.refreshSoon()), watcher.onDidDelete(() => p.refreshSoon()));
    return p;
  }

  private constructor(private readonly store: RunStore) {
    super();
  }

  /** Entries found so far (for tests and commands). */
  async list(): Promise<RunEntry[]> {
    await this.scan();
    return [...this.entries.values()];
  }

  /** Waits until every listed run has been read. */
  async settled(): Promise<RunEntry[]> {
    await this.scan();
    while (this.working || this.queue.length) await new Promise((r) => setTimeout(r, 50));
    return [...this.entries.values()];
  }

  refresh(): Promise<void> {
    this.scanning = undefined;
    return this.scan();
  }

  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshSoon(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.refresh(), 1000);
  }

  private scan(): Promise<void> {
    this.scanning ??= this.doScan();
    return this.scanning;
  }

  private async doScan(): Promise<void> {
    const files = await vscode.workspace.findFiles(RUN_FILE_GLOB, EXCLUDE_GLOB, MAX_RUNS * 4);
    const next = new Map<string, RunEntry>();
    // Lightning's version_N/: metrics.csv with hparams.yaml beside it is read as the folder.
    const dirOf = (u: vscode.Uri): string => vscode.Uri.joinPath(u, '..').toString();
    const withHparams = new Set(files.filter((f) => f.path.endsWith('/hparams.yaml')).map(dirOf));
    for (const f of files.sort((a, b) => a.path.localeCompare(b.path))) {
      const base = f.path.split('/').pop() ?? '';
      if (base === 'meta.yaml' && !f.path.includes('/mlruns/')) continue;
      if (base === 'hparams.yaml') continue;
      const uri = base === 'metrics.csv' && withHparams.has(dirOf(f)) ? vscode.Uri.joinPath(f, '..') : runUriOf(f);
      const key = uri.toString();
      if (next.has(key) || next.size >= MAX_RUNS) continue;
      const old = this.entries.get(key);
      next.set(key, old ?? { uri, label: vscode.workspace.asRelativePath(uri), state: 'pending', findings: [], runs: [] });
    }
    this.entries = next;
    this.queue = [...next.values()].filter((e) => e.state === 'pending');
    this.changed.fire(undefined);
    void this.work();
  }

  /** Reads pending runs one at a time in the worker and records their verdicts. */
  private async work(): Promise<void> {
    if (this.working) return;
    this.working = true;
    try {
      for (let e = this.queue.shift(); e; e = this.queue.shift()) {
        const source = this.store.acquire(e.uri);
        try {
          await source.load();
          const runs = source.state.runs;
          e.findings = runs.flatMap((r) => r.findings);
          e.runs = runs.map(({ run, findings }) => ({
            source: run.source,
            format: run.format,
            hparams: run.hparams,
            meta: run.meta,
            findings,
            lastStep: run.series.reduce((m, s) => Math.max(m, s.steps[s.steps.length - 1] ?? 0), 0),
          }));
          e.format = runs[0]?.run.format;
          e.state = source.state.failure && runs.length === 0 ? 'failed' : 'done';
          if (source.state.failure) e.failure = source.state.failure;
        } finally {
          this.store.release(source);
        }
        this.changed.fire(undefined);
      }
    } finally {
      this.working = false;
    }
  }

  getChildren(node?: Node): Node[] {
    if (!node) {
      void this.scan();
      return [...this.entries.values()].filter((e) => e.state !== 'failed').map((entry) => ({ kind: 'run', entry }));
    }
    if (node.kind === 'run') {
      const config = readConfig(node.entry.uri);
      return visibleFindings(node.entry.findings, config).map((finding) => ({ kind: 'finding', entry: node.entry, finding }));
    }
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'finding') {
      const f = node.finding;
      const item = new vscode.TreeItem(f.message, vscode.TreeItemCollapsibleState.None);
      item.description = `${f.rule} · step ${f.step}`;
      item.iconPath = new vscode.ThemeIcon(f.severity === 'info' ? 'info' : f.severity, new vscode.ThemeColor(f.severity === 'error' ? 'problemsErrorIcon.foreground' : f.severity === 'warning' ? 'problemsWarningIcon.foreground' : 'problemsInfoIcon.foreground'));
      item.command = { command: 'lrLens.focusFinding', title: 'Show in Chart', arguments: [node.entry.uri, f.step, f.endStep, f.rule] };
      return item;
    }
    const e = node.entry;
    const findings = visibleFindings(e.findings, readConfig(e.uri));
    const worst = findings.reduce((w, f) => Math.max(w, SEVERITY_RANK[f.severity]), -1);
    const problems = findings.filter((f) => f.severity !== 'info').length;
    const item = new vscode.TreeItem(e.label, findings.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.resourceUri = e.uri;
    item.contextValue = 'lrLens.run';
    if (e.state === 'pending') {
      item.iconPath = new vscode.ThemeIcon('loading~spin');
      item.description = 'reading…';
    } else {
      item.iconPath =
        worst >= SEVERITY_RANK.error
          ? new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'))
          : worst >= SEVERITY_RANK.warning
            ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'))
            : new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
      item.description = `${e.format ?? ''}${problems ? ` · ${problems} problem${problems > 1 ? 's' : ''}` : ' · healthy'}`;
    }
    item.tooltip = `${e.label}\n${findings.map((f) => `${f.severity}: ${f.message}`).join('\n') || 'No learning-rate problems found.'}`;
    item.command = { command: 'lrLens.showChart', title: 'Show Chart', arguments: [e.uri] };
    return item;
  }
}
