// Incremental bytes → numbered lines, for every text format (logs, CSV, JSONL).
//
// Handles UTF-8 (with or without BOM) and UTF-16 LE/BE with a BOM; LF, CRLF and
// CR CR LF line ends; a file that uses lone CR as its line end. A `\r` inside a line
// (progress bars redrawing themselves) is kept for the extractor, which reads only the
// last redraw. The last line is held back until its line end arrives or `end()` is
// called, so a half-written line is never read as data.

export interface Line {
  /** 1-based line number. */
  no: number;
  text: string;
}

export class LineSplitter {
  private decoder: { readonly encoding: string; decode(input?: Uint8Array, options?: { stream?: boolean }): string } | undefined;
  private pending = '';
  private lineNo = 0;
  private started = false;
  private head: Uint8Array = new Uint8Array(0);
  /** Lone-CR files (no LF in the first chunk, but CRs): CR ends a line. */
  private crOnly = false;
  private bytes = 0;

  /** Total bytes pushed so far. */
  get consumed(): number {
    return this.bytes;
  }

  /** The encoding in use, once known. */
  get encoding(): string {
    return this.decoder?.encoding ?? 'utf-8';
  }

  push(chunk: Uint8Array, emit: (line: Line) => void): void {
    this.bytes += chunk.length;
    if (!this.started) {
      // Wait for enough bytes to see a BOM.
      const head = concat(this.head, chunk);
      if (head.length < 4 && !this.ended) {
        this.head = head;
        return;
      }
      this.head = new Uint8Array(0);
      this.started = true;
      this.decoder = new TextDecoder(detectEncoding(head));
      chunk = head;
      const probe = this.decoder.decode(chunk, { stream: true });
      this.crOnly = !probe.includes('\n') && probe.includes('\r') && probe.length > 0;
      this.feed(probe, emit);
      return;
    }
    this.feed(this.decoder!.decode(chunk, { stream: true }), emit);
  }

  private ended = false;

  end(emit: (line: Line) => void): void {
    this.ended = true;
    if (!this.started && this.head.length > 0) this.push(new Uint8Array(0), emit);
    if (this.decoder) this.feed(this.decoder.decode(), emit);
    if (this.pending.length > 0) {
      emit({ no: ++this.lineNo, text: stripCr(this.pending) });
      this.pending = '';
    }
  }

  /** True when a partial last line is being held back. */
  get hasPartial(): boolean {
    return this.pending.length > 0 || this.head.length > 0;
  }

  private feed(text: string, emit: (line: Line) => void): void {
    if (text.length === 0) return;
    const sep = this.crOnly ? '\r' : '\n';
    let start = 0;
    let buf = this.pending;
    for (;;) {
      const i = text.indexOf(sep, start);
      if (i < 0) break;
      const piece = text.slice(start, i);
      const line = buf.length ? buf + piece : piece;
      buf = '';
      emit({ no: ++this.lineNo, text: stripCr(line) });
      start = i + 1;
    }
    this.pending = buf + text.slice(start);
  }
}

function stripCr(s: string): string {
  let e = s.length;
  while (e > 0 && s.charCodeAt(e - 1) === 13) e--;
  return e === s.length ? s : s.slice(0, e);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const c = new Uint8Array(a.length + b.length);
  c.set(a);
  c.set(b, a.length);
  return c;
}

/** The encoding named by a byte-order mark, or by the NUL pattern of BOM-less UTF-16. */
export function detectEncoding(head: Uint8Array): string {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  if (head.length >= 4 && head[1] === 0 && head[3] === 0 && head[0] !== 0 && head[2] !== 0) return 'utf-16le';
  if (head.length >= 4 && head[0] === 0 && head[2] === 0 && head[1] !== 0 && head[3] !== 0) return 'utf-16be';
  return 'utf-8';
}
