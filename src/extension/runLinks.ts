// Which runs a training script produced: links from the `lrLens.links` setting, from
// the "Link Run to Script" command (kept in the workspace state), or found by matching
// a run's recorded hyperparameters against what the script sets.
import * as vscode from 'vscode';
import { LINK_THRESHOLD, scoreLink, type LinkScore } from '../core/python/link';
import type { ScriptModel } from '../core/python/scriptModel';
import { Disposable } from './dispose';
import type { RunEntry, RunSummary, RunsTreeProvider } from './runsTree';

const STATE_KEY = 'lrLens.links';

export interface LinkedRun {
  entry: RunEntry;
  run: RunSummary;
  how: 'setting' | 'command' | 'hparams';
  /** For `hparams` links: why. */
  score?: LinkScore;
}

export class RunLinks extends Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly tree: RunsTreeProvider,
  ) {
    super();
    this.register(tree.onDidChangeTreeData(() => this.changed.fire()));
    this.register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('lrLens.links')) this.changed.fire();
      }),
    );
  }

  /** Links made with the command: run URI → script URI. */
  private stored(): Record<string, string> {
    return this.context.workspaceState.get<Record<string, string>>(STATE_KEY, {});
  }

  /** Links from the `lrLens.links` setting (workspace-relative paths), as run URI → script URI. */
  private configured(): Record<string, string> {
    const out: Record<string, string> = {};
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const raw = vscode.workspace.getConfiguration('lrLens').get<Record<string, unknown>>('links', {});
    for (const [run, script] of Object.entries(raw)) {
      if (typeof script !== 'string') continue;
      const abs = (p: string): vscode.Uri => (p.startsWith('/') || !folder ? vscode.Uri.file(p) : vscode.Uri.joinPath(folder, p));
      out[abs(run.replace(/\/+$/, '')).toString()] = abs(script).toString();
    }
    return out;
  }

  async link(runUri: vscode.Uri, scriptUri: vscode.Uri): Promise<void> {
    await this.context.workspaceState.update(STATE_KEY, { ...this.stored(), [runUri.toString()]: scriptUri.toString() });
    this.changed.fire();
  }

  async unlink(runUri: vscode.Uri): Promise<void> {
    const next = { ...this.stored() };
    delete next[runUri.toString()];
    await this.context.workspaceState.update(STATE_KEY, next);
    this.changed.fire();
  }

  /**
   * The runs linked to a training config (YAML/JSON): explicit links, then runs whose
   * recorded learning rate is exactly the config's.
   */
  async linkedToConfig(config: vscode.Uri, lr: number | undefined): Promise<LinkedRun[]> {
    const key = config.toString();
    const explicit = new Map<string, 'setting' | 'command'>();
    for (const [run, s] of Object.entries(this.configured())) if (s === key) explicit.set(run, 'setting');
    for (const [run, s] of Object.entries(this.stored())) if (s === key) explicit.set(run, 'command');
    const out: LinkedRun[] = [];
    for (const entry of await this.tree.settled()) {
      const how = explicit.get(entry.uri.toString());
      for (const run of entry.runs) {
        if (how) out.push({ entry, run, how });
        else if (lr !== undefined) {
          const recorded = Object.entries(run.hparams).find(([k, v]) => /^(lr|learning_rate)$/i.test(k.split(/[./]/).pop() ?? k) && typeof v === 'number');
          if (recorded && Math.abs((recorded[1] as number) - lr) <= 1e-12 * Math.abs(lr))
            out.push({ entry, run, how: 'hparams', score: { score: 1, reasons: [`learning rate ${String(lr)} matches the config`], conflicts: [] } });
        }
      }
    }
    return out;
  }

  /** The runs linked to a script: explicit links first, then hyperparameter matches. */
  async linkedRuns(script: vscode.Uri, model: ScriptModel): Promise<LinkedRun[]> {
    const key = script.toString();
    const explicit = new Map<string, 'setting' | 'command'>();
    for (const [run, s] of Object.entries(this.configured())) if (s === key) explicit.set(run, 'setting');
    for (const [run, s] of Object.entries(this.stored())) if (s === key) explicit.set(run, 'command');
    const claimedElsewhere = new Set([...Object.entries(this.configured()), ...Object.entries(this.stored())].filter(([, s]) => s !== key).map(([r]) => r));
    const out: LinkedRun[] = [];
    for (const entry of await this.tree.settled()) {
      const k = entry.uri.toString();
      const how = explicit.get(k);
      for (const run of entry.runs) {
        if (how) {
          out.push({ entry, run, how });
          continue;
        }
        if (claimedElsewhere.has(k) || Object.keys(run.hparams).length === 0) continue;
        const score = scoreLink(run.hparams, model);
        if (score.score >= LINK_THRESHOLD && score.conflicts.length === 0) out.push({ entry, run, how: 'hparams', score });
      }
    }
    return out;
  }
}
