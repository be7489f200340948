// A streaming, tolerant JSON parser: text fed line by line → events, with line numbers.
//
// Accepts what Python's `json` module writes and `JSON.parse` rejects: the literals
// `NaN`, `Infinity` and `-Infinity`. Memory is the nesting stack plus one token: a
// document of any size is read without being held. A JSON string cannot contain a raw
// line end, so no token spans lines.
//
// Errors (`JsonError`) name the line and column. After one, the parser skips ahead to
// the next line that starts with `{` and resumes there as the next element of the
// innermost array it was in (a damaged entry of a list of objects is dropped, the
// following entries are read); without such an array it stops.

export type JsonScalar = number | string | boolean | null;

export interface JsonHandler {
  startObject(line: number): void;
  endObject(line: number): void;
  startArray(line: number): void;
  endArray(line: number): void;
  /** An object key; the next event is its value. */
  key(name: string, line: number): void;
  value(v: JsonScalar, line: number): void;
  /**
   * After an error the parser resumes at a line starting with `{`, as a new element of
   * the array open at `depth` (the containers below it were abandoned).
   */
  resync?(depth: number, line: number): void;
}

export interface JsonError {
  line: number;
  column: number;
  message: string;
}

const enum Want {
  /** A value (document start, after `:` or `,` in an array, or array start). */
  VALUE,
  /** A value or `]` (just after `[`). */
  VALUE_OR_CLOSE,
  /** A key or `}` (just after `{`). */
  KEY_OR_CLOSE,
  /** A key (after `,` in an object). */
  KEY,
  COLON,
  /** `,` or the container's close. */
  COMMA_OR_CLOSE,
  /** The document is complete; only whitespace may follow. */
  DONE,
}

/** Longest string value kept (longer ones are cut; keys and paths are short). */
const MAX_STRING = 4096;

export class JsonEvents {
  private want = Want.VALUE;
  /** Open containers: 123 `{` or 91 `[`. */
  private readonly stack: number[] = [];
  private failed = false;
  /** After an error: the stack depth of the array to resume in (-1: stop). */
  private resumeDepth = -1;
  readonly errors: JsonError[] = [];

  constructor(private readonly h: JsonHandler) {}

  /** True once a complete document was read. */
  get done(): boolean {
    return this.want === Want.DONE;
  }

  get depth(): number {
    return this.stack.length;
  }

  /** Feeds one line (without its line end). */
  line(text: string, start: number, end: number, no: number): void {
    let i = start;
    if (this.failed) {
      if (this.resumeDepth < 0) return;
      // Resume at a line starting with `{`: the next element of the array we were in.
      while (i < end && isSpace(text.charCodeAt(i))) i++;
      if (text.charCodeAt(i) !== 123) return;
      this.stack.length = this.resumeDepth;
      this.want = Want.VALUE;
      this.failed = false;
      this.h.resync?.(this.resumeDepth, no);
    }
    const h = this.h;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (isSpace(c)) {
        i++;
        continue;
      }
      switch (this.want) {
        case Want.DONE:
          return this.fail(no, i - start, 'text after the end of the document');
        case Want.COLON:
          if (c !== 58) return this.fail(no, i - start, 'expected ":"');
          this.want = Want.VALUE;
          i++;
          continue;
        case Want.COMMA_OR_CLOSE:
          if (c === 44) {
            this.want = this.top() === 123 ? Want.KEY : Want.VALUE;
            i++;
            continue;
          }
          if (c === 125 || c === 93) {
            if (!this.close(c, no)) return this.fail(no, i - start, `unexpected "${String.fromCharCode(c)}"`);
            i++;
            continue;
          }
          return this.fail(no, i - start, 'expected "," or a closing bracket');
        case Want.KEY:
        case Want.KEY_OR_CLOSE: {
          if (c === 125 && this.want === Want.KEY_OR_CLOSE) {
            this.close(c, no);
            i++;
            continue;
          }
          if (c !== 34) return this.fail(no, i - start, 'expected a key in quotes');
          const s = this.string(text, i, end);
          if (s === undefined) return this.fail(no, i - start, 'unterminated string');
          h.key(this.str, no);
          this.want = Want.COLON;
          i = s;
          continue;
        }
        case Want.VALUE:
        case Want.VALUE_OR_CLOSE: {
          if (c === 93 && this.want === Want.VALUE_OR_CLOSE) {
            this.close(c, no);
            i++;
            continue;
          }
          if (c === 123) {
            this.stack.push(123);
            h.startObject(no);
            this.want = Want.KEY_OR_CLOSE;
            i++;
            continue;
          }
          if (c === 91) {
            this.stack.push(91);
            h.startArray(no);
            this.want = Want.VALUE_OR_CLOSE;
            i++;
            continue;
          }
          if (c === 34) {
            const s = this.string(text, i, end);
            if (s === undefined) return this.fail(no, i - start, 'unterminated string');
            h.value(this.str, no);
            i = s;
          } else {
            const e = scalarEnd(text, i, end);
            const v = scalar(text.slice(i, e));
            if (v === undefined) return this.fail(no, i - start, `unexpected "${text.slice(i, Math.min(e, i + 20)) || text[i]}"`);
            h.value(v, no);
            i = e;
          }
          this.afterValue();
          continue;
        }
      }
    }
  }

  /** Declares the end of input; an unfinished document is reported (the caller decides its kind). */
  end(no: number): JsonError | undefined {
    if (this.want === Want.DONE || (this.failed && this.resumeDepth < 0)) return undefined;
    if (this.failed) return undefined;
    if (this.stack.length === 0 && this.want === Want.VALUE) return { line: no, column: 0, message: 'empty document' };
    return { line: no, column: 0, message: `the document ends inside ${this.stack.length} open bracket${this.stack.length === 1 ? '' : 's'}` };
  }

  private str = '';

  /** Reads the string at `i` (a `"`) into `this.str`; returns the index after it, or undefined. */
  private string(text: string, i: number, end: number): number | undefined {
    let j = i + 1;
    let out = '';
    for (;;) {
      let k = j;
      while (k < end) {
        const c = text.charCodeAt(k);
        if (c === 34 || c === 92) break;
        k++;
      }
      if (k >= end) return undefined;
      if (out.length < MAX_STRING) out += text.slice(j, k);
      if (text.charCodeAt(k) === 34) {
        this.str = out.length > MAX_STRING ? out.slice(0, MAX_STRING) : out;
        return k + 1;
      }
      // Escape.
      const e = text.charCodeAt(k + 1);
      if (k + 1 >= end) return undefined;
      if (e === 117 /* u */) {
        const hex = text.slice(k + 2, k + 6);
        const code = /^[0-9a-fA-F]{4}$/.test(hex) ? parseInt(hex, 16) : 0xfffd;
        if (out.length < MAX_STRING) out += String.fromCharCode(code);
        j = k + 6;
      } else {
        if (out.length < MAX_STRING) out += ESCAPES[e] ?? String.fromCharCode(e);
        j = k + 2;
      }
    }
  }

  private top(): number {
    return this.stack[this.stack.length - 1] ?? 0;
  }

  private close(c: number, no: number): boolean {
    const open = this.top();
    if ((c === 125 && open !== 123) || (c === 93 && open !== 91)) return false;
    this.stack.pop();
    if (c === 125) this.h.endObject(no);
    else this.h.endArray(no);
    this.afterValue();
    return true;
  }

  private afterValue(): void {
    this.want = this.stack.length === 0 ? Want.DONE : Want.COMMA_OR_CLOSE;
  }

  private fail(line: number, column: number, message: string): void {
    this.errors.push({ line, column: column + 1, message });
    this.failed = true;
    // Resume in the innermost open array, if any.
    this.resumeDepth = -1;
    for (let d = this.stack.length - 1; d >= 0; d--)
      if (this.stack[d] === 91) {
        this.resumeDepth = d + 1;
        break;
      }
  }
}

const ESCAPES: Record<number, string> = { 34: '"', 92: '\\', 47: '/', 98: '\b', 102: '\f', 110: '\n', 114: '\r', 116: '\t' };

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 0xfeff;
}

/** End of a bare scalar (number or literal) starting at `i`. */
function scalarEnd(text: string, i: number, end: number): number {
  let j = i;
  while (j < end) {
    const c = text.charCodeAt(j);
    if (c === 44 || c === 125 || c === 93 || c === 58 || isSpace(c)) break;
    j++;
  }
  return j === i ? i + 1 : j;
}

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?$/;

/** A JSON number or literal, Python's NaN/Infinity included; undefined when invalid. */
function scalar(s: string): JsonScalar | undefined {
  switch (s) {
    case 'true':
      return true;
    case 'false':
      return false;
    case 'null':
      return null;
    case 'NaN':
      return NaN;
    case 'Infinity':
      return Infinity;
    case '-Infinity':
      return -Infinity;
  }
  return NUMBER.test(s) ? Number(s) : undefined;
}

/** A plain object built from events, for one JSON value on one line (JSON Lines). */
export type JsonValue = JsonScalar | JsonValue[] | { [key: string]: JsonValue };

/** Parses one line as a JSON value, accepting NaN/Infinity; throws nothing. */
export function parseLineTolerant(text: string): { value?: JsonValue; error?: JsonError } {
  const stack: (JsonValue[] | Record<string, JsonValue>)[] = [];
  let root: JsonValue | undefined;
  let key: string | undefined;
  const put = (v: JsonValue): void => {
    const top = stack[stack.length - 1];
    if (!top) root = v;
    else if (Array.isArray(top)) top.push(v);
    else if (key !== undefined) {
      top[key] = v;
      key = undefined;
    }
  };
  const h: JsonHandler = {
    startObject() {
      const o: Record<string, JsonValue> = {};
      put(o);
      stack.push(o);
    },
    startArray() {
      const a: JsonValue[] = [];
      put(a);
      stack.push(a);
    },
    endObject() {
      stack.pop();
    },
    endArray() {
      stack.pop();
    },
    key(name) {
      key = name;
    },
    value(v) {
      put(v);
    },
  };
  const p = new JsonEvents(h);
  p.line(text, 0, text.length, 1);
  if (p.errors.length) return { error: p.errors[0]! };
  const e = p.end(1);
  if (e) return { error: e };
  return { value: root };
}
