// Incremental bytes → numbered lines, shared by every text format (logs, CSV, JSONL).
//
// Encoding: UTF-8 (a BOM is dropped), UTF-16 LE/BE with a BOM, and BOM-less UTF-16 told
// by its NUL bytes. Invalid bytes decode to U+FFFD; they never stop reading.
//
// Line ends are counted the way the editor counts them, so that a line number in a
// finding is the line the user sees: `\n`, `\r\n` and a lone `\r` each end one line.
// A progress bar that redraws itself with `\r` is therefore one line per redraw, and
// Keras' `\r\r\n` is a line followed by an empty one.
//
// Invariants:
// - A line is emitted only once its line end has arrived (or at `end()`), so a
//   half-written last line is never read as data.
// - Lines are emitted as ranges of a larger string (`text.slice(start, end)` is the
//   line, without its line end); nothing is copied per line.
// - Memory is one decoded chunk plus the pending partial line. A line longer than
//   `MAX_LINE_CHARS` keeps only its first `LONG_LINE_HEAD` characters (the rest is
//   skipped up to the line end) and is emitted with `truncated` set.

/** Receives each complete line: `text.slice(start, end)` is line `no` (1-based). */
export type LineSink = (text: string, start: number, end: number, no: number, truncated: boolean) => void;

/** Lines longer than this many characters are cut (bounded memory for any input). */
export const MAX_LINE_CHARS = 1 << 20;
/** How much of an over-long line is kept and read. */
export const LONG_LINE_HEAD = 1 << 16;

type Decoder = { readonly encoding: string; decode(input?: Uint8Array, options?: { stream?: boolean }): string };

export class LineSplitter {
  private decoder: Decoder | undefined;
  private enc = 'utf-8';
  /** Bytes held until the encoding can be decided (fewer than 4 at the start). */
  private head: Uint8Array | undefined = new Uint8Array(0);
  /** The partial last line (no line end seen yet). */
  private pending = '';
  /** The previous chunk ended with `\r`: a `\n` starting the next one belongs to it. */
  private afterCr = false;
  /** Inside an over-long line: drop text until the line end. */
  private skipping = false;
  private lineNo = 0;
  private pushed = 0;
  private ended = false;

  /** The encoding in use (`utf-8` until decided). */
  get encoding(): string {
    return this.enc;
  }

  /** True when a partial last line is being held back. */
  get hasPartial(): boolean {
    return this.pending.length > 0 || this.skipping || (this.head?.length ?? 0) > 0;
  }

  /**
   * Byte offset just past the last complete line: where a fresh reader would resume.
   * Exact for UTF-8 and UTF-16; costs a scan of the pending partial line.
   */
  get consumed(): number {
    if (this.head) return 0;
    const pendingBytes = this.enc === 'utf-8' ? utf8Length(this.pending) : this.pending.length * 2;
    return Math.max(0, this.pushed - pendingBytes - this.heldBytes);
  }

  /** Bytes of an incomplete character the decoder holds between chunks. */
  private heldBytes = 0;

  push(chunk: Uint8Array, sink: LineSink): void {
    if (this.ended) return;
    this.pushed += chunk.length;
    if (this.head) {
      const head = concat(this.head, chunk);
      if (head.length < 4) {
        this.head = head;
        return;
      }
      this.head = undefined;
      this.start(head);
      chunk = head;
    }
    this.heldBytes = this.enc === 'utf-8' ? incompleteUtf8Tail(chunk, this.heldBytes) : (this.heldBytes + chunk.length) % 2;
    this.feed(this.decoder!.decode(chunk, { stream: true }), sink);
  }

  /** Declares the end of input: the partial last line (if any) is emitted. */
  end(sink: LineSink): void {
    if (this.ended) return;
    if (this.head) {
      const head = this.head;
      this.head = undefined;
      this.start(head);
      this.feed(this.decoder!.decode(head, { stream: true }), sink);
    }
    this.ended = true;
    this.feed(this.decoder!.decode(), sink);
    this.heldBytes = 0;
    if (this.pending.length > 0 || this.skipping) {
      const text = this.pending;
      this.pending = '';
      const cut = this.skipping;
      this.skipping = false;
      sink(text, 0, text.length, ++this.lineNo, cut);
    }
  }

  private start(head: Uint8Array): void {
    this.enc = detectEncoding(head);
    this.decoder = new TextDecoder(this.enc);
  }

  private feed(chunk: string, sink: LineSink): void {
    if (chunk.length === 0) return;
    let text: string;
    let pos: number;
    // After a `\r` that ended the previous chunk, a `\n` here completes that line end.
    let from = 0;
    if (this.afterCr) {
      this.afterCr = false;
      if (chunk.charCodeAt(0) === 10) from = 1;
      if (chunk.length === from) return;
    }
    if (this.skipping) {
      // Drop the rest of an over-long line up to its line end.
      const nl = firstBreak(chunk, from);
      if (nl < 0) return;
      this.skipping = false;
      const head = this.pending;
      this.pending = '';
      sink(head, 0, head.length, ++this.lineNo, true);
      pos = breakEnd(chunk, nl);
      if (pos < 0) {
        this.afterCr = true;
        return;
      }
      text = chunk;
    } else if (this.pending.length > 0) {
      // Finish the pending line on its own, so that the rest of the chunk is read as the
      // flat string the decoder made (a concatenation would make every access slower).
      const brk = firstBreak(chunk, from);
      if (brk < 0) {
        const rest = from === 0 ? chunk : chunk.slice(from);
        if (this.pending.length + rest.length > MAX_LINE_CHARS) {
          this.pending = (this.pending + rest).slice(0, LONG_LINE_HEAD);
          this.skipping = true;
        } else this.pending += rest;
        return;
      }
      const line = this.pending + chunk.slice(from, brk);
      this.pending = '';
      if (line.length > MAX_LINE_CHARS) sink(line, 0, LONG_LINE_HEAD, ++this.lineNo, true);
      else sink(line, 0, line.length, ++this.lineNo, false);
      pos = breakEnd(chunk, brk);
      if (pos < 0) {
        this.afterCr = true;
        return;
      }
      text = chunk;
    } else {
      text = chunk;
      pos = from;
    }
    const n = text.length;
    // Next positions of each line-end character (-1: none left in `text`).
    let lf = text.indexOf('\n', pos);
    let cr = text.indexOf('\r', pos);
    for (;;) {
      let brk: number;
      if (lf < 0 && cr < 0) break;
      if (cr < 0 || (lf >= 0 && lf < cr)) brk = lf;
      else brk = cr;
      if (brk - pos > MAX_LINE_CHARS) sink(text, pos, pos + LONG_LINE_HEAD, ++this.lineNo, true);
      else sink(text, pos, brk, ++this.lineNo, false);
      if (brk === cr) {
        if (brk + 1 === n) {
          // `\r` at the very end: a `\n` at the start of the next chunk completes it.
          this.afterCr = true;
          pos = n;
          break;
        }
        pos = text.charCodeAt(brk + 1) === 10 ? brk + 2 : brk + 1;
        cr = text.indexOf('\r', pos);
        if (lf >= 0 && lf < pos) lf = text.indexOf('\n', pos);
      } else {
        pos = brk + 1;
        lf = text.indexOf('\n', pos);
      }
    }
    if (pos < n) {
      if (n - pos > MAX_LINE_CHARS) {
        this.pending = text.slice(pos, pos + LONG_LINE_HEAD);
        this.skipping = true;
      } else this.pending = pos === 0 ? text : text.slice(pos);
    }
  }
}

/** Index of the first `\r` or `\n` at or after `from`, or -1. */
function firstBreak(s: string, from: number): number {
  const lf = s.indexOf('\n', from);
  const cr = s.indexOf('\r', from);
  if (lf < 0) return cr;
  if (cr < 0) return lf;
  return Math.min(lf, cr);
}

/** Position after the line end at `i`; -1 when it is a `\r` ending the string. */
function breakEnd(s: string, i: number): number {
  if (s.charCodeAt(i) === 10) return i + 1;
  if (i + 1 === s.length) return -1;
  return s.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const c = new Uint8Array(a.length + b.length);
  c.set(a);
  c.set(b, a.length);
  return c;
}

/** How many bytes at the end of `chunk` (plus `carried` from before) start an unfinished UTF-8 character. */
function incompleteUtf8Tail(chunk: Uint8Array, carried: number): number {
  const n = chunk.length;
  if (n === 0) return carried;
  // Walk back over at most 3 continuation bytes to the lead byte.
  let i = n - 1;
  let cont = 0;
  while (i >= 0 && cont < 3 && (chunk[i]! & 0xc0) === 0x80) {
    i--;
    cont++;
  }
  if (i < 0) return Math.min(3, carried + cont);
  const b = chunk[i]!;
  const need = b >= 0xf0 && b < 0xf8 ? 3 : b >= 0xe0 ? 2 : b >= 0xc0 ? 1 : 0;
  return need > cont ? cont + 1 : 0;
}

/** UTF-8 byte length of a string (lone surrogates count as the 3 bytes of U+FFFD). */
export function utf8Length(s: string): number {
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** The encoding named by a byte-order mark, or by the NUL pattern of BOM-less UTF-16. */
export function detectEncoding(head: Uint8Array): string {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  if (head.length >= 4 && head[1] === 0 && head[3] === 0 && head[0] !== 0 && head[2] !== 0) return 'utf-16le';
  if (head.length >= 4 && head[0] === 0 && head[2] === 0 && head[1] !== 0 && head[3] !== 0) return 'utf-16be';
  return 'utf-8';
}

/**
 * A RunReader of a line-based format (text logs, CSV, JSON Lines, trainer_state.json):
 * bytes go through one LineSplitter, each complete line to `line()`, and `finish()`
 * runs once the last line has been handed over.
 */
export abstract class LineRunReader {
  private readonly splitter = new LineSplitter();
  private readonly sink: LineSink = (text, start, end, no, truncated) => this.line(text, start, end, no, truncated);

  get consumed(): number {
    return this.splitter.consumed;
  }

  push(chunk: Uint8Array): void {
    this.splitter.push(chunk, this.sink);
  }

  end(): void {
    this.splitter.end(this.sink);
    this.onEnd();
  }

  /** Line `no` (1-based) is `text.slice(start, end)`; `truncated` when it was over-long and cut. */
  protected abstract line(text: string, start: number, end: number, no: number, truncated: boolean): void;

  /** After the last line: report what was held back. */
  protected onEnd(): void {}
}
