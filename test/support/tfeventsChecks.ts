// Properties every event-file read must have, shared by the unit tests and the fuzzer.
import type { Run } from '../../src/core/model/run';
import { EventDecoder, type EventSink } from '../../src/core/formats/tfevents/event';
import { TfRecordFramer } from '../../src/core/formats/tfevents/tfRecord';
import { TfeventsReader, type TfeventsReaderOptions } from '../../src/core/formats/tfevents/tfeventsReader';

export interface EventRead {
  run: Run;
  reader: TfeventsReader;
}

/** Reads `bytes` as one event file, pushed in `chunks` sizes (default: one push). */
export function readEvents(bytes: Uint8Array, chunks?: readonly number[], opts: TfeventsReaderOptions = {}): EventRead {
  const reader = new TfeventsReader('mem/events.out.tfevents.1', 'mem', opts);
  if (!chunks || chunks.length === 0) reader.push(bytes);
  else {
    let o = 0;
    for (let i = 0; o < bytes.length; i++) {
      const n = Math.max(0, Math.floor(chunks[i % chunks.length]!));
      if (n === 0) reader.push(bytes.subarray(o, o)); // an empty push must change nothing
      const m = Math.max(1, n);
      reader.push(bytes.subarray(o, o + m));
      o += m;
    }
  }
  reader.end();
  return { run: reader.snapshot(), reader };
}

/**
 * Where each record ends, found by reading only the length fields (no checksums, no
 * reader code). Stops at the first record that does not fit.
 */
export function recordBoundaries(bytes: Uint8Array): number[] {
  const out: number[] = [];
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let o = 0;
  while (o + 12 <= bytes.length) {
    const len = v.getUint32(o, true) + v.getUint32(o + 4, true) * 2 ** 32;
    const end = o + 12 + len + 4;
    if (end > bytes.length) break;
    out.push(end);
    o = end;
  }
  return out;
}

/** Structural invariants of any run, however bad its input: a description per violation. */
export function runInvariants(run: Run, fileSize: number): string[] {
  const bad: string[] = [];
  for (const s of run.series) {
    if (s.steps.length !== s.values.length) bad.push(`${s.tag}: steps and values differ in length`);
    if (s.wallTimes && s.wallTimes.length !== s.steps.length) bad.push(`${s.tag}: wall times differ in length`);
    for (let i = 1; i < s.steps.length; i++) {
      if (!(s.steps[i]! >= s.steps[i - 1]!)) {
        bad.push(`${s.tag}: steps go backwards at index ${i}`);
        break;
      }
    }
  }
  for (const e of run.errors) {
    if (!['truncated', 'corrupt', 'checksum', 'parse', 'io'].includes(e.kind)) bad.push(`unexpected error kind ${e.kind}`);
    if (e.offset !== undefined && (e.offset < 0 || e.offset > fileSize)) bad.push(`error offset ${e.offset} outside the file`);
    if (!e.message) bad.push('error without a message');
  }
  const corrupt = run.errors.filter((e) => e.kind === 'corrupt').length;
  if (corrupt > 1) bad.push(`${corrupt} corrupt-framing errors: reading should have stopped at the first`);
  return bad;
}

/** True when two runs hold the same series (tags, roles, steps, values, wall times). */
export function sameSeries(a: Run, b: Run): string | undefined {
  if (a.series.length !== b.series.length) return `${a.series.length} series vs ${b.series.length}`;
  for (let i = 0; i < a.series.length; i++) {
    const x = a.series[i]!;
    const y = b.series[i]!;
    if (x.tag !== y.tag || x.role !== y.role) return `series ${i}: ${x.tag}/${x.role} vs ${y.tag}/${y.role}`;
    if (!sameArray(x.steps, y.steps)) return `${x.tag}: steps differ`;
    if (!sameArray(x.values, y.values)) return `${x.tag}: values differ`;
    if (!sameArray(x.wallTimes, y.wallTimes)) return `${x.tag}: wall times differ`;
  }
  return undefined;
}

function sameArray(a: Float64Array | undefined, b: Float64Array | undefined): boolean {
  if (!a || !b) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/**
 * Checks one cut: reading `bytes[0, cut)` (pushed in `chunks`) must give exactly the run
 * of the complete records before the cut, plus a `truncated` error at the start of the
 * partial record when there is one. `reference(k)` is the run of the first k records.
 */
export function checkCut(
  bytes: Uint8Array,
  boundaries: readonly number[],
  cut: number,
  reference: (end: number) => Run,
  chunks?: readonly number[],
): string | undefined {
  let k = 0;
  while (k < boundaries.length && boundaries[k]! <= cut) k++;
  const whole = k === 0 ? 0 : boundaries[k - 1]!;
  const { run, reader } = readEvents(bytes.subarray(0, cut), chunks);
  const ref = reference(whole);
  const diff = sameSeries(run, ref);
  if (diff) return `cut at ${cut}: ${diff}`;
  if (reader.consumed !== whole) return `cut at ${cut}: consumed ${reader.consumed}, expected ${whole}`;
  const truncated = run.errors.filter((e) => e.kind === 'truncated');
  const others = run.errors.filter((e) => e.kind !== 'truncated');
  if (others.length !== ref.errors.length) return `cut at ${cut}: errors ${JSON.stringify(others)} vs ${JSON.stringify(ref.errors)}`;
  if (cut > whole) {
    if (truncated.length !== 1 || truncated[0]!.offset !== whole) return `cut at ${cut}: expected one truncated error at ${whole}, got ${JSON.stringify(truncated)}`;
  } else if (truncated.length !== 0) return `cut at ${cut} (a record boundary): unexpected ${JSON.stringify(truncated)}`;
  return undefined;
}

/** A cache of `reference(end)` runs: the file read up to a record boundary. */
export function referenceRuns(bytes: Uint8Array): (end: number) => Run {
  const cache = new Map<number, Run>();
  return (end) => {
    let r = cache.get(end);
    if (!r) {
      r = readEvents(bytes.subarray(0, end)).run;
      cache.set(end, r);
    }
    return r;
  };
}

/**
 * Every-byte truncation in one pass: pushes the file one byte at a time and checks after
 * each byte that the reader has read exactly the records that are complete, holds back
 * exactly the bytes of the partial one, and has decoded exactly as many scalars as those
 * records hold. Linear in the file size, so it runs on every real file.
 */
export function checkEveryByte(bytes: Uint8Array): string | undefined {
  const boundaries = recordBoundaries(bytes);
  // Scalars decoded after each whole record, from a one-shot read record by record.
  const scalarsAfter: number[] = [];
  {
    const r = new TfeventsReader('ref', 'ref');
    let o = 0;
    for (const b of boundaries) {
      r.push(bytes.subarray(o, b));
      o = b;
      scalarsAfter.push(r.stats.scalars);
    }
  }
  const reader = new TfeventsReader('mem', 'mem');
  let k = 0;
  for (let c = 1; c <= bytes.length; c++) {
    reader.push(bytes.subarray(c - 1, c));
    while (k < boundaries.length && boundaries[k]! <= c) k++;
    const whole = k === 0 ? 0 : boundaries[k - 1]!;
    if (reader.consumed !== whole) return `after byte ${c}: consumed ${reader.consumed}, expected ${whole}`;
    if (reader.pending !== c - whole) return `after byte ${c}: holding ${reader.pending} bytes, expected ${c - whole}`;
    const st = reader.stats;
    if (st.records !== k) return `after byte ${c}: ${st.records} records, expected ${k}`;
    const expectScalars = k === 0 ? 0 : scalarsAfter[k - 1]!;
    if (st.scalars !== expectScalars) return `after byte ${c}: ${st.scalars} scalars, expected ${expectScalars}`;
  }
  return undefined;
}

/**
 * Decodes every record of `bytes` with the decoder's common-shape path on or off and
 * describes the outcome record by record (points with their bit patterns, file
 * versions, hyperparameters, parse failures), so the two paths can be compared.
 */
export function decodeLog(bytes: Uint8Array, commonPath: boolean): string[] {
  const decoder = new EventDecoder();
  decoder.commonPath = commonPath;
  const log: string[] = [];
  const bits = new DataView(new ArrayBuffer(8));
  const hex = (v: number): string => {
    bits.setFloat64(0, v);
    return `${bits.getUint32(0).toString(16)}${bits.getUint32(4).toString(16)}`;
  };
  const sink: EventSink = {
    points: (tag) => {
      const b = tag.points!;
      for (let i = 0; i < b.count; i++) log.push(`point ${JSON.stringify(tag.tag)} ${b.steps[i]} ${hex(b.wallTimes[i]!)} ${hex(b.values[i]!)}`);
      b.count = 0;
    },
    fileVersion: (v, wallTime) => log.push(`version ${v} ${hex(wallTime)}`),
    hparam: (name, value) => log.push(`hparam ${name}=${JSON.stringify(value)}`),
  };
  const framer = new TfRecordFramer(
    {
      record: (buf, start, end, offset) => {
        if (!decoder.decode(buf, start, end, sink)) log.push(`parse error at ${offset}`);
        decoder.drain(sink);
      },
      error: (e) => log.push(`${e.kind} at ${e.offset}`),
    },
    { verifyChecksums: false },
  );
  framer.push(bytes);
  framer.end();
  return log;
}
