// The read worker: reads, follows and analyses training runs off the extension host's
// main thread. Files are read from disk in bounded chunks (the extension host runs where
// the files are: locally, over SSH, in WSL or a container); bytes of unsaved editors and
// virtual file systems arrive from the host.
import { parentPort } from 'node:worker_threads';
import { analyze } from '../core/analysis/analyze';
import { Follower } from '../core/formats/follow';
import { createReader, readBytes, readPath, sniff, SNIFF_BYTES, type ReadOptions } from '../core/formats/registry';
import { compileRoleRules } from '../core/model/roles';
import type { Run } from '../core/model/run';
import { nodeFileSystem } from '../cli/nodeFileSystem';
import { transferList, type AnalyzedRun, type FromWorker, type ReadResult, type ReadSettings, type ToWorker } from './workerProtocol';

interface Tracked {
  path: string;
  options: ReadOptions;
  follower?: Follower;
  isFolder: boolean;
  cancelled: boolean;
  lastMtime: number;
}

const tracked = new Map<number, Tracked>();
const port = parentPort!;

function post(msg: FromWorker, transfer: ArrayBuffer[] = []): void {
  port.postMessage(msg, transfer);
}

function analyzeAll(runs: Run[]): AnalyzedRun[] {
  return runs.map((run) => {
    const { findings, schedule } = analyze(run);
    return { run, findings, ...(schedule ? { schedule } : {}) };
  });
}

function optionsOf(settings: ReadSettings): ReadOptions {
  return { roleRules: compileRoleRules(settings.roleRules) };
}

function baseName(p: string): string {
  return p.split('/').filter(Boolean).pop() ?? p;
}

async function open(handle: number, path: string, settings: ReadSettings, settleIfOlderThanMs: number): Promise<ReadResult> {
  const st = await nodeFileSystem.stat(path);
  const t: Tracked = { path, options: optionsOf(settings), isFolder: st.type === 'directory', cancelled: false, lastMtime: st.mtime };
  tracked.set(handle, t);
  if (t.isFolder) return readFolder(t);
  const source = nodeFileSystem.open(path);
  const head = await source.read(0, Math.min(st.size, SNIFF_BYTES));
  const s = sniff(path, head);
  if (!s.format) return { runs: [], failure: s.reason };
  const format = s.format;
  t.follower = new Follower(source, () => createReader(format, path, baseName(path), t.options));
  const res = await pollFile(handle, t, Date.now() - st.mtime > settleIfOlderThanMs);
  return res;
}

async function readFolder(t: Tracked): Promise<ReadResult> {
  const r = await readPath(nodeFileSystem, t.path, { ...t.options, isCancelled: () => t.cancelled });
  return { runs: analyzeAll(r.runs), ...(r.failure ? { failure: r.failure } : {}), ...(t.cancelled ? { cancelled: true } : {}) };
}

async function pollFile(handle: number, t: Tracked, settle: boolean): Promise<ReadResult> {
  const f = t.follower!;
  let lastReport = 0;
  const r = await f.poll({
    isCancelled: () => t.cancelled,
    onProgress: (read, total) => {
      const now = Date.now();
      if (now - lastReport > 100) {
        lastReport = now;
        post({ type: 'progress', handle, read, total });
      }
    },
  });
  const wasSettled = f.isSettled;
  if (settle && !t.cancelled) f.settle();
  if (!r.changed && wasSettled === f.isSettled) return { runs: [], unchanged: true, position: f.position };
  return { runs: analyzeAll(f.runs()), reset: r.reset, position: f.position, ...(t.cancelled ? { cancelled: true } : {}) };
}

async function handle(msg: ToWorker): Promise<void> {
  switch (msg.type) {
    case 'open': {
      const result = await open(msg.handle, msg.path, msg.settings, msg.settleIfOlderThanMs);
      post({ type: 'result', req: msg.req, result }, transferList(result.runs));
      return;
    }
    case 'openBytes': {
      const r = readBytes(msg.name, msg.bytes, optionsOf(msg.settings));
      const result: ReadResult = { runs: analyzeAll(r.runs), ...(r.failure ? { failure: r.failure } : {}) };
      post({ type: 'result', req: msg.req, result }, transferList(result.runs));
      return;
    }
    case 'poll': {
      const t = tracked.get(msg.handle);
      if (!t) {
        post({ type: 'failed', req: msg.req, message: 'not open' });
        return;
      }
      t.cancelled = false;
      const result = t.isFolder ? await readFolder(t) : t.follower ? await pollFile(msg.handle, t, msg.settle) : { runs: [], unchanged: true };
      post({ type: 'result', req: msg.req, result }, transferList(result.runs));
      return;
    }
    case 'cancel': {
      const t = tracked.get(msg.handle);
      if (t) t.cancelled = true;
      return;
    }
    case 'close':
      tracked.delete(msg.handle);
      return;
  }
}

port.on('message', (msg: ToWorker) => {
  handle(msg).catch((e: unknown) => {
    if ('req' in msg) post({ type: 'failed', req: msg.req, message: e instanceof Error ? e.message : String(e) });
  });
});
