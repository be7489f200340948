// `lr-lens analyze`: read files and folders, analyse every run, report.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeSweep, type SweepResult } from '../core/advice/sweep';
import { analyze } from '../core/analysis/analyze';
import { SEVERITY_RANK, type Severity } from '../core/analysis/finding';
import { readPath, type FileProblem } from '../core/formats/registry';
import type { Run } from '../core/model/run';
import { summarize } from '../core/model/summary';
import { nodeFileSystem } from './nodeFileSystem';
import { renderSarif } from './sarif';
import { renderSweepText, renderText, restartReports, type RunReport } from './text';

export const ANALYZE_USAGE = `lr-lens analyze <file-or-folder>... [--format text|json|sarif] [--fail-on error|warning] [--sweep]

Reads training runs, finds learning-rate problems and prints them, with the LR
schedule each run followed.
  --format   text (default), json (findings and "schedule" per run), or sarif
             (SARIF 2.1.0; results located at the log line where there is one)
  --fail-on  exit 1 when a finding is at least this severe
  --sweep    the runs read are one experiment that differs in learning rate or
             optimizer (e.g. lr-lens analyze --sweep lightning_logs/): rank them,
             name the LR above which training was unstable and below which it was
             too slow, and recommend one (JSON: a top-level "sweep")
Exit codes: 0 no finding at or above --fail-on; 1 findings at or above --fail-on;
2 bad usage or an input that could not be read (the others are still analysed).`;

type OutputFormat = 'text' | 'json' | 'sarif';

interface AnalyzeArgs {
  paths: string[];
  format: OutputFormat;
  failOn?: Severity;
  sweep: boolean;
}

function parseArgs(rest: string[]): AnalyzeArgs | string {
  const args: AnalyzeArgs = { paths: [], format: 'text', sweep: false };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    const value = (): string | undefined => (a.includes('=') ? a.slice(a.indexOf('=') + 1) : rest[++i]);
    if (a === '--format' || a.startsWith('--format=')) {
      const v = value();
      if (v !== 'text' && v !== 'json' && v !== 'sarif') return `--format must be text, json or sarif, not "${v ?? ''}"`;
      args.format = v;
    } else if (a === '--sweep') {
      args.sweep = true;
    } else if (a === '--fail-on' || a.startsWith('--fail-on=')) {
      const v = value();
      if (v !== 'error' && v !== 'warning') return `--fail-on must be error or warning, not "${v ?? ''}"`;
      args.failOn = v;
    } else if (a.startsWith('-')) return `unknown option "${a}"`;
    else args.paths.push(a);
  }
  if (args.paths.length === 0) return 'analyze needs at least one file or folder';
  return args;
}

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export async function analyzeCommand(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    io.err(`lr-lens: ${args}\n\n${ANALYZE_USAGE}\n`);
    return 2;
  }
  let unreadable = false;
  let failing = false;
  const runs: RunReport[] = [];
  const analysed: { run: Run; report: RunReport }[] = [];
  const problems: FileProblem[] = [];
  for (const p of args.paths) {
    const result = await readPath(nodeFileSystem, p);
    if (result.failure) {
      unreadable = true;
      io.err(`lr-lens: ${p}: ${result.failure}\n`);
    }
    for (const problem of result.problems ?? []) {
      unreadable = true;
      problems.push(problem);
      io.err(`lr-lens: ${problem.path}: ${problem.message}\n`);
    }
    for (const run of result.runs) {
      const { schedule, findings } = analyze(run);
      if (args.failOn && findings.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[args.failOn!])) failing = true;
      const restarts = restartReports(run.restarts);
      const report: RunReport = {
        source: run.source,
        name: run.name,
        format: run.format,
        series: run.series.map(summarize),
        ...(schedule ? { schedule } : {}),
        findings,
        errors: run.errors,
        ...(restarts.length ? { restarts } : {}),
      };
      runs.push(report);
      analysed.push({ run, report });
    }
  }
  let sweep: SweepResult | undefined;
  if (args.sweep) sweep = analyzeSweep(analysed.map((a) => ({ run: a.run, findings: a.report.findings })));
  if (args.format === 'json') io.out(JSON.stringify({ version: 1, runs, ...(problems.length ? { problems } : {}), ...(sweep ? { sweep } : {}) }, null, 2) + '\n');
  else if (args.format === 'sarif') io.out(JSON.stringify(renderSarif(runs, toolVersion()), null, 2) + '\n');
  else io.out(renderText(runs) + (sweep ? renderSweepText(sweep) : ''));
  return unreadable ? 2 : failing ? 1 : 0;
}

/** The package's version, from the package.json next to the bundle's folder. */
function toolVersion(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}
