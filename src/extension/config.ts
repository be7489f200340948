// One typed snapshot of the `lrLens.*` settings, read per resource.
import * as vscode from 'vscode';
import { RULES, type Rule, type Severity } from '../core/analysis/finding';
import { SERIES_ROLES, type RoleRule, type SeriesRole } from '../core/model/roles';

export type RuleSetting = 'default' | 'off' | Severity;

export interface LrLensConfig {
  /** Show findings as diagnostics in training logs. */
  diagnosticsEnabled: boolean;
  /** Least severe finding shown in the Problems panel. */
  minimumSeverity: Severity;
  /** Per-rule severity override or `off`. */
  rules: Record<Rule, RuleSetting>;
  /** Extra tag → role rules (regular expressions over tag names). */
  roles: RoleRule[];
  /** The "LR Lens: N problems · Show chart" lens at the top of training logs. */
  codeLens: boolean;
  /** Follow files while training writes them. */
  follow: boolean;
}

const RULE_SETTINGS: readonly RuleSetting[] = ['default', 'off', 'error', 'warning', 'info'];

export function readConfig(scope?: vscode.ConfigurationScope): LrLensConfig {
  const c = vscode.workspace.getConfiguration('lrLens', scope);
  const sev = c.get<string>('diagnostics.minimumSeverity', 'info');
  const rawRules = c.get<Record<string, unknown>>('rules', {});
  const rules = Object.fromEntries(RULES.map((r) => [r, 'default'])) as Record<Rule, RuleSetting>;
  for (const r of RULES) {
    const v = rawRules[r];
    if (typeof v === 'string' && (RULE_SETTINGS as readonly string[]).includes(v)) rules[r] = v as RuleSetting;
  }
  const roles: RoleRule[] = [];
  for (const [pattern, role] of Object.entries(c.get<Record<string, unknown>>('roles', {}))) {
    if (typeof role === 'string' && (SERIES_ROLES as readonly string[]).includes(role)) roles.push({ pattern, role: role as SeriesRole });
  }
  return {
    diagnosticsEnabled: c.get<boolean>('diagnostics.enabled', true),
    minimumSeverity: sev === 'error' || sev === 'warning' ? sev : 'info',
    rules,
    roles,
    codeLens: c.get<boolean>('codeLens.enabled', true),
    follow: c.get<boolean>('follow.enabled', true),
  };
}
