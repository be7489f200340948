// TensorProto → one number, for scalar summaries written as rank-0 tensors (TF2, Keras).
import type { ProtoReader } from './protobuf';

// tensorboard/compat/proto/types.proto, enum DataType (the ones a scalar can have).
export const DT_FLOAT = 1;
export const DT_DOUBLE = 2;
export const DT_BFLOAT16 = 14;
export const DT_HALF = 19;

// tensorboard/compat/proto/tensor.proto, message TensorProto, as field keys
// ((field << 3) | wire type):
const K_DTYPE = (1 << 3) | 0; //          DataType dtype = 1
const K_SHAPE = (2 << 3) | 2; //          TensorShapeProto tensor_shape = 2
const K_CONTENT = (4 << 3) | 2; //        bytes tensor_content = 4 (raw little-endian values)
const K_FLOAT_PACKED = (5 << 3) | 2; //   repeated float float_val = 5 [packed]
const K_FLOAT = (5 << 3) | 5; //          ... the same, unpacked
const K_DOUBLE_PACKED = (6 << 3) | 2; //  repeated double double_val = 6 [packed]
const K_DOUBLE = (6 << 3) | 1; //         ... unpacked
const K_HALF_PACKED = (13 << 3) | 2; //   repeated int32 half_val = 13 [packed]: DT_HALF and
const K_HALF = (13 << 3) | 0; //          DT_BFLOAT16 bit patterns in the low 16 bits
// tensorboard/compat/proto/tensor_shape.proto: TensorShapeProto { repeated Dim dim = 2;
// bool unknown_rank = 3; }, Dim { int64 size = 1; string name = 2; }
const K_SHAPE_DIM = (2 << 3) | 2;
const K_SHAPE_UNKNOWN_RANK = (3 << 3) | 0;
const K_DIM_SIZE = (1 << 3) | 0;

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE-754 binary16 bits → number (subnormals, ±Inf and NaN included). */
export function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >>> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** bfloat16 bits (the high half of a binary32) → number. */
export function bfloat16ToNumber(bits: number): number {
  u32[0] = (bits & 0xffff) << 16;
  return f32[0]!;
}

/**
 * The single value of the tensor in `r.buf[start, end)`, or undefined when it is not a
 * one-element tensor of DT_FLOAT, DT_DOUBLE, DT_HALF or DT_BFLOAT16. The value may be
 * in `tensor_content` or in the typed list (`float_val`, `double_val`, `half_val`),
 * packed or not. Leaves `r` positioned at `end` (or failed, when malformed).
 */
export function tensorScalar(r: ProtoReader, start: number, end: number): number | undefined {
  const outerEnd = r.end;
  r.pos = start;
  r.end = end;
  let dtype = 0;
  let elements = 1;
  let contentStart = -1;
  let contentEnd = -1;
  // The last value of the typed list that matches, and how many values that list had.
  let listValue = 0;
  let listCount = 0;
  let listKind = 0; // 1 float, 2 double, 3 half bits
  while (r.more()) {
    const k = r.key();
    switch (k) {
      case K_DTYPE:
        dtype = r.varint32();
        break;
      case K_SHAPE: {
        const e = r.lenEnd();
        if (e < 0) break;
        elements *= shapeElements(r, e);
        break;
      }
      case K_CONTENT: {
        const e = r.lenEnd();
        if (e < 0) break;
        contentStart = r.pos;
        contentEnd = e;
        r.pos = e;
        break;
      }
      case K_FLOAT_PACKED: {
        const e = r.lenEnd();
        if (e < 0) break;
        if (listKind !== 1) listCount = 0;
        listKind = 1;
        const n = (e - r.pos) >>> 2;
        if ((e - r.pos) & 3) r.fail();
        else if (n > 0) {
          listValue = r.float32At(e - 4);
          listCount += n;
        }
        r.pos = e;
        break;
      }
      case K_FLOAT:
        if (listKind !== 1) listCount = 0;
        listKind = 1;
        listValue = r.float32();
        listCount++;
        break;
      case K_DOUBLE_PACKED: {
        const e = r.lenEnd();
        if (e < 0) break;
        if (listKind !== 2) listCount = 0;
        listKind = 2;
        const n = (e - r.pos) >>> 3;
        if ((e - r.pos) & 7) r.fail();
        else if (n > 0) {
          listValue = r.float64At(e - 8);
          listCount += n;
        }
        r.pos = e;
        break;
      }
      case K_DOUBLE:
        if (listKind !== 2) listCount = 0;
        listKind = 2;
        listValue = r.float64();
        listCount++;
        break;
      case K_HALF_PACKED: {
        const e = r.lenEnd();
        if (e < 0) break;
        if (listKind !== 3) listCount = 0;
        listKind = 3;
        const outer = r.end;
        r.end = e;
        while (r.more()) {
          listValue = r.varint32();
          listCount++;
        }
        r.end = outer;
        break;
      }
      case K_HALF:
        if (listKind !== 3) listCount = 0;
        listKind = 3;
        listValue = r.varint32();
        listCount++;
        break;
      default:
        r.skip(k & 7);
    }
  }
  r.end = outerEnd;
  if (!r.ok || elements !== 1) return undefined;
  const contentLen = contentEnd - contentStart;
  switch (dtype) {
    case DT_FLOAT:
      if (listKind === 1) return listCount === 1 ? listValue : undefined;
      return contentLen === 4 ? r.float32At(contentStart) : undefined;
    case DT_DOUBLE:
      if (listKind === 2) return listCount === 1 ? listValue : undefined;
      return contentLen === 8 ? r.float64At(contentStart) : undefined;
    case DT_HALF:
    case DT_BFLOAT16: {
      let bits: number;
      if (listKind === 3) {
        if (listCount !== 1) return undefined;
        bits = listValue;
      } else if (contentLen === 2) bits = r.buf[contentStart]! | (r.buf[contentStart + 1]! << 8);
      else return undefined;
      return dtype === DT_HALF ? halfToNumber(bits) : bfloat16ToNumber(bits);
    }
    default:
      return undefined;
  }
}

/** The number of elements of the TensorShapeProto ending at `end` (-1: unknown rank). */
function shapeElements(r: ProtoReader, end: number): number {
  const outer = r.end;
  r.end = end;
  let n = 1;
  while (r.more()) {
    const k = r.key();
    if (k === K_SHAPE_DIM) {
      const e = r.lenEnd();
      if (e < 0) break;
      const o = r.end;
      r.end = e;
      let size = 0;
      while (r.more()) {
        const dk = r.key();
        if (dk === K_DIM_SIZE) size = r.int64();
        else r.skip(dk & 7);
      }
      r.end = o;
      n *= size;
    } else if (k === K_SHAPE_UNKNOWN_RANK) {
      if (r.varint32() !== 0) n = -1;
    } else r.skip(k & 7);
  }
  r.end = outer;
  return n;
}
