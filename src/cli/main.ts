// `lr-lens`: the command line over the core, for terminals and CI.
import { ANALYZE_USAGE, analyzeCommand, type Io } from './analyze';
import { FIX_USAGE, fixCommand } from './fix';
import { SCRIPT_USAGE, scriptCommand } from './script';

const USAGE = `Usage:
  ${[ANALYZE_USAGE, SCRIPT_USAGE, FIX_USAGE].map((u) => u.split('\n').join('\n  ')).join('\n\n  ')}`;

const io: Io = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
};

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      io.out(USAGE + '\n');
      return command === undefined ? 2 : 0;
    case 'analyze':
      return analyzeCommand(rest, io);
    case 'script':
      return scriptCommand(rest, io);
    case 'fix':
      return fixCommand(rest, io);
    default:
      io.err(`lr-lens: unknown command "${command}"\n\n${USAGE}\n`);
      return 2;
  }
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
