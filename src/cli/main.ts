// `lr-lens`: the command line over the core, for terminals and CI.
import { analyzeRun } from '../core/analysis/analyze';
import { SEVERITY_RANK, type Severity } from '../core/analysis/finding';
import { readPath } from '../core/formats/registry';
import { summarize } from '../core/model/summary';
import { nodeFileSystem } from './nodeFileSystem';
import { renderText } from './text';

const USAGE = `Usage: lr-lens analyze <file-or-folder>... [--format text|json] [--fail-on error|warning]

Reads training runs (text logs, ...), finds learning-rate problems and prints them.
Exit codes: 0 no finding at or above --fail-on; 1 findings at or above --fail-on;
2 bad usage or an input that could not be read (the others are still analysed).`;

interface Args {
  command: string;
  paths: string[];
  format: 'text' | 'json';
  failOn?: Severity;
}

function parseArgs(argv: string[]): Args | string {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h') return USAGE;
  if (command !== 'analyze') return `unknown command "${command}"\n\n${USAGE}`;
  const args: Args = { command, paths: [], format: 'text' };
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
    } else if (a.startsWith('-')) return `unknown option "${a}"\n\n${USAGE}`;
    else args.paths.push(a);
  }
  if (args.paths.length === 0) return `analyze needs at least one file or folder\n\n${USAGE}`;
  return args;
}

export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    const help = args === USAGE;
    (help ? process.stdout : process.stderr).write(args + '\n');
    return help ? 0 : 2;
  }
  let unreadable = false;
  let failing = false;
  const runs = [];
  for (const p of args.paths) {
    const result = await readPath(nodeFileSystem, p);
    if (result.failure) {
      unreadable = true;
      process.stderr.write(`lr-lens: ${p}: ${result.failure}\n`);
    }
    for (const run of result.runs) {
      const findings = analyzeRun(run);
      if (args.failOn && findings.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[args.failOn!])) failing = true;
      runs.push({
        source: run.source,
        format: run.format,
        series: run.series.map(summarize),
        findings,
        errors: run.errors,
      });
    }
  }
  if (args.format === 'json') process.stdout.write(JSON.stringify({ version: 1, runs }, null, 2) + '\n');
  else process.stdout.write(renderText(runs));
  return unreadable ? 2 : failing ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`lr-lens: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 2;
  },
);
