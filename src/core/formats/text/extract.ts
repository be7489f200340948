// The general extractor: finds `key value` pairs and a step counter in one log line.
//
// A line is cut into segments at `|`, ` - `, `,`, tabs and runs of spaces; each segment
// may hold `key: value`, `key=value` or `key value` pairs (keys may be two or three
// words: `lm loss`, `learning rate`). Numbers are read as printed, including `nan`,
// `inf`, `-inf`, `1.5E-04`. Step counters (`step`, `iter`, `iteration`, `global_step`,
// `it`, `s`) give the step; `N/M` after a counter gives the total too.

export interface Extracted {
  step?: number;
  /** `M` of a `step N/M` counter. */
  total?: number;
  epoch?: number;
  pairs: [key: string, value: number][];
}

const NUM = String.raw`[-+]?(?:\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|nan|inf(?:inity)?)(?![\w.])`;
const PAIR = new RegExp(
  String.raw`([A-Za-z_][A-Za-z0-9_./@\-]*(?: [A-Za-z_][A-Za-z0-9_]*){0,2})\s*(?:[:=]\s*|\s+)(${NUM})(?:\s*/\s*(\d+))?`,
  'gi',
);

const STEP_KEYS = new Set(['step', 'steps', 'iter', 'iters', 'iteration', 'iterations', 'global_step', 'globalstep', 'it', 's', 'global step']);
const EPOCH_KEYS = new Set(['epoch', 'epochs', 'ep']);

/** Parses a number as printed by Python, C or JavaScript; NaN for unreadable input. */
export function parseNumber(text: string): number {
  const t = text.trim().toLowerCase();
  if (t === 'nan' || t === '+nan' || t === '-nan') return NaN;
  if (t === 'inf' || t === '+inf' || t === 'infinity' || t === '+infinity') return Infinity;
  if (t === '-inf' || t === '-infinity') return -Infinity;
  return Number(t);
}

export function extractLine(line: string): Extracted | undefined {
  // Progress bars redraw with `\r`: only the last drawing counts.
  const cr = line.lastIndexOf('\r');
  if (cr >= 0) line = line.slice(cr + 1);
  const out: Extracted = { pairs: [] };
  for (const seg of line.split(/\s*\|\s*|\s+-\s+|,\s*|\t+|\s{2,}/)) {
    if (!seg) continue;
    PAIR.lastIndex = 0;
    for (let m = PAIR.exec(seg); m; m = PAIR.exec(seg)) {
      const words = m[1]!.trim().split(' ');
      // `epoch 3 loss 0.4` reads as two pairs; keep only the word next to the number.
      const key = words.length > 1 && !isKnownMultiword(words) ? words[words.length - 1]! : words.join(' ');
      const value = parseNumber(m[2]!);
      const lk = key.toLowerCase();
      if (STEP_KEYS.has(lk) && Number.isFinite(value)) {
        out.step = value;
        if (m[3] !== undefined) out.total = Number(m[3]);
      } else if (EPOCH_KEYS.has(lk) && Number.isFinite(value)) {
        out.epoch = value;
      } else out.pairs.push([key, value]);
    }
  }
  return out.pairs.length > 0 ? out : undefined;
}

const MULTIWORD = /^(lm loss|learning rate|train loss|val loss|valid loss|eval loss|test loss|global step|grad norm|loss scale)$/i;

function isKnownMultiword(words: string[]): boolean {
  return MULTIWORD.test(words.join(' '));
}
