// Turns a TensorBoard logdir's event files into runs, the way TensorBoard groups them.
//
// - Every directory holding event files is a run. Its files are read in file-name order
//   into one run (names start with a timestamp, so this is the order they were written),
//   and a tag whose step goes backwards drops its points from that step on, as
//   TensorBoard's out-of-order purge does for a resumed run.
// - Keras' `TensorBoard` callback writes `<run>/train/` and `<run>/validation/`, and
//   tf.estimator writes evaluation to `<model_dir>/eval/`. Such a directory is part of
//   its parent's run, with its name as a tag prefix: `train/epoch_loss`,
//   `validation/epoch_loss`, `eval/loss`.
// - PyTorch/tensorboardX `add_scalars(main, {k: v})` writes each series to a child
//   directory `<run>/<main with '/' → '_'>_<k>/` under the tag `main`. Such a child is
//   folded into its parent's run as the tag `main/k` (so `add_scalars('Loss', {'train':
//   ..., 'val': ...})` gives `Loss/train` and `Loss/val`).
// - PyTorch/tensorboardX `add_hparams(hparams, metrics)` writes a child directory (named
//   by a timestamp unless `run_name` is given) with the hparams plugin's session info and
//   one point per metric. Such a child (hparams, and no series with more than one point)
//   gives its parent run its hyperparameters and metrics.
import type { RoleRules } from '../../model/roles';
import { roleOfTag } from '../../model/roles';
import type { Run } from '../../model/run';
import { RunBuilder } from '../../model/runBuilder';
import { pump, type EntryType, type FileSystem, type StreamOptions } from '../source';
import { TfeventsReader } from './tfeventsReader';

/** TensorBoard's own test (`io_wrapper.IsTensorFlowEventsFile`): "tfevents" in the base name. */
export function isEventFileName(name: string): boolean {
  return baseName(name).includes('tfevents');
}

/** Directories whose event files belong to the parent's run, under their name as prefix. */
const SPLIT_DIRS = new Set(['train', 'validation', 'eval']);

/** The tag prefix for an event file read on its own, e.g. `validation/` in a Keras layout. */
export function splitPrefixOf(filePath: string): string {
  const dir = baseName(dirName(filePath));
  return SPLIT_DIRS.has(dir) ? `${dir}/` : '';
}

/** One run to read: a directory and the event files that make it up. */
export interface RunPlan {
  /** The run's directory. */
  dir: string;
  /** Its display name: the path below the root, or the directory's name. */
  name: string;
  /** Groups of files with their tag prefix, in reading order. */
  parts: { prefix: string; files: string[] }[];
}

/** Groups event-file paths ('/'-separated) into runs. `root` names runs relative to it. */
export function planRuns(eventFiles: readonly string[], root?: string): RunPlan[] {
  const rootDir = root === undefined ? undefined : trimSlash(root);
  const byDir = new Map<string, string[]>();
  for (const f of eventFiles) {
    const d = dirName(f);
    const list = byDir.get(d);
    if (list) list.push(f);
    else byDir.set(d, [f]);
  }
  const plans = new Map<string, RunPlan>();
  for (const [dir, files] of [...byDir].sort(([a], [b]) => compare(a, b))) {
    files.sort((a, b) => compare(baseName(a), baseName(b)));
    const base = baseName(dir);
    const parent = dirName(dir);
    const prefix = SPLIT_DIRS.has(base) ? `${base}/` : '';
    // The split directory itself may be the folder the user named: then it stays a run
    // of its own, still with its prefix (so `validation/epoch_loss` is a validation loss).
    const owner = prefix && parent !== dir && (rootDir === undefined || isWithin(parent, rootDir)) ? parent : dir;
    let plan = plans.get(owner);
    if (!plan) {
      plan = { dir: owner, name: runName(owner, rootDir), parts: [] };
      plans.set(owner, plan);
    }
    plan.parts.push({ prefix, files });
  }
  for (const p of plans.values()) p.parts.sort((a, b) => compare(a.prefix, b.prefix));
  return [...plans.values()];
}

export interface TfeventsRunOptions extends StreamOptions {
  roleRules?: RoleRules;
  /** The folder the user named; runs are named by their path below it. */
  root?: string;
  verifyChecksums?: boolean;
}

/**
 * Reads event files (paths as the FileSystem takes them) into runs: grouped by
 * {@link planRuns}, each file streamed in chunks, child runs folded into their parents.
 * Never throws for unreadable or malformed files: their errors are in the runs. Runs
 * with nothing in them (no series, hyperparameters or errors) are left out unless
 * nothing else remains.
 */
export async function readTfeventsRuns(fs: FileSystem, eventFiles: readonly string[], opts: TfeventsRunOptions = {}): Promise<Run[]> {
  const read: { dir: string; run: Run }[] = [];
  for (const plan of planRuns(eventFiles, opts.root)) {
    const builder = new RunBuilder(plan.dir, 'tfevents', plan.name, opts.roleRules);
    for (const part of plan.parts) {
      for (const file of part.files) {
        if (opts.isCancelled?.()) break;
        const reader = new TfeventsReader(plan.dir, plan.name, {
          builder,
          file,
          tagPrefix: part.prefix,
          ...(opts.verifyChecksums !== undefined ? { verifyChecksums: opts.verifyChecksums } : {}),
        });
        try {
          await pump(fs.open(file), reader, {
            ...(opts.chunkSize !== undefined ? { chunkSize: opts.chunkSize } : {}),
            ...(opts.isCancelled ? { isCancelled: opts.isCancelled } : {}),
            ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
          });
        } catch (e) {
          builder.error({ kind: 'io', file, offset: reader.consumed, message: `cannot read: ${(e as Error).message}` });
        }
      }
    }
    read.push({ dir: plan.dir, run: builder.build() });
  }
  const runs = foldChildRuns(read, opts.roleRules);
  const nonEmpty = runs.filter((r) => r.series.length > 0 || r.errors.length > 0 || Object.keys(r.hparams).length > 0);
  return nonEmpty.length > 0 ? nonEmpty : runs;
}

/** Folds `add_scalars` and `add_hparams` child directories into their parent runs. */
function foldChildRuns(read: { dir: string; run: Run }[], roleRules: RoleRules | undefined): Run[] {
  const byDir = new Map(read.map((r) => [r.dir, r.run]));
  const out: Run[] = [];
  for (const { dir, run } of read) {
    const parent = byDir.get(dirName(dir));
    if (!parent || parent === run) {
      out.push(run);
      continue;
    }
    const main = addScalarsMainTag(run, baseName(dir));
    if (main !== undefined) {
      const tag = `${main}/${baseName(dir).slice(main.replace(/\//g, '_').length + 1)}`;
      for (const s of run.series) parent.series.push({ ...s, tag, role: roleOfTag(tag, roleRules) });
      for (const r of run.restarts) parent.restarts.push({ ...r, tag });
      parent.errors.push(...run.errors);
      continue;
    }
    if (isHparamsChild(run)) {
      Object.assign(parent.hparams, { ...run.hparams, ...parent.hparams });
      const have = new Set(parent.series.map((s) => s.tag));
      for (const s of run.series) if (!have.has(s.tag)) parent.series.push(s);
      parent.errors.push(...run.errors);
      continue;
    }
    out.push(run);
  }
  return out;
}

/** The `main_tag` when `run` is an add_scalars child written in directory `base`. */
function addScalarsMainTag(run: Run, base: string): string | undefined {
  if (run.series.length !== 1 || Object.keys(run.hparams).length > 0) return undefined;
  const main = run.series[0]!.tag;
  const stem = `${main.replace(/\//g, '_')}_`;
  return base.length > stem.length && base.startsWith(stem) ? main : undefined;
}

function isHparamsChild(run: Run): boolean {
  return Object.keys(run.hparams).length > 0 && run.series.every((s) => s.steps.length <= 1);
}

/**
 * Every event file below `dir` (by name, as TensorBoard finds them), walking at most
 * `maxDepth` levels and skipping hidden directories. Unreadable directories are skipped.
 */
export async function findEventFiles(fs: FileSystem, dir: string, maxDepth = 16): Promise<string[]> {
  const found: string[] = [];
  const walk = async (d: string, depth: number): Promise<void> => {
    let entries: [string, EntryType][];
    try {
      entries = await fs.readDir(d);
    } catch {
      return;
    }
    for (const [name, type] of entries.sort(([a], [b]) => compare(a, b))) {
      const path = `${trimSlash(d)}/${name}`;
      if (type === 'file' && isEventFileName(name)) found.push(path);
      else if (type === 'directory' && depth < maxDepth && !name.startsWith('.')) await walk(path, depth + 1);
    }
  };
  await walk(dir, 0);
  return found;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function trimSlash(p: string): string {
  return p.length > 1 ? p.replace(/\/+$/, '') : p;
}

function baseName(p: string): string {
  const t = trimSlash(p);
  return t.slice(t.lastIndexOf('/') + 1);
}

function dirName(p: string): string {
  const t = trimSlash(p);
  const i = t.lastIndexOf('/');
  return i < 0 ? '.' : i === 0 ? '/' : t.slice(0, i);
}

function isWithin(dir: string, root: string): boolean {
  return dir === root || dir.startsWith(root.endsWith('/') ? root : `${root}/`);
}

function runName(dir: string, root: string | undefined): string {
  if (root !== undefined && dir !== root && isWithin(dir, root)) return dir.slice(root.length + (root.endsWith('/') ? 0 : 1));
  return baseName(dir);
}
