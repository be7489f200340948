// The contract between the fuzz runner and its targets, and small helpers for drawing cases.

/** A uniform random number in [0, 1), from a seeded generator. */
export type Rand = () => number;

/**
 * A fuzz target: a property checked on random cases. `run` draws one case from `rand`
 * (so a seed reproduces it) and returns a description of the violation, or undefined
 * when the property held. Throwing is a failure too.
 */
export interface FuzzTarget {
  /** Stable name for `--target` (e.g. `tfevents/bit-flip`). */
  name: string;
  /** One line: what is drawn and what must hold. */
  description: string;
  /** Relative share of the random cases (default 1). */
  weight?: number;
  run(rand: Rand): string | undefined;
}

/**
 * A sweep: an exhaustive, deterministic enumeration of cases (e.g. every cut of every
 * real file). `cases` yields checks; each returns a violation or undefined.
 */
export interface FuzzSweep {
  name: string;
  description: string;
  cases(): Iterable<() => string | undefined>;
}

/** An integer in [lo, hi]. */
export function int(rand: Rand, lo: number, hi: number): number {
  return lo + Math.floor(rand() * (hi - lo + 1));
}

/** An integer in [0, max], biased towards small values (half the draws below ~max/16). */
export function small(rand: Rand, max: number): number {
  const r = rand();
  return Math.floor(r * r * r * r * (max + 1));
}

export function pick<T>(rand: Rand, xs: readonly T[]): T {
  return xs[Math.floor(rand() * xs.length)]!;
}

export function randomBytes(rand: Rand, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(rand() * 256);
  return out;
}

/** Random chunk sizes for pushing bytes: tiny, record-sized or large. */
export function chunkSizes(rand: Rand): number[] {
  const max = pick(rand, [1, 4, 13, 64, 512, 4096, 1 << 16]);
  return Array.from({ length: int(rand, 1, 8) }, () => int(rand, 0, max));
}

/** 1-8 random edits: bit flips, overwrites, insertions, deletions, duplications, a cut. */
export function mutate(rand: Rand, bytes: Uint8Array): Uint8Array {
  let b: Uint8Array = bytes.slice();
  const edits = int(rand, 1, 8);
  for (let e = 0; e < edits; e++) {
    const at = int(rand, 0, b.length);
    switch (int(rand, 0, 6)) {
      case 0:
        if (at < b.length) b[at]! ^= 1 << int(rand, 0, 7);
        break;
      case 1:
        if (at < b.length) b[at] = pick(rand, [0, 0xff, 0x7f, 0x80, int(rand, 0, 255)]);
        break;
      case 2:
        b = splice(b, at, 0, randomBytes(rand, small(rand, 64)));
        break;
      case 3:
        b = splice(b, at, small(rand, 64), new Uint8Array(0));
        break;
      case 4: {
        const from = int(rand, 0, b.length);
        b = splice(b, at, 0, b.slice(from, from + small(rand, 256)));
        break;
      }
      case 5:
        b = b.slice(0, at);
        break;
      default:
        // A plausible varint or length in place: the bytes parsers decide on.
        if (at + 1 < b.length) {
          b[at] = pick(rand, [0x08, 0x0a, 0x12, 0x15, 0x2a, 0x42, 0x4a]);
          b[at + 1] = pick(rand, [0, 1, 0x7f, 0x80, 0xff]);
        }
    }
  }
  return b;
}

function splice(b: Uint8Array, at: number, remove: number, insert: Uint8Array): Uint8Array {
  const end = Math.min(b.length, at + remove);
  const out = new Uint8Array(b.length - (end - at) + insert.length);
  out.set(b.subarray(0, at));
  out.set(insert, at);
  out.set(b.subarray(end), at + insert.length);
  return out;
}
