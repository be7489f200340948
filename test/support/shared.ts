// Where the shared real-world files live (`../shared` beside the checkout), for tests
// and benchmarks. Tests that need them skip with a clear message when they are absent.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository root, from a bundle in out/test/** or out/bench/**. */
export function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) || !fs.existsSync(path.join(dir, 'esbuild.mjs'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot find the repository root above ${__dirname}`);
    dir = up;
  }
  return dir;
}

/** `../shared` beside the checkout (or $LRLENS_SHARED), when present. */
export function sharedDir(): string | undefined {
  const dir = process.env.LRLENS_SHARED ?? path.join(repoRoot(), '..', 'shared');
  return fs.existsSync(path.join(dir, 'corpus')) ? dir : undefined;
}

export function corpusDir(): string | undefined {
  const s = sharedDir();
  return s ? path.join(s, 'corpus') : undefined;
}

export function benchDir(): string | undefined {
  const s = sharedDir();
  return s && fs.existsSync(path.join(s, 'bench')) ? path.join(s, 'bench') : undefined;
}

/** The `skip` option for node:test when the shared corpus is missing. */
export const NO_CORPUS = corpusDir() ? false : 'needs ../shared/corpus beside the checkout (absent here)';
