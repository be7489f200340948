import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crc32c, crc32c8, maskCrc, maskedCrc32c, unmaskCrc } from '../../src/core/formats/tfevents/crc32c';
import { ProtoReader } from '../../src/core/formats/tfevents/protobuf';
import { TfRecordFramer, type FramingError } from '../../src/core/formats/tfevents/tfRecord';
import { looksLikeTfRecord } from '../../src/core/formats/tfevents/sniff';
import { seeded } from '../support/random';
import { ProtoWriter, frameRecord, referenceCrc32c, referenceMask } from '../support/tfeventsWriter';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const bytes = (...xs: number[]): Uint8Array => new Uint8Array(xs);

test('CRC-32C: the standard check value and known vectors', () => {
  assert.equal(crc32c(enc('123456789')), 0xe3069283);
  assert.equal(crc32c(new Uint8Array(32)), 0x8a9136aa); // RFC 3720 B.4: 32 bytes of zeros
  assert.equal(crc32c(new Uint8Array(32).fill(0xff)), 0x62a8ab43); // RFC 3720 B.4: 32 bytes of 0xff
  const ascending = Uint8Array.from({ length: 32 }, (_, i) => i);
  assert.equal(crc32c(ascending), 0x46dd794e); // RFC 3720 B.4: 0x00..0x1f
  assert.equal(crc32c(new Uint8Array(0)), 0);
});

test('CRC-32C: table-driven equals bit-at-a-time for every length and offset, and continues piecewise', () => {
  const rand = seeded(7);
  const data = Uint8Array.from({ length: 300 }, () => Math.floor(rand() * 256));
  for (let start = 0; start < 20; start++) {
    for (let end = start; end <= data.length; end += 1 + (end % 7)) {
      assert.equal(crc32c(data, start, end), referenceCrc32c(data.subarray(start, end)), `[${start}, ${end})`);
    }
  }
  for (let split = 0; split <= data.length; split += 13) {
    assert.equal(crc32c(data, split, data.length, crc32c(data, 0, split)), crc32c(data));
  }
  for (let p = 0; p + 8 <= 40; p++) assert.equal(crc32c8(data, p), crc32c(data, p, p + 8));
});

test('masking: the TFRecord vectors from TensorBoard, and unmask inverts mask', () => {
  // tensorboard/data/server/tf_record.rs: a length of 24 has masked CRC 0x224b7fa3, and
  // the first record of a TF2 event file has masked data CRC 0xab364b12.
  assert.equal(maskedCrc32c(bytes(0x18, 0, 0, 0, 0, 0, 0, 0)), 0x224b7fa3);
  const record = new Uint8Array([0x09, 0x00, 0x00, 0x80, 0x38, 0x99, 0xd6, 0xd7, 0x41, 0x1a, 0x0d, ...enc('brain.Event:2')]);
  assert.equal(maskedCrc32c(record), 0xab364b12);
  const rand = seeded(3);
  for (let i = 0; i < 1000; i++) {
    const c = Math.floor(rand() * 2 ** 32);
    assert.equal(maskCrc(c), referenceMask(c));
    assert.equal(unmaskCrc(maskCrc(c)), c);
  }
});

test('protobuf: varints, signed int64, floats and skipping round-trip through the writer', () => {
  const values = [0, 1, 127, 128, 300, 2 ** 31 - 1, 2 ** 31, 2 ** 32 + 5, 2 ** 53 - 1];
  const negatives = [-1, -2, -300, -(2 ** 31), -(2 ** 40), -(2 ** 53 - 1)];
  const w = new ProtoWriter();
  for (const v of [...values, ...negatives]) w.key(2, 0).varint(v);
  w.key(3, 5).float(1.5).key(4, 1).double(-2.25).string(5, 'tag').key(6, 3).key(7, 0).varint(1).key(6, 4).key(8, 0).varint(9);
  const buf = w.finish();
  const r = new ProtoReader().reset(buf, 0, buf.length);
  for (const v of [...values, ...negatives]) {
    assert.equal(r.key(), (2 << 3) | 0);
    assert.equal(r.int64(), v);
  }
  assert.equal(r.key(), (3 << 3) | 5);
  assert.equal(r.float32(), 1.5);
  assert.equal(r.key(), (4 << 3) | 1);
  assert.equal(r.float64(), -2.25);
  let k = r.key();
  r.skip(k & 7); // string
  k = r.key();
  assert.equal(k & 7, 3);
  r.skip(k & 7); // a group, with a field inside
  assert.equal(r.key(), (8 << 3) | 0);
  assert.equal(r.varint32(), 9);
  assert.ok(r.ok);
  assert.ok(!r.more());
});

test('protobuf: malformed input fails without throwing and stops every loop', () => {
  const cases: Uint8Array[] = [
    bytes(0x08), // key with no value
    bytes(0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01), // 11-byte varint
    bytes(0x12, 0x05, 0x01), // LEN past the end
    bytes(0x12, 0xff, 0xff, 0xff, 0xff, 0x0f), // LEN of 4 GiB
    bytes(0x0d, 0x00, 0x00), // fixed32 cut short
    bytes(0x09, 0x00), // fixed64 cut short
    bytes(0x0b, 0x08, 0x01), // unterminated group
    bytes(0x0c), // end-group without a group
    bytes(0x0e), // wire type 6
    bytes(0x00), // field number 0
  ];
  for (const c of cases) {
    const r = new ProtoReader().reset(c, 0, c.length);
    let guard = 0;
    while (r.more() && guard++ < 100) r.skip(r.key() & 7);
    assert.ok(!r.ok, `should fail: ${Array.from(c).join(',')}`);
    assert.ok(guard < 100);
    assert.equal(r.varint32(), 0);
  }
});

interface Collected {
  records: { data: number[]; offset: number }[];
  errors: FramingError[];
}

function framer(opts: ConstructorParameters<typeof TfRecordFramer>[1] = {}): [TfRecordFramer, Collected] {
  const got: Collected = { records: [], errors: [] };
  const f = new TfRecordFramer(
    {
      record: (buf, s, e, offset) => got.records.push({ data: Array.from(buf.subarray(s, e)), offset }),
      error: (e) => got.errors.push(e),
    },
    opts,
  );
  return [f, got];
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

test('framing: records split at every possible pair of points come out whole and in order', () => {
  const payloads = [enc('first record'), new Uint8Array(0), enc('x'), Uint8Array.from({ length: 300 }, (_, i) => i & 0xff)];
  const file = concat(...payloads.map(frameRecord));
  for (let a = 0; a <= file.length; a += 3) {
    for (let b = a; b <= file.length; b += 29) {
      const [f, got] = framer();
      f.push(file.subarray(0, a));
      f.push(file.subarray(a, b));
      f.push(file.subarray(b));
      f.end();
      assert.deepEqual(
        got.records.map((r) => r.data),
        payloads.map((p) => Array.from(p)),
        `split at ${a}, ${b}`,
      );
      assert.deepEqual(got.errors, []);
      assert.equal(f.consumed, file.length);
      assert.deepEqual(
        got.records.map((r) => r.offset),
        [0, 28, 44, 61],
      );
    }
  }
});

test('framing: a truncated tail is held back, reported only at end(), with its offset', () => {
  const file = concat(frameRecord(enc('one')), frameRecord(enc('two')));
  const first = 12 + 3 + 4;
  for (let cut = 0; cut <= file.length; cut++) {
    const [f, got] = framer();
    f.push(file.subarray(0, cut));
    assert.equal(got.errors.length, 0, 'nothing is an error before end()');
    const complete = cut >= file.length ? 2 : cut >= first ? 1 : 0;
    assert.equal(got.records.length, complete);
    assert.equal(f.consumed, [0, first, file.length][complete]);
    assert.equal(f.pending, cut - f.consumed);
    f.end();
    if (cut === 0 || cut === first || cut === file.length) assert.deepEqual(got.errors, []);
    else {
      assert.equal(got.errors.length, 1);
      assert.equal(got.errors[0]!.kind, 'truncated');
      assert.equal(got.errors[0]!.offset, f.consumed);
      assert.match(got.errors[0]!.message, new RegExp(`at byte ${f.consumed} \\(${cut - f.consumed}( of \\d+)? bytes present\\)`));
    }
  }
});

test('framing: a flipped data bit is a checksum error at that record; reading goes on', () => {
  const file = concat(frameRecord(enc('aaaa')), frameRecord(enc('bbbb')), frameRecord(enc('cccc')));
  const second = 12 + 4 + 4;
  for (let byte = second + 12; byte < second + 12 + 4 + 4; byte++) {
    const bad = file.slice();
    bad[byte]! ^= 0x10;
    const [f, got] = framer();
    f.push(bad);
    f.end();
    assert.deepEqual(
      got.records.map((r) => String.fromCharCode(...r.data)),
      ['aaaa', 'cccc'],
    );
    assert.equal(got.errors.length, 1);
    assert.equal(got.errors[0]!.kind, 'checksum');
    assert.equal(got.errors[0]!.offset, second);
    assert.match(got.errors[0]!.message, /data checksum of the record at byte 20/);
    // With verification off, the damaged record is handed out as it is.
    const [g, got2] = framer({ verifyChecksums: false });
    g.push(bad);
    assert.equal(got2.records.length, 3);
    assert.equal(got2.errors.length, 0);
  }
});

test('framing: a damaged length is corrupt framing: reading stops there, earlier records kept', () => {
  const file = concat(frameRecord(enc('aaaa')), frameRecord(enc('bbbb')), frameRecord(enc('cccc')));
  const second = 20;
  for (let byte = second; byte < second + 12; byte++) {
    const bad = file.slice();
    bad[byte]! ^= 0x01;
    for (const split of [1, 7, second + 5, bad.length]) {
      const [f, got] = framer();
      f.push(bad.subarray(0, split));
      f.push(bad.subarray(split));
      f.push(frameRecord(enc('more'))); // later bytes are ignored once stopped
      f.end();
      assert.deepEqual(
        got.records.map((r) => String.fromCharCode(...r.data)),
        ['aaaa'],
      );
      assert.equal(got.errors.length, 1, JSON.stringify(got.errors));
      assert.equal(got.errors[0]!.kind, 'corrupt');
      assert.equal(got.errors[0]!.offset, second);
      assert.ok(f.stopped);
      assert.equal(f.consumed, second);
    }
  }
});

test('framing: a length with a valid checksum but over 2 GiB is corrupt', () => {
  const header = new Uint8Array(12);
  const v = new DataView(header.buffer);
  v.setUint32(0, 0, true);
  v.setUint32(4, 1, true); // 4 GiB
  v.setUint32(8, maskedCrc32c(header, 0, 8), true);
  const [f, got] = framer();
  f.push(header);
  assert.equal(got.errors[0]?.kind, 'corrupt');
  assert.match(got.errors[0].message, /impossible length/);
});

test('framing: a record over maxRecordBytes is checksummed as it streams and skipped', () => {
  const big = Uint8Array.from({ length: 5000 }, (_, i) => (i * 13) & 0xff);
  const file = concat(frameRecord(enc('a')), frameRecord(big), frameRecord(enc('b')));
  for (const chunk of [1, 100, 4096, file.length]) {
    const [f, got] = framer({ maxRecordBytes: 1000 });
    for (let o = 0; o < file.length; o += chunk) f.push(file.subarray(o, o + chunk));
    f.end();
    assert.deepEqual(
      got.records.map((r) => String.fromCharCode(...r.data)),
      ['a', 'b'],
    );
    assert.equal(got.errors.length, 1);
    assert.equal(got.errors[0]!.kind, 'parse');
    assert.equal(got.errors[0]!.offset, 17);
    assert.equal(f.consumed, file.length);
  }
  const bad = file.slice();
  bad[17 + 12 + 2500]! ^= 1;
  const [f, got] = framer({ maxRecordBytes: 1000 });
  f.push(bad);
  f.end();
  assert.equal(got.errors[0]!.kind, 'checksum');
  assert.equal(got.records.length, 2);
  const [g, got2] = framer({ maxRecordBytes: 1000 });
  g.push(file.subarray(0, 17 + 3000));
  g.end();
  assert.equal(got2.errors[0]!.kind, 'truncated');
  assert.equal(got2.errors[0]!.offset, 17);
});

test('framing: startOffset makes offsets file offsets when resuming a growing file', () => {
  const rec = frameRecord(enc('zz'));
  const [f, got] = framer({ startOffset: 1000 });
  f.push(rec);
  f.push(rec.subarray(0, 5));
  f.end();
  assert.equal(got.records[0]!.offset, 1000);
  assert.equal(f.consumed, 1000 + rec.length);
  assert.equal(got.errors[0]!.offset, 1000 + rec.length);
});

test('sniffing: a sound first TFRecord header, not the name, makes an event file', () => {
  assert.ok(looksLikeTfRecord(frameRecord(enc('anything'))));
  assert.ok(!looksLikeTfRecord(frameRecord(enc('anything')).subarray(0, 11)));
  assert.ok(!looksLikeTfRecord(enc('step 1 | loss 2.0\nstep 2 | loss 1.5\n')));
  assert.ok(!looksLikeTfRecord(new Uint8Array(64)));
  const rand = seeded(11);
  let hits = 0;
  for (let i = 0; i < 20000; i++) if (looksLikeTfRecord(Uint8Array.from({ length: 16 }, () => Math.floor(rand() * 256)))) hits++;
  assert.equal(hits, 0);
});
