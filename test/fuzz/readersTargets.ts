// Fuzz targets and sweeps for the text log, CSV, JSON Lines and trainer_state readers.
import { readBytes } from '../../src/core/formats/registry';
import { checkHalfWritten, lineCount, readAll, runInvariants, runsDiffer, TEXT_FORMATS, type TextFormat } from '../support/readerChecks';
import { realFiles, sampleText } from '../support/readerSamples';
import { enc } from '../support/readers';
import { chunkSizes, int, mutate, pick, randomBytes, small, type FuzzSweep, type FuzzTarget, type Rand } from './fuzzing';

/** Invariants of every run, then the same read pushed in other chunks must agree. */
function check(format: TextFormat, bytes: Uint8Array, rand: Rand): string | undefined {
  const whole = readAll(format, bytes);
  const lines = lineCount(bytes);
  for (const run of whole.runs) {
    const bad = runInvariants(run, lines);
    if (bad.length) return `${format}: ${bad.join('; ')}`;
  }
  if (whole.reader.consumed > bytes.length) return `${format}: consumed ${whole.reader.consumed} of ${bytes.length}`;
  const d = runsDiffer(readAll(format, bytes, chunkSizes(rand)).runs, whole.runs);
  return d ? `${format}: chunked read differs: ${d}` : undefined;
}

const formatOf = (rand: Rand): TextFormat => pick(rand, TEXT_FORMATS);

function realOrSample(rand: Rand): { format: TextFormat; bytes: Uint8Array } {
  const files = realFiles().filter((f) => f.bytes.length <= 1 << 17);
  if (files.length > 0 && rand() < 0.5) {
    const f = pick(rand, files);
    return { format: f.format, bytes: f.bytes };
  }
  const format = formatOf(rand);
  return { format, bytes: enc(sampleText(format, rand)) };
}

export const readersTargets: FuzzTarget[] = [
  {
    name: 'readers/random-bytes',
    description: 'random bytes as a log, CSV, JSON Lines or trainer_state in random chunks: no exception, invariants hold, chunking changes nothing',
    run(rand) {
      return check(formatOf(rand), randomBytes(rand, small(rand, 4096)), rand);
    },
  },
  {
    name: 'readers/generated',
    description: 'plausible inputs of every family and format (NaN, odd line ends, BOMs): invariants hold, chunking changes nothing',
    weight: 2,
    run(rand) {
      const format = formatOf(rand);
      return check(format, enc(sampleText(format, rand)), rand);
    },
  },
  {
    name: 'readers/mutated',
    description: 'real corpus and generated files with 1-8 random edits (flips, inserts, deletes, cuts): invariants hold, chunking changes nothing',
    weight: 2,
    run(rand) {
      const { format, bytes } = realOrSample(rand);
      return check(format, mutate(rand, bytes), rand);
    },
  },
  {
    name: 'readers/half-written',
    description: 'a file cut at a random byte and pushed without end(): only complete lines give points',
    run(rand) {
      const { format, bytes } = realOrSample(rand);
      const cut = int(rand, 0, bytes.length);
      const p = checkHalfWritten(format, bytes, cut, chunkSizes(rand));
      return p ? `${format}: ${p}` : undefined;
    },
  },
  {
    name: 'readers/sniff',
    description: 'random, generated and mutated bytes through format detection (readBytes): a run or a reason, never an exception',
    run(rand) {
      const bytes = rand() < 0.3 ? randomBytes(rand, small(rand, 2048)) : mutate(rand, realOrSample(rand).bytes);
      const r = readBytes('mem/file', bytes);
      if (r.failure === undefined && r.runs.length === 0) return 'neither runs nor a failure';
      for (const run of r.runs) {
        if (run.format === 'tfevents') continue;
        const bad = runInvariants(run, lineCount(bytes));
        if (bad.length) return `${run.format}: ${bad.join('; ')}`;
      }
      return undefined;
    },
  },
];

/** Small real files cut at every byte. */
const SWEEP_LIMIT = 8 * 1024;

export const readersSweeps: FuzzSweep[] = [
  {
    name: 'readers/cut-every-byte',
    description: `every real log, table and trainer_state up to ${SWEEP_LIMIT / 1024} kB cut at every byte and pushed without end(): only complete lines give points`,
    *cases() {
      for (const f of realFiles()) {
        if (f.bytes.length > SWEEP_LIMIT) continue;
        for (let cut = 0; cut <= f.bytes.length; cut++) {
          const c = cut;
          yield () => {
            const p = checkHalfWritten(f.format, f.bytes, c, [1 + (c % 61)]);
            return p ? `${f.name}: ${p}` : undefined;
          };
        }
      }
    },
  },
];
