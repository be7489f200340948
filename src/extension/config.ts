// One typed snapshot of the `lrLens.*` settings, read per resource.
import * as vscode from 'vscode';
import type { Severity } from '../core/analysis/finding';

export interface LrLensConfig {
  /** Show findings as diagnostics in training logs. */
  diagnosticsEnabled: boolean;
  /** Least severe finding shown in the Problems panel. */
  minimumSeverity: Severity;
}

export function readConfig(scope?: vscode.ConfigurationScope): LrLensConfig {
  const c = vscode.workspace.getConfiguration('lrLens', scope);
  const sev = c.get<string>('diagnostics.minimumSeverity', 'info');
  return {
    diagnosticsEnabled: c.get<boolean>('diagnostics.enabled', true),
    minimumSeverity: sev === 'error' || sev === 'warning' ? sev : 'info',
  };
}
