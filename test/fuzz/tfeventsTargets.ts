// Fuzz targets and the every-byte truncation sweep for the TensorBoard event-file reader.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TfeventsReader } from '../../src/core/formats/tfevents/tfeventsReader';
import { bfloat16ToNumber, halfToNumber } from '../../src/core/formats/tfevents/tensor';
import { corpusDir } from '../support/shared';
import { checkCut, checkEveryByte, readEvents, recordBoundaries, referenceRuns, runInvariants, sameSeries } from '../support/tfeventsChecks';
import {
  EventFile,
  ProtoWriter,
  encodeEvent,
  fileVersionEvent,
  hparamsValues,
  histoValue,
  imageValue,
  scalarTensor,
  syntheticEvents,
  tensorHistogramValue,
  textValue,
  toBfloat16Bits,
  toHalfBits,
  type EventSpec,
  type ValueSpec,
} from '../support/tfeventsWriter';
import { chunkSizes, int, mutate, pick, randomBytes, small, type FuzzSweep, type FuzzTarget, type Rand } from './fuzzing';

interface Sample {
  name: string;
  bytes: Uint8Array;
  boundaries: number[];
}

let pool: Sample[] | undefined;

/** Real event files from the shared corpus (when present) and a few written ones. */
export function eventSamples(): Sample[] {
  if (pool) return pool;
  const out: Sample[] = [];
  const add = (name: string, bytes: Uint8Array): void => void out.push({ name, bytes, boundaries: recordBoundaries(bytes) });
  const dir = corpusDir();
  if (dir) {
    for (const f of fs.readdirSync(path.join(dir, 'tfevents')).sort()) add(f, new Uint8Array(fs.readFileSync(path.join(dir, 'tfevents', f))));
  }
  add('written-pytorch', new EventFile().add(...syntheticEvents({ steps: 400, imageEvery: 40, imageBytes: 2000, histogramEvery: 20 })).bytes());
  add('written-keras', new EventFile().add(...syntheticEvents({ steps: 300, style: 'keras', histogramEvery: 10 })).bytes());
  add(
    'written-hparams',
    new EventFile()
      .add(fileVersionEvent(1.7e9), { summary: hparamsValues({ lr: 1e-3, optimizer: 'AdamW', amsgrad: false }) }, ...syntheticEvents({ steps: 50 }))
      .bytes(),
  );
  pool = out;
  return out;
}

/**
 * A run of whole consecutive records of a sample, at most `max` bytes unless one record
 * is larger (records of images and graphs are drawn rarely, so cases stay fast).
 */
function window(rand: Rand, s: Sample, max = 1 << 14): Uint8Array {
  const starts = [0, ...s.boundaries];
  if (starts.length < 2) return s.bytes;
  let i = int(rand, 0, starts.length - 2);
  for (let tries = 0; tries < 4 && starts[i + 1]! - starts[i]! > max; tries++) i = int(rand, 0, starts.length - 2);
  let j = i + 1;
  while (j < starts.length - 1 && starts[j + 1]! - starts[i]! <= max && rand() < 0.98) j++;
  return s.bytes.subarray(starts[i], starts[j]);
}

function sample(rand: Rand): Sample {
  return pick(rand, eventSamples());
}

const randomBytesTarget: FuzzTarget = {
  name: 'tfevents/random-bytes',
  description: 'random bytes in random chunks: no exception, structural invariants hold',
  run(rand) {
    const bytes = randomBytes(rand, small(rand, 4096));
    const { run, reader } = readEvents(bytes, chunkSizes(rand));
    if (reader.consumed > bytes.length) return `consumed ${reader.consumed} of ${bytes.length}`;
    return runInvariants(run, bytes.length)[0];
  },
};

/** A random protobuf-shaped message: plausible keys and wire types, nested. */
function randomProto(rand: Rand, depth: number): Uint8Array {
  const w = new ProtoWriter();
  const fields = small(rand, 12);
  for (let f = 0; f < fields; f++) {
    const field = rand() < 0.8 ? int(rand, 1, 10) : int(rand, 11, 2 ** 20);
    switch (int(rand, 0, 5)) {
      case 0:
        w.key(field, 0).varint(pick(rand, [0, 1, 7, 19, 14, 127, 128, 2 ** 31, 2 ** 53 - 1, -1]));
        break;
      case 1:
        w.key(field, 1).double(pick(rand, [0, 1.5, NaN, -Infinity, 1.7e9]));
        break;
      case 2:
        w.key(field, 5).float(pick(rand, [0, 0.25, NaN, Infinity]));
        break;
      case 3:
        w.string(field, pick(rand, ['scalars', 'hparams', 'images', 'loss', '', 'train/loss']));
        break;
      default:
        w.bytes(field, depth > 0 && rand() < 0.7 ? randomProto(rand, depth - 1) : randomBytes(rand, small(rand, 40)));
    }
  }
  return w.finish();
}

function randomValue(rand: Rand): ValueSpec {
  const tag = pick(rand, ['loss', 'lr', 'acc', 'img', '_hparams_/session_start_info']);
  switch (int(rand, 0, 7)) {
    case 0:
      return { tag, simpleValue: rand() * 10 };
    case 1:
      return { tag, tensor: scalarTensor(rand(), pick(rand, ['float', 'double', 'half', 'bfloat16'] as const), pick(rand, ['content', 'list'] as const)), metadata: { pluginName: 'scalars' } };
    case 2:
      return imageValue(tag, small(rand, 500));
    case 3:
      return histoValue(tag, small(rand, 30));
    case 4:
      return tensorHistogramValue(tag, small(rand, 10));
    case 5:
      return textValue(tag, 'hello');
    case 6:
      return hparamsValues({ lr: rand(), optimizer: 'SGD', nesterov: true })[1]!;
    default:
      return { tag, tensor: { dtype: int(rand, 0, 25), shape: Array.from({ length: small(rand, 3) }, () => int(rand, -1, 3)), content: randomBytes(rand, small(rand, 16)) }, metadata: { pluginName: 'scalars' } };
  }
}

const randomRecordsTarget: FuzzTarget = {
  name: 'tfevents/random-records',
  description: 'well-framed records holding random or protobuf-shaped or damaged Events: only parse errors, reading goes on',
  weight: 2,
  run(rand) {
    const file = new EventFile().add(fileVersionEvent(1.7e9));
    const n = int(rand, 1, 8);
    for (let i = 0; i < n; i++) {
      const kind = int(rand, 0, 2);
      if (kind === 0) file.addRecord(randomBytes(rand, small(rand, 300)));
      else if (kind === 1) file.addRecord(randomProto(rand, 3));
      else {
        const event: EventSpec = { wallTime: 1.7e9 + i, step: int(rand, 0, 1000), summary: Array.from({ length: int(rand, 1, 4) }, () => randomValue(rand)) };
        file.addRecord(rand() < 0.5 ? mutate(rand, encodeEvent(event)) : encodeEvent(event));
      }
    }
    const sentinel = { step: 2 ** 40, summary: [{ tag: '\u0000sentinel', simpleValue: 42 }] };
    file.add(sentinel);
    const bytes = file.bytes();
    const { run, reader } = readEvents(bytes, chunkSizes(rand));
    if (reader.consumed !== bytes.length) return `consumed ${reader.consumed} of ${bytes.length}`;
    const framing = run.errors.filter((e) => e.kind !== 'parse');
    if (framing.length) return `framing errors on sound framing: ${JSON.stringify(framing)}`;
    if (run.errors.length > n) return `${run.errors.length} errors for ${n} records`;
    const s = run.series.find((x) => x.tag === '\u0000sentinel');
    if (!s || s.values[s.values.length - 1] !== 42) return 'the record after the damaged ones was not read';
    return runInvariants(run, bytes.length)[0];
  },
};

const mutatedFileTarget: FuzzTarget = {
  name: 'tfevents/mutated-file',
  description: 'real event files with random edits: no exception, invariants, every record before the first edit read',
  weight: 2,
  run(rand) {
    const original = window(rand, sample(rand));
    const bytes = mutate(rand, original);
    const { run, reader } = readEvents(bytes, chunkSizes(rand));
    const bad = runInvariants(run, bytes.length)[0];
    if (bad) return bad;
    let diff = 0;
    while (diff < bytes.length && diff < original.length && bytes[diff] === original[diff]) diff++;
    const intact = recordBoundaries(original).filter((b) => b <= diff).length;
    if (reader.stats.records < intact) return `read ${reader.stats.records} records, but the first ${intact} were untouched`;
    const firstError = run.errors[0];
    const intactEnd = intact ? recordBoundaries(original)[intact - 1]! : 0;
    if (firstError?.offset !== undefined && firstError.offset < intactEnd) return `error at ${firstError.offset} inside untouched records (up to ${intactEnd})`;
    return undefined;
  },
};

const bitFlipTarget: FuzzTarget = {
  name: 'tfevents/bit-flip',
  description: 'one flipped bit: a header bit stops the file there (corrupt), a data bit skips just that record (checksum)',
  weight: 2,
  run(rand) {
    const original = window(rand, sample(rand));
    if (original.length === 0) return undefined;
    const at = int(rand, 0, original.length - 1);
    const bytes = original.slice();
    bytes[at]! ^= 1 << int(rand, 0, 7);
    const ends = recordBoundaries(original);
    const k = ends.findIndex((e) => e > at);
    const start = k === 0 ? 0 : ends[k - 1]!;
    const { run } = readEvents(bytes, chunkSizes(rand));
    const inHeader = at < start + 12;
    const expectedKind = inHeader ? 'corrupt' : 'checksum';
    if (run.errors.length !== 1 || run.errors[0]!.kind !== expectedKind || run.errors[0]!.offset !== start)
      return `flip at ${at} (record at ${start}): expected one ${expectedKind} error at ${start}, got ${JSON.stringify(run.errors)}`;
    const without = new Uint8Array(original.length - (ends[k]! - start));
    without.set(original.subarray(0, start));
    if (!inHeader) without.set(original.subarray(ends[k]), start);
    const expected = readEvents(inHeader ? original.subarray(0, start) : without).run;
    const d = sameSeries(run, expected);
    return d ? `flip at ${at}: ${d}` : undefined;
  },
};

const mutatedPayloadTarget: FuzzTarget = {
  name: 'tfevents/mutated-payload',
  description: 'real Event payloads with random edits, re-framed with sound checksums: at most a parse error, the next record read',
  weight: 2,
  run(rand) {
    const s = sample(rand);
    if (s.boundaries.length === 0) return undefined;
    let k = int(rand, 0, s.boundaries.length - 1);
    const size = (i: number): number => s.boundaries[i]! - (i === 0 ? 0 : s.boundaries[i - 1]!);
    for (let tries = 0; tries < 4 && size(k) > 1 << 14; tries++) k = int(rand, 0, s.boundaries.length - 1);
    const start = k === 0 ? 0 : s.boundaries[k - 1]!;
    const payload = mutate(rand, s.bytes.subarray(start + 12, s.boundaries[k]! - 4));
    const file = new EventFile().add(fileVersionEvent(1.7e9)).addRecord(payload).add({ step: 2 ** 40, summary: [{ tag: '\u0000sentinel', simpleValue: 7 }] });
    const bytes = file.bytes();
    const { run } = readEvents(bytes, chunkSizes(rand));
    if (run.errors.some((e) => e.kind !== 'parse') || run.errors.length > 1) return `unexpected errors ${JSON.stringify(run.errors)}`;
    const sentinel = run.series.find((x) => x.tag === '\u0000sentinel');
    if (!sentinel || sentinel.values[sentinel.values.length - 1] !== 7) return 'the record after the damaged one was not read';
    return runInvariants(run, bytes.length)[0];
  },
};

const truncationTarget: FuzzTarget = {
  name: 'tfevents/truncation',
  description: 'a real file cut at a random byte: exactly the complete records before the cut, and a truncated error at the partial one',
  weight: 2,
  run(rand) {
    const bytes = window(rand, sample(rand));
    const cut = int(rand, 0, bytes.length);
    return checkCut(bytes, recordBoundaries(bytes), cut, referenceRuns(bytes), chunkSizes(rand));
  },
};

const chunkingTarget: FuzzTarget = {
  name: 'tfevents/chunking',
  description: 'a real file pushed in random chunk sizes reads exactly as in one push',
  run(rand) {
    const bytes = window(rand, sample(rand));
    const one = readEvents(bytes).run;
    const many = readEvents(bytes, chunkSizes(rand)).run;
    const d = sameSeries(many, one);
    if (d) return d;
    if (JSON.stringify(many.errors) !== JSON.stringify(one.errors)) return `errors differ: ${JSON.stringify(many.errors)}`;
    if (JSON.stringify(many.hparams) !== JSON.stringify(one.hparams)) return 'hparams differ';
    return undefined;
  },
};

const roundTripTarget: FuzzTarget = {
  name: 'tfevents/round-trip',
  description: 'random scalars written in every encoding (simple_value; float/double/half/bfloat16 tensors) read back exactly',
  weight: 2,
  run(rand) {
    const specials = [NaN, Infinity, -Infinity, -0, 0, 2 ** -24, 2 ** -149, 3.4e38, -1e-300, 65504];
    const tags = Array.from({ length: int(rand, 1, 5) }, (_, i) => pick(rand, ['loss', 'Loss/train', 'lr-AdamW', 'grad norm', 'точность', 'x']) + i);
    const modes = tags.map(() => pick(rand, ['simple', 'float', 'double', 'half', 'bfloat16'] as const));
    const encodings = tags.map(() => pick(rand, ['content', 'list', 'unpacked'] as const));
    const metadataEveryTime = tags.map(() => rand() < 0.5);
    const expected = new Map<string, [number, number][]>();
    const file = new EventFile().add(fileVersionEvent(1.7e9));
    let step = int(rand, -5, 5);
    for (let e = int(rand, 0, 40); e > 0; e--) {
      step += small(rand, 3) * (rand() < 0.01 ? 2 ** 33 : 1);
      const values: ValueSpec[] = [];
      for (let t = 0; t < tags.length; t++) {
        if (rand() < 0.4) continue;
        const v = rand() < 0.2 ? pick(rand, specials) : (rand() - 0.5) * 10 ** int(rand, -8, 8);
        const tag = tags[t]!;
        const first = !expected.has(tag);
        const mode = modes[t]!;
        let got: number;
        if (mode === 'simple') {
          values.push({ tag, simpleValue: v });
          got = Math.fround(v);
        } else {
          const enc = encodings[t]!;
          const tensor = { ...scalarTensor(v, mode, enc === 'content' ? 'content' : 'list'), unpacked: enc === 'unpacked' };
          values.push({ tag, tensor, ...(first || metadataEveryTime[t] ? { metadata: { pluginName: 'scalars' } } : {}) });
          got = mode === 'float' ? Math.fround(v) : mode === 'double' ? v : mode === 'half' ? halfToNumber(toHalfBits(v)) : bfloat16ToNumber(toBfloat16Bits(v));
        }
        if (!expected.has(tag)) expected.set(tag, []);
        expected.get(tag)!.push([step, got]);
      }
      if (rand() < 0.1) values.push(imageValue('image', small(rand, 100)));
      file.add({ wallTime: 1.7e9 + e, step, summary: values });
    }
    const { run } = readEvents(file.bytes(), chunkSizes(rand));
    if (run.errors.length) return `errors: ${JSON.stringify(run.errors)}`;
    for (const [tag, pts] of expected) {
      const s = run.series.find((x) => x.tag === tag);
      if (!s) return `tag ${tag} missing`;
      if (s.steps.length !== pts.length) return `${tag}: ${s.steps.length} points, expected ${pts.length}`;
      for (let i = 0; i < pts.length; i++) {
        if (s.steps[i] !== pts[i]![0] || !Object.is(s.values[i], pts[i]![1])) return `${tag}[${i}]: (${s.steps[i]}, ${s.values[i]}) vs (${pts[i]![0]}, ${pts[i]![1]})`;
      }
    }
    return run.series.length === expected.size ? undefined : `${run.series.length} series, expected ${expected.size}`;
  },
};

export const tfeventsTargets: FuzzTarget[] = [
  randomBytesTarget,
  randomRecordsTarget,
  mutatedFileTarget,
  bitFlipTarget,
  mutatedPayloadTarget,
  truncationTarget,
  chunkingTarget,
  roundTripTarget,
];

/**
 * The partial record at a cut, read on its own by a reader resuming at the last record
 * boundary: it must yield nothing, hold the bytes back, and end() must report them as
 * truncated at that boundary (no error when the cut is a boundary).
 */
function checkPartialRecord(bytes: Uint8Array, boundaries: readonly number[], k: number, cut: number, split: number): string | undefined {
  const whole = k === 0 ? 0 : boundaries[k - 1]!;
  const reader = new TfeventsReader('sweep', 'sweep', { startOffset: whole });
  const mid = Math.min(cut, whole + split);
  reader.push(bytes.subarray(whole, mid));
  reader.push(bytes.subarray(mid, cut));
  if (reader.stats.records !== 0 || reader.consumed !== whole || reader.pending !== cut - whole) return `cut at ${cut}: a partial record was read or dropped`;
  reader.end();
  const errors = reader.snapshot().errors;
  if (cut === whole) return errors.length === 0 ? undefined : `cut at boundary ${cut}: ${JSON.stringify(errors)}`;
  if (errors.length !== 1 || errors[0]!.kind !== 'truncated' || errors[0]!.offset !== whole) return `cut at ${cut}: expected truncated at ${whole}, got ${JSON.stringify(errors)}`;
  return undefined;
}

/** Files up to this size are also read from the start at every cut (quadratic). */
const FULL_READ_LIMIT = 64 * 1024;

export const tfeventsSweeps: FuzzSweep[] = [
  {
    name: 'tfevents/truncate-every-byte',
    description:
      'every real event file cut at every byte: one pass pushing byte by byte; the partial record at each cut read on its own; ' +
      `and, for files up to ${FULL_READ_LIMIT / 1024} kB, a full read of every prefix compared with the complete records`,
    *cases() {
      for (const s of eventSamples()) {
        yield () => {
          const p = checkEveryByte(s.bytes);
          return p ? `${s.name}: ${p}` : undefined;
        };
        let k = 0;
        for (let cut = 0; cut <= s.bytes.length; cut++) {
          while (k < s.boundaries.length && s.boundaries[k]! <= cut) k++;
          const kk = k;
          const c = cut;
          yield () => {
            const p = checkPartialRecord(s.bytes, s.boundaries, kk, c, 1 + (c % 17));
            return p ? `${s.name}: ${p}` : undefined;
          };
        }
        if (s.bytes.length <= FULL_READ_LIMIT) {
          const reference = referenceRuns(s.bytes);
          for (let cut = 0; cut <= s.bytes.length; cut++) {
            const c = cut;
            yield () => {
              const p = checkCut(s.bytes, s.boundaries, c, reference, [1 + (c % 251)]);
              return p ? `${s.name}: ${p}` : undefined;
            };
          }
        }
      }
    },
  },
];
