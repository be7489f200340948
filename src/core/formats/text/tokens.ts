// The scanner: one log line → a flat list of typed tokens, without regular expressions
// and without allocating per token (the token arrays are reused for every line).
//
// Token kinds (what `kind[i]` holds):
// - WORD    an identifier-like run: letters, digits, `_ . / @ -`, starting with a letter
//           or `_` (`train/loss`, `lr-AdamW/pg1`, `Top-1`, `acc@1`); an attached
//           parenthesised word is part of it (`Epoch(train)`, `mAP50(B)`).
// - STRING  a quoted run `'…'` or `"…"`; start/end exclude the quotes.
// - NUM     a number as printed (`1.5E-04`, `-inf`, `nan`); `num` holds its value.
// - PCT     a number followed by `%`; `num` holds the printed value (9.32 for `9.32%`).
// - UNIT    a number glued to a unit (`211.3ms`, `2.61G`, `14.8it/s`, `nanms`) or a
//           dotted version (`1.2.3`): never a metric value.
// - FRAC    `N/M`, with optional spaces around `/` (`10/5000`, `100/  500000`); `num`
//           is N, `den` is M.
// - CLOCK   times, durations and dates (`0:01:35`, `14:54:19,086`, `2026-11-23`,
//           `01/20 17:35:21`, `2023/01/01`): skipped by every reader of tokens.
// - SEP     `|`, `,`, `;`, a ` - ` between spaces, a tab-free run of bar characters
//           (`-----`, `=====>....`), or a run of non-ASCII symbols (`█████▌`).
// - COLON `:`, EQ `=`, LBRACK `[`, RBRACK `]`, LPAREN `(`, RPAREN `)`, LBRACE `{`,
//   RBRACE `}`, OTHER (any other symbol).
// ANSI colour escapes (`ESC [ … m`) and control characters are skipped like spaces.
// `space[i]` is 1 when whitespace precedes token i.

import { nonFiniteWord } from './numbers';

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

export const enum Tok {
  WORD = 1,
  STRING,
  NUM,
  PCT,
  UNIT,
  FRAC,
  CLOCK,
  SEP,
  COLON,
  EQ,
  LBRACK,
  RBRACK,
  LPAREN,
  RPAREN,
  LBRACE,
  RBRACE,
  OTHER,
}

/** At most this many tokens are read per line; the rest of the line is ignored. */
export const MAX_TOKENS = 1024;

/** Character classes for ASCII, looked up by char code. */
const WORD_START = 1;
const WORD_PART = 2;
const DIGIT = 4;
const BAR = 8;
const CLS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z_]/.test(ch)) CLS[c]! |= WORD_START | WORD_PART;
  if (/[0-9]/.test(ch)) CLS[c]! |= DIGIT | WORD_PART;
  if (/[./@-]/.test(ch)) CLS[c]! |= WORD_PART;
  if (/[-=>.#*~]/.test(ch)) CLS[c]! |= BAR;
}

export class Tokens {
  readonly kind = new Uint8Array(MAX_TOKENS);
  readonly start = new Int32Array(MAX_TOKENS);
  readonly end = new Int32Array(MAX_TOKENS);
  readonly num = new Float64Array(MAX_TOKENS);
  readonly den = new Float64Array(MAX_TOKENS);
  readonly space = new Uint8Array(MAX_TOKENS);
  /** Number of tokens of the current line. */
  n = 0;
  /** The line the tokens index into. */
  text = '';
  /** Control characters seen (NUL counts twice): binary content, not text. */
  control = 0;
  /** Changes whenever the token arrays are filled anew (see LineShapes). */
  stamp = 0;

  /** The source text of token i (allocates; for keys and tests). */
  str(i: number): string {
    return this.text.slice(this.start[i], this.end[i]);
  }

  /** True when token i is a WORD spelled `w` (ASCII, case-insensitive; `w` lower-case). */
  isWord(i: number, w: string): boolean {
    if (i < 0 || i >= this.n || this.kind[i] !== Tok.WORD) return false;
    return this.equalsLower(i, w);
  }

  /** Lower-case text of token i. */
  lower(i: number): string {
    return this.str(i).toLowerCase();
  }

  /** FNV-1a hash of token i's text, ASCII letters folded to lower case. */
  lowerHash(i: number): number {
    const text = this.text;
    let h = 0x811c9dc5;
    for (let k = this.start[i]!, e = this.end[i]!; k < e; k++) {
      let c = text.charCodeAt(k);
      if (c >= 65 && c <= 90) c |= 32;
      h = Math.imul(h ^ c, 16777619);
    }
    return h;
  }

  /** True when token i's text equals `w` ignoring ASCII case (`w` lower-case). */
  equalsLower(i: number, w: string): boolean {
    const s = this.start[i]!;
    if (this.end[i]! - s !== w.length) return false;
    for (let k = 0; k < w.length; k++) {
      let c = this.text.charCodeAt(s + k);
      if (c >= 65 && c <= 90) c |= 32;
      if (c !== w.charCodeAt(k)) return false;
    }
    return true;
  }

  /** True when token i's text is exactly `w`. */
  textEquals(i: number, w: string): boolean {
    const s = this.start[i]!;
    if (this.end[i]! - s !== w.length) return false;
    const text = this.text;
    for (let k = 0; k < w.length; k++) if (text.charCodeAt(s + k) !== w.charCodeAt(k)) return false;
    return true;
  }

  private readonly interned = new Map<number, string>();

  /**
   * Token i's text as a shared string: the same key on every line is one string (no
   * allocation per line once seen). Falls back to a fresh slice on a hash collision.
   */
  intern(i: number): string {
    const text = this.text;
    const s = this.start[i]!;
    const e = this.end[i]!;
    let h = 0x811c9dc5;
    for (let k = s; k < e; k++) h = Math.imul(h ^ text.charCodeAt(k), 16777619);
    const hit = this.interned.get(h);
    if (hit !== undefined && hit.length === e - s) {
      let k = 0;
      while (k < hit.length && hit.charCodeAt(k) === text.charCodeAt(s + k)) k++;
      if (k === hit.length) return hit;
      return text.slice(s, e);
    }
    const str = text.slice(s, e);
    if (hit === undefined && this.interned.size < 8192) this.interned.set(h, str);
    return str;
  }

  /** Scans `text[start, end)` into tokens. */
  scan(text: string, start: number, end: number): void {
    this.text = text;
    this.stamp++;
    let n = 0;
    let i = start;
    let sp = 1;
    let control = 0;
    while (i < end && n < MAX_TOKENS) {
      const c = text.charCodeAt(i);
      // Whitespace, control characters and ANSI escapes.
      if (c <= 32 || c === 127) {
        if (c === 27 && text.charCodeAt(i + 1) === 91) {
          // ESC [ params letter
          i += 2;
          while (i < end) {
            const d = text.charCodeAt(i++);
            if ((d >= 64 && d <= 126) || d < 32) break;
          }
        } else {
          // NUL and C0 controls other than tab, line ends, backspace (Keras redraws) and ESC.
          if (c === 0) control += 2;
          else if (c < 8 || (c > 13 && c < 32 && c !== 27)) control++;
          i++;
        }
        sp = 1;
        continue;
      }
      this.space[n] = sp;
      sp = 0;
      i = this.token(text, i, end, n, c);
      n++;
    }
    this.seal(n);
    this.control = control >= 2 ? control : 0;
  }

  /**
   * Sets the token count and blanks the kinds of the next few slots, so that looking a
   * token or two past the end (as recognisers do) sees no kind, never a stale one.
   */
  seal(n: number): void {
    this.n = n;
    for (let k = n; k < n + 4 && k < MAX_TOKENS; k++) this.kind[k] = 0;
  }

  /**
   * Scans the one token that starts at `i` (not whitespace; `c` is its first character)
   * into slot `n`, whose `space` flag the caller has set; returns the index after it.
   */
  token(text: string, i: number, end: number, n: number, c: number): number {
    const kind = this.kind;
    const st = this.start;
    const en = this.end;
    const cls = c < 128 ? CLS[c]! : 0;
    st[n] = i;
    if (cls & DIGIT || (c === 46 && isDigit(text.charCodeAt(i + 1)))) return this.number(text, i, end, n);
    if ((c === 45 || c === 43) && this.signed(text, i, end, n)) {
      // `-0.5`, `+1e3`, `-inf`: a sign right before a number, after a space or a separator.
      return this.afterSigned;
    }
    if (cls & WORD_START) {
      let j = i + 1;
      while (j < end) {
        const d = text.charCodeAt(j);
        if (d < 128 && CLS[d]! & WORD_PART) j++;
        else if (d === 40 /* ( */) {
          // `Epoch(train)`, `mAP50(B)`: a closed parenthesis glued to the word.
          const f = text.charCodeAt(j + 1);
          if (!(f < 128 && CLS[f]! & WORD_START)) break;
          let k = j + 1;
          while (k < end && k - j < 24) {
            const e = text.charCodeAt(k);
            if (e < 128 && CLS[e]! & WORD_PART) k++;
            else break;
          }
          if (k > j + 1 && text.charCodeAt(k) === 41) j = k + 1;
          else break;
        } else break;
      }
      // Trailing `.`, `-`, `/` belong to the prose, not the word (`finished.`).
      while (j > i + 1) {
        const d = text.charCodeAt(j - 1);
        if (d === 46 || d === 45 || d === 47) j--;
        else break;
      }
      en[n] = j;
      const nf = j - i === 3 || j - i === 8 ? nonFiniteWord(text, i, j) : undefined;
      if (nf !== undefined) {
        kind[n] = Tok.NUM;
        this.num[n] = nf;
      } else kind[n] = Tok.WORD;
      return j;
    }
    switch (c) {
      case 58: // :
        kind[n] = Tok.COLON;
        break;
      case 61: {
        // = (a run `=====>` is a progress bar; `=-1` is an assignment of -1)
        const d = text.charCodeAt(i + 1);
        if (d === 61 || d === 62) return this.bar(text, i, end, n);
        kind[n] = Tok.EQ;
        break;
      }
      case 124: // |
      case 44: // ,
      case 59: // ;
        kind[n] = Tok.SEP;
        break;
      case 91:
        kind[n] = Tok.LBRACK;
        break;
      case 93:
        kind[n] = Tok.RBRACK;
        break;
      case 40:
        kind[n] = Tok.LPAREN;
        break;
      case 41:
        kind[n] = Tok.RPAREN;
        break;
      case 123:
        kind[n] = Tok.LBRACE;
        break;
      case 125:
        kind[n] = Tok.RBRACE;
        break;
      case 39: // '
      case 34: {
        // "
        const close = text.indexOf(c === 39 ? "'" : '"', i + 1);
        if (close > i && close < end && close - i < 512) {
          kind[n] = Tok.STRING;
          st[n] = i + 1;
          en[n] = close;
          return close + 1;
        }
        kind[n] = Tok.OTHER;
        break;
      }
      default:
        if (c >= 128) {
          // A run of non-ASCII characters (progress-bar blocks, CJK prose) is one separator.
          let j = i + 1;
          while (j < end && text.charCodeAt(j) >= 128) j++;
          kind[n] = Tok.SEP;
          en[n] = j;
          return j;
        }
        if (cls & BAR && isBar(text.charCodeAt(i + 1))) return this.bar(text, i, end, n);
        if (c === 45 && (i + 1 >= end || text.charCodeAt(i + 1) === 32)) {
          kind[n] = Tok.SEP; // ` - ` (Keras, loggers)
          break;
        }
        kind[n] = Tok.OTHER;
    }
    en[n] = i + 1;
    return i + 1;
  }

  private afterSigned = 0;

  /** Scans a signed number at `i` if there is one; sets `afterSigned`. */
  private signed(text: string, i: number, end: number, n: number): boolean {
    if (n > 0 && this.space[n] === 0) {
      // Glued to the previous token: only after `:`, `=`, `(`, `[`, `,`, `|`.
      const k = this.kind[n - 1];
      if (k !== Tok.COLON && k !== Tok.EQ && k !== Tok.LPAREN && k !== Tok.LBRACK && k !== Tok.SEP) return false;
    }
    const d = text.charCodeAt(i + 1);
    if (isDigit(d) || (d === 46 && isDigit(text.charCodeAt(i + 2)))) {
      this.afterSigned = this.number(text, i, end, n);
      return true;
    }
    // -inf, -nan, -Infinity as a whole word.
    let j = i + 1;
    while (j < end && j - i <= 9) {
      const e = text.charCodeAt(j);
      if (e < 128 && CLS[e]! & WORD_PART) j++;
      else break;
    }
    const nf = nonFiniteWord(text, i, j);
    if (nf === undefined) return false;
    this.kind[n] = Tok.NUM;
    this.num[n] = nf;
    this.end[n] = j;
    this.afterSigned = j;
    return true;
  }

  /** Scans a number-like token starting at `i` (a digit, `.digit` or a sign). */
  private number(text: string, i: number, end: number, n: number): number {
    const s = i;
    let j = i;
    const c0 = text.charCodeAt(j);
    if (c0 === 45 || c0 === 43) j++;
    // Mantissa digits are accumulated while scanning (see parseDecimal for the exactness rule).
    let mant = 0;
    let sig = 0;
    let scale = 0;
    let intDigits = 0;
    let c = text.charCodeAt(j);
    while (j < end && c >= 48 && c <= 57) {
      if (sig > 0 || c !== 48) sig++;
      mant = mant * 10 + (c - 48);
      intDigits++;
      c = text.charCodeAt(++j);
    }
    let frac = false;
    if (c === 46 && j < end) {
      const d = text.charCodeAt(j + 1);
      if ((d >= 48 && d <= 57) || !(d < 128 && CLS[d]! & WORD_START)) {
        frac = true;
        c = text.charCodeAt(++j);
        while (j < end && c >= 48 && c <= 57) {
          if (sig > 0 || c !== 48) sig++;
          mant = mant * 10 + (c - 48);
          scale++;
          c = text.charCodeAt(++j);
        }
      }
    }
    // Exponent only when digits follow.
    let exp = 0;
    if ((c | 32) === 101 && j < end) {
      let k = j + 1;
      const sgn = text.charCodeAt(k);
      if (sgn === 45 || sgn === 43) k++;
      let d = text.charCodeAt(k);
      if (k < end && d >= 48 && d <= 57) {
        while (k < end && d >= 48 && d <= 57) {
          if (exp < 1000) exp = exp * 10 + (d - 48);
          d = text.charCodeAt(++k);
        }
        if (sgn === 45) exp = -exp;
        j = k;
      }
    }
    const numEnd = j;
    const next = j < end ? text.charCodeAt(j) : 32;
    if (!frac && c0 !== 45 && c0 !== 43 && (next === 58 || next === 45 || next === 47 || (next === 32 && isSpaceOrSlash(text.charCodeAt(j + 1))))) {
      const r = this.afterInteger(text, s, j, end, n, next, numEnd, intDigits, mant);
      if (r >= 0) return r;
    }
    let v: number;
    const e10 = exp - scale;
    if (sig > 15) v = Number(text.slice(s, numEnd));
    else {
      if (mant === 0) v = 0;
      else if (e10 === 0) v = mant;
      else if (e10 > 0 && e10 <= 22) v = mant * POW10[e10]!;
      else if (e10 < 0 && e10 >= -22) v = mant / POW10[-e10]!;
      else v = Number(text.slice(s, numEnd));
      if (c0 === 45) v = -v;
    }
    this.num[n] = v;
    if (next === 37 /* % */) {
      this.kind[n] = Tok.PCT;
      this.end[n] = j + 1;
      return j + 1;
    }
    if (next < 128 && (CLS[next]! & WORD_START || (next === 46 && isDigit(text.charCodeAt(j + 1))))) {
      // Glued unit or dotted version: 211.3ms, 2.61G, 14.8it/s, 1.2.3.
      let k = j + 1;
      while (k < end) {
        const d = text.charCodeAt(k);
        if ((d < 128 && CLS[d]! & WORD_PART) || d === 37) k++;
        else break;
      }
      this.kind[n] = Tok.UNIT;
      this.end[n] = k;
      return k;
    }
    this.kind[n] = Tok.NUM;
    this.end[n] = numEnd;
    return numEnd;
  }

  /**
   * After an unsigned integer: a clock (`0:01:35`), a date (`2026-11-23`, `2023/01/01`,
   * `01/20 17:35:21`) or a fraction `N/M` (spaces allowed around `/`). Returns the end of
   * that token, or -1 when the integer stands alone.
   */
  private afterInteger(text: string, s: number, j: number, end: number, n: number, next: number, numEnd: number, intDigits: number, mant: number): number {
    if (next === 58 && isDigit(text.charCodeAt(j + 1))) return this.clock(text, j, end, n);
    if (next === 45) return intDigits === 4 && isDigit(text.charCodeAt(j + 1)) ? this.clock(text, j, end, n) : -1;
    let k = j;
    while (k < end && text.charCodeAt(k) === 32) k++;
    if (k >= end || text.charCodeAt(k) !== 47) return -1;
    k++;
    while (k < end && text.charCodeAt(k) === 32) k++;
    if (k >= end || !isDigit(text.charCodeAt(k))) return -1;
    const ds = k;
    let den = 0;
    while (k < end && isDigit(text.charCodeAt(k))) den = den * 10 + (text.charCodeAt(k++) - 48);
    const after = k < end ? text.charCodeAt(k) : 32;
    if (after === 47 && isDigit(text.charCodeAt(k + 1))) return this.clock(text, k, end, n); // 2023/01/01
    if ((after < 128 && CLS[after]! & WORD_START) || after === 46) return -1;
    this.kind[n] = Tok.FRAC;
    this.num[n] = intDigits > 15 ? Number(text.slice(s, numEnd)) : mant;
    this.den[n] = k - ds > 15 ? Number(text.slice(ds, k)) : den;
    this.end[n] = k;
    // `01/20 17:35:21`: month/day before a clock is a date.
    if (after === 32) {
      let q = k;
      while (q < end && text.charCodeAt(q) === 32) q++;
      let r = q;
      while (r < end && isDigit(text.charCodeAt(r))) r++;
      if (r > q && text.charCodeAt(r) === 58 && isDigit(text.charCodeAt(r + 1))) return this.clock(text, r, end, n);
    }
    return k;
  }

  /** A clock, duration or date (its start is already set); continues from `j` over digits and `:-/.,T` between digits. */
  private clock(text: string, j: number, end: number, n: number): number {
    let k = j;
    while (k < end) {
      const d = text.charCodeAt(k);
      if (isDigit(d)) k++;
      else if ((d === 58 || d === 45 || d === 47 || d === 46 || d === 44 || d === 84) && isDigit(text.charCodeAt(k + 1))) k += 2;
      else break;
    }
    this.kind[n] = Tok.CLOCK;
    this.end[n] = k;
    return k;
  }

  /** A run of progress-bar characters: one separator. */
  private bar(text: string, i: number, end: number, n: number): number {
    let j = i + 1;
    while (j < end && isBar(text.charCodeAt(j))) j++;
    this.kind[n] = Tok.SEP;
    this.end[n] = j;
    return j;
  }
}

function isSpaceOrSlash(c: number): boolean {
  return c === 32 || c === 47;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isBar(c: number): boolean {
  return c < 128 && (CLS[c]! & BAR) !== 0;
}
