// Training configs (YAML/JSON with `lr`, `learning_rate`, `warmup_*`, `scheduler` keys):
// the PyYAML float check, and a linked run's LR findings on the config's LR with a fix.
import * as vscode from 'vscode';
import type { Finding } from '../core/analysis/finding';
import { configLr, configScaleLrEdit, readConfig, type ConfigModel } from '../core/python/config';
import type { TextEdit } from '../core/python/edits';
import type { Range } from '../core/python/parse';
import { readConfig as readSettings } from './config';
import { Disposable } from './dispose';
import { DIAGNOSTIC_SOURCE, visibleFindings } from './findingDiagnostics';
import type { LinkedRun, RunLinks } from './runLinks';

const LANGUAGES = new Set(['yaml', 'json', 'jsonc']);
/** Files that are JSON/YAML but never training configs. */
const NOT_CONFIG = /(^|\/)(package(-lock)?\.json|tsconfig[^/]*\.json|jsconfig\.json|\.eslintrc[^/]*|settings\.json|launch\.json|tasks\.json|extensions\.json|trainer_state\.json|\.pre-commit-config\.yaml|docker-compose[^/]*\.ya?ml|\.github\/.*)$/;

const toRange = (r: Range): vscode.Range => new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);

interface ConfigAnalysis {
  version: number;
  model: ConfigModel;
  /** Linked runs' findings whose first fix changes the LR, placed on the config's LR. */
  placed: { finding: Finding; link: LinkedRun; edit: TextEdit }[];
}

export class ConfigSupport extends Disposable implements vscode.CodeActionProvider {
  private readonly collection = this.register(vscode.languages.createDiagnosticCollection('lrLens.config'));
  private readonly analyses = new Map<string, ConfigAnalysis>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  static register(context: vscode.ExtensionContext, links: RunLinks): ConfigSupport {
    const s = new ConfigSupport(links);
    context.subscriptions.push(
      s,
      vscode.languages.registerCodeActionsProvider([...LANGUAGES].map((language) => ({ language })), s, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
    );
    return s;
  }

  private constructor(private readonly links: RunLinks) {
    super();
    this.register(vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)));
    this.register(vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, 300)));
    this.register(
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.analyses.delete(d.uri.toString());
        this.collection.delete(d.uri);
      }),
    );
    this.register(links.onDidChange(() => this.refreshAll()));
    this.refreshAll();
  }

  private refreshAll(): void {
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
  }

  private schedule(doc: vscode.TextDocument, delay: number): void {
    if (!LANGUAGES.has(doc.languageId) || NOT_CONFIG.test(doc.uri.path)) return;
    const key = doc.uri.toString();
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.update(doc);
      }, delay),
    );
  }

  async update(doc: vscode.TextDocument): Promise<ConfigAnalysis | undefined> {
    const version = doc.version;
    const model = readConfig(doc.getText());
    const lr = configLr(model);
    if (!lr) {
      this.collection.delete(doc.uri);
      return undefined;
    }
    const json = doc.languageId !== 'yaml';
    const placed: ConfigAnalysis['placed'] = [];
    const settings = readSettings(doc.uri);
    for (const link of await this.links.linkedToConfig(doc.uri, typeof lr.value === 'number' ? lr.value : undefined)) {
      for (const finding of visibleFindings(link.run.findings, settings)) {
        const s = finding.suggestions[0];
        if (s?.fix !== 'scale_lr') continue;
        const edit = configScaleLrEdit(model, s.factor, json);
        if (edit) placed.push({ finding, link, edit });
      }
    }
    const a: ConfigAnalysis = { version, model, placed };
    if (doc.isClosed || doc.version !== version) return a;
    this.analyses.set(doc.uri.toString(), a);
    const diags: vscode.Diagnostic[] = [];
    if (settings.diagnosticsEnabled) {
      for (const f of model.findings) {
        const d = new vscode.Diagnostic(toRange(f.range), f.message, f.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
        d.source = DIAGNOSTIC_SOURCE;
        d.code = f.rule;
        diags.push(d);
      }
      for (const p of placed) {
        const d = new vscode.Diagnostic(toRange(lr.range), `${p.finding.message} (run ${p.link.entry.label}; the learning rate is set here)`, p.finding.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
        d.source = DIAGNOSTIC_SOURCE;
        d.code = p.finding.rule;
        diags.push(d);
      }
    }
    this.collection.set(doc.uri, diags);
    return a;
  }

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const a = this.analyses.get(doc.uri.toString());
    if (!a || a.version !== doc.version) return [];
    const out: vscode.CodeAction[] = [];
    for (const d of context.diagnostics.filter((x) => x.source === DIAGNOSTIC_SOURCE)) {
      const code = typeof d.code === 'object' ? d.code.value : d.code;
      const fix = (title: string, edit: TextEdit, preferred: boolean): void => {
        const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [d];
        action.isPreferred = preferred;
        action.command = { command: 'lrLens.applyScriptFix', title, arguments: [doc.uri, a.version, [edit]] };
        out.push(action);
      };
      for (const f of a.model.findings) if (f.rule === code && toRange(f.range).isEqual(d.range)) fix(`Write ${f.edit.newText} (a float to every YAML reader)`, f.edit, true);
      for (const p of a.placed)
        if (p.finding.rule === code && d.message.startsWith(p.finding.message)) fix(`Set the learning rate to ${p.edit.newText} (from run ${p.link.entry.label})`, p.edit, true);
    }
    return out;
  }
}
