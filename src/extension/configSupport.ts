// Training configs (YAML/JSON with `lr`, `learning_rate`, `warmup_*`, `scheduler` keys):
// the PyYAML float check, and a linked run's LR findings on the config's LR with a fix.
import * as vscode from 'vscode';
import type { Finding } from '../core/analysis/finding';
import { configLr, configScaleLrEdit, readConfig, type ConfigModel } from '../core/python/config';
import type { TextEdit } from '../core/python/edits';
import { readConfig as readSettings } from './config';
import { DocumentAnalyses, SEVERITY, toRange } from './documentAnalyses';
import { DIAGNOSTIC_SOURCE, visibleFindings } from './findingDiagnostics';
import type { LinkedRun, RunLinks } from './runLinks';

const LANGUAGES = new Set(['yaml', 'json', 'jsonc']);
/** Files that are JSON/YAML but never training configs. */
const NOT_CONFIG = /(^|\/)(package(-lock)?\.json|tsconfig[^/]*\.json|jsconfig\.json|\.eslintrc[^/]*|settings\.json|launch\.json|tasks\.json|extensions\.json|trainer_state\.json|\.pre-commit-config\.yaml|docker-compose[^/]*\.ya?ml|\.github\/.*)$/;

interface ConfigAnalysis {
  version: number;
  model: ConfigModel;
  /** Linked runs' findings whose first fix changes the LR, placed on the config's LR. */
  placed: { finding: Finding; link: LinkedRun; edit: TextEdit }[];
}

export class ConfigSupport extends DocumentAnalyses<ConfigAnalysis> implements vscode.CodeActionProvider {

  static register(context: vscode.ExtensionContext, links: RunLinks): ConfigSupport {
    const s = new ConfigSupport(links);
    context.subscriptions.push(
      s,
      vscode.languages.registerCodeActionsProvider([...LANGUAGES].map((language) => ({ language })), s, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
    );
    return s;
  }

  private constructor(private readonly links: RunLinks) {
    super('lrLens.config', links);
    this.refreshAll();
  }

  protected accepts(doc: vscode.TextDocument): boolean {
    return LANGUAGES.has(doc.languageId) && !NOT_CONFIG.test(doc.uri.path);
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
    if (!this.keep(doc, a)) return a;
    const diags: vscode.Diagnostic[] = [];
    if (settings.diagnosticsEnabled) {
      for (const f of model.findings) {
        const d = new vscode.Diagnostic(toRange(f.range), f.message, SEVERITY[f.severity]);
        d.source = DIAGNOSTIC_SOURCE;
        d.code = f.rule;
        diags.push(d);
      }
      for (const p of placed) {
        const d = new vscode.Diagnostic(toRange(lr.range), `${p.finding.message} (run ${p.link.entry.label}; the learning rate is set here)`, SEVERITY[p.finding.severity]);
        d.source = DIAGNOSTIC_SOURCE;
        d.code = p.finding.rule;
        diags.push(d);
      }
    }
    this.collection.set(doc.uri, diags);
    return a;
  }

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const a = this.current(doc);
    if (!a) return [];
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
