// Writes real TensorBoard event files (TFRecord-framed Event protos) for tests and benchmarks.
//
// Independent of the reader: its own protobuf encoder and its own bit-at-a-time CRC-32C,
// so a bug in the reader's table-driven CRC or wire reader cannot cancel itself out.
// Fields are written in field-number order and proto3 defaults are omitted, as the
// protobuf runtimes do, so an event written here is byte-identical to the one PyTorch or
// TensorFlow writes for the same content (checked against the corpus in the tests).
import type { HParamValue } from '../../src/core/model/run';

// ---------------------------------------------------------------------------------------
// Protobuf encoding

/** A growable protobuf encoder. */
export class ProtoWriter {
  private buf = new Uint8Array(64);
  private len = 0;

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    grown.set(this.buf.subarray(0, this.len));
    this.buf = grown;
  }

  byte(b: number): this {
    this.ensure(1);
    this.buf[this.len++] = b;
    return this;
  }

  raw(bytes: Uint8Array): this {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
    return this;
  }

  /** A base-128 varint of a non-negative integer below 2^53, or a negative int64 (10 bytes). */
  varint(v: number): this {
    if (v < 0) return this.raw(int64TwosComplement(v));
    while (v >= 0x80) {
      this.byte((v % 128) | 0x80);
      v = Math.floor(v / 128);
    }
    return this.byte(v);
  }

  key(field: number, wireType: number): this {
    return this.varint(field * 8 + wireType);
  }

  fixed32(v: number): this {
    this.ensure(4);
    new DataView(this.buf.buffer).setUint32(this.len, v >>> 0, true);
    this.len += 4;
    return this;
  }

  float(v: number): this {
    this.ensure(4);
    new DataView(this.buf.buffer).setFloat32(this.len, v, true);
    this.len += 4;
    return this;
  }

  double(v: number): this {
    this.ensure(8);
    new DataView(this.buf.buffer).setFloat64(this.len, v, true);
    this.len += 8;
    return this;
  }

  /** A LEN field. */
  bytes(field: number, data: Uint8Array): this {
    return this.key(field, 2).varint(data.length).raw(data);
  }

  string(field: number, s: string): this {
    return this.bytes(field, new TextEncoder().encode(s));
  }

  /** A sub-message field, written by `write` (an empty message is still written). */
  message(field: number, write: (w: ProtoWriter) => void): this {
    const w = new ProtoWriter();
    write(w);
    return this.bytes(field, w.finish());
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/** The 10-byte varint of a negative int64 (two's complement). */
function int64TwosComplement(v: number): Uint8Array {
  let x = BigInt.asUintN(64, BigInt(v));
  const out = new Uint8Array(10);
  for (let i = 0; i < 10; i++) {
    const b = Number(x & 0x7fn);
    x >>= 7n;
    out[i] = i < 9 ? b | 0x80 : b;
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// CRC-32C and TFRecord framing

/** CRC-32C, one bit at a time (slow, obviously correct; independent of the reader's). */
export function referenceCrc32c(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of data) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

/** TensorFlow's masked CRC: rotate right by 15 bits and add 0xa282ead8. */
export function referenceMask(crc: number): number {
  return (((crc >>> 15) | (crc << 17)) + 0xa282ead8) >>> 0;
}

type Crc = (data: Uint8Array) => number;
let crcImpl: Crc = referenceCrc32c;

/**
 * Replaces the CRC used for framing (benchmarks pass the fast table-driven one to write
 * hundreds of MB quickly; tests keep the bit-at-a-time reference).
 */
export function useCrc32c(fn: Crc): void {
  crcImpl = fn;
}

/** One TFRecord: uint64 length, masked CRC of the length, data, masked CRC of the data. */
export function frameRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length + 4);
  const v = new DataView(out.buffer);
  v.setUint32(0, data.length, true);
  v.setUint32(4, Math.floor(data.length / 2 ** 32), true);
  v.setUint32(8, referenceMask(crcImpl(out.subarray(0, 8))), true);
  out.set(data, 12);
  v.setUint32(12 + data.length, referenceMask(crcImpl(data)), true);
  return out;
}

// ---------------------------------------------------------------------------------------
// Event, Summary, TensorProto, SummaryMetadata

export const DT_FLOAT = 1;
export const DT_DOUBLE = 2;
export const DT_INT32 = 3;
export const DT_STRING = 7;
export const DT_BFLOAT16 = 14;
export const DT_HALF = 19;

export interface MetadataSpec {
  pluginName?: string;
  content?: Uint8Array;
  dataClass?: number;
}

export interface TensorSpec {
  dtype: number;
  /** Omitted: no tensor_shape field; [] an empty (rank-0) shape message. */
  shape?: number[];
  content?: Uint8Array;
  floatVal?: number[];
  doubleVal?: number[];
  /** DT_HALF / DT_BFLOAT16 bit patterns. */
  halfVal?: number[];
  intVal?: number[];
  stringVal?: Uint8Array[];
  /** Write float/double/half lists unpacked (one field per value), as old writers may. */
  unpacked?: boolean;
}

export interface HistoSpec {
  min: number;
  max: number;
  num: number;
  sum: number;
  sumSquares: number;
  bucketLimit: number[];
  bucket: number[];
}

export interface ValueSpec {
  tag: string;
  metadata?: MetadataSpec;
  simpleValue?: number;
  tensor?: TensorSpec;
  image?: { height: number; width: number; colorspace: number; encoded: Uint8Array };
  histo?: HistoSpec;
  audio?: { sampleRate: number; channels: number; frames: number; encoded: Uint8Array };
}

export interface EventSpec {
  wallTime?: number;
  step?: number;
  fileVersion?: string;
  graphDef?: Uint8Array;
  summary?: ValueSpec[];
  /** SourceMetadata.writer, which TF and PyTorch put in the first event. */
  sourceWriter?: string;
}

function writeMetadata(w: ProtoWriter, m: MetadataSpec): void {
  if (m.pluginName !== undefined || m.content !== undefined) {
    w.message(1, (p) => {
      if (m.pluginName) p.string(1, m.pluginName);
      if (m.content?.length) p.bytes(2, m.content);
    });
  }
  if (m.dataClass) w.key(4, 0).varint(m.dataClass);
}

function writeTensor(w: ProtoWriter, t: TensorSpec): void {
  if (t.dtype) w.key(1, 0).varint(t.dtype);
  if (t.shape) w.message(2, (s) => t.shape!.forEach((d) => s.message(2, (dim) => (d ? dim.key(1, 0).varint(d) : dim))));
  if (t.content?.length) w.bytes(4, t.content);
  const list = (field: number, wire: number, values: number[] | undefined, put: (w: ProtoWriter, v: number) => void): void => {
    if (!values?.length) return;
    if (t.unpacked) for (const v of values) put(w.key(field, wire), v);
    else {
      const p = new ProtoWriter();
      for (const v of values) put(p, v);
      w.bytes(field, p.finish());
    }
  };
  list(5, 5, t.floatVal, (p, v) => p.float(v));
  list(6, 1, t.doubleVal, (p, v) => p.double(v));
  list(7, 0, t.intVal, (p, v) => p.varint(v));
  for (const s of t.stringVal ?? []) w.bytes(8, s);
  list(13, 0, t.halfVal, (p, v) => p.varint(v));
}

function writeValue(w: ProtoWriter, v: ValueSpec): void {
  w.string(1, v.tag);
  if (v.simpleValue !== undefined) w.key(2, 5).float(v.simpleValue);
  if (v.image) {
    const im = v.image;
    w.message(4, (i) => {
      if (im.height) i.key(1, 0).varint(im.height);
      if (im.width) i.key(2, 0).varint(im.width);
      if (im.colorspace) i.key(3, 0).varint(im.colorspace);
      if (im.encoded.length) i.bytes(4, im.encoded);
    });
  }
  if (v.histo) {
    const h = v.histo;
    w.message(5, (p) => {
      p.key(1, 1).double(h.min).key(2, 1).double(h.max).key(3, 1).double(h.num);
      p.key(4, 1).double(h.sum).key(5, 1).double(h.sumSquares);
      const packed = (field: number, xs: number[]): void => {
        const q = new ProtoWriter();
        for (const x of xs) q.double(x);
        p.bytes(field, q.finish());
      };
      packed(6, h.bucketLimit);
      packed(7, h.bucket);
    });
  }
  if (v.audio) {
    const a = v.audio;
    w.message(6, (p) => {
      p.key(1, 5).float(a.sampleRate).key(2, 0).varint(a.channels).key(3, 0).varint(a.frames);
      p.bytes(4, a.encoded).string(5, 'audio/wav');
    });
  }
  if (v.tensor) w.message(8, (t) => writeTensor(t, v.tensor!));
  if (v.metadata) w.message(9, (m) => writeMetadata(m, v.metadata!));
}

/** The serialized Event. */
export function encodeEvent(e: EventSpec): Uint8Array {
  const w = new ProtoWriter();
  if (e.wallTime) w.key(1, 1).double(e.wallTime);
  if (e.step) w.key(2, 0).varint(e.step);
  if (e.fileVersion !== undefined) w.string(3, e.fileVersion);
  if (e.graphDef) w.bytes(4, e.graphDef);
  if (e.summary) w.message(5, (s) => e.summary!.forEach((v) => s.message(1, (vw) => writeValue(vw, v))));
  if (e.sourceWriter !== undefined) w.message(10, (m) => m.string(1, e.sourceWriter!));
  return w.finish();
}

// ---------------------------------------------------------------------------------------
// Value helpers

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** binary32 → IEEE binary16 bits, rounding to nearest even. */
export function toHalfBits(v: number): number {
  f32[0] = v;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let h = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    if (rem > half || (rem === half && h & 1)) h++;
    return sign | h;
  }
  let h = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && h & 1)) h++;
  return sign | h;
}

/** binary32 → bfloat16 bits, rounding to nearest even. */
export function toBfloat16Bits(v: number): number {
  f32[0] = v;
  const x = u32[0]!;
  if ((x & 0x7f800000) === 0x7f800000 && x & 0x7fffff) return (x >>> 16) | 0x40;
  return ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16) & 0xffff;
}

export type ScalarDtype = 'float' | 'double' | 'half' | 'bfloat16';

/**
 * A rank-0 tensor holding `value`, as TF2 writes scalars (`tensor_content`) or as a
 * typed list (`float_val`, `double_val`, `half_val`).
 */
export function scalarTensor(value: number, dtype: ScalarDtype = 'float', encoding: 'content' | 'list' = 'content'): TensorSpec {
  const content = (n: number, put: (v: DataView) => void): Uint8Array => {
    const b = new Uint8Array(n);
    put(new DataView(b.buffer));
    return b;
  };
  switch (dtype) {
    case 'float':
      return encoding === 'content'
        ? { dtype: DT_FLOAT, shape: [], content: content(4, (d) => d.setFloat32(0, value, true)) }
        : { dtype: DT_FLOAT, shape: [], floatVal: [value] };
    case 'double':
      return encoding === 'content'
        ? { dtype: DT_DOUBLE, shape: [], content: content(8, (d) => d.setFloat64(0, value, true)) }
        : { dtype: DT_DOUBLE, shape: [], doubleVal: [value] };
    case 'half':
    case 'bfloat16': {
      const bits = dtype === 'half' ? toHalfBits(value) : toBfloat16Bits(value);
      const dt = dtype === 'half' ? DT_HALF : DT_BFLOAT16;
      return encoding === 'content'
        ? { dtype: dt, shape: [], content: content(2, (d) => d.setUint16(0, bits, true)) }
        : { dtype: dt, shape: [], halfVal: [bits] };
    }
  }
}

/** A TF2 scalar summary value (tensor + `scalars` plugin metadata), as Keras writes it. */
export function tensorScalarValue(tag: string, value: number, dtype: ScalarDtype = 'float', encoding: 'content' | 'list' = 'content'): ValueSpec {
  return { tag, tensor: scalarTensor(value, dtype, encoding), metadata: { pluginName: 'scalars' } };
}

/** HParamsPluginData { version = 0, session_start_info { hparams } }, serialized. */
export function hparamsSessionStartContent(hparams: Record<string, HParamValue>): Uint8Array {
  const w = new ProtoWriter();
  w.message(3, (ssi) => {
    for (const [k, v] of Object.entries(hparams)) {
      ssi.message(1, (entry) => {
        entry.string(1, k);
        entry.message(2, (val) => {
          if (typeof v === 'number') val.key(2, 1).double(v);
          else if (typeof v === 'string') val.string(3, v);
          else val.key(4, 0).varint(v ? 1 : 0);
        });
      });
    }
  });
  return w.finish();
}

/**
 * The three values PyTorch's `add_hparams` and Lightning's `log_hyperparams` write:
 * `_hparams_/experiment`, `_hparams_/session_start_info`, `_hparams_/session_end_info`,
 * each a value with only hparams plugin metadata.
 */
export function hparamsValues(hparams: Record<string, HParamValue>): ValueSpec[] {
  const experiment = new ProtoWriter()
    .message(2, (exp) => {
      for (const k of Object.keys(hparams)) exp.message(2, (info) => info.string(1, k));
    })
    .finish();
  const end = new ProtoWriter().message(4, (sei) => sei.key(1, 0).varint(1)).finish();
  return [
    { tag: '_hparams_/experiment', metadata: { pluginName: 'hparams', content: experiment } },
    { tag: '_hparams_/session_start_info', metadata: { pluginName: 'hparams', content: hparamsSessionStartContent(hparams) } },
    { tag: '_hparams_/session_end_info', metadata: { pluginName: 'hparams', content: end } },
  ];
}

/** An image summary (TF1/PyTorch `Summary.Image`) with `bytes` of fake PNG payload. */
export function imageValue(tag: string, bytes: number, seed = 1): ValueSpec {
  const encoded = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) encoded[i] = (i * 31 + seed * 17) & 0xff;
  encoded.set([0x89, 0x50, 0x4e, 0x47].slice(0, bytes));
  return { tag, image: { height: 28, width: 28, colorspace: 1, encoded } };
}

/** A TF1 `HistogramProto` summary with `buckets` buckets. */
export function histoValue(tag: string, buckets: number): ValueSpec {
  const bucketLimit = Array.from({ length: buckets }, (_, i) => -1 + (2 * (i + 1)) / buckets);
  const bucket = Array.from({ length: buckets }, (_, i) => (i * 7) % 13);
  return { tag, histo: { min: -1, max: 1, num: bucket.reduce((a, b) => a + b, 0), sum: 0.5, sumSquares: 3, bucketLimit, bucket } };
}

/** A TF2 histogram: a [k, 3] DT_DOUBLE tensor with `histograms` plugin metadata. */
export function tensorHistogramValue(tag: string, buckets: number): ValueSpec {
  const content = new Uint8Array(buckets * 3 * 8);
  const d = new DataView(content.buffer);
  for (let i = 0; i < buckets * 3; i++) d.setFloat64(i * 8, Math.sin(i), true);
  return { tag, tensor: { dtype: DT_DOUBLE, shape: [buckets, 3], content }, metadata: { pluginName: 'histograms' } };
}

/** A text summary: a DT_STRING tensor with `text` plugin metadata. */
export function textValue(tag: string, text: string): ValueSpec {
  return {
    tag,
    tensor: { dtype: DT_STRING, shape: [1], stringVal: [new TextEncoder().encode(text)] },
    metadata: { pluginName: 'text' },
  };
}

/** An audio summary (`Summary.Audio`). */
export function audioValue(tag: string, bytes: number): ValueSpec {
  return { tag, audio: { sampleRate: 16000, channels: 1, frames: bytes / 2, encoded: new Uint8Array(bytes).fill(7) } };
}

/**
 * The first event of every file: wall time, `file_version` and the writer's name (which
 * PyTorch before 1.13 did not write: pass null).
 */
export function fileVersionEvent(wallTime: number, writer: string | null = 'tensorboard.summary.writer.event_file_writer'): EventSpec {
  return { wallTime, fileVersion: 'brain.Event:2', ...(writer !== null ? { sourceWriter: writer } : {}) };
}

// ---------------------------------------------------------------------------------------
// Files

/** An event file being built in memory; remembers where each record ends. */
export class EventFile {
  private readonly parts: Uint8Array[] = [];
  /** Byte offset just past each record. */
  readonly boundaries: number[] = [];
  size = 0;

  add(...events: EventSpec[]): this {
    for (const e of events) this.addRecord(encodeEvent(e));
    return this;
  }

  /** Adds an arbitrary payload as one correctly framed record. */
  addRecord(payload: Uint8Array): this {
    return this.addFramed(frameRecord(payload));
  }

  /** Adds bytes as they are (a hand-made or damaged record). */
  addFramed(bytes: Uint8Array): this {
    this.parts.push(bytes);
    this.size += bytes.length;
    this.boundaries.push(this.size);
    return this;
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    let o = 0;
    for (const p of this.parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
}

/**
 * A copy of `bytes` with bit `bit` of byte `offset` flipped: in a record's 12-byte header
 * it breaks the framing (the length CRC fails), in its data or footer the data CRC.
 */
export function flipBit(bytes: Uint8Array, offset: number, bit = 0): Uint8Array {
  const out = bytes.slice();
  out[offset]! ^= 1 << bit;
  return out;
}

// ---------------------------------------------------------------------------------------
// Synthetic runs

export interface SyntheticRunOptions {
  steps: number;
  /** Scalar tags logged every step (default: loss, lr, grad_norm, accuracy). */
  tags?: string[];
  /** 'pytorch': simple_value; 'keras': float tensors with `scalars` metadata. */
  style?: 'pytorch' | 'keras';
  /** Every how many steps an image / histogram is logged (0: never). */
  imageEvery?: number;
  imageBytes?: number;
  histogramEvery?: number;
  startWallTime?: number;
  firstStep?: number;
}

/**
 * The events of a plausible training run: a first file_version event, then per step one
 * event per scalar tag (loss decaying with noise, a cosine LR, ...) and, when asked,
 * images and histograms. Deterministic.
 */
export function* syntheticEvents(o: SyntheticRunOptions): Generator<EventSpec> {
  const tags = o.tags ?? ['train/loss', 'train/learning_rate', 'train/grad_norm', 'train/accuracy'];
  const wall0 = o.startWallTime ?? 1.7e9;
  const first = o.firstStep ?? 0;
  yield fileVersionEvent(wall0);
  for (let i = 0; i < o.steps; i++) {
    const step = first + i;
    const wallTime = wall0 + 0.25 * i;
    for (let t = 0; t < tags.length; t++) {
      const v = syntheticValue(t, i, o.steps);
      yield {
        wallTime,
        step,
        summary: [o.style === 'keras' ? tensorScalarValue(tags[t]!, v) : { tag: tags[t]!, simpleValue: v }],
      };
    }
    if (o.imageEvery && i % o.imageEvery === 0) yield { wallTime, step, summary: [imageValue('samples/image', o.imageBytes ?? 4096, i)] };
    if (o.histogramEvery && i % o.histogramEvery === 0)
      yield { wallTime, step, summary: [o.style === 'keras' ? tensorHistogramValue('dense/kernel_0', 30) : histoValue('weights/fc1', 30)] };
  }
}

/** The value synthetic tag number `t` has at step index `i` of `n`. */
export function syntheticValue(t: number, i: number, n: number): number {
  switch (t % 4) {
    case 0:
      return 0.3 + 2 * Math.exp(-i / (n / 5 + 1)) + 0.02 * Math.sin(i * 12.9898);
    case 1:
      return 3e-4 * 0.5 * (1 + Math.cos((Math.PI * i) / Math.max(1, n)));
    case 2:
      return 1 + 0.5 * Math.abs(Math.sin(i * 0.37));
    default:
      return Math.min(0.99, 0.1 + i / (n + 1));
  }
}

/**
 * Streams a synthetic event file to `write` in chunks of about `chunkBytes`, without
 * holding the file in memory. Returns the bytes written.
 */
export function writeEvents(events: Iterable<EventSpec>, write: (chunk: Uint8Array) => void, chunkBytes = 1 << 20): number {
  const buf = new Uint8Array(chunkBytes);
  let len = 0;
  let total = 0;
  for (const e of events) {
    const rec = frameRecord(encodeEvent(e));
    if (len + rec.length > buf.length) {
      if (len > 0) write(buf.slice(0, len));
      len = 0;
      if (rec.length > buf.length) {
        write(rec);
        total += rec.length;
        continue;
      }
    }
    buf.set(rec, len);
    len += rec.length;
    total += rec.length;
  }
  if (len > 0) write(buf.slice(0, len));
  return total;
}
