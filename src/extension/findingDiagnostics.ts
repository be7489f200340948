// Findings → VS Code diagnostics: severity settings, the line, related evidence lines.
import * as vscode from 'vscode';
import { lineOfStep } from '../core/model/lines';
import { formatLr, formatNumber } from '../core/analysis/format';
import { SEVERITY_RANK, type Finding, type Severity } from '../core/analysis/finding';
import { primarySeries } from '../core/model/roles';
import type { Run } from '../core/model/run';
import type { LrLensConfig } from './config';

export const DIAGNOSTIC_SOURCE = 'LR Lens';

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** The finding's severity after the user's per-rule setting, or undefined when it is off. */
export function effectiveSeverity(f: Finding, config: LrLensConfig): Severity | undefined {
  const s = config.rules[f.rule];
  if (s === 'off') return undefined;
  const sev = s === 'default' ? f.severity : s;
  return SEVERITY_RANK[sev] >= SEVERITY_RANK[config.minimumSeverity] ? sev : undefined;
}

/** Findings the user wants to see, with their effective severity. */
export function visibleFindings(findings: readonly Finding[], config: LrLensConfig): Finding[] {
  const out: Finding[] = [];
  for (const f of findings) {
    const severity = effectiveSeverity(f, config);
    if (severity) out.push(severity === f.severity ? f : { ...f, severity });
  }
  return out;
}

/** Evidence that names a step (`lrPeakStep`, `bestStep`, ...) becomes a related location. */
function relatedInfo(uri: vscode.Uri, doc: vscode.TextDocument | undefined, run: Run, f: Finding): vscode.DiagnosticRelatedInformation[] {
  const out: vscode.DiagnosticRelatedInformation[] = [];
  for (const [key, value] of Object.entries(f.evidence)) {
    if (!key.endsWith('Step') || typeof value !== 'number' || value === f.step) continue;
    const isLr = key.startsWith('lr');
    const series = isLr ? primarySeries(run.series, 'lr') : (run.series.find((s) => s.tag === f.series) ?? primarySeries(run.series, 'train_loss'));
    if (!series) continue;
    const line = lineOfStep(series, value);
    if (!line || (doc && line > doc.lineCount)) continue;
    const what = key.slice(0, -'Step'.length);
    const valueKey = Object.keys(f.evidence).find((k) => k === what || k === `${what}Value`);
    const v = valueKey ? f.evidence[valueKey] : undefined;
    const shown = typeof v === 'number' ? ` (${isLr ? formatLr(v) : formatNumber(v)})` : '';
    out.push(new vscode.DiagnosticRelatedInformation(new vscode.Location(uri, new vscode.Position(line - 1, 0)), `${humanize(what)} at step ${formatNumber(value)}${shown}`));
  }
  return out;
}

function humanize(key: string): string {
  const words = key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.replace(/^lr\b/, 'LR').replace(/^./, (c) => c.toUpperCase());
}

export function toDiagnostic(uri: vscode.Uri, doc: vscode.TextDocument | undefined, run: Run, f: Finding): vscode.Diagnostic {
  let range = new vscode.Range(0, 0, 0, 0);
  if (doc && doc.lineCount > 0) {
    const lineNo = Math.min(Math.max((f.line ?? 1) - 1, 0), doc.lineCount - 1);
    const line = doc.lineAt(lineNo);
    range = new vscode.Range(lineNo, line.firstNonWhitespaceCharacterIndex, lineNo, Math.max(line.text.length, line.firstNonWhitespaceCharacterIndex + 1));
  } else if (f.line) {
    range = new vscode.Range(f.line - 1, 0, f.line - 1, 1);
  }
  const d = new vscode.Diagnostic(range, f.message, SEVERITY[f.severity]);
  d.source = DIAGNOSTIC_SOURCE;
  d.code = f.rule;
  const related = relatedInfo(uri, doc, run, f);
  if (related.length) d.relatedInformation = related;
  return d;
}

/** At most this many read errors are shown in one file. */
const MAX_READ_ERROR_DIAGNOSTICS = 20;

/**
 * Lines LR Lens could not read (a malformed JSON line, a bad CSV row) as hints at those
 * lines, so nothing is dropped silently; the rest of the file is still read.
 */
export function readErrorDiagnostics(run: Run, doc: vscode.TextDocument | undefined): vscode.Diagnostic[] {
  const out: vscode.Diagnostic[] = [];
  for (const e of run.errors) {
    if (e.line === undefined || out.length >= MAX_READ_ERROR_DIAGNOSTICS) continue;
    const lineNo = e.line - 1;
    if (doc && lineNo >= doc.lineCount) continue;
    const end = doc ? doc.lineAt(lineNo).text.length : 1;
    const d = new vscode.Diagnostic(new vscode.Range(lineNo, 0, lineNo, Math.max(end, 1)), `LR Lens could not read this line (${e.message}); the rest of the file was read.`, vscode.DiagnosticSeverity.Hint);
    d.source = DIAGNOSTIC_SOURCE;
    d.code = 'read_error';
    out.push(d);
  }
  return out;
}
