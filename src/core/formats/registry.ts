// The entry points that turn files and folders into Runs: one reader per format, the
// format chosen by content (see sniff.ts), and a folder walker.
//
// Walking a folder (`readPath` on a directory), recursively:
// - an MLflow run folder (`metrics/` with `meta.yaml`, `params/` or `tags/`) is one run;
// - TensorBoard event files are collected per folder and read by the tfevents reader;
// - `hparams.yaml` beside a file (Lightning's `version_N/`) gives that folder's runs
//   their hparams;
// - any other file whose content sniffs as a supported format is read, and files that
//   are not training logs are passed over silently;
// - hidden folders, `node_modules`, `__pycache__`, `site-packages` and files whose
//   extension says binary (checkpoints, images, archives) are never opened, and every
//   other file is sniffed from its first 64 KB only.
// A file that cannot be read is reported in `problems` and never stops the walk.
import { parse as parseYaml } from 'yaml';
import type { RoleRules } from '../model/roles';
import type { HParamValue, Run } from '../model/run';
import { RunBuilder } from '../model/runBuilder';
import { CsvReader } from './csv/csvReader';
import { TrainerStateReader } from './hfTrainerState/trainerStateReader';
import { JsonlReader } from './jsonl/jsonlReader';
import { isMlflowRunFolder, readMlflowRun } from './mlflow/mlflowRun';
import { sniff, SNIFF_BYTES } from './sniff';
import { pump, type ByteSource, type EntryType, type FileSystem, type RunReader, type StreamOptions } from './source';
import { TextLogReader } from './text/textReader';
import { isEventFileName, readTfeventsRuns, splitPrefixOf } from './tfevents/logdir';
import { TfeventsReader } from './tfevents/tfeventsReader';

export { sniff, SNIFF_BYTES, type Sniffed } from './sniff';

export interface ReadOptions extends StreamOptions {
  roleRules?: RoleRules;
}

/** A file inside a folder that could not be read (the walk went on). */
export interface FileProblem {
  path: string;
  message: string;
}

/** The outcome of reading one path: runs, or why nothing could be read. */
export interface ReadResult {
  path: string;
  runs: Run[];
  /** Set when the path is not a training run at all (or cannot be opened). */
  failure?: string;
  /** Files inside a folder that could not be read. */
  problems?: FileProblem[];
}

/** The stream reader for a format (MLflow runs are folders: see readPath). */
export function createReader(format: Run['format'], source: string, name: string, opts: ReadOptions = {}): RunReader {
  switch (format) {
    case 'text':
      return new TextLogReader(source, name, opts.roleRules);
    case 'csv':
      return new CsvReader(source, name, opts.roleRules);
    case 'jsonl':
      return new JsonlReader(source, name, opts.roleRules);
    case 'hf-trainer-state':
      return new TrainerStateReader(source, name, opts.roleRules);
    case 'tfevents':
      return new TfeventsReader(source, name, { roleRules: opts.roleRules, tagPrefix: splitPrefixOf(source) });
    case 'mlflow':
      return new UnsupportedReader(source, name, format, 'an MLflow run is read as its folder (mlruns/<experiment>/<run>)');
  }
}

/** A reader for a format that has no single-file form: its run holds one `unsupported` error. */
class UnsupportedReader implements RunReader {
  private readonly run: RunBuilder;
  private bytes = 0;

  constructor(source: string, name: string, format: Run['format'], message: string) {
    this.run = new RunBuilder(source, format, name);
    this.run.error({ kind: 'unsupported', message });
  }

  get consumed(): number {
    return this.bytes;
  }

  push(chunk: Uint8Array): void {
    this.bytes += chunk.length;
  }

  end(): void {}

  snapshot(): Run {
    return this.run.build();
  }
}

function baseName(path: string): string {
  const parts = path.split('/').filter(Boolean);
  return parts[parts.length - 1] ?? path;
}

function dirName(path: string): string {
  const i = path.replace(/\/+$/, '').lastIndexOf('/');
  return i > 0 ? path.slice(0, i) : i === 0 ? '/' : '.';
}

const join = (a: string, b: string): string => (a.endsWith('/') ? a + b : `${a}/${b}`);

function runsOf(reader: RunReader): Run[] {
  return reader.runs?.() ?? [reader.snapshot()];
}

/** Reads one file as runs, sniffing its format. Never throws. */
export async function readFile(src: ByteSource, opts: ReadOptions = {}): Promise<ReadResult> {
  try {
    const size = await src.size();
    const head = await src.read(0, Math.min(size, SNIFF_BYTES));
    const s = sniff(src.name, head, size <= SNIFF_BYTES);
    if (!s.format) return { path: src.name, runs: [], failure: s.reason };
    const reader = createReader(s.format, src.name, baseName(src.name), opts);
    await pump(src, reader, opts);
    return { path: src.name, runs: runsOf(reader) };
  } catch (e) {
    return { path: src.name, runs: [], failure: `cannot read: ${(e as Error).message}` };
  }
}

/** Reads a file already in memory (e.g. an open editor's text), synchronously. */
export function readBytes(name: string, bytes: Uint8Array, opts: ReadOptions = {}): ReadResult {
  try {
    const s = sniff(name, bytes.subarray(0, SNIFF_BYTES), bytes.length <= SNIFF_BYTES);
    if (!s.format) return { path: name, runs: [], failure: s.reason };
    const reader = createReader(s.format, name, baseName(name), opts);
    const chunk = opts.chunkSize ?? 1 << 20;
    for (let i = 0; i < bytes.length; i += chunk) reader.push(bytes.subarray(i, i + chunk));
    reader.end();
    return { path: name, runs: runsOf(reader) };
  } catch (e) {
    return { path: name, runs: [], failure: `cannot read: ${(e as Error).message}` };
  }
}

/** Folders never entered. */
const SKIP_DIRS = new Set(['node_modules', '__pycache__', 'site-packages', '.git', '.hg', '.svn', '.venv', 'venv']);
/** Extensions of files that are never training logs (not even opened). */
const SKIP_EXT = new Set([
  'png', 'jpg', 'jpeg', 'gif', 'bmp', 'svg', 'webp', 'ico', 'pdf', 'mp4', 'avi', 'mov', 'wav', 'mp3',
  'pt', 'pth', 'ckpt', 'bin', 'safetensors', 'onnx', 'h5', 'hdf5', 'pb', 'tflite', 'pkl', 'pickle', 'npy', 'npz', 'joblib', 'parquet', 'arrow',
  'zip', 'gz', 'tgz', 'bz2', 'xz', 'zst', 'tar', '7z', 'rar', 'whl', 'so', 'dll', 'dylib', 'exe', 'o', 'a', 'pyc', 'pyo', 'class', 'jar',
  'py', 'ipynb', 'sh', 'js', 'ts', 'c', 'cc', 'cpp', 'h', 'cu', 'rs', 'go', 'java', 'toml', 'ini', 'cfg', 'lock', 'yaml', 'yml',
]);
/** Extensions that mark a file as text whatever its name says. */
const TEXT_EXT = new Set(['json', 'jsonl', 'csv', 'tsv', 'txt', 'log', 'md', 'out']);
/** A walk stops opening files after this many (a huge tree is reported, not read whole). */
const MAX_FILES = 20000;
const MAX_DEPTH = 24;

interface Walk {
  fs: FileSystem;
  opts: ReadOptions;
  runs: Run[];
  problems: FileProblem[];
  /** Event files found, for the tfevents reader (which groups them into runs by folder). */
  eventFiles: string[];
  files: number;
}

/** Reads a file or a folder (walking it for runs). Never throws. */
export async function readPath(fs: FileSystem, path: string, opts: ReadOptions = {}): Promise<ReadResult> {
  let type: EntryType;
  try {
    type = (await fs.stat(path)).type;
  } catch (e) {
    return { path, runs: [], failure: `cannot open: ${(e as Error).message}` };
  }
  if (type === 'file') {
    const r = await readFile(fs.open(path), opts);
    if (r.runs.some((run) => run.format === 'csv')) await attachHparams(fs, dirName(path), r.runs, r);
    return r;
  }
  if (type !== 'directory') return { path, runs: [], failure: 'not a file or folder' };
  const root = path.replace(/(.)\/+$/, '$1');
  const w: Walk = { fs, opts, runs: [], problems: [], eventFiles: [], files: 0 };
  await walk(w, root, 0);
  if (w.eventFiles.length > 0) {
    try {
      w.runs.unshift(...(await readTfeventsRuns(fs, w.eventFiles, { ...opts, root })));
    } catch (e) {
      w.problems.push({ path: root, message: `cannot read the TensorBoard event files: ${(e as Error).message}` });
    }
  }
  const result: ReadResult = { path, runs: w.runs };
  if (w.problems.length) result.problems = w.problems;
  if (w.runs.length === 0) result.failure = w.problems.length ? 'no readable training runs in this folder' : 'no training runs found in this folder';
  return result;
}

const byName = (a: string, b: string): number => a.localeCompare(b, 'en', { numeric: true });

async function walk(w: Walk, dir: string, depth: number): Promise<void> {
  if (w.opts.isCancelled?.()) return;
  let entries: [string, EntryType][];
  try {
    entries = (await w.fs.readDir(dir)).sort(([a], [b]) => byName(a, b));
  } catch (e) {
    w.problems.push({ path: dir, message: `cannot list: ${(e as Error).message}` });
    return;
  }
  if (isMlflowRunFolder(entries)) {
    try {
      w.runs.push(await readMlflowRun(w.fs, dir, w.opts));
    } catch (e) {
      w.problems.push({ path: dir, message: `cannot read the MLflow run: ${(e as Error).message}` });
    }
    return;
  }
  const here: Run[] = [];
  for (const [name, type] of entries) {
    if (type !== 'file' || name.startsWith('.')) continue;
    const path = join(dir, name);
    const ext = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1).toLowerCase() : '';
    // TensorBoard takes any name containing "tfevents"; one with a text extension
    // (`expected-tfevents.json`) is sniffed like any other file instead.
    if (isEventFileName(name) && !TEXT_EXT.has(ext)) {
      w.eventFiles.push(path);
      continue;
    }
    if (SKIP_EXT.has(ext)) continue;
    if (++w.files > MAX_FILES) {
      if (w.files === MAX_FILES + 1) w.problems.push({ path: dir, message: `more than ${MAX_FILES} files; the rest of the folder was not read` });
      return;
    }
    const r = await readFile(w.fs.open(path), w.opts);
    if (r.runs.length) here.push(...r.runs);
    else if (r.failure?.startsWith('cannot read')) w.problems.push({ path, message: r.failure });
  }
  if (here.some((r) => r.format === 'csv')) await attachHparams(w.fs, dir, here, undefined, entries);
  w.runs.push(...here);
  if (depth >= MAX_DEPTH) return;
  for (const [name, type] of entries) {
    if (type !== 'directory' || name.startsWith('.') || SKIP_DIRS.has(name)) continue;
    await walk(w, join(dir, name), depth + 1);
  }
}

/** Lightning's `hparams.yaml` beside a `metrics.csv`: the CSV runs of that folder get its values. */
async function attachHparams(fs: FileSystem, dir: string, runs: Run[], result?: ReadResult, entries?: [string, EntryType][]): Promise<void> {
  if (entries && !entries.some(([n, t]) => n === 'hparams.yaml' && t === 'file')) return;
  const path = join(dir, 'hparams.yaml');
  let text: string;
  try {
    const src = fs.open(path);
    const size = await src.size();
    text = new TextDecoder().decode(await src.read(0, Math.min(size, 1 << 20)));
  } catch {
    return;
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    const message = `hparams.yaml: ${(e as Error).message.split('\n')[0]}`;
    for (const r of runs) if (r.format === 'csv') r.errors.push({ kind: 'parse', file: path, message });
    if (result) result.problems = [...(result.problems ?? []), { path, message }];
    return;
  }
  const flat: Record<string, HParamValue> = {};
  flatten(doc, '', flat, 0);
  for (const r of runs) if (r.format === 'csv') Object.assign(r.hparams, flat);
}

function flatten(v: unknown, prefix: string, out: Record<string, HParamValue>, depth: number): void {
  if (v === null || v === undefined || depth > 6) return;
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') {
    if (prefix) out[prefix] = typeof v === 'string' && v.length > 500 ? v.slice(0, 500) : v;
    return;
  }
  if (Array.isArray(v)) return;
  if (typeof v === 'object')
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) flatten(x, prefix ? `${prefix}.${k}` : k, out, depth + 1);
}
