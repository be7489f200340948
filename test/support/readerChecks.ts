// Properties every text-based read must have (text logs, CSV, JSON Lines,
// trainer_state.json), shared by the unit property tests and the fuzzer.
import { CsvReader } from '../../src/core/formats/csv/csvReader';
import { TrainerStateReader } from '../../src/core/formats/hfTrainerState/trainerStateReader';
import { JsonlReader } from '../../src/core/formats/jsonl/jsonlReader';
import type { RunReader } from '../../src/core/formats/source';
import { TextLogReader } from '../../src/core/formats/text/textReader';
import type { Run } from '../../src/core/model/run';
import { SERIES_ROLES } from '../../src/core/model/roles';

export type TextFormat = 'text' | 'csv' | 'jsonl' | 'hf-trainer-state';
export const TEXT_FORMATS: readonly TextFormat[] = ['text', 'csv', 'jsonl', 'hf-trainer-state'];

export function readerFor(format: TextFormat): RunReader {
  switch (format) {
    case 'text':
      return new TextLogReader('mem/train.log', 'train.log');
    case 'csv':
      return new CsvReader('mem/metrics.csv', 'metrics.csv');
    case 'jsonl':
      return new JsonlReader('mem/metrics.json', 'metrics.json');
    case 'hf-trainer-state':
      return new TrainerStateReader('mem/trainer_state.json', 'trainer_state.json');
  }
}

/** Pushes `bytes` in chunks of the given sizes (cycled; 0 pushes an empty chunk). */
export function pushChunks(reader: RunReader, bytes: Uint8Array, sizes: readonly number[] = []): void {
  if (sizes.length === 0) {
    reader.push(bytes);
    return;
  }
  let o = 0;
  for (let i = 0; o < bytes.length; i++) {
    const n = Math.max(0, Math.floor(sizes[i % sizes.length]!));
    if (n === 0) reader.push(bytes.subarray(o, o));
    const m = Math.max(1, n);
    reader.push(bytes.subarray(o, o + m));
    o += m;
  }
}

/** Every run of `bytes` read as `format`, pushed in `sizes` chunks, then ended. */
export function readAll(format: TextFormat, bytes: Uint8Array, sizes: readonly number[] = []): { runs: Run[]; reader: RunReader } {
  const reader = readerFor(format);
  pushChunks(reader, bytes, sizes);
  reader.end();
  return { runs: reader.runs?.() ?? [reader.snapshot()], reader };
}

/** How many lines the editor shows for these bytes (UTF-8): `\n`, `\r\n` and `\r` each end one. */
export function lineCount(bytes: Uint8Array): number {
  let n = 1;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 10) n++;
    else if (bytes[i] === 13) {
      n++;
      if (bytes[i + 1] === 10) i++;
    }
  }
  return n;
}

/** Structural invariants of any run, however bad its input: a description per violation. */
export function runInvariants(run: Run, lines: number): string[] {
  const bad: string[] = [];
  for (const s of run.series) {
    const n = s.steps.length;
    if (n === 0) bad.push(`${s.tag}: an empty series`);
    if (s.values.length !== n) bad.push(`${s.tag}: steps and values differ in length`);
    if (s.lines && s.lines.length !== n) bad.push(`${s.tag}: lines differ in length`);
    if (s.wallTimes && s.wallTimes.length !== n) bad.push(`${s.tag}: wall times differ in length`);
    if (!SERIES_ROLES.includes(s.role)) bad.push(`${s.tag}: unknown role ${s.role}`);
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(s.steps[i]!)) {
        bad.push(`${s.tag}: step ${s.steps[i]} at index ${i}`);
        break;
      }
      if (i > 0 && !(s.steps[i]! > s.steps[i - 1]!)) {
        bad.push(`${s.tag}: steps not increasing at index ${i}`);
        break;
      }
      const l = s.lines?.[i];
      if (l !== undefined && (l < 1 || l > lines)) {
        bad.push(`${s.tag}: line ${l} outside 1..${lines}`);
        break;
      }
    }
  }
  for (const e of run.errors) {
    if (!['truncated', 'corrupt', 'checksum', 'parse', 'io', 'unsupported'].includes(e.kind)) bad.push(`unexpected error kind ${e.kind}`);
    if (e.line !== undefined && (e.line < 1 || e.line > lines)) bad.push(`error line ${e.line} outside 1..${lines}`);
    if (!e.message) bad.push('error without a message');
  }
  return bad;
}

function sameArray(a: ArrayLike<number> | undefined, b: ArrayLike<number> | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i]) && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return false;
  return true;
}

/** Where two reads differ (series, restarts, errors, meta, hparams), or undefined. */
export function runsDiffer(a: readonly Run[], b: readonly Run[]): string | undefined {
  if (a.length !== b.length) return `${a.length} runs vs ${b.length}`;
  for (let r = 0; r < a.length; r++) {
    const x = a[r]!;
    const y = b[r]!;
    const d = seriesDiffer(x, y);
    if (d) return d;
    if (JSON.stringify(x.restarts) !== JSON.stringify(y.restarts)) return 'restarts differ';
    if (JSON.stringify(x.errors) !== JSON.stringify(y.errors)) return `errors differ: ${JSON.stringify(x.errors)} vs ${JSON.stringify(y.errors)}`;
    if (JSON.stringify(x.meta) !== JSON.stringify(y.meta)) return 'meta differs';
    if (JSON.stringify(x.hparams) !== JSON.stringify(y.hparams)) return 'hparams differ';
    if (x.name !== y.name) return `names ${x.name} vs ${y.name}`;
  }
  return undefined;
}

/** Where two runs' series differ (tags, roles, steps, values, lines, wall times). */
export function seriesDiffer(x: Run, y: Run): string | undefined {
  if (x.series.length !== y.series.length) return `${x.series.map((s) => s.tag).join(',')} vs ${y.series.map((s) => s.tag).join(',')}`;
  for (let i = 0; i < x.series.length; i++) {
    const s = x.series[i]!;
    const t = y.series[i]!;
    if (s.tag !== t.tag || s.role !== t.role) return `series ${i}: ${s.tag}/${s.role} vs ${t.tag}/${t.role}`;
    if (!sameArray(s.steps, t.steps)) return `${s.tag}: steps ${Array.from(s.steps).join(',')} vs ${Array.from(t.steps).join(',')}`;
    if (!sameArray(s.values, t.values)) return `${s.tag}: values ${Array.from(s.values).join(',')} vs ${Array.from(t.values).join(',')}`;
    if (!sameArray(s.lines, t.lines)) return `${s.tag}: lines differ`;
    if (!sameArray(s.wallTimes, t.wallTimes)) return `${s.tag}: wall times differ`;
  }
  return undefined;
}

/** Index after the last line end (`\n` or `\r`) in `bytes`, or 0. */
export function lastLineEnd(bytes: Uint8Array): number {
  for (let i = bytes.length - 1; i >= 0; i--) if (bytes[i] === 10 || bytes[i] === 13) return i + 1;
  return 0;
}

/**
 * Nothing half-written is shown: after pushing `bytes[0, cut)` without ending, every
 * series is a prefix of the same series read from the complete lines only (ended), and
 * holds no tag that read lacks.
 */
export function checkHalfWritten(format: TextFormat, bytes: Uint8Array, cut: number, sizes: readonly number[] = []): string | undefined {
  const reader = readerFor(format);
  pushChunks(reader, bytes.subarray(0, cut), sizes);
  const live = reader.runs?.() ?? [reader.snapshot()];
  const complete = readAll(format, bytes.subarray(0, lastLineEnd(bytes.subarray(0, cut)))).runs;
  if (live.length > complete.length) return `${live.length} runs while writing vs ${complete.length} from the complete lines`;
  for (let r = 0; r < live.length; r++) {
    const a = live[r]!;
    const b = complete[r]!;
    for (const s of a.series) {
      const t = b.series.find((x) => x.tag === s.tag);
      if (!t) return `cut ${cut}: "${s.tag}" shown from a half-written line`;
      const n = s.steps.length;
      if (n > t.steps.length) return `cut ${cut}: "${s.tag}" has ${n} points, the complete lines give ${t.steps.length}`;
      for (let i = 0; i < n; i++) {
        const same = s.steps[i] === t.steps[i] && (Object.is(s.values[i], t.values[i]) || (Number.isNaN(s.values[i]) && Number.isNaN(t.values[i])));
        if (!same) return `cut ${cut}: "${s.tag}"[${i}] = ${s.steps[i]}:${s.values[i]} while writing, ${t.steps[i]}:${t.values[i]} from the complete lines`;
      }
    }
  }
  return undefined;
}
