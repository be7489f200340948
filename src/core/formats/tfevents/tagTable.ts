// Interns summary tags by their UTF-8 bytes, so a record's tag costs a hash, not a string.
import type { SeriesBuilder } from '../../model/series';
import type { PointBatch } from './pointBatch';

/** What a tag's values are, decided by the first metadata TensorBoard would keep. */
export const TagKind = {
  /** No metadata seen yet (`simple_value`s need none: they are always scalars). */
  Unknown: 0,
  /** The `scalars` plugin or `DATA_CLASS_SCALAR`: rank-0 numeric tensors. */
  Scalar: 1,
  /** The `hparams` plugin: its content holds hyperparameters, not points. */
  Hparams: 2,
  /** Any other plugin (images, histograms, text, pr_curves, ...): skipped undecoded. */
  Other: 3,
} as const;
export type TagKind = (typeof TagKind)[keyof typeof TagKind];

/** One distinct tag of a file. */
export interface TagInfo {
  /** The tag exactly as written (decoded as UTF-8, invalid bytes replaced). */
  readonly tag: string;
  kind: TagKind;
  /** Points decoded and not yet handed over; created on the first point. */
  points: PointBatch | undefined;
  /** The series this tag's points go to; set by the reader on the first hand-over. */
  series: SeriesBuilder | undefined;
}

interface Entry extends TagInfo {
  readonly bytes: Uint8Array;
  /** The bytes as little-endian 32-bit words, and the last four bytes as one word. */
  readonly words: Int32Array;
  readonly tailWord: number;
  readonly hash: number;
  next: Entry | undefined;
}

const decoder = new TextDecoder('utf-8');

/** Slots of the cache of recent tags (a power of two). */
const RECENT = 64;

/**
 * A hash table from tag bytes to {@link TagInfo}; entries live as long as the table.
 * In front of it, a small direct-mapped cache keyed by the length and three bytes of the
 * tag: a file cycles through a few tags, so most look-ups cost one comparison of the
 * bytes and no full hash (the full look-up was a third of the time per scalar record).
 */
export class TagTable {
  private readonly buckets = new Map<number, Entry>();
  private readonly recent: (Entry | undefined)[] = new Array<Entry | undefined>(RECENT).fill(undefined);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /**
   * The entry for the tag stored in `buf[start, end)`, created on first sight. `view` is
   * a DataView of `buf` (same offsets), used to compare four bytes at a time.
   */
  lookup(buf: Uint8Array, view: DataView, start: number, end: number): TagInfo {
    const len = end - start;
    const slot = len === 0 ? 0 : (len * 31 + buf[start]! * 7 + buf[end - 1]! * 13 + buf[start + (len >> 1)]!) & (RECENT - 1);
    const hit = this.recent[slot];
    if (hit !== undefined && hit.bytes.length === len) {
      if (len >= 4) {
        // The last four bytes first (they tell tags like `loss/train` and `loss/valid`
        // apart at once), then the whole words.
        if (view.getInt32(end - 4, true) === hit.tailWord) {
          const w = hit.words;
          let k = 0;
          while (k < w.length && view.getInt32(start + 4 * k, true) === w[k]) k++;
          if (k === w.length) return hit;
        }
      } else {
        const b = hit.bytes;
        let i = 0;
        while (i < len && b[i] === buf[start + i]) i++;
        if (i === len) return hit;
      }
    }
    const e = this.find(buf, start, end);
    this.recent[slot] = e;
    return e;
  }

  private find(buf: Uint8Array, start: number, end: number): Entry {
    // FNV-1a, 32-bit.
    let h = 0x811c9dc5;
    for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
    const len = end - start;
    const first = this.buckets.get(h);
    for (let e = first; e; e = e.next) {
      const b = e.bytes;
      if (b.length !== len) continue;
      let i = 0;
      while (i < len && b[i] === buf[start + i]) i++;
      if (i === len) return e;
    }
    const bytes = buf.slice(start, end);
    const v = new DataView(bytes.buffer);
    const words = new Int32Array(len >> 2);
    for (let k = 0; k < words.length; k++) words[k] = v.getInt32(4 * k, true);
    const tailWord = len >= 4 ? v.getInt32(len - 4, true) : 0;
    const entry: Entry = { tag: decoder.decode(bytes), kind: TagKind.Unknown, points: undefined, series: undefined, bytes, words, tailWord, hash: h, next: first };
    this.buckets.set(h, entry);
    this.count++;
    return entry;
  }
}
