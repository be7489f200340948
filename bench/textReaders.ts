// Text-based readers' benchmark: MB/s and peak memory on generated ~100 MB files of each
// format, and a 10-million-line log streamed without ever existing as a whole.
//
// Each measurement runs in a fresh process (bench/textRead.ts) so that its peak RSS is
// its own. Throughput is given by wall clock and by CPU time (this machine is shared:
// the CPU figure is the reader's own speed). Target: >= 100 MB/s on the nanoGPT-style
// log. Memory: the series' typed arrays plus a chunk, never the file.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TextFigures } from './textRead';

/** Writes `target` bytes of lines made by `line(i)` to `file`; returns the line count. */
function writeLines(file: string, target: number, line: (i: number) => string, header = '', footer = ''): number {
  const fd = fs.openSync(file, 'w');
  let bytes = 0;
  let i = 0;
  try {
    fs.writeSync(fd, header);
    while (bytes < target) {
      const parts: string[] = [];
      for (let k = 0; k < 10_000; k++) parts.push(line(i++));
      const chunk = parts.join('');
      fs.writeSync(fd, chunk);
      bytes += chunk.length;
    }
    fs.writeSync(fd, footer);
  } finally {
    fs.closeSync(fd);
  }
  return i;
}

const loss = (i: number): number => 1.2 + 3 * Math.exp(-i / 2e5) + 0.02 * Math.sin(i * 0.7);

function measure(args: string[]): TextFigures {
  const out = execFileSync(process.execPath, ['--expose-gc', path.join(__dirname, 'textRead.js'), ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out) as TextFigures;
}

function report(label: string, f: TextFigures): void {
  console.log(
    `${label}: ${f.mb.toFixed(0)} MB${f.lines ? `, ${f.lines.toLocaleString('en-US')} lines` : ''}, ${f.points.toLocaleString('en-US')} points in ${f.series} series` +
      `\n  ${f.wallMBs.toFixed(0)} MB/s wall clock, ${f.cpuMBs.toFixed(0)} MB/s CPU time` +
      `\n  memory: ${f.retainedMB.toFixed(0)} MB live after reading (the runs' series: ${f.seriesMB.toFixed(0)} MB); peak RSS ${f.peakRssMB.toFixed(0)} MB; RSS while reading (MB): ${f.rssTrace.join(' ')}` +
      (f.errors ? `\n  ${f.errors} read errors (unexpected)` : ''),
  );
}

export function benchTextReaders(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lrlens-bench-text-'));
  const MB100 = 100e6;
  try {
    const t0 = performance.now();
    const log = path.join(dir, 'train.log');
    const steps = 5_000_000;
    writeLines(log, MB100, (i) => `step ${i}/${steps} | loss ${loss(i).toFixed(4)} | lr ${(6e-4 * Math.min(1, i / 2000)).toExponential(2)} | norm ${(0.5 + 0.1 * Math.cos(i)).toFixed(4)} | dt 211.30ms | tok/sec 155032.12\n`);
    const csv = path.join(dir, 'metrics.csv');
    writeLines(
      csv,
      MB100,
      (i) => (i % 100 === 99 ? `${Math.floor(i / 1000)},${i},,${(loss(i) + 0.1).toFixed(6)},${loss(i).toFixed(6)}\n` : `${Math.floor(i / 1000)},${i},${loss(i).toFixed(6)},,\n`),
      'epoch,step,train_loss_step,val_loss,train_loss_epoch\n',
    );
    const jsonl = path.join(dir, 'metrics.json');
    writeLines(jsonl, MB100, (i) => `{"data_time": 0.0043, "iteration": ${i * 20 + 19}, "loss_box_reg": ${(loss(i) / 3).toFixed(6)}, "loss_cls": ${(loss(i) / 4).toFixed(6)}, "lr": ${(2.5e-4).toExponential(4)}, "time": 0.3321, "total_loss": ${loss(i).toFixed(6)}}\n`);
    const state = path.join(dir, 'trainer_state.json');
    const entries = writeLines(
      state,
      MB100 / 2,
      (i) => `${i ? ',\n' : ''}    {\n      "epoch": ${(i / 1000).toFixed(4)},\n      "grad_norm": ${(1 + Math.sin(i)).toFixed(6)},\n      "learning_rate": ${(5e-5 * (1 - i / 1e6)).toExponential(6)},\n      "loss": ${loss(i).toFixed(4)},\n      "step": ${i * 10 + 10}\n    }`,
      '{\n  "best_metric": null,\n  "epoch": 300.0,\n  "global_step": 3000000,\n  "log_history": [\n',
      '\n  ],\n  "max_steps": 3000000,\n  "num_train_epochs": 300\n}\n',
    );
    console.log(`text readers: wrote the benchmark files in ${((performance.now() - t0) / 1000).toFixed(1)} s (${entries.toLocaleString('en-US')} trainer_state entries)`);
    report('text log (nanoGPT style: step N/T | loss | lr | norm | dt | tok/sec)', measure(['file', log, '3']));
    report('CSV (Lightning metrics.csv, sparse validation rows)', measure(['file', csv, '2']));
    report('JSON Lines (detectron2 metrics.json)', measure(['file', jsonl, '2']));
    report('trainer_state.json (one JSON document, streamed)', measure(['file', state, '2']));
    report('10-million-line stream (1 line in 10 with metrics), never on disk', measure(['stream', '10000000', '10']));
    report('10-million-line stream without metrics (memory stays flat)', measure(['stream', '10000000', '20000000']));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
