// CRC-32C (Castagnoli), table-driven, and the "masked" form TFRecord framing stores.
//
// CRC-32C uses the reflected polynomial 0x82F63B78 (normal form 0x1EDC6F41), initial
// value 0xFFFFFFFF and final XOR 0xFFFFFFFF; the check value of "123456789" is
// 0xE3069283. The implementation is "slicing-by-16": sixteen 256-entry tables let the
// loop fold 16 input bytes per iteration with independent table look-ups, reading the
// input as four little-endian words through a DataView. Measured on Node 20 (x86-64):
// ~1.6-2 GB/s on long buffers, against ~1.2 GB/s when the 16 bytes are loaded one by
// one and ~0.15 GB/s for the byte-at-a-time loop. Records of a few dozen bytes use the
// 8-byte variant (`crc32cShort`), which the engine inlines into the record loop.
//
// TensorFlow stores masked CRCs so that a CRC computed over data that itself contains
// CRCs stays well distributed (tensorflow/core/lib/hash/crc32c.h):
//
//   masked = ((crc >>> 15) | (crc << 17)) + 0xA282EAD8   (mod 2^32)

const POLY = 0x82f63b78;
const MASK_DELTA = 0xa282ead8;

/** TABLE[k * 256 + b]: the CRC contribution of byte b followed by k zero bytes. */
const TABLE = /* @__PURE__ */ buildTable();

function buildTable(): Int32Array {
  const t = new Int32Array(16 * 256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    t[i] = c;
  }
  for (let i = 0; i < 256; i++) {
    for (let k = 1; k < 16; k++) {
      const prev = t[(k - 1) * 256 + i]!;
      t[k * 256 + i] = (prev >>> 8) ^ t[prev & 0xff]!;
    }
  }
  return t;
}

/**
 * Extends a CRC-32C over `buf[start, end)`. `crc` is the CRC of the bytes before (0 for
 * none), so a CRC can be computed piecewise over several chunks. Returns an unsigned
 * 32-bit value.
 */
export function crc32c(buf: Uint8Array, start = 0, end = buf.length, crc = 0): number {
  if (end - start < 64) return crc32cBytes(buf, start, end, crc);
  return crc32cView(new DataView(buf.buffer, buf.byteOffset, buf.byteLength), buf, start, end, crc);
}

/**
 * {@link crc32c} for callers that already hold a DataView of `buf` (same offsets): the
 * 16-byte steps read four little-endian words instead of sixteen bytes.
 */
export function crc32cView(view: DataView, buf: Uint8Array, start: number, end: number, crc: number): number {
  const t = TABLE;
  let c = ~crc;
  let i = start;
  for (; i + 16 <= end; i += 16) {
    c ^= view.getInt32(i, true);
    const a = view.getInt32(i + 4, true);
    const b = view.getInt32(i + 8, true);
    const d = view.getInt32(i + 12, true);
    c =
      t[3840 + (c & 0xff)]! ^
      t[3584 + ((c >>> 8) & 0xff)]! ^
      t[3328 + ((c >>> 16) & 0xff)]! ^
      t[3072 + (c >>> 24)]! ^
      t[2816 + (a & 0xff)]! ^
      t[2560 + ((a >>> 8) & 0xff)]! ^
      t[2304 + ((a >>> 16) & 0xff)]! ^
      t[2048 + (a >>> 24)]! ^
      t[1792 + (b & 0xff)]! ^
      t[1536 + ((b >>> 8) & 0xff)]! ^
      t[1280 + ((b >>> 16) & 0xff)]! ^
      t[1024 + (b >>> 24)]! ^
      t[768 + (d & 0xff)]! ^
      t[512 + ((d >>> 8) & 0xff)]! ^
      t[256 + ((d >>> 16) & 0xff)]! ^
      t[d >>> 24]!;
  }
  for (; i + 4 <= end; i += 4) {
    c ^= view.getInt32(i, true);
    c = t[768 + (c & 0xff)]! ^ t[512 + ((c >>> 8) & 0xff)]! ^ t[256 + ((c >>> 16) & 0xff)]! ^ t[c >>> 24]!;
  }
  for (; i < end; i++) c = t[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/**
 * {@link crc32cView} with 8-byte steps (slicing-by-8), for short inputs such as one
 * scalar record: small enough for the engine to inline into the record loop, which
 * measured ~20% faster over 2 million 50-byte records than calling the 16-byte kernel
 * per record. Keep it small: V8 inlines functions below 460 bytes of bytecode (this is
 * ~430); unrolling the byte tail pushed it over and cost those 20% back.
 */
export function crc32cShort(view: DataView, buf: Uint8Array, start: number, end: number): number {
  const t = TABLE;
  let c = -1;
  let i = start;
  for (; i + 8 <= end; i += 8) {
    c ^= view.getInt32(i, true);
    const a = view.getInt32(i + 4, true);
    c =
      t[1792 + (c & 0xff)]! ^
      t[1536 + ((c >>> 8) & 0xff)]! ^
      t[1280 + ((c >>> 16) & 0xff)]! ^
      t[1024 + (c >>> 24)]! ^
      t[768 + (a & 0xff)]! ^
      t[512 + ((a >>> 8) & 0xff)]! ^
      t[256 + ((a >>> 16) & 0xff)]! ^
      t[a >>> 24]!;
  }
  if (i + 4 <= end) {
    c ^= view.getInt32(i, true);
    c = t[768 + (c & 0xff)]! ^ t[512 + ((c >>> 8) & 0xff)]! ^ t[256 + ((c >>> 16) & 0xff)]! ^ t[c >>> 24]!;
    i += 4;
  }
  for (; i < end; i++) c = t[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** Byte-wise slicing-by-16, for short inputs where making a DataView costs more than it saves. */
function crc32cBytes(buf: Uint8Array, start: number, end: number, crc: number): number {
  const t = TABLE;
  let c = ~crc;
  let i = start;
  for (; i + 16 <= end; i += 16) {
    c ^= buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24);
    c =
      t[3840 + (c & 0xff)]! ^
      t[3584 + ((c >>> 8) & 0xff)]! ^
      t[3328 + ((c >>> 16) & 0xff)]! ^
      t[3072 + (c >>> 24)]! ^
      t[2816 + buf[i + 4]!]! ^
      t[2560 + buf[i + 5]!]! ^
      t[2304 + buf[i + 6]!]! ^
      t[2048 + buf[i + 7]!]! ^
      t[1792 + buf[i + 8]!]! ^
      t[1536 + buf[i + 9]!]! ^
      t[1280 + buf[i + 10]!]! ^
      t[1024 + buf[i + 11]!]! ^
      t[768 + buf[i + 12]!]! ^
      t[512 + buf[i + 13]!]! ^
      t[256 + buf[i + 14]!]! ^
      t[buf[i + 15]!]!;
  }
  for (; i < end; i++) c = t[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/**
 * The CRC-32C of the 8 bytes at `buf[start]`: a TFRecord's length field. Unrolled
 * because every record needs it.
 */
export function crc32c8(buf: Uint8Array, start: number): number {
  const t = TABLE;
  const c = ~(buf[start]! | (buf[start + 1]! << 8) | (buf[start + 2]! << 16) | (buf[start + 3]! << 24));
  return (
    ~(
      t[1792 + (c & 0xff)]! ^
      t[1536 + ((c >>> 8) & 0xff)]! ^
      t[1280 + ((c >>> 16) & 0xff)]! ^
      t[1024 + (c >>> 24)]! ^
      t[768 + buf[start + 4]!]! ^
      t[512 + buf[start + 5]!]! ^
      t[256 + buf[start + 6]!]! ^
      t[buf[start + 7]!]!
    ) >>> 0
  );
}

/** TensorFlow's masking of a CRC (see the module comment). */
export function maskCrc(crc: number): number {
  return (((crc >>> 15) | (crc << 17)) + MASK_DELTA) >>> 0;
}

/** The inverse of {@link maskCrc}. */
export function unmaskCrc(masked: number): number {
  const rot = (masked - MASK_DELTA) >>> 0;
  return ((rot >>> 17) | (rot << 15)) >>> 0;
}

/** The masked CRC-32C of `buf[start, end)`, as TFRecord framing stores it. */
export function maskedCrc32c(buf: Uint8Array, start = 0, end = buf.length): number {
  return maskCrc(crc32c(buf, start, end));
}
