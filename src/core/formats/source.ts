// The tiny interfaces through which files reach the core, and the streaming loop over them.
import type { Run } from '../model/run';

/** Random access to one file's bytes. Implemented by the CLI (node:fs) and the extension. */
export interface ByteSource {
  /** The path or URI as shown to the user. */
  readonly name: string;
  size(): Promise<number>;
  /** Up to `length` bytes from `offset`; fewer only at the end of the file. */
  read(offset: number, length: number): Promise<Uint8Array>;
}

export type EntryType = 'file' | 'directory' | 'other';

/** Enough of a file system to walk a logdir. Paths use '/' separators. */
export interface FileSystem {
  stat(path: string): Promise<{ type: EntryType; size: number; mtime: number }>;
  readDir(path: string): Promise<[name: string, type: EntryType][]>;
  open(path: string): ByteSource;
}

/**
 * An incremental reader of one file. Bytes are pushed as they arrive (the whole file
 * in chunks, or only the new tail of a growing file); whatever is incomplete (a
 * half-written line or record) is held back until more bytes or `end()` arrive.
 * Readers never throw on bad input; they record `ReadError`s in the run.
 */
export interface RunReader {
  /** Consumes the next bytes of the file. */
  push(chunk: Uint8Array): void;
  /** Declares the end of the file: held-back bytes are read or reported as truncated. */
  end(): void;
  /** The run as read so far. Cheap enough to call after each push. */
  snapshot(): Run;
  /**
   * Readers that can find several runs in one file (a log of several trainings one
   * after another) return them all, in order; `snapshot()` is then the last one.
   */
  runs?(): Run[];
  /** Bytes consumed so far (complete records or lines), i.e. where reading would resume. */
  readonly consumed: number;
}

export interface StreamOptions {
  chunkSize?: number;
  /** Called after each chunk with the bytes read so far and the file size. */
  onProgress?: (read: number, total: number) => void;
  /** Checked between chunks; when true, reading stops and the run so far is returned. */
  isCancelled?: () => boolean;
  /** Start reading at this offset (for following a growing file). */
  from?: number;
  /** Do not call `end()` (the file may still grow). */
  follow?: boolean;
}

export const DEFAULT_CHUNK = 1 << 20;

/** Streams a file through a reader in bounded chunks and returns bytes read. */
export async function pump(source: ByteSource, reader: RunReader, opts: StreamOptions = {}): Promise<number> {
  const chunk = opts.chunkSize ?? DEFAULT_CHUNK;
  const total = await source.size();
  let offset = opts.from ?? 0;
  while (offset < total) {
    if (opts.isCancelled?.()) return offset;
    const bytes = await source.read(offset, Math.min(chunk, total - offset));
    if (bytes.length === 0) break;
    reader.push(bytes);
    offset += bytes.length;
    opts.onProgress?.(offset, total);
  }
  if (!opts.follow) reader.end();
  return offset;
}
