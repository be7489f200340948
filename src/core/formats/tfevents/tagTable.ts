// Interns summary tags by their UTF-8 bytes, so a record's tag costs a hash, not a string.
import type { SeriesBuilder } from '../../model/series';

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
  /** The series this tag's points go to; set by the reader on the first point. */
  series: SeriesBuilder | undefined;
}

interface Entry extends TagInfo {
  readonly bytes: Uint8Array;
  readonly hash: number;
  next: Entry | undefined;
}

const decoder = new TextDecoder('utf-8');

/** A hash table from tag bytes to {@link TagInfo}; entries live as long as the table. */
export class TagTable {
  private readonly buckets = new Map<number, Entry>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The entry for the tag stored in `buf[start, end)`, created on first sight. */
  lookup(buf: Uint8Array, start: number, end: number): TagInfo {
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
    const entry: Entry = { tag: decoder.decode(bytes), kind: TagKind.Unknown, series: undefined, bytes, hash: h, next: first };
    this.buckets.set(h, entry);
    this.count++;
    return entry;
  }
}
