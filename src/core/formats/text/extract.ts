// The general extractor: a tokenized log line → its metric pairs, counters and phase.
//
// Pairs are `key: value`, `key=value`, `key value`, `'key': value` (Python dicts),
// `key: [value]` (a one-element list, e.g. a scheduler's `get_last_lr()`) and
// `key: tensor(value, …)`. A key is the run of words before the value, up to the
// previous value or separator (`train Loss: 1.6 Top-1 Acc: 37.9` has keys `train Loss`
// and `Top-1 Acc`); with a glued `=` (`step=1`) only the word before it. A trailing
// `(…)` after a value (torchvision's `loss: 6.94 (7.01)` global average) is skipped.
// Values glued to a unit (`211.3ms`, `step_avg:nanms`) are never metrics, and a key
// never ends with a function word (`number of nan iterations: 0` is prose with a count).
// A value is the first number after its key: the first counter of each kind wins.
//
// Counters: `step`, `iter`, `iteration`, `global_step`, `num_updates`, `it` (and `s`
// first in the line, llm.c's `s:10`) give a step; `epoch` an epoch; `batch` a batch;
// each may be `N/M` (`step 10/5000`, `Epoch 3/20`, `iteration 100/ 1000`) or
// bracketed (`Step [10/50]`, `Epoch: [0]`, `Epoch(train) [3]`). Bracketed or bare
// counters without a key (`[100/500]`, Keras' leading `50/50`, tqdm's `450/1000`) are
// kept in order for the reader to interpret.
//
// Phase: a segment that is only a phase word (`| valid |`, `Test:`), `Epoch(val)`, or
// a first key starting with one (`test Loss: …`) marks the line as validation or test.
import { MAX_TOKENS, Tok, type Tokens } from './tokens';

export const enum Phase {
  NONE = 0,
  TRAIN = 1,
  VAL = 2,
  TEST = 3,
}

/** At most this many pairs and bare counters are kept per line. */
export const MAX_PAIRS = 256;
const MAX_BARE = 8;
const MAX_KEY_WORDS = 4;
const MAX_KEY_CHARS = 80;

/** What one line says. Reused for every line: read it before the next `extract`. */
export class LineFacts {
  n = 0;
  readonly keys: string[] = [];
  readonly values = new Float64Array(MAX_PAIRS);
  /** Token index where each key starts. */
  readonly keyTok = new Int32Array(MAX_PAIRS);
  /** Token index of each pair's value (a FRAC value is the ratio num/den). */
  readonly valTok = new Int32Array(MAX_PAIRS);
  step = NaN;
  stepTotal = NaN;
  epoch = NaN;
  epochTotal = NaN;
  batch = NaN;
  batchTotal = NaN;
  /** Keyless bracketed or bare counters, in order (`den` NaN when there is no `/M`). */
  bareN = 0;
  readonly bareNum = new Float64Array(MAX_BARE);
  readonly bareDen = new Float64Array(MAX_BARE);
  readonly bareTok = new Int32Array(MAX_BARE);
  /** True when the bare counter was in brackets. */
  readonly bareBracket = new Uint8Array(MAX_BARE);
  phase = Phase.NONE;
  /** Token index of the counter key that set `step` / `epoch` (-1 when none), and of its value. */
  stepTok = -1;
  epochTok = -1;
  stepValTok = -1;
  epochValTok = -1;
  batchValTok = -1;
  /** Words not part of any key that got a value (prose). */
  looseWords = 0;

  reset(): void {
    this.n = 0;
    this.step = this.stepTotal = this.epoch = this.epochTotal = this.batch = this.batchTotal = NaN;
    this.bareN = 0;
    this.phase = Phase.NONE;
    this.stepTok = this.epochTok = this.stepValTok = this.epochValTok = this.batchValTok = -1;
    this.looseWords = 0;
  }

  add(key: string, value: number, tok: number, valTok: number): void {
    if (this.n >= MAX_PAIRS) return;
    this.keys[this.n] = key;
    this.keyTok[this.n] = tok;
    this.valTok[this.n] = valTok;
    this.values[this.n++] = value;
  }

  /** Removes pair i (keeps order). */
  remove(i: number): void {
    for (let k = i + 1; k < this.n; k++) {
      this.keys[k - 1] = this.keys[k]!;
      this.values[k - 1] = this.values[k]!;
      this.keyTok[k - 1] = this.keyTok[k]!;
      this.valTok[k - 1] = this.valTok[k]!;
    }
    this.n--;
  }

  /** The index of the pair with this key, or -1. */
  indexOf(key: string): number {
    for (let i = 0; i < this.n; i++) if (this.keys[i] === key) return i;
    return -1;
  }
}

const enum Counter {
  NONE = 0,
  STEP = 1,
  EPOCH = 2,
  BATCH = 3,
}

const COUNTERS = new Map<string, Counter>([
  ['step', Counter.STEP],
  ['steps', Counter.STEP],
  ['global_step', Counter.STEP],
  ['globalstep', Counter.STEP],
  ['global step', Counter.STEP],
  ['iter', Counter.STEP],
  ['iters', Counter.STEP],
  ['iteration', Counter.STEP],
  ['iterations', Counter.STEP],
  ['it', Counter.STEP],
  ['num_updates', Counter.STEP],
  ['epoch', Counter.EPOCH],
  ['epochs', Counter.EPOCH],
  ['ep', Counter.EPOCH],
  ['batch', Counter.BATCH],
]);

const PHASES = new Map<string, Phase>([
  ['train', Phase.TRAIN],
  ['training', Phase.TRAIN],
  ['train_inner', Phase.TRAIN],
  ['val', Phase.VAL],
  ['valid', Phase.VAL],
  ['validation', Phase.VAL],
  ['validating', Phase.VAL],
  ['eval', Phase.VAL],
  ['evaluation', Phase.VAL],
  ['evaluating', Phase.VAL],
  ['dev', Phase.VAL],
  ['test', Phase.TEST],
  ['testing', Phase.TEST],
]);

const LOG_LEVELS = ['info', 'debug', 'warning', 'warn', 'error', 'critical', 'trace', 'notice', 'fatal'];

/** A word the extractor knows, found by the lower-case hash of a token without allocating. */
interface Keyword {
  word: string;
  counter?: Counter;
  phase?: Phase;
  level?: true;
  /** A function word: a key never ends with one (`number of nan iterations` is prose). */
  stop?: true;
}

const KEYWORDS = new Map<number, Keyword>();
/**
 * For each lower-case two-letter prefix (`c0 * 128 + c1`), a bit per keyword length
 * (1..15): most words are rejected by this table before any hashing.
 */
const KW_PREFIX = new Uint16Array(128 * 128);
function keyword(w: string): Keyword {
  let h = 0x811c9dc5;
  for (let k = 0; k < w.length; k++) h = Math.imul(h ^ w.charCodeAt(k), 16777619);
  let kw = KEYWORDS.get(h);
  if (!kw) {
    kw = { word: w };
    KEYWORDS.set(h, kw);
    const c1 = w.length > 1 ? w.charCodeAt(1) : 0;
    KW_PREFIX[w.charCodeAt(0) * 128 + c1]! |= 1 << w.length;
  }
  return kw;
}
for (const [w, c] of COUNTERS) if (!w.includes(' ')) keyword(w).counter = c;
for (const [w, p] of PHASES) keyword(w).phase = p;
for (const w of LOG_LEVELS) keyword(w).level = true;
for (const w of ['of', 'at', 'in', 'on', 'for', 'to', 'the', 'a', 'an', 'with', 'per', 'by', 'from', 'is', 'are', 'was', 'were', 'and', 'or', 'than', 'after', 'before'])
  keyword(w).stop = true;

/** Per-token memo of `kwOf` for the current line (valid when `kwGen[i] === gen`). */
const kwGen = new Uint32Array(MAX_TOKENS);
const kwMemo: (Keyword | undefined)[] = new Array<Keyword | undefined>(MAX_TOKENS);
let gen = 0;

/** The keyword token i spells (ASCII case-insensitive), if any. */
function kwOf(t: Tokens, i: number): Keyword | undefined {
  if (kwGen[i] === gen) return kwMemo[i];
  kwGen[i] = gen;
  let kw: Keyword | undefined;
  const s = t.start[i]!;
  const len = t.end[i]! - s;
  let c0 = t.text.charCodeAt(s);
  let c1 = len > 1 ? t.text.charCodeAt(s + 1) : 0;
  if (c0 >= 65 && c0 <= 90) c0 |= 32;
  if (c1 >= 65 && c1 <= 90) c1 |= 32;
  if (len < 16 && c0 < 128 && c1 < 128 && KW_PREFIX[c0 * 128 + c1]! & (1 << len)) {
    kw = KEYWORDS.get(t.lowerHash(i));
    if (kw !== undefined && !t.equalsLower(i, kw.word)) kw = undefined;
  }
  kwMemo[i] = kw;
  return kw;
}

// Extractor state for the line being read (module-level: no closures per line).
let keyFirst = -1;
let keyLast = -1;
let keyWords = 0;
/** A `:` or `=` followed the key. */
let assigned = false;
/** First token of the current segment (between separators) and whether it holds only words. */
let segStart = 0;
let segWordsOnly = true;
let afterValue = false;
let firstKey = true;

function endKey(f: LineFacts): void {
  if (keyFirst >= 0) f.looseWords += keyWords;
  keyFirst = keyLast = -1;
  keyWords = 0;
  assigned = false;
}

function boundary(t: Tokens, f: LineFacts, i: number): void {
  // A segment of words only that starts with a phase word: `| valid |`, `Test:`.
  if (segWordsOnly && i > segStart && f.phase === Phase.NONE && t.kind[segStart] === Tok.WORD) {
    const p = kwOf(t, segStart)?.phase;
    if (p !== undefined) f.phase = p;
  }
  endKey(f);
  afterValue = false;
  segStart = i + 1;
  segWordsOnly = true;
}

/** The current key's value is token `v` (NUM, PCT or FRAC). */
function pair(t: Tokens, f: LineFacts, v: number): void {
  value(t, f, keyFirst, keyLast, v, firstKey);
  firstKey = false;
  endKey(f);
}

/** Extracts pairs, counters and phase from the scanned line. */
export function extract(t: Tokens, f: LineFacts): void {
  f.reset();
  gen = (gen + 1) >>> 0;
  if (gen === 0) {
    kwGen.fill(0);
    gen = 1;
  }
  const n = t.n;
  const kind = t.kind;
  keyFirst = keyLast = -1;
  keyWords = 0;
  assigned = false;
  segStart = 0;
  segWordsOnly = true;
  afterValue = false;
  firstKey = true;

  for (let i = 0; i < n; i++) {
    const k = kind[i]! as Tok;
    switch (k) {
      case Tok.WORD:
      case Tok.STRING: {
        if (k === Tok.WORD && keyFirst < 0 && kwOf(t, i)?.level) {
          boundary(t, f, i);
          break;
        }
        // `loss: tensor(2.30, grad_fn=…)`, `np.float64(0.5)`: the number inside.
        if (assigned && k === Tok.WORD && i + 2 < n && kind[i + 1] === Tok.LPAREN && t.space[i + 1] === 0 && kind[i + 2] === Tok.NUM) {
          pair(t, f, i + 2);
          i += 2;
          break;
        }
        // `Epoch(train)`, `Iter(val)`: mmengine's counters with their phase.
        if (k === Tok.WORD && t.text.charCodeAt(t.end[i]! - 1) === 41) {
          const w = t.lower(i);
          const open = w.indexOf('(');
          const head = w.slice(0, open);
          const p = PHASES.get(w.slice(open + 1, -1));
          if (p !== undefined && (head === 'epoch' || head === 'iter' || head === 'iteration')) {
            f.phase = p;
            endKey(f);
            keyFirst = keyLast = i;
            keyWords = 1;
            afterValue = false;
            break;
          }
        }
        if (assigned || keyFirst < 0 || kind[keyLast] === Tok.STRING || k === Tok.STRING) {
          // A word after `key:` with no value means the key was a label (`Warning: …`,
          // `Test set: Average loss: …`, whose first word may name the phase).
          if (keyFirst >= 0) {
            if (assigned && f.phase === Phase.NONE && kind[keyFirst] === Tok.WORD) {
              const p = kwOf(t, keyFirst)?.phase;
              if (p !== undefined) f.phase = p;
            }
            endKey(f);
          }
          keyFirst = i;
          keyWords = 0;
        }
        keyLast = i;
        keyWords++;
        if (keyWords > MAX_KEY_WORDS) {
          // Keep the last words only: prose before a `key value` pair.
          let j = keyFirst + 1;
          while (j < i && kind[j] !== Tok.WORD) j++;
          keyFirst = j;
          keyWords--;
          f.looseWords++;
        }
        afterValue = false;
        break;
      }
      case Tok.COLON:
      case Tok.EQ:
        if (keyFirst >= 0) {
          assigned = true;
          // `INFO step=1`: a glued `=` binds the one word before it.
          if (k === Tok.EQ && t.space[i] === 0) keyFirst = keyLast;
        }
        afterValue = false;
        segWordsOnly = false;
        break;
      case Tok.NUM:
      case Tok.PCT:
        segWordsOnly = false;
        if (keyFirst >= 0) {
          if (!assigned && kind[keyLast] === Tok.WORD && kwOf(t, keyLast)?.stop) {
            // `number of nan iterations`, `loss is nan`: prose, not a pair. A spelled-out
            // non-finite word stays part of the words; a number ends them.
            if (t.num[i] !== t.num[i] || !Number.isFinite(t.num[i]!)) {
              keyLast = i;
              keyWords++;
            } else endKey(f);
            break;
          }
          pair(t, f, i);
          afterValue = true;
        }
        break;
      case Tok.FRAC:
        segWordsOnly = false;
        if (keyFirst >= 0) {
          pair(t, f, i);
          afterValue = true;
        } else bare(f, t.num[i]!, t.den[i]!, i, false);
        break;
      case Tok.LBRACK: {
        // `[N]`, `[N/M]`, `[N, M, …]`.
        const j = i + 1;
        const vk = kind[j];
        if (j < n && (vk === Tok.NUM || vk === Tok.FRAC)) {
          let close = j + 1;
          if (kind[close] === Tok.SEP && t.text.charCodeAt(t.start[close]!) === 44) {
            // A list: read its first element.
            while (close < n && (kind[close] === Tok.SEP || kind[close] === Tok.NUM)) close++;
          }
          if (close < n && kind[close] === Tok.RBRACK) {
            if (keyFirst >= 0) pair(t, f, j);
            else bare(f, t.num[j]!, vk === Tok.FRAC ? t.den[j]! : NaN, j, true);
            i = close;
            afterValue = false;
            segWordsOnly = false;
            break;
          }
        }
        boundary(t, f, i);
        break;
      }
      case Tok.LPAREN:
        // `loss: 6.94 (7.01)`: skip the annotation after a value.
        if (afterValue && i + 2 < n && (kind[i + 1] === Tok.NUM || kind[i + 1] === Tok.PCT) && kind[i + 2] === Tok.RPAREN) {
          i += 2;
          break;
        }
        boundary(t, f, i);
        break;
      default:
        boundary(t, f, i);
    }
  }
  boundary(t, f, n);
}

function bare(f: LineFacts, num: number, den: number, tok: number, bracket: boolean): void {
  if (f.bareN >= MAX_BARE) return;
  f.bareNum[f.bareN] = num;
  f.bareDen[f.bareN] = den;
  f.bareTok[f.bareN] = tok;
  f.bareBracket[f.bareN++] = bracket ? 1 : 0;
}

/** The key text of tokens [first, last]: a quoted key's inside, or the words joined by one space. */
function keyText(t: Tokens, first: number, last: number, hint: string | undefined): string {
  if (first === last) {
    // Lines of a log repeat their keys in order: the previous line's key at this
    // position is usually the same string.
    if (hint !== undefined && t.textEquals(first, hint)) return hint;
    return t.intern(first);
  }
  let s = t.str(first);
  for (let i = first + 1; i <= last; i++) {
    const k = t.kind[i];
    if (k === Tok.WORD || k === Tok.STRING || k === Tok.NUM) s += (t.space[i] ? ' ' : '') + t.str(i);
  }
  return s;
}

/** The counter a key names: `step`, `Epoch`, `Epoch(train)`, `global step`, `Train Epoch`, llm.c's leading `s`. */
function counterOf(t: Tokens, f: LineFacts, first: number, last: number): Counter | undefined {
  if (first === last) {
    if (t.kind[first] === Tok.STRING) {
      const kw = kwOf(t, first);
      return kw?.counter;
    }
    const kw = kwOf(t, first);
    if (kw?.counter !== undefined) return kw.counter;
    if (first === 0 && t.equalsLower(0, 's')) return Counter.STEP; // llm.c: `s:10 trl:4.1`
    const text = t.text;
    if (text.charCodeAt(t.end[first]! - 1) === 41) {
      // `Epoch(train)`, `Iter(val)`
      const w = t.lower(first);
      return COUNTERS.get(w.slice(0, w.indexOf('(')));
    }
    return undefined;
  }
  if (last - first === 1 && t.equalsLower(first, 'global') && t.equalsLower(last, 'step')) return Counter.STEP;
  // `Train Epoch: 3`, `validation loss at iteration 1000`: a phase word, then the counter.
  const p = kwOf(t, first)?.phase;
  if (p === undefined) return undefined;
  const c = kwOf(t, last)?.counter;
  if (c !== undefined && f.phase === Phase.NONE) f.phase = p;
  return c;
}

function value(t: Tokens, f: LineFacts, first: number, last: number, v: number, firstKey: boolean): void {
  const num = t.num[v]!;
  const den = t.kind[v] === Tok.FRAC ? t.den[v]! : NaN;
  if (t.end[last]! - t.start[first]! > MAX_KEY_CHARS) {
    f.looseWords++;
    return;
  }
  const c = counterOf(t, f, first, last);
  if (c !== undefined) {
    // The first counter of each kind on the line wins.
    switch (c) {
      case Counter.STEP:
        if (f.stepTok >= 0) break;
        f.step = num;
        f.stepTotal = den;
        f.stepTok = first;
        f.stepValTok = v;
        break;
      case Counter.EPOCH:
        if (f.epochTok >= 0) break;
        f.epoch = num;
        f.epochTotal = den;
        f.epochTok = first;
        f.epochValTok = v;
        break;
      case Counter.BATCH:
        if (f.batch === f.batch) break;
        f.batch = num;
        f.batchTotal = den;
        f.batchValTok = v;
        break;
    }
    return;
  }
  const p = kwOf(t, first)?.phase;
  if (first === last && p !== undefined) {
    // A phase word alone as a key (`Test: [0/100]`) is a label, not a metric.
    if (f.phase === Phase.NONE) f.phase = p;
    if (den === den) bare(f, num, den, v, true);
    return;
  }
  // `test Loss: 1.37 Top-1 Acc: 49.6`: the first key's phase word covers the line.
  if (firstKey && first !== last && f.phase === Phase.NONE && p !== undefined) f.phase = p;
  // `Accuracy: 9679/10000` is a ratio.
  f.add(keyText(t, first, last, f.keys[f.n]), den === den ? (den === 0 ? NaN : num / den) : num, first, v);
}
