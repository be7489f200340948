// Event-file benchmark: the reader's MB/s next to reading the same bytes + CRC-32C.
//
// Writes ~100 MB event files with the test writer (scalars only, the reader's worst case
// per byte; and a mix with images and histograms, as real large files are), then reads
// each in a fresh process (bench/tfeventsRead.ts) that times both the event reader and
// a plain read + CRC-32C of the same file, and reports peak RSS. With `--huge` (or
// LRLENS_BENCH_HUGE=1) it also streams a multi-GB file (LRLENS_BENCH_HUGE_GB, default 3)
// to show memory stays bounded. Target: the reader at >= 50% of read + CRC.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { crc32c } from '../src/core/formats/tfevents/crc32c';
import { syntheticEvents, useCrc32c, writeEvents, type SyntheticRunOptions } from '../test/support/tfeventsWriter';
import type { ReadFigures } from './tfeventsRead';

function writeFile(file: string, o: SyntheticRunOptions): number {
  const fd = fs.openSync(file, 'w');
  try {
    return writeEvents(syntheticEvents(o), (chunk) => fs.writeSync(fd, chunk));
  } finally {
    fs.closeSync(fd);
  }
}

function measure(file: string, rounds: number): ReadFigures {
  const out = execFileSync(process.execPath, [path.join(__dirname, 'tfeventsRead.js'), file, String(rounds)], { encoding: 'utf8' });
  return JSON.parse(out) as ReadFigures;
}

function report(label: string, f: ReadFigures): void {
  const pct = (x: number): string => `${(x * 100).toFixed(0)}%`;
  console.log(
    `tfevents ${label}: ${f.mb.toFixed(0)} MB, ${f.records.toLocaleString('en-US')} records, ${f.points.toLocaleString('en-US')} points in ${f.series} series` +
      `\n  event reader ${f.readerMBs.toFixed(0)} MB/s | read + CRC-32C ${f.crcMBs.toFixed(0)} MB/s (wall clock; ratio ${pct(f.readerMBs / f.crcMBs)})` +
      `\n  event reader ${f.readerCpuMBs.toFixed(0)} MB/s | read + CRC-32C ${f.crcCpuMBs.toFixed(0)} MB/s (CPU time; ratio ${pct(f.readerCpuMBs / f.crcCpuMBs)}, target >= 50%)` +
      `\n  peak RSS ${f.peakRssMB.toFixed(0)} MB; RSS while reading (MB): ${f.rssTrace.join(' ')}` +
      (f.errors ? `\n  ${f.errors} read errors (unexpected)` : ''),
  );
}

export function benchTfevents(huge: boolean): void {
  useCrc32c(crc32c);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lrlens-bench-'));
  try {
    const scalars = path.join(dir, 'events.out.tfevents.scalars');
    const t0 = performance.now();
    // 8 simple_value tags per step: ~50-byte records, as PyTorch/Lightning write them.
    const tags = ['train/loss', 'train/learning_rate', 'train/grad_norm', 'train/accuracy', 'val/loss', 'time/fps', 'epoch', 'lr-AdamW/pg1'];
    writeFile(scalars, { steps: 250_000, tags });
    const mixed = path.join(dir, 'events.out.tfevents.mixed');
    writeFile(mixed, { steps: 60_000, style: 'keras', imageEvery: 50, imageBytes: 60_000, histogramEvery: 5 });
    console.log(`tfevents: wrote the benchmark files in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    report('scalars only (PyTorch simple_value)', measure(scalars, 5));
    report('mixed (Keras tensors, images, histograms)', measure(mixed, 5));
    fs.rmSync(scalars);
    fs.rmSync(mixed);
    if (huge) {
      const gb = Number(process.env.LRLENS_BENCH_HUGE_GB ?? 3);
      const big = path.join(dir, 'events.out.tfevents.huge');
      const t1 = performance.now();
      // ~3 GB for the default: 4 scalars per step, a 256 kB image every 10 steps.
      const steps = Math.round((gb * 1e9) / 26_500);
      writeFile(big, { steps, imageEvery: 10, imageBytes: 256 * 1024, histogramEvery: 20 });
      console.log(`tfevents huge: wrote ${(fs.statSync(big).size / 1e9).toFixed(2)} GB in ${((performance.now() - t1) / 1000).toFixed(0)} s`);
      report('huge (streamed through pump in 1 MiB chunks)', measure(big, 1));
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
