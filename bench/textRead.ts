// One text-reader measurement in a fresh process (so that peak RSS is this case's):
// `node out/bench/textRead.js file <path> <rounds>` reads a file through readPath
// (1 MiB chunks) `rounds` times; `node out/bench/textRead.js stream <lines> <every>`
// streams a generated log of `lines` lines, one in `every` with metrics, that never
// exists as a whole (neither on disk nor in memory). Run with --expose-gc for the
// retained-memory figure. Prints one JSON object.
import { readPath } from '../src/core/formats/registry';
import { TextLogReader } from '../src/core/formats/text/textReader';
import type { Run } from '../src/core/model/run';
import { nodeFileSystem } from '../src/cli/nodeFileSystem';

export interface TextFigures {
  mb: number;
  lines?: number;
  points: number;
  series: number;
  /** Bytes held by the series' typed arrays. */
  seriesMB: number;
  errors: number;
  wallMBs: number;
  cpuMBs: number;
  peakRssMB: number;
  /** RSS sampled while reading, in MB. */
  rssTrace: number[];
  /** Heap and array buffers still in use after reading, with the runs alive (after a GC). */
  retainedMB: number;
}

/** Live memory after full collections (the process runs with --expose-gc). */
async function retained(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) {
    gc?.();
    // Array buffers are freed after the collection that finds them dead.
    await new Promise((r) => setTimeout(r, 50));
  }
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 1e6;
}

function seriesBytes(runs: Run[]): number {
  let b = 0;
  for (const r of runs) for (const s of r.series) b += s.steps.byteLength + s.values.byteLength + (s.lines?.byteLength ?? 0) + (s.wallTimes?.byteLength ?? 0);
  return b;
}

function sampler(): { trace: number[]; stop(): void } {
  const trace: number[] = [];
  const t = setInterval(() => trace.push(Math.round(process.memoryUsage().rss / 1e6)), 250);
  return { trace, stop: () => clearInterval(t) };
}

async function file(path: string, rounds: number): Promise<TextFigures> {
  const f = await fileRounds(path, rounds);
  return f;
}

async function fileRounds(path: string, rounds: number): Promise<TextFigures> {
  const size = (await nodeFileSystem.stat(path)).size;
  let best = Infinity;
  let bestCpu = Infinity;
  let runs: Run[] = [];
  const s = sampler();
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const result = await readPath(nodeFileSystem, path);
    const cpu = process.cpuUsage(c0);
    best = Math.min(best, (performance.now() - t0) / 1000);
    bestCpu = Math.min(bestCpu, (cpu.user + cpu.system) / 1e6);
    runs = result.runs;
  }
  s.stop();
  const f = figures(size, runs, best, bestCpu, s.trace);
  f.retainedMB = await retained();
  f.points = runs.reduce((n, r) => n + r.series.reduce((m, x) => m + x.values.length, 0), 0);
  return f;
}

/** Lines of a generated log, one in `every` with a step, loss and LR, made ~1 MB at a time. */
function* generatedChunks(lines: number, every: number): Generator<Uint8Array> {
  const enc = new TextEncoder();
  let parts: string[] = [];
  let size = 0;
  for (let i = 0; i < lines; i++) {
    const s =
      i % every === 0
        ? `step ${i / every} | loss ${(2 + Math.exp(-i / 1e6) + 0.01 * Math.sin(i)).toFixed(4)} | lr ${(3e-4 * (1 - i / lines)).toExponential(3)}\n`
        : `[rank0] data loader worker ${i % 8}: prefetched batch ${i} of shard ${i % 97}\n`;
    parts.push(s);
    size += s.length;
    if (size >= 1 << 20) {
      yield enc.encode(parts.join(''));
      parts = [];
      size = 0;
    }
  }
  if (parts.length) yield enc.encode(parts.join(''));
}

async function stream(lines: number, every: number): Promise<TextFigures> {
  const reader = new TextLogReader('generated.log', 'generated.log');
  const trace: number[] = [];
  let bytes = 0;
  let readerMs = 0;
  let readerCpu = 0;
  let k = 0;
  // Only the reader is timed: making the lines is not part of reading them.
  for (const chunk of generatedChunks(lines, every)) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    reader.push(chunk);
    const cu = process.cpuUsage(c0);
    readerCpu += (cu.user + cu.system) / 1e6;
    readerMs += performance.now() - t0;
    bytes += chunk.length;
    if (k++ % 16 === 0) trace.push(Math.round(process.memoryUsage().rss / 1e6));
  }
  reader.end();
  await Promise.resolve();
  const runs = [reader.snapshot()];
  const f = figures(bytes, runs, readerMs / 1000, readerCpu, trace);
  f.lines = lines;
  f.retainedMB = await retained();
  f.points = runs[0]!.series.reduce((m, x) => m + x.values.length, 0);
  return f;
}

function figures(bytes: number, runs: Run[], wall: number, cpu: number, trace: number[]): TextFigures {
  const mb = bytes / 1e6;
  return {
    mb,
    points: runs.reduce((n, r) => n + r.series.reduce((m, s) => m + s.values.length, 0), 0),
    series: runs.reduce((n, r) => n + r.series.length, 0),
    seriesMB: seriesBytes(runs) / 1e6,
    errors: runs.reduce((n, r) => n + r.errors.length, 0),
    wallMBs: mb / wall,
    cpuMBs: mb / cpu,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    retainedMB: 0,
    rssTrace: trace.filter((_, i) => i % Math.max(1, Math.ceil(trace.length / 12)) === 0),
  };
}

const [mode, a, b] = process.argv.slice(2);
const job = mode === 'stream' ? stream(Number(a), Number(b)) : file(a!, Number(b ?? 3));
job.then(
  (f) => process.stdout.write(JSON.stringify(f) + '\n'),
  (e: unknown) => {
    process.stderr.write(String(e) + '\n');
    process.exitCode = 1;
  },
);
