// Helpers for reader tests: push bytes through a reader in given chunks, find series.
import type { Run } from '../../src/core/model/run';
import type { Series } from '../../src/core/model/series';
import type { RunReader } from '../../src/core/formats/source';
import { MemoryFileSystem } from './memoryFs';

export const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Pushes `bytes` cut at `cuts` (sorted offsets), then ends; returns every run. */
export function readInChunks(reader: RunReader, bytes: Uint8Array, cuts: readonly number[] = []): Run[] {
  let prev = 0;
  for (const c of [...cuts, bytes.length]) {
    if (c > prev) reader.push(bytes.subarray(prev, c));
    prev = Math.max(prev, c);
  }
  reader.end();
  return reader.runs?.() ?? [reader.snapshot()];
}

/** The series with this tag; fails the test when missing. */
export function series(run: Run, tag: string): Series {
  const s = run.series.find((x) => x.tag === tag);
  if (!s) throw new Error(`no series "${tag}" in ${run.name}; tags: ${run.series.map((x) => x.tag).join(', ')}`);
  return s;
}

export const steps = (s: Series): number[] => Array.from(s.steps);
export const values = (s: Series): number[] => Array.from(s.values);
export const lines = (s: Series): number[] => Array.from(s.lines ?? []);

/** A comparable summary of a run: tag → [steps, values (NaN as "NaN"), lines]. */
export function shape(run: Run): Record<string, [number[], (number | string)[], number[]]> {
  const out: Record<string, [number[], (number | string)[], number[]]> = {};
  for (const s of run.series) out[s.tag] = [steps(s), values(s).map((v) => (Number.isNaN(v) ? 'NaN' : v)), lines(s)];
  return out;
}

export type Tree = { [name: string]: string | Uint8Array | Tree };

/** A MemoryFileSystem holding a nested tree: strings and byte arrays are files, objects folders. */
export function fromTree(tree: Tree, root = ''): MemoryFileSystem {
  const fs = new MemoryFileSystem();
  const add = (node: Tree, prefix: string): void => {
    for (const [name, v] of Object.entries(node)) {
      const p = prefix ? `${prefix}/${name}` : name;
      if (typeof v === 'string') fs.write(p, enc(v));
      else if (v instanceof Uint8Array) fs.write(p, v);
      else add(v, p);
    }
  };
  add(tree, root);
  return fs;
}
