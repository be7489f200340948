// Format detection by content: the first bytes of a file decide how it is read.
//
// In order: TensorBoard event files (a TFRecord header, see tfevents/sniff.ts),
// binary content (refused, unless training lines surround it), `trainer_state.json` (a JSON document with `log_history`
// or `global_step`), JSON Lines (the first line is a JSON object), CSV/TSV (a header of
// names, then rows of the same width with numbers), and text logs (the text reader
// finds metrics in the head). Anything else gets a reason why it is not a training log.
import type { RunFormat } from '../model/run';
import { parseLineTolerant } from './jsonl/jsonEvents';
import { detectDelimiter, splitRecord } from './csv/csvFields';
import { detectEncoding } from './text/lineSplitter';
import { parseNumber } from './text/numbers';
import { TextLogReader } from './text/textReader';
import { isEventFileName } from './tfevents/logdir';
import { looksLikeTfRecord } from './tfevents/sniff';

/** How many leading bytes `sniff` looks at. */
export const SNIFF_BYTES = 64 * 1024;

export type Sniffed = { format: RunFormat } | { format: undefined; reason: string };


/**
 * Decides a file's format from its name and first bytes (`head`, up to SNIFF_BYTES;
 * `complete` when it is the whole file). Content wins over the name: a `train.log`,
 * `output.txt` or an extension-less file are all read if they hold a training log.
 */
export function sniff(name: string, head: Uint8Array, complete = head.length < SNIFF_BYTES): Sniffed {
  if (head.length === 0) return { format: undefined, reason: 'the file is empty' };
  // A TFRecord header (length + its masked CRC), or an event file too short to have one yet.
  if (looksLikeTfRecord(head) || (isEventFileName(name) && head.length < 12)) return { format: 'tfevents' };
  const enc = detectEncoding(head);
  if (enc === 'utf-8' && looksBinary(head)) {
    // A log with a damaged stretch (NUL blocks after a crash) is still a log: the text
    // reader skips the binary lines and reports them.
    const probe = new TextLogReader(name, name);
    probe.push(head);
    probe.end();
    const points = probe.runs().reduce((n, r) => n + r.series.reduce((m, x) => m + x.values.length, 0), 0);
    return points >= 2 ? { format: 'text' } : { format: undefined, reason: 'binary content, not a training log' };
  }
  let text = new TextDecoder(enc).decode(head);
  if (!complete) {
    // The head may end inside a line: keep whole lines only.
    const cut = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
    if (cut > 0) text = text.slice(0, cut);
  }
  const lines = text.split(/\r\n|\n|\r/);
  const firstIdx = lines.findIndex((l) => l.trim() !== '');
  if (firstIdx < 0) return { format: undefined, reason: 'the file holds only blank lines' };
  const first = lines[firstIdx]!.trim();

  if (first.startsWith('{') || first.startsWith('[')) {
    if (/"log_history"\s*:/.test(text) || (/"global_step"\s*:/.test(text) && /"epoch"\s*:/.test(text))) return { format: 'hf-trainer-state' };
    if (first.startsWith('{') && first.endsWith('}')) {
      const v = parseLineTolerant(first);
      if (v.value !== undefined && typeof v.value === 'object' && v.value !== null && !Array.isArray(v.value)) return { format: 'jsonl' };
    }
    if (/\.jsonl?$/i.test(name) || first === '{' || first === '[')
      return { format: undefined, reason: 'a JSON document that is neither a trainer_state.json nor JSON Lines' };
  }

  if (looksLikeCsv(lines, firstIdx, /\.(csv|tsv)$/i.test(name))) return { format: 'csv' };

  const probe = new TextLogReader(name, name);
  probe.push(new TextEncoder().encode(text));
  probe.end();
  if (probe.runs().some((r) => r.series.length > 0)) return { format: 'text' };
  const kb = Math.round(head.length / 1024);
  return { format: undefined, reason: complete ? 'no training metrics found' : `no training metrics found in the first ${kb} KB` };
}

/** NUL bytes, or many control characters, in the first 8 KB. */
function looksBinary(head: Uint8Array): boolean {
  let control = 0;
  const n = Math.min(head.length, 8192);
  for (let i = 0; i < n; i++) {
    const b = head[i]!;
    if (b === 0) return true;
    if (b < 8 || (b > 13 && b < 32 && b !== 27)) control++;
  }
  return control > n * 0.02;
}

/**
 * A header of at least two names, then rows of the same width holding numbers (the
 * rows may be sparse, as Lightning's are). A `.csv`/`.tsv` name needs only the header
 * and one such row; other names need three.
 */
function looksLikeCsv(lines: string[], firstIdx: number, csvName: boolean): boolean {
  const header = lines[firstIdx]!;
  const delim = detectDelimiter(header);
  const cells: string[] = [];
  splitRecord(header, delim, cells);
  const names = cells.map((c) => c.trim()).filter((c) => c !== '');
  if (names.length < 2 || names.filter((c) => parseNumber(c) === undefined).length < names.length / 2) return false;
  let rows = 0;
  for (let i = firstIdx + 1; i < lines.length && rows < 3; i++) {
    const l = lines[i]!;
    if (l.trim() === '') continue;
    splitRecord(l, delim, cells);
    if (Math.abs(cells.length - names.length) > 1) return false;
    if (!cells.some((c) => c.trim() !== '' && parseNumber(c) !== undefined)) return false;
    rows++;
  }
  let nonEmpty = 0;
  for (let i = firstIdx + 1; i < lines.length && nonEmpty < 3; i++) if (lines[i]!.trim() !== '') nonEmpty++;
  return rows > 0 && rows >= (csvName ? 1 : nonEmpty);
}
