// The test writer must write what the frameworks write: checked byte for byte against
// records of real event files, and by round trips through the reader.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { EventDecoder, type EventSink } from '../../src/core/formats/tfevents/event';
import { TfRecordFramer } from '../../src/core/formats/tfevents/tfRecord';
import { bfloat16ToNumber, halfToNumber } from '../../src/core/formats/tfevents/tensor';
import { NO_CORPUS, corpusDir } from '../support/shared';
import {
  EventFile,
  encodeEvent,
  fileVersionEvent,
  frameRecord,
  tensorScalarValue,
  toBfloat16Bits,
  toHalfBits,
  type EventSpec,
} from '../support/tfeventsWriter';
import { readEvents, recordBoundaries } from '../support/tfeventsChecks';

function corpusFile(prefix: string): Uint8Array {
  const dir = path.join(corpusDir()!, 'tfevents');
  const name = fs.readdirSync(dir).find((f) => f.startsWith(prefix));
  assert.ok(name, `no corpus file starting with ${prefix}`);
  return new Uint8Array(fs.readFileSync(path.join(dir, name)));
}

/** Each record of a file: its bytes, and what the reader's decoder sees in it. */
function records(bytes: Uint8Array): { framed: Uint8Array; payload: Uint8Array; wallTime: number; step: number; version?: string; scalars: [string, number][] }[] {
  const out: ReturnType<typeof records> = [];
  const decoder = new EventDecoder();
  let cur: (typeof out)[number] | undefined;
  const framer = new TfRecordFramer({
    record(buf, s, e, offset) {
      cur = { framed: bytes.slice(offset, e + 4), payload: buf.slice(s, e), wallTime: NaN, step: 0, scalars: [] };
      const sink: EventSink = {
        points: (tag) => {
          const b = tag.points!;
          for (let i = 0; i < b.count; i++) {
            cur!.scalars.push([tag.tag, b.values[i]!]);
            cur!.step = b.steps[i]!;
            cur!.wallTime = b.wallTimes[i]!;
          }
          b.count = 0;
        },
        fileVersion: (v, wallTime) => {
          cur!.version = v;
          cur!.wallTime = wallTime;
        },
        hparam: () => undefined,
      };
      decoder.decode(buf, s, e, sink);
      decoder.drain(sink);
      out.push(cur);
    },
    error: (e) => assert.fail(e.message),
  });
  framer.push(bytes);
  framer.end();
  return out;
}

test('framing is byte-identical to every record of the real event files', { skip: NO_CORPUS }, () => {
  const dir = path.join(corpusDir()!, 'tfevents');
  let n = 0;
  for (const name of fs.readdirSync(dir)) {
    const bytes = new Uint8Array(fs.readFileSync(path.join(dir, name)));
    let o = 0;
    for (const end of recordBoundaries(bytes)) {
      if (end - o < 20000 || n % 50 === 0) {
        const payload = bytes.subarray(o + 12, end - 4);
        assert.deepEqual(frameRecord(payload), bytes.subarray(o, end), `${name} at ${o}`);
      }
      o = end;
      n++;
    }
    assert.equal(o, bytes.length, name);
  }
  assert.ok(n > 90000, `${n} records`);
});

test('PyTorch simple_value events are re-encoded byte for byte', { skip: NO_CORPUS }, () => {
  for (const prefix of ['torch_docs_example__only_funcs__events', 'sb3_chess__PPO_1__', 'detectron2_balloon']) {
    const recs = records(corpusFile(prefix));
    const first = recs[0]!;
    const withWriter = encodeEvent(fileVersionEvent(first.wallTime));
    const without = encodeEvent(fileVersionEvent(first.wallTime, null));
    assert.ok(
      [withWriter, without].some((b) => Buffer.from(b).equals(Buffer.from(first.payload))),
      `${prefix}: first event`,
    );
    for (const r of recs.slice(1)) {
      assert.equal(r.scalars.length, 1);
      const spec: EventSpec = { wallTime: r.wallTime, step: r.step, summary: [{ tag: r.scalars[0]![0], simpleValue: r.scalars[0]![1] }] };
      assert.deepEqual(frameRecord(encodeEvent(spec)), r.framed, `${prefix} ${r.scalars[0]![0]}@${r.step}`);
    }
  }
});

test('Keras (TF2) tensor scalar events are re-encoded byte for byte', { skip: NO_CORPUS }, () => {
  const recs = records(corpusFile('keras_tbtutorial__imdb-model-1690485351__validation'));
  assert.deepEqual(encodeEvent(fileVersionEvent(recs[0]!.wallTime, 'tensorflow.core.util.events_writer')), recs[0]!.payload);
  for (const r of recs.slice(1)) {
    const [tag, value] = r.scalars[0]!;
    assert.deepEqual(frameRecord(encodeEvent({ wallTime: r.wallTime, step: r.step, summary: [tensorScalarValue(tag, value)] })), r.framed);
  }
});

test('half and bfloat16 encodings round-trip through the reader’s decoders', () => {
  const exactHalf = [0, -0, 1, -2, 0.5, 65504, -65504, 2 ** -14, 2 ** -24, 3 * 2 ** -24, 1.5, 1023.5, Infinity, -Infinity];
  for (const v of exactHalf) assert.ok(Object.is(halfToNumber(toHalfBits(v)), v), `half ${v}`);
  assert.ok(Number.isNaN(halfToNumber(toHalfBits(NaN))));
  assert.equal(halfToNumber(toHalfBits(1e6)), Infinity); // overflow
  assert.equal(halfToNumber(toHalfBits(2 ** -26)), 0); // underflow
  assert.equal(halfToNumber(toHalfBits(1 + 2 ** -11)), 1); // ties to even
  assert.equal(halfToNumber(toHalfBits(1 + 3 * 2 ** -11)), 1 + 2 ** -9);
  assert.equal(halfToNumber(0x3555), 0.333251953125); // the binary16 nearest 1/3
  const exactBf16 = [0, 1, -2, 0.5, 3.140625, 2 ** 100, -(2 ** -100), Infinity, -Infinity];
  for (const v of exactBf16) assert.ok(Object.is(bfloat16ToNumber(toBfloat16Bits(v)), v), `bf16 ${v}`);
  assert.ok(Number.isNaN(bfloat16ToNumber(toBfloat16Bits(NaN))));
  assert.equal(bfloat16ToNumber(0x3f80), 1);
  assert.equal(bfloat16ToNumber(0xc049), -3.140625);
});

test('a written file reads back: steps, values, wall times and the file version', () => {
  const file = new EventFile().add(fileVersionEvent(1000.5));
  for (let step = 0; step < 50; step++) file.add({ wallTime: 1001 + step, step, summary: [{ tag: 'loss', simpleValue: 1 / (step + 1) }] });
  const { run, reader } = readEvents(file.bytes());
  assert.deepEqual(run.errors, []);
  assert.equal(reader.stats.fileVersion, 'brain.Event:2');
  assert.equal(reader.stats.records, 51);
  const s = run.series[0]!;
  assert.equal(s.tag, 'loss');
  assert.deepEqual(Array.from(s.steps), Array.from({ length: 50 }, (_, i) => i));
  assert.deepEqual(Array.from(s.values), Array.from({ length: 50 }, (_, i) => Math.fround(1 / (i + 1))));
  assert.deepEqual(Array.from(s.wallTimes!), Array.from({ length: 50 }, (_, i) => 1001 + i));
  assert.deepEqual(file.boundaries, recordBoundaries(file.bytes()));
});
