// Child process of the event-file benchmark: reads one file, prints one JSON line.
//
//   node out/bench/tfeventsRead.js <file> [rounds]
//
// Measures, in this one process, reading the file through the event reader (`pump` in
// 1 MiB chunks) and merely reading the same bytes and computing their CRC-32C, best of
// `rounds` each (alternating), then reports throughput and the process's peak RSS.
// Throughput is given by wall-clock time and by CPU time (user + system): on a machine
// shared with other work the CPU figure is the stable one, so the ratio uses it.
import { nodeFileSystem } from '../src/cli/nodeFileSystem';
import { pump, DEFAULT_CHUNK } from '../src/core/formats/source';
import { crc32c } from '../src/core/formats/tfevents/crc32c';
import { TfeventsReader } from '../src/core/formats/tfevents/tfeventsReader';

export interface ReadFigures {
  mb: number;
  /** By wall-clock time. */
  readerMBs: number;
  crcMBs: number;
  /** By CPU time (user + system). */
  readerCpuMBs: number;
  crcCpuMBs: number;
  points: number;
  series: number;
  errors: number;
  records: number;
  peakRssMB: number;
  /** RSS sampled while the reader ran (MB), to show it stays flat. */
  rssTrace: number[];
}

async function readCrc(file: string): Promise<number> {
  const src = nodeFileSystem.open(file);
  const size = await src.size();
  let crc = 0;
  for (let o = 0; o < size; o += DEFAULT_CHUNK) {
    const b = await src.read(o, Math.min(DEFAULT_CHUNK, size - o));
    crc = crc32c(b, 0, b.length, crc);
  }
  return crc;
}

async function main(): Promise<void> {
  const file = process.argv[2]!;
  const rounds = Number(process.argv[3] ?? 3);
  const size = (await nodeFileSystem.stat(file)).size;
  const mb = size / 1e6;
  const best = { reader: Infinity, crc: Infinity, readerCpu: Infinity, crcCpu: Infinity };
  const cpuSeconds = (since: NodeJS.CpuUsage): number => {
    const d = process.cpuUsage(since);
    return (d.user + d.system) / 1e6;
  };
  let reader: TfeventsReader | undefined;
  const rssTrace: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let t0 = performance.now();
    let c0 = process.cpuUsage();
    await readCrc(file);
    best.crcCpu = Math.min(best.crcCpu, cpuSeconds(c0));
    best.crc = Math.min(best.crc, (performance.now() - t0) / 1000);
    reader = undefined; // let the previous run go before the next
    const rd = new TfeventsReader(file, 'bench');
    let next = 0;
    t0 = performance.now();
    c0 = process.cpuUsage();
    await pump(nodeFileSystem.open(file), rd, {
      onProgress: (read) => {
        if (r === 0 && read >= next) {
          rssTrace.push(Math.round(process.memoryUsage().rss / 2 ** 20));
          next += size / 8;
        }
      },
    });
    best.readerCpu = Math.min(best.readerCpu, cpuSeconds(c0));
    best.reader = Math.min(best.reader, (performance.now() - t0) / 1000);
    reader = rd;
  }
  const run = reader!.snapshot();
  const figures: ReadFigures = {
    mb,
    readerMBs: mb / best.reader,
    crcMBs: mb / best.crc,
    readerCpuMBs: mb / best.readerCpu,
    crcCpuMBs: mb / best.crcCpu,
    points: run.series.reduce((n, s) => n + s.steps.length, 0),
    series: run.series.length,
    errors: run.errors.length,
    records: reader!.stats.records,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    rssTrace,
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

if (require.main === module) void main();
