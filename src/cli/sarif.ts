// `--format sarif`: findings as a SARIF 2.1.0 log, for code-scanning UIs and CI annotations.
//
// One SARIF run for the whole invocation (one tool, many artifacts). Each analysed file
// or folder is an artifact; each finding is a result with the rule id, a level
// (error → error, warning → warning, info → note), the message, and a location: the
// artifact and, for text formats, the 1-based line of the finding's first step. Binary
// formats have no line, so their results carry the artifact alone. The step, end step,
// series, evidence and suggestions travel in the result's `properties` bag, where
// SARIF puts tool-specific data. The eight rules are described in the tool's driver
// with their default level, so viewers can show and filter them.
import { RULES, RULE_SUMMARIES, type Finding, type Rule, type Severity } from '../core/analysis/finding';
import type { RunReport } from './text';

const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** The level a rule usually has: divergence is fatal, the rest are warnings. */
const DEFAULT_LEVEL: Record<Rule, 'error' | 'warning' | 'note'> = {
  divergence: 'error',
  loss_spike: 'warning',
  oscillation: 'warning',
  plateau: 'warning',
  slow_convergence: 'warning',
  lr_collapse: 'warning',
  overfitting: 'warning',
  warmup: 'warning',
};

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

const TITLES: Record<Rule, string> = {
  divergence: 'Divergence',
  loss_spike: 'LossSpike',
  oscillation: 'Oscillation',
  plateau: 'Plateau',
  slow_convergence: 'SlowConvergence',
  lr_collapse: 'LrCollapse',
  overfitting: 'Overfitting',
  warmup: 'Warmup',
};

/**
 * A path as a SARIF artifact URI: forward slashes, each segment percent-encoded (spaces
 * and `#` are common in run folder names); absolute POSIX paths become `file://` URIs.
 */
export function artifactUri(path: string): string {
  const p = path.replace(/\\/g, '/');
  const drive = /^[A-Za-z]:\//.test(p);
  const encoded = p
    .split('/')
    .map((seg, i) => (drive && i === 0 ? seg : encodeURIComponent(seg)))
    .join('/');
  if (drive) return `file:///${encoded}`;
  if (p.startsWith('/')) return `file://${encoded}`;
  return encoded;
}

export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: unknown[];
}

export function renderSarif(reports: readonly RunReport[], toolVersion: string): SarifLog {
  const artifacts: { location: { uri: string } }[] = [];
  const artifactIndex = new Map<string, number>();
  const indexOf = (source: string): number => {
    let i = artifactIndex.get(source);
    if (i === undefined) {
      i = artifacts.length;
      artifacts.push({ location: { uri: artifactUri(source) } });
      artifactIndex.set(source, i);
    }
    return i;
  };
  const results = reports.flatMap((r) => r.findings.map((f) => result(f, r.source, indexOf(r.source))));
  for (const r of reports) indexOf(r.source);
  return {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'lr-lens',
            version: toolVersion,
            informationUri: 'https://github.com/lr-lens/lr-lens',
            rules: RULES.map((id) => ({
              id,
              name: TITLES[id],
              shortDescription: { text: RULE_SUMMARIES[id] },
              fullDescription: { text: RULE_SUMMARIES[id] },
              defaultConfiguration: { level: DEFAULT_LEVEL[id] },
            })),
          },
        },
        artifacts,
        results,
        columnKind: 'unicodeCodePoints',
      },
    ],
  };
}

function result(f: Finding, source: string, artifact: number): unknown {
  const physicalLocation: Record<string, unknown> = { artifactLocation: { uri: artifactUri(source), index: artifact } };
  if (f.line !== undefined && f.line >= 1) physicalLocation.region = { startLine: f.line };
  return {
    ruleId: f.rule,
    ruleIndex: RULES.indexOf(f.rule),
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [{ physicalLocation }],
    properties: {
      series: f.series,
      step: f.step,
      ...(f.endStep !== undefined ? { endStep: f.endStep } : {}),
      evidence: f.evidence,
      suggestions: f.suggestions,
    },
  };
}
