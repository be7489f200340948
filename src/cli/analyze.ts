// `lr-lens analyze`: read files and folders, analyse every run, report.
import { analyzeRun } from '../core/analysis/analyze';
import { SEVERITY_RANK, type Severity } from '../core/analysis/finding';
import { readPath, type FileProblem } from '../core/formats/registry';
import { summarize } from '../core/model/summary';
import { nodeFileSystem } from './nodeFileSystem';
import { renderText, restartReports, type RunReport } from './text';

export const ANALYZE_USAGE = `lr-lens analyze <file-or-folder>... [--format text|json] [--fail-on error|warning]

Reads training runs, finds learning-rate problems and prints them.
Exit codes: 0 no finding at or above --fail-on; 1 findings at or above --fail-on;
2 bad usage or an input that could not be read (the others are still analysed).`;

interface AnalyzeArgs {
  paths: string[];
  format: 'text' | 'json';
  failOn?: Severity;
}

function parseArgs(rest: string[]): AnalyzeArgs | string {
  const args: AnalyzeArgs = { paths: [], format: 'text' };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    const value = (): string | undefined => (a.includes('=') ? a.slice(a.indexOf('=') + 1) : rest[++i]);
    if (a === '--format' || a.startsWith('--format=')) {
      const v = value();
      if (v !== 'text' && v !== 'json') return `--format must be text or json, not "${v ?? ''}"`;
      args.format = v;
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
      const findings = analyzeRun(run);
      if (args.failOn && findings.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[args.failOn!])) failing = true;
      const restarts = restartReports(run.restarts);
      runs.push({
        source: run.source,
        name: run.name,
        format: run.format,
        series: run.series.map(summarize),
        findings,
        errors: run.errors,
        ...(restarts.length ? { restarts } : {}),
      });
    }
  }
  if (args.format === 'json') io.out(JSON.stringify({ version: 1, runs, ...(problems.length ? { problems } : {}) }, null, 2) + '\n');
  else io.out(renderText(runs));
  return unreadable ? 2 : failing ? 1 : 0;
}
