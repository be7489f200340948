// Reader for MLflow's file store: one run folder `mlruns/<experiment>/<run>/`.
//
//   metrics/<key>   one line per logged value: `<timestamp ms> <value> <step>`; a key
//                   with `/` is a nested folder (`metrics/train/loss`). Files from MLflow
//                   before 1.0 have no step: their points are numbered by order.
//   params/<key>    the parameter's value as text (numbers become numbers).
//   tags/<key>      `mlflow.runName` names the run.
//   meta.yaml       `run_name` / `name`, `run_id`, `status`, ...
//
// Each metric file is streamed line by line (bounded memory); a line that is not three
// numbers is a `parse` error naming the file and line, and the rest is read.
import { parse as parseYaml } from 'yaml';
import type { Run } from '../../model/run';
import type { RoleRules } from '../../model/roles';
import { RunBuilder } from '../../model/runBuilder';
import type { FileSystem, StreamOptions } from '../source';
import { DEFAULT_CHUNK } from '../source';
import { LineSplitter } from '../text/lineSplitter';
import { parseNumber } from '../text/numbers';

/** Parameter and tag files larger than this are read only this far. */
const MAX_PARAM_BYTES = 64 * 1024;
/** Nested metric folders deeper than this are not followed. */
const MAX_KEY_DEPTH = 8;

/** True when a folder's entries are those of an MLflow run (`metrics/` plus `meta.yaml`, `params/` or `tags/`). */
export function isMlflowRunFolder(entries: readonly (readonly [string, string])[]): boolean {
  const has = (name: string, type: string): boolean => entries.some(([n, t]) => n === name && t === type);
  return has('metrics', 'directory') && (has('meta.yaml', 'file') || has('params', 'directory') || has('tags', 'directory'));
}

const join = (a: string, b: string): string => (a.endsWith('/') ? a + b : `${a}/${b}`);

/** Reads one MLflow run folder. Never throws: problems become the run's errors. */
export async function readMlflowRun(fs: FileSystem, dir: string, opts: StreamOptions & { roleRules?: RoleRules } = {}): Promise<Run> {
  const name = dir.split('/').filter(Boolean).pop() ?? dir;
  const run = new RunBuilder(dir, 'mlflow', name, opts.roleRules);
  run.meta.family = 'mlflow';
  const meta = await readSmall(fs, join(dir, 'meta.yaml'));
  if (meta !== undefined) {
    try {
      const doc = parseYaml(meta) as Record<string, unknown> | null;
      const runName = doc?.run_name ?? doc?.name;
      if (typeof runName === 'string' && runName) run.name = runName;
      if (typeof doc?.status === 'number' || typeof doc?.status === 'string') run.hparams['mlflow.status'] = doc.status;
    } catch (e) {
      run.error({ kind: 'parse', file: join(dir, 'meta.yaml'), message: `meta.yaml: ${(e as Error).message.split('\n')[0]}` });
    }
  }
  const runName = await readSmall(fs, join(dir, 'tags/mlflow.runName'));
  if (runName?.trim()) run.name = runName.trim();
  for (const [key, path] of await filesUnder(fs, join(dir, 'params'), '', run)) {
    const text = await readSmall(fs, path);
    if (text === undefined) continue;
    const v = text.trim();
    const n = parseNumber(v);
    run.hparams[key] = (n !== undefined ? n : v === 'True' || v === 'true' ? true : v === 'False' || v === 'false' ? false : v);
  }
  for (const [key, path] of await filesUnder(fs, join(dir, 'metrics'), '', run)) {
    if (opts.isCancelled?.()) break;
    await readMetricFile(fs, path, key, run, opts.chunkSize ?? DEFAULT_CHUNK);
  }
  return run.build();
}

/** Files under `dir` as [key with `/`, path], recursively. */
async function filesUnder(fs: FileSystem, dir: string, prefix: string, run: RunBuilder, depth = 0): Promise<[string, string][]> {
  let entries: [string, string][];
  try {
    entries = await fs.readDir(dir);
  } catch {
    return [];
  }
  const out: [string, string][] = [];
  for (const [n, type] of entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const path = join(dir, n);
    if (type === 'file') out.push([prefix + n, path]);
    else if (type === 'directory' && depth < MAX_KEY_DEPTH) out.push(...(await filesUnder(fs, path, `${prefix}${n}/`, run, depth + 1)));
  }
  return out;
}

async function readSmall(fs: FileSystem, path: string): Promise<string | undefined> {
  try {
    const src = fs.open(path);
    const size = await src.size();
    const bytes = await src.read(0, Math.min(size, MAX_PARAM_BYTES));
    return new TextDecoder().decode(bytes);
  } catch {
    return undefined;
  }
}

async function readMetricFile(fs: FileSystem, path: string, key: string, run: RunBuilder, chunk: number): Promise<void> {
  const splitter = new LineSplitter();
  let order = 0;
  const b = run.builder(key);
  const onLine = (text: string, start: number, end: number, no: number): void => {
    const line = text.slice(start, end).trim();
    if (line === '') return;
    const parts = line.split(/\s+/);
    const ts = parseNumber(parts[0] ?? '');
    const value = parseNumber(parts[1] ?? '');
    const step = parts.length >= 3 ? parseNumber(parts[2]!) : order;
    order++;
    if (parts.length < 2 || parts.length > 3 || ts === undefined || value === undefined || step === undefined || !Number.isFinite(step)) {
      run.error({ kind: 'parse', file: path, line: no, message: `expected "<timestamp> <value> <step>", got "${line.slice(0, 60)}"` });
      return;
    }
    if (step < b.lastStep) run.restartAt(step);
    b.set(step, value, Number.isFinite(ts) ? { wallTime: ts / 1000 } : undefined);
  };
  try {
    const src = fs.open(path);
    const size = await src.size();
    for (let off = 0; off < size; ) {
      const bytes = await src.read(off, Math.min(chunk, size - off));
      if (bytes.length === 0) break;
      splitter.push(bytes, onLine);
      off += bytes.length;
    }
    splitter.end(onLine);
  } catch (e) {
    run.error({ kind: 'io', file: path, message: (e as Error).message });
  }
}
