// A cache of recent line shapes: a log line that differs from a recent one only in its
// numbers is read by comparing its text and scanning just those numbers.
//
// A shape is a line that went through the full scanner and extractor: its text with
// every number-like token (numbers, fractions, units, clocks and dates) as a hole, its
// tokens, and what the extractor found (keys, counters, phase) with the token each value
// came from. A new line matches when the text between the holes is identical and each
// hole starts with a like character (a digit for a digit, else the same one) and scans,
// with the scanner's own code, to a token of the same kind ending where the next literal
// text begins. The scanner decides a token from its own characters and
// what follows it, so an identical context gives identical tokens; the extractor decides
// from token kinds and words only, so the facts are the shape's facts with the new
// numbers. One exception is handled by refusing it: a non-finite number (`nan`) after a
// function word is read as prose, so shapes are only learnt and matched with finite
// numbers. Whatever does not match goes through the full path.
import { MAX_PAIRS, type LineFacts } from './extract';
import { Tok, type Tokens } from './tokens';

/** Shapes kept, most recently used first. */
const MAX_SHAPES = 4;
/** Lines longer than this, or with more tokens, are not cached. */
const MAX_SHAPE_CHARS = 1024;
const MAX_SHAPE_TOKENS = 160;

interface Shape {
  /** The line's text (a copy, so that no chunk is retained). */
  text: string;
  n: number;
  kind: Uint8Array;
  /** Token offsets relative to the line start. */
  start: Int32Array;
  end: Int32Array;
  space: Uint8Array;
  /** Indices of the number-like tokens, in order. */
  holes: number[];
  /** The text before each hole, and after the last one (`holes.length + 1` pieces). */
  literals: string[];
  /** Each hole's first character (48 for any digit): a new line's must be alike. */
  firsts: number[];
  /** `Tokens.stamp` after this shape last filled the tokens (kinds and spacing still in place). */
  stamp: number;
  // What the extractor found.
  keys: string[];
  keyTok: Int32Array;
  valTok: Int32Array;
  stepTok: number;
  epochTok: number;
  stepValTok: number;
  epochValTok: number;
  batchValTok: number;
  bareTok: Int32Array;
  bareBracket: Uint8Array;
  bareN: number;
  phase: LineFacts['phase'];
  looseWords: number;
}

/** A digit stands for every digit; any other character for itself. */
const firstClass = (c: number): number => (c >= 48 && c <= 57 ? 48 : c);

const isHole = (k: Tok): boolean => k === Tok.NUM || k === Tok.PCT || k === Tok.FRAC || k === Tok.UNIT || k === Tok.CLOCK;

export class LineShapes {
  private readonly shapes: Shape[] = [];

  /**
   * Reads `text[start, end)` as one of the recent shapes, filling `t` and `f` exactly as
   * the scanner and the extractor would. False (and `t`, `f` unspecified) when no shape fits.
   */
  match(text: string, start: number, end: number, t: Tokens, f: LineFacts): boolean {
    for (let s = 0; s < this.shapes.length; s++) {
      const shape = this.shapes[s]!;
      if (this.fit(shape, text, start, end, t)) {
        fill(shape, t, f);
        if (s > 0) {
          this.shapes.splice(s, 1);
          this.shapes.unshift(shape);
        }
        return true;
      }
    }
    return false;
  }

  /** Remembers the line just scanned and extracted (when it has pairs and finite numbers). */
  learn(text: string, start: number, end: number, t: Tokens, f: LineFacts): void {
    const n = t.n;
    if (f.n === 0 || n > MAX_SHAPE_TOKENS || end - start > MAX_SHAPE_CHARS || t.control > 0) return;
    const holes: number[] = [];
    for (let i = 0; i < n; i++) {
      const k = t.kind[i]! as Tok;
      if (!isHole(k)) continue;
      if ((k === Tok.NUM || k === Tok.PCT) && !Number.isFinite(t.num[i]!)) return;
      holes.push(i);
    }
    if (holes.length === 0) return;
    const literals: string[] = [];
    const firsts: number[] = [];
    let lit = start;
    for (const i of holes) {
      literals.push(text.slice(lit, t.start[i]));
      firsts.push(firstClass(text.charCodeAt(t.start[i]!)));
      lit = t.end[i]!;
    }
    literals.push(text.slice(lit, end));
    const shape: Shape = {
      literals,
      firsts,
      stamp: -1,
      text: text.slice(start, end),
      n,
      kind: t.kind.slice(0, n),
      start: t.start.slice(0, n).map((x) => x - start),
      end: t.end.slice(0, n).map((x) => x - start),
      space: t.space.slice(0, n),
      holes,
      keys: f.keys.slice(0, f.n),
      keyTok: f.keyTok.slice(0, f.n),
      valTok: f.valTok.slice(0, f.n),
      stepTok: f.stepTok,
      epochTok: f.epochTok,
      stepValTok: f.stepValTok,
      epochValTok: f.epochValTok,
      batchValTok: f.batchValTok,
      bareTok: f.bareTok.slice(0, f.bareN),
      bareBracket: f.bareBracket.slice(0, f.bareN),
      bareN: f.bareN,
      phase: f.phase,
      looseWords: f.looseWords,
    };
    this.shapes.unshift(shape);
    if (this.shapes.length > MAX_SHAPES) this.shapes.pop();
  }

  /** Forgets every shape. */
  clear(): void {
    this.shapes.length = 0;
  }

  /** Compares the literal text and scans the holes; on success `t` holds the line's tokens. */
  private fit(shape: Shape, text: string, start: number, end: number, t: Tokens): boolean {
    let pos = start;
    let lit = 0;
    const kind = t.kind;
    const holes = shape.holes;
    t.text = text;
    // Structure first: the scanner looks at the previous token's kind and spacing.
    if (shape.stamp !== t.stamp) {
      kind.set(shape.kind);
      t.space.set(shape.space);
    }
    t.stamp++;
    const literals = shape.literals;
    for (let h = 0; h < holes.length; h++) {
      const i = holes[h]!;
      const piece = literals[h]!;
      const len = piece.length;
      if (pos + len > end || !text.startsWith(piece, pos)) return false;
      // Literal tokens of this stretch move by the same amount.
      const shift = pos - lit;
      for (let j = h === 0 ? 0 : holes[h - 1]! + 1; j < i; j++) {
        t.start[j] = shape.start[j]! + shift;
        t.end[j] = shape.end[j]! + shift;
      }
      pos += len;
      if (pos >= end) return false;
      const c = text.charCodeAt(pos);
      // The character after a literal can change how the literal's last token scans
      // (`=` before `-`, `>` before `.`): only a like one keeps the shape.
      if (firstClass(c) !== shape.firsts[h]) return false;
      const next = t.token(text, pos, end, i, c);
      if (kind[i] !== shape.kind[i]) return false;
      if ((kind[i] === Tok.NUM || kind[i] === Tok.PCT) && !Number.isFinite(t.num[i]!)) return false;
      pos = next;
      lit = shape.end[i]!;
    }
    // The text after the last hole, to the end of the line.
    const tail = literals[holes.length]!;
    if (end - pos !== tail.length || !text.startsWith(tail, pos)) return false;
    const shift = pos - lit;
    for (let j = holes[holes.length - 1]! + 1; j < shape.n; j++) {
      t.start[j] = shape.start[j]! + shift;
      t.end[j] = shape.end[j]! + shift;
    }
    t.seal(shape.n);
    t.control = 0;
    shape.stamp = t.stamp;
    return true;
  }
}

/** The extractor's facts for a matched line: the shape's, with the line's numbers. */
function fill(s: Shape, t: Tokens, f: LineFacts): void {
  f.reset();
  const num = t.num;
  const den = t.den;
  const n = s.keys.length;
  for (let i = 0; i < n && i < MAX_PAIRS; i++) {
    const v = s.valTok[i]!;
    // A FRAC value is a ratio (`Accuracy: 9679/10000`), as the extractor reads it.
    const x = t.kind[v] === Tok.FRAC ? (den[v] === 0 ? NaN : num[v]! / den[v]!) : num[v]!;
    f.add(s.keys[i]!, x, s.keyTok[i]!, v);
  }
  if (s.stepValTok >= 0) {
    f.step = num[s.stepValTok]!;
    f.stepTotal = t.kind[s.stepValTok] === Tok.FRAC ? den[s.stepValTok]! : NaN;
    f.stepTok = s.stepTok;
    f.stepValTok = s.stepValTok;
  }
  if (s.epochValTok >= 0) {
    f.epoch = num[s.epochValTok]!;
    f.epochTotal = t.kind[s.epochValTok] === Tok.FRAC ? den[s.epochValTok]! : NaN;
    f.epochTok = s.epochTok;
    f.epochValTok = s.epochValTok;
  }
  if (s.batchValTok >= 0) {
    f.batch = num[s.batchValTok]!;
    f.batchTotal = t.kind[s.batchValTok] === Tok.FRAC ? den[s.batchValTok]! : NaN;
    f.batchValTok = s.batchValTok;
  }
  for (let b = 0; b < s.bareN; b++) {
    const v = s.bareTok[b]!;
    f.bareNum[b] = num[v]!;
    f.bareDen[b] = t.kind[v] === Tok.FRAC ? den[v]! : NaN;
    f.bareTok[b] = v;
    f.bareBracket[b] = s.bareBracket[b]!;
  }
  f.bareN = s.bareN;
  f.phase = s.phase;
  f.looseWords = s.looseWords;
}

