// Incremental TFRecord framing: push bytes, get whole records, with a typed error taxonomy.
//
// A TFRecord file is a sequence of records (tensorflow/core/lib/io/record_writer.cc):
//
//   uint64  length          little-endian
//   uint32  masked CRC-32C of the 8 length bytes
//   byte    data[length]
//   uint32  masked CRC-32C of data
//
// (masking: see crc32c.ts). Errors, after TensorBoard's rustboard `tf_record.rs`:
//
// - truncated: the bytes end inside a record. Normal while a writer is still writing:
//   the partial record is held back until more bytes arrive; only `end()` reports it.
// - corrupt: the length's checksum fails (or the length is impossible). Without a
//   trustworthy length the next record cannot be found, so reading stops at that offset.
// - checksum: the data's checksum fails. The length was sound, so the record is skipped
//   and reading goes on with the next one.
//
// Records are handed out as views into the pushed chunk whenever they lie inside it;
// only a record split across pushes is copied (into a buffer reused for the next one).
// Records longer than `maxRecordBytes` are never buffered: their checksum is computed as
// the bytes stream past and the record is reported as skipped, which bounds memory by
// that limit plus one chunk.
import { crc32c, crc32c8, crc32cShort, crc32cView, maskCrc } from './crc32c';

const HEADER = 12;
const FOOTER = 4;
const LENGTH_CRC_SLOTS = 64;

/** Larger records are checked and skipped without being held in memory. */
export const DEFAULT_MAX_RECORD_BYTES = 256 * 1024 * 1024;

export interface FramingError {
  kind: 'truncated' | 'corrupt' | 'checksum' | 'parse';
  /** Byte offset of the record's first byte in the file. */
  offset: number;
  message: string;
}

/** Where records and errors go. */
export interface RecordSink {
  /** A complete record whose checksums passed: its data is `buf[start, end)`. */
  record(buf: Uint8Array, start: number, end: number, offset: number): void;
  error(e: FramingError): void;
}

export interface FramerOptions {
  /** Verify each record's data checksum (default true). The length checksum is always verified. */
  verifyChecksums?: boolean;
  maxRecordBytes?: number;
  /** File offset of the first pushed byte (when resuming a growing file). */
  startOffset?: number;
}

export class TfRecordFramer {
  private readonly verify: boolean;
  private readonly maxRecord: number;
  /** File offset just past the last whole record: where reading would resume. */
  private offset: number;
  private stoppedAt = -1;
  /** A record split across pushes: its first `heldLen` bytes. */
  private held: Uint8Array = new Uint8Array(256);
  private heldLen = 0;
  /** While streaming past an oversized record: bytes still to skip, and the running CRC. */
  private skipRemaining = 0;
  private skipLength = 0;
  private skipCrc = 0;
  private skipStoredCrc = new Uint8Array(FOOTER);

  /** Recently verified lengths and their masked CRCs (slot = length mod LENGTH_CRC_SLOTS). */
  private readonly lengthCrcKey = new Int32Array(LENGTH_CRC_SLOTS).fill(-1);
  private readonly lengthCrcValue = new Uint32Array(LENGTH_CRC_SLOTS);

  records = 0;

  constructor(
    private readonly sink: RecordSink,
    opts: FramerOptions = {},
  ) {
    this.verify = opts.verifyChecksums ?? true;
    this.maxRecord = opts.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
    this.offset = opts.startOffset ?? 0;
  }

  /** File offset where reading would resume (just past the last whole record). */
  get consumed(): number {
    return this.offset;
  }

  /** True once corrupt framing stopped the reading. */
  get stopped(): boolean {
    return this.stoppedAt >= 0;
  }

  /** Bytes received but not yet part of a whole record. */
  get pending(): number {
    return this.heldLen + (this.skipLength > 0 ? HEADER + this.skipLength + FOOTER - this.skipRemaining : 0);
  }

  push(chunk: Uint8Array): void {
    let p = 0;
    const n = chunk.length;
    if (this.stoppedAt >= 0 || n === 0) return;
    if (this.skipRemaining > 0) {
      p = this.continueSkip(chunk);
      if (this.skipRemaining > 0 || this.stoppedAt >= 0) return;
    }
    if (this.heldLen > 0) {
      p = this.completeHeld(chunk, p);
      if (this.heldLen > 0 || this.skipRemaining > 0 || this.stoppedAt >= 0) return;
    }
    // The records that lie whole inside the chunk. The common case (a length seen before,
    // a short record) is written out here rather than in helpers: this loop runs once
    // per record, and keeping it in one function let the engine compile it as one.
    const view = new DataView(chunk.buffer, chunk.byteOffset, n);
    const verify = this.verify;
    const keys = this.lengthCrcKey;
    const crcs = this.lengthCrcValue;
    while (n - p >= HEADER) {
      let len = view.getUint32(p, true);
      const slot = len & (LENGTH_CRC_SLOTS - 1);
      if (keys[slot] !== len || view.getUint32(p + 4, true) !== 0 || view.getUint32(p + 8, true) !== crcs[slot]) {
        len = this.checkHeader(chunk, view, p);
        if (len < 0) return;
      }
      const total = HEADER + len + FOOTER;
      if (len > this.maxRecord) {
        this.startSkip(len);
        p = this.continueSkip(chunk, p + HEADER);
        if (this.skipRemaining > 0 || this.stoppedAt >= 0) return;
        continue;
      }
      if (total > n - p) break;
      const start = p + HEADER;
      const end = start + len;
      p += total;
      if (verify) {
        const actual = maskCrc(len < 256 ? crc32cShort(view, chunk, start, end) : crc32cView(view, chunk, start, end, 0));
        if (view.getUint32(end, true) !== actual) {
          this.badChecksum(view.getUint32(end, true), actual, total);
          continue;
        }
      }
      const at = this.offset;
      this.offset = at + total;
      this.records++;
      this.sink.record(chunk, start, end, at);
    }
    if (p < n) this.hold(chunk, p, n);
  }

  /** Declares the end of the file; a held partial record becomes a `truncated` error. */
  end(): void {
    if (this.stoppedAt >= 0) return;
    const pending = this.pending;
    if (pending === 0) return;
    let expected = '';
    if (this.skipLength > 0) expected = ` of ${HEADER + this.skipLength + FOOTER}`;
    else if (this.heldLen >= HEADER) expected = ` of ${HEADER + readLength(this.held, 0) + FOOTER}`;
    this.sink.error({
      kind: 'truncated',
      offset: this.offset,
      message: `the file ends inside a record at byte ${this.offset} (${pending}${expected} bytes present); every complete record before it was read`,
    });
    this.heldLen = 0;
    this.skipRemaining = 0;
    this.skipLength = 0;
  }

  /**
   * Checks the header at `buf[p]` (12 bytes present) and returns the data length, or -1
   * after reporting corrupt framing.
   */
  private checkHeader(buf: Uint8Array, view: DataView, p: number): number {
    const stored = view.getUint32(p + 8, true);
    const lo = view.getUint32(p, true);
    const hi = view.getUint32(p + 4, true);
    // The length CRC is a function of the length alone, and a file has few distinct
    // record lengths: remember the last one per slot instead of recomputing it.
    const slot = lo & (LENGTH_CRC_SLOTS - 1);
    if (hi === 0 && this.lengthCrcKey[slot] === lo && stored === this.lengthCrcValue[slot]) return lo;
    const actual = maskCrc(crc32c8(buf, p));
    if (stored !== actual) {
      this.stop(`the length checksum of the record at byte ${this.offset} does not match (stored 0x${hex(stored)}, computed 0x${hex(actual)}): the framing is corrupt, reading stopped`);
      return -1;
    }
    // Protocol buffers cannot exceed 2 GiB; a sound length field never says more.
    if (hi !== 0 || lo > 0x7fffffff) {
      this.stop(`the record at byte ${this.offset} claims an impossible length (${hi * 4294967296 + lo} bytes): the framing is corrupt, reading stopped`);
      return -1;
    }
    this.lengthCrcKey[slot] = lo;
    this.lengthCrcValue[slot] = actual;
    return lo;
  }

  /** Checks the data checksum of a whole record and hands it to the sink (held records). */
  private deliver(buf: Uint8Array, view: DataView, start: number, len: number): void {
    const end = start + len;
    if (this.verify) {
      const stored = view.getUint32(end, true);
      const actual = maskCrc(crc32cView(view, buf, start, end, 0));
      if (stored !== actual) {
        this.badChecksum(stored, actual, HEADER + len + FOOTER);
        return;
      }
    }
    const at = this.offset;
    this.offset += HEADER + len + FOOTER;
    this.records++;
    this.sink.record(buf, start, end, at);
  }

  /** Reports the record at `offset` as failing its data checksum and steps past it. */
  private badChecksum(stored: number, actual: number, total: number): void {
    this.sink.error({
      kind: 'checksum',
      offset: this.offset,
      message: `the data checksum of the record at byte ${this.offset} does not match (stored 0x${hex(stored)}, computed 0x${hex(actual)}): record skipped`,
    });
    this.offset += total;
  }

  /** Keeps `chunk[from, to)`, the start of a record, for the next push. */
  private hold(chunk: Uint8Array, from: number, to: number): void {
    const need = to - from;
    if (need > this.held.length) this.held = new Uint8Array(Math.max(need, this.held.length * 2));
    this.held.set(chunk.subarray(from, to), 0);
    this.heldLen = need;
  }

  /** Adds bytes from `chunk[p...]` to the held record; returns the position after them. */
  private completeHeld(chunk: Uint8Array, p: number): number {
    const n = chunk.length;
    if (this.heldLen < HEADER) {
      const take = Math.min(HEADER - this.heldLen, n - p);
      this.held.set(chunk.subarray(p, p + take), this.heldLen);
      this.heldLen += take;
      p += take;
      if (this.heldLen < HEADER) return p;
      const len = this.checkHeader(this.held, new DataView(this.held.buffer), 0);
      if (len < 0) {
        this.heldLen = 0;
        return n;
      }
      if (len > this.maxRecord) {
        this.startSkip(len);
        this.heldLen = 0;
        return this.continueSkip(chunk, p);
      }
    }
    const total = HEADER + readLength(this.held, 0) + FOOTER;
    if (total > this.held.length) {
      const grown = new Uint8Array(total);
      grown.set(this.held.subarray(0, this.heldLen));
      this.held = grown;
    }
    const take = Math.min(total - this.heldLen, n - p);
    this.held.set(chunk.subarray(p, p + take), this.heldLen);
    this.heldLen += take;
    p += take;
    if (this.heldLen < total) return p;
    this.heldLen = 0;
    this.deliver(this.held, new DataView(this.held.buffer), HEADER, total - HEADER - FOOTER);
    // Do not keep a large buffer alive for the rest of the file.
    if (this.held.length > 1 << 20) this.held = new Uint8Array(256);
    return p;
  }

  private startSkip(len: number): void {
    this.skipLength = len;
    this.skipRemaining = len + FOOTER;
    this.skipCrc = 0;
  }

  /** Streams past an oversized record; returns the position after the bytes used. */
  private continueSkip(chunk: Uint8Array, p = 0): number {
    const dataLeft = this.skipRemaining - FOOTER;
    const n = chunk.length;
    if (dataLeft > 0) {
      const take = Math.min(dataLeft, n - p);
      if (this.verify) this.skipCrc = crc32c(chunk, p, p + take, this.skipCrc);
      this.skipRemaining -= take;
      p += take;
    }
    while (this.skipRemaining > 0 && this.skipRemaining <= FOOTER && p < n) {
      this.skipStoredCrc[FOOTER - this.skipRemaining] = chunk[p++]!;
      this.skipRemaining--;
    }
    if (this.skipRemaining > 0) return p;
    const len = this.skipLength;
    const at = this.offset;
    this.skipLength = 0;
    this.offset += HEADER + len + FOOTER;
    const s = this.skipStoredCrc;
    const stored = (s[0]! | (s[1]! << 8) | (s[2]! << 16) | (s[3]! << 24)) >>> 0;
    if (this.verify && stored !== maskCrc(this.skipCrc)) {
      this.sink.error({
        kind: 'checksum',
        offset: at,
        message: `the data checksum of the record at byte ${at} does not match (stored 0x${hex(stored)}, computed 0x${hex(maskCrc(this.skipCrc))}): record skipped`,
      });
    } else {
      this.sink.error({
        kind: 'parse',
        offset: at,
        message: `the record at byte ${at} is ${len} bytes, more than the ${this.maxRecord} a record may have to be decoded: skipped`,
      });
    }
    return p;
  }

  private stop(message: string): void {
    this.stoppedAt = this.offset;
    this.heldLen = 0;
    this.sink.error({ kind: 'corrupt', offset: this.offset, message });
  }
}

/** The low 32 bits of the little-endian uint64 length at `buf[p]`. */
function readLength(buf: Uint8Array, p: number): number {
  return (buf[p]! | (buf[p + 1]! << 8) | (buf[p + 2]! << 16) | (buf[p + 3]! << 24)) >>> 0;
}

function hex(n: number): string {
  return n.toString(16).padStart(8, '0');
}
