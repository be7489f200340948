// Random but plausible inputs for the text-based readers, drawn from a seeded generator:
// log lines in every family's shape with random numbers (NaN and ±Inf included), random
// line ends and encodings, CSV tables, JSON Lines and trainer states. Used by the
// property tests and the fuzzer; real corpus files are mutated on top of these.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TextFormat } from './readerChecks';
import { benchDir, corpusDir } from './shared';

export type Rand = () => number;

const int = (r: Rand, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

/** A number as training code prints it: fixed, exponent, padded, nan, inf. */
export function printedNumber(r: Rand): string {
  const v = (r() < 0.5 ? 1 : r() * 10) * 10 ** int(r, -8, 4) * (r() < 0.1 ? -1 : 1);
  switch (int(r, 0, 9)) {
    case 0:
      return pick(r, ['nan', 'NaN', '-nan', 'inf', '-inf', 'Infinity', 'INF']);
    case 1:
      return v.toExponential(int(r, 0, 6)).toUpperCase();
    case 2:
      return v.toExponential(int(r, 0, 6));
    case 3:
      return '0.000000';
    case 4:
      return String(int(r, 0, 100000));
    default:
      return v.toFixed(int(r, 0, 8));
  }
}

const KEYS = ['loss', 'lr', 'val_loss', 'grad_norm', 'acc', 'learning_rate', 'train/loss', 'lm loss', 'eval_loss', 'norm', 'trl', 'tel', 'time', 'mfu'];

/** One log line in the shape of a random family, or noise. */
export function logLine(r: Rand, step: number): string {
  const n = (): string => printedNumber(r);
  const k = (): string => pick(r, KEYS);
  switch (int(r, 0, 16)) {
    case 0:
      return `step ${step}/${step + int(r, 0, 1000)} | loss ${n()} | lr ${n()} | norm ${n()} | dt ${n()}ms`;
    case 1:
      return `iter ${step}: loss ${n()}, time ${n()}ms, mfu ${n()}%`;
    case 2:
      return `s:${step} trl:${n()} lr:${n()} norm:${n()}`;
    case 3:
      return `step:${step}/9000 train_loss:${n()} train_time:${int(r, 0, 1e6)}ms step_avg:${pick(r, ['nan', n()])}ms`;
    case 4:
      return `Epoch ${int(r, 1, 20)}/20`;
    case 5:
      return `${int(r, 1, 50)}/50 - ${int(r, 0, 9)}s - ${int(r, 0, 99)}ms/step - loss: ${n()} - val_loss: ${n()} - lr: ${n()}`;
    case 6:
      return `{'loss': ${n()}, 'grad_norm': ${n()}, 'learning_rate': ${n()}, 'epoch': ${(step / 100).toFixed(2)}}`;
    case 7:
      return `2023/03/01 12:00:00 - mmengine - INFO - Epoch(${pick(r, ['train', 'val'])})  [${int(r, 1, 9)}][${int(r, 1, 500)}/500]  lr: ${n()}  eta: 0:0${int(r, 0, 9)}:00  loss: ${n()}`;
    case 8:
      return `[01/20 17:35:21 d2.utils.events]:  eta: 0:01:35  iter: ${step}  total_loss: ${n()}  lr: ${n()}  max_mem: ${int(r, 1, 9999)}M`;
    case 9:
      return ` iteration ${String(step).padStart(8)}/${String(step + 100).padStart(8)} | learning rate: ${n()} | lm loss: ${n()} | number of nan iterations: ${int(r, 0, 3)} |`;
    case 10:
      return `Epoch: [${int(r, 0, 9)}]  [${int(r, 0, 99)}/100]  eta: 0:00:10  lr: ${n()}  loss: ${n()} (${n()})  time: ${n()}`;
    case 11:
      return `Epoch ${int(r, 0, 9)}: ${int(r, 0, 100)}%|${'█'.repeat(int(r, 0, 10))}| ${int(r, 0, 100)}/100 [00:0${int(r, 0, 9)}<00:01, ${n()}it/s, v_num=0, train_loss_step=${n()}]`;
    case 12:
      return `${k()}=${n()} ${k()}=${n()} step=${step}`;
    case 13:
      return `    ${k()} = ${n()}  # a code line`;
    case 14:
      return pick(r, ['', '----------', 'saving checkpoint to out', 'Traceback (most recent call last):', '```', '  File "train.py", line 12, in <module>']);
    case 15:
      return `${k()}: ${n()} ${k()}: [${n()}] ${k()}: tensor(${n()}, device='cuda:0')`;
    default:
      return `Namespace(lr=${n()}, optimizer='AdamW', epochs=${int(r, 1, 99)})`;
  }
}

const EOLS = ['\n', '\n', '\n', '\r\n', '\r', '\r\r\n'];

/** A log of random family lines with random line ends, sometimes a BOM, sometimes no final line end. */
export function logText(r: Rand, maxLines = 40): string {
  const eol = pick(r, EOLS);
  const mixed = r() < 0.2;
  let out = r() < 0.1 ? '\ufeff' : '';
  let step = int(r, 0, 100);
  const n = int(r, 0, maxLines);
  for (let i = 0; i < n; i++) {
    step += r() < 0.9 ? int(r, 0, 50) : -int(r, 0, 50);
    out += logLine(r, Math.max(0, step)) + (mixed ? pick(r, EOLS) : eol);
  }
  if (r() < 0.3) out = out.replace(/(\r\n|\r|\n)$/, '');
  return out;
}

/** A metrics table: Lightning-like sparse rows, YOLO-like padding, quoted fields. */
export function csvText(r: Rand, maxRows = 30): string {
  const cols = ['step', 'epoch', 'train_loss', 'val_loss', 'lr-AdamW', 'note'].filter(() => r() < 0.8);
  if (cols.length === 0) cols.push('loss');
  const pad = r() < 0.2;
  const cell = (s: string): string => (pad ? s.padStart(12) : s);
  const eol = pick(r, EOLS);
  let out = cols.map((c) => cell(r() < 0.1 ? `"${c}"` : c)).join(',') + eol;
  const rows = int(r, 0, maxRows);
  let step = 0;
  for (let i = 0; i < rows; i++) {
    step += int(r, 0, 60) - (r() < 0.05 ? 200 : 0);
    out +=
      cols
        .map((c) => {
          if (c === 'step') return cell(String(Math.max(0, step)));
          if (c === 'epoch') return cell(String(int(r, 0, 9)));
          if (c === 'note') return r() < 0.3 ? `"a, ""quoted""${r() < 0.2 ? '\nnote' : ''}"` : '';
          return r() < 0.3 ? '' : cell(printedNumber(r));
        })
        .join(',') + eol;
  }
  return out;
}

/** JSON Lines records: detectron2/mmcv-like, with NaN literals and the odd broken line. */
export function jsonlText(r: Rand, maxLines = 30): string {
  const lines: string[] = [];
  let it = 0;
  for (let i = int(r, 0, maxLines); i > 0; i--) {
    it += int(r, 0, 40);
    const num = (): string => (r() < 0.1 ? pick(r, ['NaN', 'Infinity', '-Infinity', '"nan"']) : JSON.stringify(Number(printedNumber(r).replace(/nan|inf/i, '1')) || 0));
    switch (int(r, 0, 4)) {
      case 0:
        lines.push(`{"iteration": ${it}, "total_loss": ${num()}, "lr": ${num()}, "data_time": ${num()}}`);
        break;
      case 1:
        lines.push(`{"mode": "${pick(r, ['train', 'val'])}", "epoch": ${int(r, 1, 5)}, "iter": ${int(r, 1, 500)}, "lr": ${num()}, "loss": ${num()}}`);
        break;
      case 2:
        lines.push(`{"step": ${it}, "metrics": {"loss": ${num()}}, "accuracy/top1": ${num()}}`);
        break;
      case 3:
        lines.push(`{"env_info": "sys.platform: linux", "seed": ${int(r, 0, 99)}}`);
        break;
      default:
        lines.push(pick(r, ['{"step": 1, "loss": ', 'not json', '[1, 2]', '{}', '']));
    }
  }
  return lines.join(pick(r, ['\n', '\r\n'])) + (r() < 0.7 ? '\n' : '');
}

/** A trainer_state.json as the Trainer writes it (indent 2, sorted keys), NaN included. */
export function trainerStateText(r: Rand, maxEntries = 20): string {
  const entries: string[] = [];
  let step = 0;
  for (let i = int(r, 0, maxEntries); i > 0; i--) {
    step += int(r, 1, 50);
    const num = (): string => (r() < 0.1 ? pick(r, ['NaN', 'Infinity']) : String(Number(printedNumber(r).replace(/nan|inf/i, '1')) || 0));
    const fields =
      r() < 0.3
        ? [`"epoch": ${(step / 100).toFixed(2)}`, `"eval_loss": ${num()}`, `"eval_runtime": ${num()}`, `"step": ${step}`]
        : [`"epoch": ${(step / 100).toFixed(2)}`, `"grad_norm": ${num()}`, `"learning_rate": ${num()}`, `"loss": ${num()}`, `"step": ${step}`];
    entries.push(`    {\n      ${fields.join(',\n      ')}\n    }`);
  }
  return `{\n  "best_metric": null,\n  "epoch": ${(step / 100).toFixed(2)},\n  "global_step": ${step},\n  "log_history": [\n${entries.join(',\n')}\n  ],\n  "logging_steps": 10,\n  "max_steps": ${step + int(r, 0, 100)},\n  "num_train_epochs": 3,\n  "trial_params": null\n}\n`;
}

export function sampleText(format: TextFormat, r: Rand): string {
  switch (format) {
    case 'text':
      return logText(r);
    case 'csv':
      return csvText(r);
    case 'jsonl':
      return jsonlText(r);
    case 'hf-trainer-state':
      return trainerStateText(r);
  }
}

export interface RealFile {
  name: string;
  format: TextFormat;
  bytes: Uint8Array;
}

let real: RealFile[] | undefined;

/** The shared corpus's text-based files and a few bench files, by format (empty without the corpus). */
export function realFiles(): RealFile[] {
  if (real) return real;
  const out: RealFile[] = [];
  const dir = corpusDir();
  const add = (file: string, format: TextFormat): void => void out.push({ name: path.basename(file), format, bytes: new Uint8Array(fs.readFileSync(file)) });
  if (dir) {
    for (const f of fs.readdirSync(path.join(dir, 'text')).sort()) {
      const format: TextFormat = f.endsWith('.json') ? 'jsonl' : f.endsWith('.csv') ? 'csv' : 'text';
      add(path.join(dir, 'text', f), format);
    }
    for (const f of fs.readdirSync(path.join(dir, 'csv')).sort()) if (f.endsWith('.csv')) add(path.join(dir, 'csv', f), 'csv');
    for (const f of fs.readdirSync(path.join(dir, 'hf_trainer_state')).sort()) add(path.join(dir, 'hf_trainer_state', f), 'hf-trainer-state');
  }
  const bench = benchDir();
  if (bench) for (const run of ['dev_01', 'dev_02', 'dev_03', 'dev_04', 'dev_07', 'dev_38']) add(path.join(bench, 'runs', run, 'train.log'), 'text');
  real = out;
  return out;
}
