// Decodes one `Event` record into scalar points, hyperparameters and the file version.
//
// The messages and the fields read (tensorboard/compat/proto/event.proto, summary.proto):
//
//   Event           double wall_time = 1;  int64 step = 2;
//                   oneof what { string file_version = 3; bytes graph_def = 4;
//                                Summary summary = 5; ... = 6..9 }  (others skipped)
//   Summary         repeated Value value = 1;
//   Summary.Value   string tag = 1;  SummaryMetadata metadata = 9;
//                   oneof value { float simple_value = 2; bytes obsolete_old_style_histogram = 3;
//                                 Image image = 4; HistogramProto histo = 5; Audio audio = 6;
//                                 TensorProto tensor = 8; }
//   SummaryMetadata PluginData plugin_data = 1 { string plugin_name = 1; bytes content = 2; }
//                   DataClass data_class = 4  (1 = DATA_CLASS_SCALAR)
//
// What is a scalar, as TensorBoard decides it: every `simple_value` (TF1, PyTorch,
// tensorboardX), and a one-element float tensor (see tensor.ts) whose tag's metadata
// names the `scalars` plugin or the scalar data class (TF2, Keras). Writers put the
// metadata only on a tag's first value (TF1 `FileWriter` strips it afterwards), so the
// first metadata seen for a tag decides its kind for the rest of the file. Images,
// histograms, audio, text, graphs, pr-curves and other tensors are skipped without
// decoding their payloads; the `hparams` plugin's content is read for hyperparameters.
//
// A record's values are collected first and handed out only when the whole record
// parsed: a malformed record contributes nothing. Scalars go into their tag's
// PointBatch (pointBatch.ts); the sink takes a batch when it is full and, through
// `drain`, whenever it wants every decoded point (the reader: after each push).
import type { HParamValue } from '../../model/run';
import { readHparams } from './hparams';
import { ProtoReader, WIRE_LEN } from './protobuf';
import { PointBatch } from './pointBatch';
import { TagKind, TagTable, type TagInfo } from './tagTable';
import { DT_FLOAT, tensorScalar } from './tensor';

// Field keys, (field << 3) | wire type.
const K_EVENT_WALL_TIME = (1 << 3) | 1;
const K_EVENT_STEP = (2 << 3) | 0;
const K_EVENT_FILE_VERSION = (3 << 3) | 2;
const K_EVENT_SUMMARY = (5 << 3) | 2;
const K_SUMMARY_VALUE = (1 << 3) | 2;
const K_VALUE_TAG = (1 << 3) | 2;
const K_VALUE_SIMPLE = (2 << 3) | 5;
const K_VALUE_TENSOR = (8 << 3) | 2;
const K_VALUE_METADATA = (9 << 3) | 2;
const K_META_PLUGIN_DATA = (1 << 3) | 2;
const K_META_DATA_CLASS = (4 << 3) | 0;
const K_PLUGIN_NAME = (1 << 3) | 2;
const K_PLUGIN_CONTENT = (2 << 3) | 2;
/** The `oneof value` members other than simple_value and tensor: 3 to 6, all LEN. */
const FIRST_OTHER_VALUE_FIELD = 3;
const LAST_OTHER_VALUE_FIELD = 6;

const DATA_CLASS_SCALAR = 1;
const SCALARS = new TextEncoder().encode('scalars');
const HPARAMS = new TextEncoder().encode('hparams');

/** Which member of `Summary.Value`'s `oneof value` was set (the last one wins). */
const V_NONE = 0;
const V_SIMPLE = 1;
const V_TENSOR = 2;
const V_OTHER = 3;

const utf8 = new TextDecoder('utf-8');

/** Receives what records hold, once each record has parsed completely. */
export interface EventSink {
  /** `tag.points` holds decoded points: take them all and set its count to 0. */
  points(tag: TagInfo): void;
  fileVersion(version: string, wallTime: number): void;
  hparam(name: string, value: HParamValue): void;
}

/** Counts of what the decoder saw, for tests and diagnostics. */
export interface DecodeStats {
  events: number;
  scalars: number;
  /** Wall time of the first event, NaN until one is seen. */
  startWallTime: number;
  /** Summary values that are not scalars (images, histograms, ...), skipped. */
  skippedValues: number;
}

/**
 * Decodes Event records for one file. Keeps the tag table (and so each tag's kind) across
 * records, as TensorBoard keeps the first metadata per tag.
 */
export class EventDecoder {
  readonly tags = new TagTable();
  readonly stats: DecodeStats = { events: 0, scalars: 0, startWallTime: NaN, skippedValues: 0 };
  /** Tags whose batch has points not yet drained. */
  private readonly filled: TagInfo[] = [];
  private readonly r = new ProtoReader();
  /** A DataView of the buffer `viewOf`, for the common-shape decoder. */
  private view: DataView = new DataView(new ArrayBuffer(0));
  private viewOf: Uint8Array | undefined;
  // Per-record scratch, reused: summary ranges, then the values found in them.
  private summaryStarts: number[] = [];
  private summaryEnds: number[] = [];
  private pendingTags: TagInfo[] = [];
  private pendingValues = new Float64Array(16);
  private pendingCount = 0;
  private pendingHparams: [string, HParamValue][] = [];

  /** Whether `decode` tries {@link decodeCommon} first (tests compare both ways). */
  commonPath = true;

  /**
   * Decodes the Event in `buf[start, end)` into `sink`. Returns false (and gives the sink
   * nothing) when the bytes are not a well-formed Event.
   */
  decode(buf: Uint8Array, start: number, end: number, sink: EventSink): boolean {
    // Kept tiny so the engine inlines it into the record loop.
    return (this.commonPath && this.decodeCommon(buf, start, end, sink)) || this.decodeAny(buf, start, end, sink);
  }

  /** The general decoder: any well-formed Event. */
  private decodeAny(buf: Uint8Array, start: number, end: number, sink: EventSink): boolean {
    const r = this.r.reset(buf, start, end);
    let wallTime = NaN; // absent: unknown (real writers always set it)
    let step = 0; // absent: 0, as proto3 defines (Keras omits step 0)
    let versionStart = -1;
    let versionEnd = -1;
    let summaries = 0;
    while (r.more()) {
      const k = r.key();
      switch (k) {
        case K_EVENT_WALL_TIME:
          wallTime = r.float64();
          break;
        case K_EVENT_STEP:
          step = r.int64();
          break;
        case K_EVENT_SUMMARY: {
          const e = r.lenEnd();
          if (e < 0) break;
          this.summaryStarts[summaries] = r.pos;
          this.summaryEnds[summaries++] = e;
          r.pos = e;
          break;
        }
        case K_EVENT_FILE_VERSION: {
          const e = r.lenEnd();
          if (e < 0) break;
          versionStart = r.pos;
          versionEnd = e;
          r.pos = e;
          break;
        }
        default:
          r.skip(k & 7);
      }
    }
    if (!r.ok) return false;
    this.pendingCount = 0;
    if (this.pendingHparams.length > 0) this.pendingHparams.length = 0;
    // A repeated message field merges: the values of every `summary` occurrence count.
    for (let i = 0; i < summaries; i++) {
      if (!this.readSummary(this.summaryStarts[i]!, this.summaryEnds[i]!)) return false;
    }
    if (this.stats.events++ === 0) this.stats.startWallTime = wallTime;
    if (versionStart >= 0) sink.fileVersion(utf8.decode(buf.subarray(versionStart, versionEnd)), wallTime);
    for (let i = 0; i < this.pendingCount; i++) this.append(this.pendingTags[i]!, step, wallTime, this.pendingValues[i]!, sink);
    for (const [name, value] of this.pendingHparams) sink.hparam(name, value);
    return true;
  }

  /** Hands every tag's decoded points to the sink. */
  drain(sink: EventSink): void {
    const filled = this.filled;
    if (filled.length === 0) return;
    for (const tag of filled) if (tag.points!.count > 0) sink.points(tag);
    filled.length = 0;
  }

  /**
   * Adds a point to its tag's batch. When a batch is full every batch is drained, in the
   * order their tags got their first point, so series are created in the order tags first
   * appear whatever the chunking.
   */
  private append(tag: TagInfo, step: number, wallTime: number, value: number, sink: EventSink): void {
    const b = tag.points ?? (tag.points = new PointBatch());
    const i = b.count;
    if (i === 0) this.filled.push(tag);
    b.steps[i] = step;
    b.values[i] = value;
    b.wallTimes[i] = wallTime;
    b.count = i + 1;
    this.stats.scalars++;
    if (i + 1 === b.steps.length) {
      this.drain(sink);
      b.grow();
    }
  }

  /**
   * The shape nearly every scalar record has, decoded with straight-line code: an Event
   * of [wall_time] [step] summary, the summary holding exactly one value made of a tag
   * and either a `simple_value` (PyTorch, TF1) or, for a tag already known to be a
   * scalar, a rank-0 DT_FLOAT tensor in `tensor_content` followed by metadata (TF2,
   * Keras): `42 0a 08 01 12 00 22 04 <float>`. Returns false, having given the sink
   * nothing, for anything else; the general decoder then reads the record. For every
   * record it accepts, it yields exactly what the general decoder would (checked by the
   * tests on real files and random records).
   */
  private decodeCommon(buf: Uint8Array, start: number, end: number, sink: EventSink): boolean {
    let view = this.view;
    if (buf !== this.viewOf) {
      view = this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
      this.viewOf = buf;
    }
    let p = start;
    let wallTime = NaN;
    let step = 0;
    let b = buf[p];
    if (b === K_EVENT_WALL_TIME) {
      if (p + 10 > end) return false;
      wallTime = view.getFloat64(p + 1, true);
      p += 9;
      b = buf[p];
    }
    if (b === K_EVENT_STEP) {
      // Up to 4 varint bytes (steps below 2^28) inline; longer ones go the general way.
      if (p + 5 > end) return false;
      b = buf[p + 1]!;
      step = b & 0x7f;
      p += 2;
      if (b >= 0x80) {
        b = buf[p++]!;
        step |= (b & 0x7f) << 7;
        if (b >= 0x80) {
          b = buf[p++]!;
          step |= (b & 0x7f) << 14;
          if (b >= 0x80) {
            b = buf[p++]!;
            step |= (b & 0x7f) << 21;
            if (b >= 0x80) return false;
          }
        }
      }
    }
    // summary, then its one value, each a LEN field (length < 128) running to the end;
    // then the value's tag (length < 128). Six bytes of keys and lengths in all.
    if (p + 6 > end || buf[p] !== K_EVENT_SUMMARY || buf[p + 2] !== K_SUMMARY_VALUE || buf[p + 4] !== K_VALUE_TAG) return false;
    const summaryLen = buf[p + 1]!;
    const valueLen = buf[p + 3]!;
    const tagLen = buf[p + 5]!;
    if (summaryLen >= 0x80 || valueLen >= 0x80 || tagLen >= 0x80 || p + 2 + summaryLen !== end || p + 4 + valueLen !== end) return false;
    const tagStart = p + 6;
    const tagEnd = tagStart + tagLen;
    p = tagEnd;
    let value: number;
    let info: TagInfo;
    if (p + 5 === end && buf[p] === K_VALUE_SIMPLE) {
      value = view.getFloat32(p + 1, true);
      info = this.tags.lookup(buf, view, tagStart, tagEnd);
    } else if (
      p + 12 <= end &&
      buf[p] === K_VALUE_TENSOR &&
      buf[p + 1] === 10 &&
      buf[p + 2] === 0x08 && // dtype
      buf[p + 3] === DT_FLOAT &&
      buf[p + 4] === 0x12 && // tensor_shape: empty
      buf[p + 5] === 0 &&
      buf[p + 6] === 0x22 && // tensor_content: 4 bytes
      buf[p + 7] === 4
    ) {
      const m = p + 12;
      // Nothing after the tensor, or one metadata field running to the end.
      if (m !== end && (m + 2 > end || buf[m] !== K_VALUE_METADATA || buf[m + 1]! >= 0x80 || m + 2 + buf[m + 1]! !== end)) return false;
      info = this.tags.lookup(buf, view, tagStart, tagEnd);
      if (info.kind !== TagKind.Scalar) return false;
      value = view.getFloat32(p + 8, true);
    } else return false;
    if (this.stats.events++ === 0) this.stats.startWallTime = wallTime;
    this.append(info, step, wallTime, value, sink);
    return true;
  }

  private readSummary(start: number, end: number): boolean {
    const r = this.r;
    r.pos = start;
    r.end = end;
    while (r.more()) {
      const k = r.key();
      if (k === K_SUMMARY_VALUE) {
        const e = r.lenEnd();
        if (e < 0) break;
        this.readValue(e);
        r.pos = e;
        r.end = end;
      } else r.skip(k & 7);
    }
    return r.ok;
  }

  /** Reads the Summary.Value ending at `end`, starting at `r.pos`. */
  private readValue(end: number): void {
    const r = this.r;
    r.end = end;
    let tagStart = -1;
    let tagEnd = -1;
    let which = V_NONE;
    let simple = 0;
    let tensorStart = -1;
    let tensorEnd = -1;
    let metaStart = -1;
    let metaEnd = -1;
    while (r.more()) {
      const k = r.key();
      switch (k) {
        case K_VALUE_TAG: {
          const e = r.lenEnd();
          if (e < 0) break;
          tagStart = r.pos;
          tagEnd = e;
          r.pos = e;
          break;
        }
        case K_VALUE_SIMPLE:
          simple = r.float32();
          which = V_SIMPLE;
          break;
        case K_VALUE_TENSOR: {
          const e = r.lenEnd();
          if (e < 0) break;
          tensorStart = r.pos;
          tensorEnd = e;
          r.pos = e;
          which = V_TENSOR;
          break;
        }
        case K_VALUE_METADATA: {
          const e = r.lenEnd();
          if (e < 0) break;
          metaStart = r.pos;
          metaEnd = e;
          r.pos = e;
          break;
        }
        default: {
          const field = k >>> 3;
          if (field >= FIRST_OTHER_VALUE_FIELD && field <= LAST_OTHER_VALUE_FIELD && (k & 7) === WIRE_LEN) which = V_OTHER;
          r.skip(k & 7);
        }
      }
    }
    if (!r.ok) return;
    const info = tagStart >= 0 ? this.tags.lookup(r.buf, r.view, tagStart, tagEnd) : this.tags.lookup(r.buf, r.view, 0, 0);
    if (metaStart >= 0 && (info.kind === TagKind.Unknown || info.kind === TagKind.Hparams)) {
      this.readMetadata(info, metaStart, metaEnd);
      if (!r.ok) return;
    }
    if (which === V_SIMPLE) this.pend(info, simple);
    else if (which === V_TENSOR && info.kind === TagKind.Scalar) {
      const v = tensorScalar(r, tensorStart, tensorEnd);
      if (!r.ok) return;
      if (v === undefined) this.stats.skippedValues++;
      else this.pend(info, v);
    } else if (which !== V_NONE) this.stats.skippedValues++;
  }

  private pend(info: TagInfo, value: number): void {
    const i = this.pendingCount++;
    if (i === this.pendingValues.length) {
      const grown = new Float64Array(i * 2);
      grown.set(this.pendingValues);
      this.pendingValues = grown;
    }
    this.pendingTags[i] = info;
    this.pendingValues[i] = value;
  }

  /**
   * Reads a SummaryMetadata: fixes the tag's kind on first sight, and collects
   * hyperparameters from an hparams plugin's content.
   */
  private readMetadata(info: TagInfo, start: number, end: number): void {
    const r = this.r;
    const outer = r.end;
    r.pos = start;
    r.end = end;
    let nameStart = -1;
    let nameEnd = -1;
    let contentStart = -1;
    let contentEnd = -1;
    let dataClass = 0;
    while (r.more()) {
      const k = r.key();
      if (k === K_META_DATA_CLASS) dataClass = r.varint32();
      else if (k === K_META_PLUGIN_DATA) {
        const e = r.lenEnd();
        if (e < 0) break;
        r.end = e;
        while (r.more()) {
          const pk = r.key();
          if (pk === K_PLUGIN_NAME || pk === K_PLUGIN_CONTENT) {
            const pe = r.lenEnd();
            if (pe < 0) break;
            if (pk === K_PLUGIN_NAME) {
              nameStart = r.pos;
              nameEnd = pe;
            } else {
              contentStart = r.pos;
              contentEnd = pe;
            }
            r.pos = pe;
          } else r.skip(pk & 7);
        }
        r.end = end;
      } else r.skip(k & 7);
    }
    r.end = outer;
    if (!r.ok) return;
    if (info.kind === TagKind.Unknown) {
      if (dataClass === DATA_CLASS_SCALAR || bytesEqual(r.buf, nameStart, nameEnd, SCALARS)) info.kind = TagKind.Scalar;
      else if (bytesEqual(r.buf, nameStart, nameEnd, HPARAMS)) info.kind = TagKind.Hparams;
      else info.kind = TagKind.Other;
    }
    if (info.kind === TagKind.Hparams && contentStart >= 0) {
      readHparams(r, contentStart, contentEnd, this.pendingHparams);
      r.end = outer;
    }
  }
}

function bytesEqual(buf: Uint8Array, start: number, end: number, word: Uint8Array): boolean {
  if (start < 0 || end - start !== word.length) return false;
  for (let i = 0; i < word.length; i++) if (buf[start + i] !== word[i]) return false;
  return true;
}
