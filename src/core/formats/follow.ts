// Following a file that training is still writing: read only the new bytes each time.
//
// A Follower keeps one RunReader and the offset it has read up to. Each `poll()` looks
// at the file's size and its first bytes:
// - larger, same head: the new bytes are pushed (a half-written last line or record stays
//   held back inside the reader until it is complete);
// - smaller, or a different head (truncated, rotated or replaced): the reader is rebuilt
//   and the file is read again from the start;
// - unchanged: nothing is read.
// `settle()` declares the file finished for now (a last line without its newline is
// read); if the file grows after that, the next poll reads it again from the start.
import type { Run } from '../model/run';
import { DEFAULT_CHUNK, type ByteSource, type RunReader } from './source';

/** How many leading bytes identify a file between polls. */
export const HEAD_BYTES = 256;

export interface PollResult {
  /** New data was read (or the file was re-read). */
  changed: boolean;
  /** The file was truncated or replaced and read again from the start. */
  reset: boolean;
  /** Bytes read by this poll. */
  bytesRead: number;
}

export interface FollowOptions {
  chunkSize?: number;
  onProgress?: (read: number, total: number) => void;
  isCancelled?: () => boolean;
}

export class Follower {
  private reader: RunReader;
  private offset = 0;
  private head: Uint8Array = new Uint8Array(0);
  private settled = false;

  constructor(
    private readonly source: ByteSource,
    private readonly makeReader: () => RunReader,
  ) {
    this.reader = makeReader();
  }

  /** Bytes read so far. */
  get position(): number {
    return this.offset;
  }

  snapshot(): Run {
    return this.reader.snapshot();
  }

  /** Reads what is new since the last poll. */
  async poll(opts: FollowOptions = {}): Promise<PollResult> {
    const size = await this.source.size();
    let reset = false;
    if (size < this.offset || (this.settled && size !== this.offset) || !(await this.sameHead(size))) {
      this.reader = this.makeReader();
      this.offset = 0;
      this.head = new Uint8Array(0);
      this.settled = false;
      reset = true;
    }
    if (size === this.offset) return { changed: reset, reset, bytesRead: 0 };
    const chunk = opts.chunkSize ?? DEFAULT_CHUNK;
    const start = this.offset;
    while (this.offset < size) {
      if (opts.isCancelled?.()) break;
      const bytes = await this.source.read(this.offset, Math.min(chunk, size - this.offset));
      if (bytes.length === 0) break;
      if (this.head.length < HEAD_BYTES) this.head = concatHead(this.head, bytes);
      this.reader.push(bytes);
      this.offset += bytes.length;
      opts.onProgress?.(this.offset, size);
    }
    return { changed: true, reset, bytesRead: this.offset - start };
  }

  /** True after `settle()` until the file changes again. */
  get isSettled(): boolean {
    return this.settled;
  }

  /** Declares the file finished for now: whatever the reader held back is read or reported. */
  settle(): Run {
    if (!this.settled) {
      this.reader.end();
      this.settled = true;
    }
    return this.reader.snapshot();
  }

  private async sameHead(size: number): Promise<boolean> {
    if (this.head.length === 0) return true;
    if (size < this.head.length) return false;
    const now = await this.source.read(0, this.head.length);
    if (now.length !== this.head.length) return false;
    for (let i = 0; i < now.length; i++) if (now[i] !== this.head[i]) return false;
    return true;
  }
}

function concatHead(head: Uint8Array, bytes: Uint8Array): Uint8Array {
  const take = Math.min(HEAD_BYTES - head.length, bytes.length);
  const out = new Uint8Array(head.length + take);
  out.set(head);
  out.set(bytes.subarray(0, take), head.length);
  return out;
}
