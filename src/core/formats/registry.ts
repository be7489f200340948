// Format detection by content and the entry points that turn files and folders into Runs.
import type { RoleRules } from '../model/roles';
import type { Run, RunFormat } from '../model/run';
import { pump, type ByteSource, type FileSystem, type RunReader, type StreamOptions } from './source';
import { TextLogReader } from './text/textReader';
import { extractLine } from './text/extract';
import { detectEncoding } from './text/lineSplitter';
import { TfeventsReader } from './tfevents/tfeventsReader';
import { findEventFiles, isEventFileName, readTfeventsRuns, splitPrefixOf } from './tfevents/logdir';
import { looksLikeTfRecord } from './tfevents/sniff';

export interface ReadOptions extends StreamOptions {
  roleRules?: RoleRules;
}

/** How many leading bytes `sniff` looks at. */
export const SNIFF_BYTES = 64 * 1024;

export type Sniffed = { format: RunFormat } | { format: undefined; reason: string };

/**
 * Decides a file's format from its name and first bytes. Content wins over the name:
 * a `train.log`, `output.txt` or an extension-less file are all read if they hold a
 * training log; anything else gets a reason why it is not one.
 */
export function sniff(_name: string, head: Uint8Array): Sniffed {
  if (head.length === 0) return { format: undefined, reason: 'the file is empty' };
  if (looksLikeTfRecord(head) || (isEventFileName(_name) && head.length < 12)) return { format: 'tfevents' };
  if (looksBinary(head)) return { format: undefined, reason: 'binary content, not a training log' };
  const enc = detectEncoding(head);
  const text = new TextDecoder(enc).decode(head);
  const lines = text.split(/\r?\n|\r/).slice(0, 2000);
  if (lines.some((l) => extractLine(l))) return { format: 'text' };
  return { format: undefined, reason: `no training metrics found in the first ${lines.length} lines` };
}

function looksBinary(head: Uint8Array): boolean {
  const enc = detectEncoding(head);
  if (enc !== 'utf-8') return false;
  let control = 0;
  const n = Math.min(head.length, 8192);
  for (let i = 0; i < n; i++) {
    const b = head[i]!;
    if (b === 0) return true;
    if (b < 9 || (b > 13 && b < 32)) control++;
  }
  return control > n * 0.05;
}

/** The reader for a format. */
export function createReader(format: RunFormat, source: string, name: string, opts: ReadOptions = {}): RunReader {
  switch (format) {
    case 'text':
      return new TextLogReader(source, name, opts.roleRules);
    case 'tfevents':
      return new TfeventsReader(source, name, { roleRules: opts.roleRules, tagPrefix: splitPrefixOf(source) });
    case 'csv':
    case 'jsonl':
    case 'hf-trainer-state':
    case 'mlflow':
      throw new Error(`no reader for ${format} yet`);
  }
}

/** The outcome of reading one path: runs, or why nothing could be read. */
export interface ReadResult {
  path: string;
  runs: Run[];
  /** Set when the path is not a training run at all (or cannot be opened). */
  failure?: string;
}

function baseName(path: string): string {
  const parts = path.split('/').filter(Boolean);
  return parts[parts.length - 1] ?? path;
}

/** Reads one file as a run, sniffing its format. */
export async function readFile(src: ByteSource, opts: ReadOptions = {}): Promise<ReadResult> {
  const size = await src.size();
  const head = await src.read(0, Math.min(size, SNIFF_BYTES));
  const s = sniff(src.name, head);
  if (!s.format) return { path: src.name, runs: [], failure: s.reason };
  const reader = createReader(s.format, src.name, baseName(src.name), opts);
  await pump(src, reader, opts);
  return { path: src.name, runs: [reader.snapshot()] };
}

/** Reads a file or a folder (walking it for runs). */
export async function readPath(fs: FileSystem, path: string, opts: ReadOptions = {}): Promise<ReadResult> {
  let st;
  try {
    st = await fs.stat(path);
  } catch (e) {
    return { path, runs: [], failure: `cannot open: ${(e as Error).message}` };
  }
  if (st.type === 'file') {
    try {
      return await readFile(fs.open(path), opts);
    } catch (e) {
      return { path, runs: [], failure: `cannot read: ${(e as Error).message}` };
    }
  }
  if (st.type === 'directory') {
    const runs: Run[] = [];
    const eventFiles = await findEventFiles(fs, path);
    if (eventFiles.length > 0) runs.push(...(await readTfeventsRuns(fs, eventFiles, { ...opts, root: path })));
    const walk = async (dir: string, depth: number): Promise<void> => {
      for (const [name, type] of (await fs.readDir(dir)).sort(([a], [b]) => a.localeCompare(b))) {
        if (name.startsWith('.') || name === 'node_modules' || name === 'hparams.yaml') continue;
        const child = `${dir.replace(/\/$/, '')}/${name}`;
        if (type === 'directory' && depth < 8) await walk(child, depth + 1);
        if (type !== 'file' || isEventFileName(name)) continue;
        const r = await readFile(fs.open(child), opts).catch(() => undefined);
        if (r) runs.push(...r.runs);
      }
    };
    await walk(path, 0);
    return runs.length ? { path, runs } : { path, runs, failure: 'no training runs found in this folder' };
  }
  return { path, runs: [], failure: 'not a file or folder' };
}

/** Reads a file already in memory (e.g. an open editor's text), synchronously. */
export function readBytes(name: string, bytes: Uint8Array, opts: ReadOptions = {}): ReadResult {
  const s = sniff(name, bytes.subarray(0, SNIFF_BYTES));
  if (!s.format) return { path: name, runs: [], failure: s.reason };
  const reader = createReader(s.format, name, baseName(name), opts);
  const chunk = opts.chunkSize ?? 1 << 20;
  for (let i = 0; i < bytes.length; i += chunk) reader.push(bytes.subarray(i, i + chunk));
  reader.end();
  return { path: name, runs: [reader.snapshot()] };
}
