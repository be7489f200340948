// The orchestrator: runs every detector over a run and orders the findings.
import type { Run } from '../model/run';
import { contextOf, type AnalysisContext } from './context';
import { detectDivergence } from './divergence';
import { SEVERITY_RANK, type Finding, type Rule } from './finding';

export interface Detector {
  rule: Rule;
  detect(ctx: AnalysisContext): Finding[];
}

export const DETECTORS: readonly Detector[] = [{ rule: 'divergence', detect: detectDivergence }];

export interface AnalyzeOptions {
  /** Rules to skip. */
  disabled?: readonly Rule[];
}

/** Every finding for a run, most severe first, then by step. */
export function analyzeRun(run: Run, opts: AnalyzeOptions = {}): Finding[] {
  const ctx = contextOf(run);
  const findings: Finding[] = [];
  for (const d of DETECTORS) {
    if (opts.disabled?.includes(d.rule)) continue;
    findings.push(...d.detect(ctx));
  }
  return findings.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.step - b.step);
}
