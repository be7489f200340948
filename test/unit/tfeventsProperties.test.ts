// Property tests (fast-check) for the event-file reader: tens of thousands of cases in a
// few seconds. `npm run fuzz` runs the same kinds of properties by the million.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ProtoReader } from '../../src/core/formats/tfevents/protobuf';
import { TfRecordFramer } from '../../src/core/formats/tfevents/tfRecord';
import { bfloat16ToNumber, halfToNumber } from '../../src/core/formats/tfevents/tensor';
import { checkCut, decodeLog, readEvents, recordBoundaries, referenceRuns, runInvariants } from '../support/tfeventsChecks';
import { EventFile, ProtoWriter, encodeEvent, fileVersionEvent, frameRecord, scalarTensor, toBfloat16Bits, toHalfBits, type ValueSpec } from '../support/tfeventsWriter';

const SEED = 20240611;
const chunks = fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 6 });

test('random bytes in random chunks: never throws, invariants hold (20,000 cases)', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 256 }), chunks, (bytes, sizes) => {
      const { run, reader } = readEvents(bytes, sizes);
      assert.deepEqual(runInvariants(run, bytes.length), []);
      assert.ok(reader.consumed <= bytes.length);
    }),
    { numRuns: 20_000, seed: SEED },
  );
});

test('framing: any payloads, framed and pushed in any chunks, come out whole and in order (10,000 cases)', () => {
  fc.assert(
    fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 6 }), chunks, (payloads, sizes) => {
      const got: number[][] = [];
      const f = new TfRecordFramer({ record: (b, s, e) => got.push(Array.from(b.subarray(s, e))), error: (e) => assert.fail(e.message) });
      const file = new EventFile();
      for (const p of payloads) file.addFramed(frameRecord(p));
      const bytes = file.bytes();
      let o = 0;
      for (let i = 0; o < bytes.length; i++) {
        const n = Math.max(1, sizes[i % sizes.length]!);
        f.push(bytes.subarray(o, o + n));
        o += n;
      }
      f.end();
      assert.deepEqual(
        got,
        payloads.map((p) => Array.from(p)),
      );
      assert.equal(f.consumed, bytes.length);
    }),
    { numRuns: 10_000, seed: SEED },
  );
});

test('varints: every safe integer survives the writer and the reader (10,000 cases)', () => {
  fc.assert(
    fc.property(fc.maxSafeInteger(), (v) => {
      const b = new ProtoWriter().varint(v).finish();
      const r = new ProtoReader().reset(b, 0, b.length);
      assert.equal(r.int64(), v);
      assert.ok(r.ok && !r.more());
    }),
    { numRuns: 10_000, seed: SEED },
  );
});

const encodings = fc.constantFrom('simple', 'float', 'double', 'half', 'bfloat16');
const point = fc.record({
  tag: fc.constantFrom('loss', 'lr', 'val loss', 'accuracy/top1'),
  gap: fc.integer({ min: 0, max: 1000 }),
  value: fc.double(),
});

function expectedValue(enc: string, v: number): number {
  if (enc === 'simple' || enc === 'float') return Math.fround(v);
  if (enc === 'half') return halfToNumber(toHalfBits(v));
  if (enc === 'bfloat16') return bfloat16ToNumber(toBfloat16Bits(v));
  return v;
}

function writeRun(points: { tag: string; gap: number; value: number }[], encOf: (tag: string) => string): { bytes: Uint8Array; expected: Map<string, [number, number][]> } {
  const file = new EventFile().add(fileVersionEvent(1.7e9));
  const expected = new Map<string, [number, number][]>();
  let step = 0;
  for (const p of points) {
    step += p.gap;
    const enc = encOf(p.tag);
    const value: ValueSpec =
      enc === 'simple'
        ? { tag: p.tag, simpleValue: p.value }
        : { tag: p.tag, tensor: scalarTensor(p.value, enc as 'float' | 'double' | 'half' | 'bfloat16'), metadata: { pluginName: 'scalars' } };
    file.add({ step, wallTime: 1.7e9 + step, summary: [value] });
    if (!expected.has(p.tag)) expected.set(p.tag, []);
    expected.get(p.tag)!.push([step, expectedValue(enc, p.value)]);
  }
  return { bytes: file.bytes(), expected };
}

test('round trip: scalars in every encoding read back exactly, in any chunks (5,000 cases)', () => {
  fc.assert(
    fc.property(fc.array(point, { maxLength: 30 }), fc.array(encodings, { minLength: 4, maxLength: 4 }), chunks, (points, encs, sizes) => {
      const tags = ['loss', 'lr', 'val loss', 'accuracy/top1'];
      const { bytes, expected } = writeRun(points, (t) => encs[tags.indexOf(t)]!);
      const { run } = readEvents(bytes, sizes);
      assert.deepEqual(run.errors, []);
      assert.equal(run.series.length, expected.size);
      for (const s of run.series) {
        const pts = expected.get(s.tag)!;
        assert.deepEqual(Array.from(s.steps), pts.map((p) => p[0]));
        pts.forEach(([, v], i) => assert.ok(Object.is(s.values[i], v), `${s.tag}[${i}]: ${s.values[i]} vs ${v}`));
      }
    }),
    { numRuns: 5_000, seed: SEED },
  );
});

test('truncation: a written file cut anywhere yields exactly its complete records (3,000 cases)', () => {
  fc.assert(
    fc.property(fc.array(point, { minLength: 1, maxLength: 20 }), fc.nat(), chunks, (points, at, sizes) => {
      const { bytes } = writeRun(points, () => 'simple');
      const cut = at % (bytes.length + 1);
      assert.equal(checkCut(bytes, recordBoundaries(bytes), cut, referenceRuns(bytes), sizes), undefined);
    }),
    { numRuns: 3_000, seed: SEED },
  );
});

test('garbage inside sound framing is a parse error at worst; the next record is read (10,000 cases)', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 128 }), chunks, (payload, sizes) => {
      const bytes = new EventFile()
        .add(fileVersionEvent(1.7e9))
        .addRecord(payload)
        .add({ step: 5, summary: [{ tag: 'after', simpleValue: 1 }] })
        .bytes();
      const { run, reader } = readEvents(bytes, sizes);
      assert.ok(run.errors.every((e) => e.kind === 'parse'));
      assert.ok(run.errors.length <= 1);
      assert.equal(reader.consumed, bytes.length);
      const after = run.series.find((s) => s.tag === 'after');
      assert.equal(after?.values[after.values.length - 1], 1);
    }),
    { numRuns: 10_000, seed: SEED },
  );
});

test('the common-shape decoder agrees with the general one on damaged scalar records (10,000 cases)', () => {
  const scalarRecord = fc
    .record({ step: fc.nat(), wall: fc.double(), value: fc.double(), tag: fc.string({ maxLength: 20 }), keras: fc.boolean() })
    .map(({ step, wall, value, tag, keras }) =>
      encodeEvent({
        wallTime: wall,
        step,
        summary: [keras ? { tag, tensor: scalarTensor(value), metadata: { pluginName: 'scalars' } } : { tag, simpleValue: value }],
      }),
    );
  const edit = fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }), cut: fc.boolean() });
  fc.assert(
    fc.property(fc.array(fc.tuple(scalarRecord, fc.array(edit, { maxLength: 3 })), { minLength: 1, maxLength: 6 }), (records) => {
      const file = new EventFile().add(fileVersionEvent(1.7e9));
      for (const [payload, edits] of records) {
        let p = payload.slice();
        for (const e of edits) {
          if (e.cut) p = p.slice(0, e.at % (p.length + 1));
          else if (p.length > 0) p[e.at % p.length] = e.byte;
        }
        file.addRecord(p);
      }
      const bytes = file.bytes();
      assert.deepEqual(decodeLog(bytes, true), decodeLog(bytes, false));
    }),
    { numRuns: 10_000, seed: SEED },
  );
});
