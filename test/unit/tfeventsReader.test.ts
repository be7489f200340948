// The event-file reader on files written by the test writer: every way frameworks store a
// scalar, what must be skipped, the error taxonomy, chunking, resumed runs, growing files.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pump } from '../../src/core/formats/source';
import { TfeventsReader } from '../../src/core/formats/tfevents/tfeventsReader';
import { halfToNumber } from '../../src/core/formats/tfevents/tensor';
import { RunBuilder } from '../../src/core/model/runBuilder';
import { MemoryFileSystem } from '../support/memoryFs';
import { seeded } from '../support/random';
import { readEvents, recordBoundaries, runInvariants, sameSeries } from '../support/tfeventsChecks';
import {
  DT_DOUBLE,
  DT_FLOAT,
  DT_INT32,
  EventFile,
  audioValue,
  encodeEvent,
  fileVersionEvent,
  flipBit,
  frameRecord,
  hparamsValues,
  histoValue,
  imageValue,
  scalarTensor,
  syntheticEvents,
  tensorHistogramValue,
  tensorScalarValue,
  textValue,
  toBfloat16Bits,
  toHalfBits,
  type EventSpec,
} from '../support/tfeventsWriter';

const fileOf = (...events: EventSpec[]): Uint8Array => new EventFile().add(fileVersionEvent(1.7e9), ...events).bytes();
const points = (bytes: Uint8Array, tag: string): [number, number][] => {
  const s = readEvents(bytes).run.series.find((x) => x.tag === tag);
  return s ? Array.from(s.steps, (st, i) => [st, s.values[i]!]) : [];
};

test('TF2 scalars: float, double, half and bfloat16, in tensor_content or the typed lists, packed or not', () => {
  const v = 0.1234567;
  const cases: [string, EventSpec, number][] = [];
  for (const enc of ['content', 'list'] as const) {
    cases.push([`float ${enc}`, { step: 1, summary: [tensorScalarValue('a', v, 'float', enc)] }, Math.fround(v)]);
    cases.push([`double ${enc}`, { step: 1, summary: [tensorScalarValue('a', v, 'double', enc)] }, v]);
    cases.push([`half ${enc}`, { step: 1, summary: [tensorScalarValue('a', v, 'half', enc)] }, halfToNumber(toHalfBits(v))]);
    cases.push([`bfloat16 ${enc}`, { step: 1, summary: [tensorScalarValue('a', v, 'bfloat16', enc)] }, 0.12353515625]);
  }
  for (const dtype of ['float', 'double', 'half', 'bfloat16'] as const) {
    const tensor = { ...scalarTensor(v, dtype, 'list'), unpacked: true };
    const expected = dtype === 'float' ? Math.fround(v) : dtype === 'double' ? v : dtype === 'half' ? halfToNumber(toHalfBits(v)) : 0.12353515625;
    cases.push([`${dtype} unpacked`, { step: 1, summary: [{ tag: 'a', tensor, metadata: { pluginName: 'scalars' } }] }, expected]);
  }
  assert.equal(toBfloat16Bits(v), 0x3dfd);
  for (const [name, event, expected] of cases) {
    const { run } = readEvents(fileOf(event));
    assert.deepEqual(run.errors, [], name);
    assert.equal(run.series.length, 1, name);
    assert.equal(run.series[0]!.values[0], expected, name);
  }
});

test('special values survive every encoding: NaN, ±Inf, -0, subnormals', () => {
  for (const dtype of ['float', 'double', 'half', 'bfloat16'] as const) {
    for (const value of [NaN, Infinity, -Infinity, -0]) {
      const got = points(fileOf({ step: 3, summary: [tensorScalarValue('x', value, dtype)] }), 'x')[0]![1];
      assert.ok(Object.is(got, value), `${dtype} ${value}: ${got}`);
    }
  }
  assert.equal(points(fileOf({ step: 1, summary: [tensorScalarValue('x', 2 ** -24, 'half')] }), 'x')[0]![1], 2 ** -24);
  assert.ok(Number.isNaN(points(fileOf({ step: 1, summary: [{ tag: 'x', simpleValue: NaN }] }), 'x')[0]![1]));
});

test('tensors that are not scalars, or not marked as scalars, are skipped', () => {
  const skipped: [string, EventSpec][] = [
    ['two elements', { summary: [{ tag: 't', tensor: { dtype: DT_FLOAT, shape: [2], floatVal: [1, 2] }, metadata: { pluginName: 'scalars' } }] }],
    ['two floats in a rank-0 list', { summary: [{ tag: 't', tensor: { dtype: DT_FLOAT, shape: [], floatVal: [1, 2] }, metadata: { pluginName: 'scalars' } }] }],
    ['content of the wrong size', { summary: [{ tag: 't', tensor: { dtype: DT_DOUBLE, shape: [], content: new Uint8Array(4) }, metadata: { pluginName: 'scalars' } }] }],
    ['an int32 scalar', { summary: [{ tag: 't', tensor: { dtype: DT_INT32, shape: [], intVal: [3] }, metadata: { pluginName: 'scalars' } }] }],
    ['no metadata', { summary: [{ tag: 't', tensor: scalarTensor(1) }] }],
    ['another plugin', { summary: [{ tag: 't', tensor: scalarTensor(1), metadata: { pluginName: 'custom' } }] }],
    ['a TF2 histogram', { summary: [tensorHistogramValue('t', 30)] }],
    ['text', { summary: [textValue('t', 'hello')] }],
  ];
  for (const [name, event] of skipped) {
    const { run, reader } = readEvents(fileOf(event));
    assert.deepEqual(run.series, [], name);
    assert.deepEqual(run.errors, [], name);
    assert.equal(reader.stats.skippedValues, 1, name);
  }
  // A [1] or [1, 1] shape holds one element: still a scalar. So does DATA_CLASS_SCALAR.
  assert.equal(points(fileOf({ summary: [{ tag: 't', tensor: { dtype: DT_FLOAT, shape: [1, 1], floatVal: [5] }, metadata: { pluginName: 'scalars' } }] }), 't')[0]![1], 5);
  assert.equal(points(fileOf({ summary: [{ tag: 't', tensor: scalarTensor(6), metadata: { dataClass: 1 } }] }), 't')[0]![1], 6);
});

test('the first metadata of a tag decides its kind for the rest of the file (TF1 FileWriter strips later ones)', () => {
  const bytes = fileOf(
    { step: 1, summary: [tensorScalarValue('acc', 0.5)] },
    { step: 2, summary: [{ tag: 'acc', tensor: scalarTensor(0.75) }] },
    { step: 3, summary: [{ tag: 'acc', tensor: scalarTensor(1), metadata: { pluginName: 'images' } }] },
    { step: 1, summary: [{ tag: 'img', tensor: scalarTensor(9), metadata: { pluginName: 'images' } }] },
    { step: 2, summary: [{ tag: 'img', tensor: scalarTensor(9), metadata: { pluginName: 'scalars' } }] },
  );
  assert.deepEqual(points(bytes, 'acc'), [
    [1, 0.5],
    [2, 0.75],
    [3, 1],
  ]);
  assert.deepEqual(points(bytes, 'img'), []);
});

test('images, histograms, audio, text and graphs are skipped; scalars in the same event are kept', () => {
  const bytes = fileOf(
    { step: 5, graphDef: new Uint8Array(5000).fill(3) },
    {
      step: 5,
      summary: [imageValue('img', 3000), { tag: 'loss', simpleValue: 2 }, histoValue('h', 40), audioValue('a', 800), textValue('t', 'x'), tensorScalarValue('acc', 0.25)],
    },
  );
  const { run, reader } = readEvents(bytes);
  assert.deepEqual(run.errors, []);
  assert.deepEqual(
    run.series.map((s) => [s.tag, s.steps[0], s.values[0]]),
    [
      ['loss', 5, 2],
      ['acc', 5, 0.25],
    ],
  );
  assert.equal(reader.stats.skippedValues, 4);
});

test('hparams from the hparams plugin: numbers, strings and booleans', () => {
  const bytes = fileOf({ summary: hparamsValues({ lr: 3e-4, optimizer: 'AdamW', nesterov: true, warmup_steps: 500 }) }, { step: 1, summary: [{ tag: 'loss', simpleValue: 1 }] });
  const { run } = readEvents(bytes);
  assert.deepEqual(run.hparams, { lr: 3e-4, optimizer: 'AdamW', nesterov: true, warmup_steps: 500 });
  assert.deepEqual(
    run.series.map((s) => s.tag),
    ['loss'],
  );
});

test('steps: proto3 default 0, negative and beyond 2^32 read exactly; wall times kept', () => {
  const steps = [0, 1, 2 ** 32 + 7, 2 ** 40, 2 ** 53 - 1];
  const bytes = fileOf(...steps.map((step, i) => ({ wallTime: 1.7e9 + i / 8, step, summary: [{ tag: 'x', simpleValue: i }] })));
  const s = readEvents(bytes).run.series[0]!;
  assert.deepEqual(Array.from(s.steps), steps);
  assert.deepEqual(Array.from(s.wallTimes!), [1.7e9, 1.7e9 + 0.125, 1.7e9 + 0.25, 1.7e9 + 0.375, 1.7e9 + 0.5]);
  assert.deepEqual(points(fileOf({ step: -5, summary: [{ tag: 'n', simpleValue: 1 }] }), 'n'), [[-5, 1]]);
});

test('tags keep their exact names: spaces, slashes, unicode', () => {
  const tags = ['training loss', 'Loss/train', 'episode/MSE Loss', 'точность', 'loss 🔥', ''];
  const bytes = fileOf(...tags.map((tag, i) => ({ step: i, summary: [{ tag, simpleValue: i }] })));
  assert.deepEqual(
    readEvents(bytes).run.series.map((s) => s.tag),
    tags,
  );
});

test('bytes pushed in random chunk sizes give the same run as one push', () => {
  const bytes = new EventFile().add(...syntheticEvents({ steps: 300, imageEvery: 25, imageBytes: 3000, histogramEvery: 10 })).bytes();
  const whole = readEvents(bytes).run;
  const rand = seeded(99);
  for (let trial = 0; trial < 40; trial++) {
    const max = [1, 3, 16, 100, 5000][trial % 5]!;
    const sizes = Array.from({ length: 64 }, () => Math.floor(rand() * max));
    const { run } = readEvents(bytes, sizes);
    assert.equal(sameSeries(run, whole), undefined, `trial ${trial}`);
    assert.deepEqual(run.errors, []);
  }
});

test('series come in the order their tags first appear, however the bytes are chunked', () => {
  const events: EventSpec[] = [{ step: 0, summary: [{ tag: 'hp_metric', simpleValue: -1 }] }];
  for (let step = 1; step < 2000; step++) events.push({ step, summary: [{ tag: 'loss', simpleValue: 1 / step }] });
  events.push({ step: 2000, summary: [{ tag: 'late', simpleValue: 0 }] });
  const bytes = fileOf(...events);
  for (const sizes of [undefined, [7], [100], [5000], [1, 30000]]) {
    assert.deepEqual(
      readEvents(bytes, sizes).run.series.map((s) => [s.tag, s.steps.length]),
      [
        ['hp_metric', 1],
        ['loss', 1999],
        ['late', 1],
      ],
      `chunks ${String(sizes)}`,
    );
  }
});

test('a resumed run (a step going backwards) replaces the later points from that step on, as TensorBoard does', () => {
  const events: EventSpec[] = [];
  for (let step = 0; step < 10; step++) events.push({ step, summary: [{ tag: 'loss', simpleValue: 10 - step }, { tag: 'lr', simpleValue: 1 }] });
  // Restarted from the checkpoint at step 6: steps 6.. are recomputed, only for loss.
  for (let step = 6; step < 12; step++) events.push({ step, summary: [{ tag: 'loss', simpleValue: 100 + step }] });
  const { run } = readEvents(fileOf(...events));
  const loss = run.series.find((s) => s.tag === 'loss')!;
  assert.deepEqual(Array.from(loss.steps), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  assert.deepEqual(Array.from(loss.values), [10, 9, 8, 7, 6, 5, 106, 107, 108, 109, 110, 111]);
  assert.deepEqual(run.restarts, [{ tag: 'loss', step: 6, dropped: 4 }]);
  assert.equal(run.series.find((s) => s.tag === 'lr')!.steps.length, 10);
  // A repeated step (not going backwards) keeps both points, as TensorBoard's accumulator does.
  assert.deepEqual(points(fileOf({ step: 4, summary: [{ tag: 'e', simpleValue: 1 }] }, { step: 4, summary: [{ tag: 'e', simpleValue: 2 }] }), 'e'), [
    [4, 1],
    [4, 2],
  ]);
});

test('a flipped checksum is reported with its offset and file; the other records are kept', () => {
  const file = new EventFile().add(fileVersionEvent(1.7e9));
  for (let step = 0; step < 20; step++) file.add({ step, summary: [{ tag: 'loss', simpleValue: step }] });
  const bytes = file.bytes();
  const b = file.boundaries;
  const damagedRecord = 7; // the record holding step 6
  const offset = b[damagedRecord - 1]!;
  for (const at of [offset + 12, offset + 20, b[damagedRecord]! - 1]) {
    const { run } = readEvents(flipBit(bytes, at, 3));
    assert.equal(run.errors.length, 1);
    assert.deepEqual({ ...run.errors[0], message: '' }, { kind: 'checksum', offset, file: 'mem/events.out.tfevents.1', message: '' });
    assert.match(run.errors[0]!.message, new RegExp(`record at byte ${offset}`));
    assert.deepEqual(Array.from(run.series[0]!.steps), [0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
  }
  const unchecked = readEvents(flipBit(bytes, b[damagedRecord]! - 1, 3), undefined, { verifyChecksums: false }).run;
  assert.deepEqual(unchecked.errors, [], 'a flipped stored CRC is invisible without verification');
});

test('corrupt framing stops the file with the offset; every earlier point is kept', () => {
  const file = new EventFile().add(fileVersionEvent(1.7e9));
  for (let step = 0; step < 20; step++) file.add({ step, summary: [{ tag: 'loss', simpleValue: step }] });
  const bytes = file.bytes();
  const offset = file.boundaries[10]!; // record 11 holds step 10
  const { run, reader } = readEvents(flipBit(bytes, offset + 2, 0), [100, 7]);
  assert.equal(run.errors.length, 1);
  assert.equal(run.errors[0]!.kind, 'corrupt');
  assert.equal(run.errors[0]!.offset, offset);
  assert.match(run.errors[0]!.message, /length checksum .* reading stopped/);
  assert.equal(reader.consumed, offset);
  assert.deepEqual(Array.from(run.series[0]!.steps), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test('a record with a sound checksum that is not an Event is a parse error, skipped', () => {
  const file = new EventFile().add(fileVersionEvent(1.7e9), { step: 1, summary: [{ tag: 'a', simpleValue: 1 }] });
  const junkAt = file.size;
  file.addRecord(new Uint8Array([0x2a, 0x10, 0x0a, 0x03])); // a summary whose length runs past the end
  file.add({ step: 2, summary: [{ tag: 'a', simpleValue: 2 }] });
  // A record whose summary parses halfway: nothing of it may appear.
  const halfAt = file.size;
  const good = encodeEvent({ step: 3, summary: [{ tag: 'a', simpleValue: 3 }, { tag: 'b', simpleValue: 3 }] });
  const broken = good.slice();
  broken[broken.length - 7] = 0x7f; // the second value's length byte
  file.addRecord(broken);
  const { run } = readEvents(file.bytes());
  assert.deepEqual(
    run.errors.map((e) => [e.kind, e.offset]),
    [
      ['parse', junkAt],
      ['parse', halfAt],
    ],
  );
  assert.deepEqual(points(file.bytes(), 'a'), [
    [1, 1],
    [2, 2],
  ]);
  assert.deepEqual(points(file.bytes(), 'b'), []);
});

test('a growing file followed chunk by chunk (records split across reads) never shows half a record', async () => {
  const all = new EventFile().add(...syntheticEvents({ steps: 200, tags: ['loss', 'lr'], imageEvery: 50, imageBytes: 2000 })).bytes();
  const boundaries = recordBoundaries(all);
  const fsys = new MemoryFileSystem();
  const path = 'runs/exp/events.out.tfevents.1.host';
  fsys.write(path, new Uint8Array(0));
  const reader = new TfeventsReader(path, 'exp');
  const rand = seeded(5);
  let written = 0;
  let read = 0;
  while (written < all.length) {
    // The writer flushes an arbitrary number of bytes (often mid-record)...
    const n = Math.min(all.length - written, 1 + Math.floor(rand() * 700));
    fsys.append(path, all.subarray(written, written + n));
    written += n;
    // ...and the reader reads whatever is new, without ending the file.
    read = await pump(fsys.open(path), reader, { from: read, follow: true, chunkSize: 1 + Math.floor(rand() * 300) });
    assert.equal(read, written);
    const complete = boundaries.filter((b) => b <= written);
    const whole = complete.length ? complete[complete.length - 1]! : 0;
    assert.equal(reader.consumed, whole);
    const snap = reader.snapshot();
    assert.deepEqual(snap.errors, []);
    const expectedRun = readEvents(all.subarray(0, whole)).run;
    assert.equal(sameSeries(snap, expectedRun), undefined, `after ${written} bytes`);
  }
  reader.end();
  assert.deepEqual(reader.snapshot().errors, []);
  assert.equal(reader.snapshot().series.find((s) => s.tag === 'loss')!.steps.length, 200);
});

test('several files can fill one run builder (the files of one run), each error naming its file', () => {
  const builder = new RunBuilder('runs/a', 'tfevents', 'a');
  const one = new TfeventsReader('runs/a', 'a', { builder, file: 'runs/a/events.1' });
  const two = new TfeventsReader('runs/a', 'a', { builder, file: 'runs/a/events.2', tagPrefix: 'validation/' });
  one.push(fileOf({ step: 1, summary: [{ tag: 'loss', simpleValue: 1 }] }));
  const second = fileOf({ step: 1, summary: [{ tag: 'loss', simpleValue: 2 }] });
  two.push(second.subarray(0, second.length - 3));
  one.end();
  two.end();
  const run = builder.build();
  assert.deepEqual(
    run.series.map((s) => [s.tag, s.role]),
    [['loss', 'train_loss']],
  );
  assert.equal(run.errors.length, 1);
  assert.equal(run.errors[0]!.file, 'runs/a/events.2');
  assert.equal(run.errors[0]!.kind, 'truncated');
});

test('random bytes and an empty file: no exception, sensible errors', () => {
  assert.deepEqual(readEvents(new Uint8Array(0)).run.errors, []);
  const rand = seeded(17);
  for (let i = 0; i < 300; i++) {
    const bytes = Uint8Array.from({ length: Math.floor(rand() * 200) }, () => Math.floor(rand() * 256));
    const { run } = readEvents(bytes, [1 + Math.floor(rand() * 50)]);
    assert.deepEqual(runInvariants(run, bytes.length), []);
    if (bytes.length >= 12) assert.equal(run.errors[0]?.kind, 'corrupt');
    else if (bytes.length > 0) assert.equal(run.errors[0]?.kind, 'truncated');
  }
  assert.equal(frameRecord(new Uint8Array(0)).length, 16);
});
