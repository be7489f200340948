// Reader for Hugging Face `trainer_state.json` (the Trainer's checkpoint state), old and
// new formats.
//
// The file is one JSON document; it is streamed through the tolerant event parser
// (Python writes `NaN` and `Infinity`, which JSON.parse rejects), so memory is bounded
// by one `log_history` entry, whatever the file's size.
//
// - Each `log_history` entry is keyed by its `step`. Training entries (`loss`,
//   `learning_rate`, `grad_norm`, `epoch`, ...) and evaluation entries (`eval_loss`,
//   `eval_*`) become separate series; the final summary (`train_runtime`, `train_loss`)
//   is kept as one-point series, as the Trainer's TensorBoard callback writes them.
//   Every point keeps the line of its value.
// - Top-level facts: `max_steps` → planned steps, `num_train_epochs` → planned epochs,
//   steps per epoch from `global_step / epoch`; these and `best_metric`,
//   `best_model_checkpoint`, `logging_steps`, `eval_steps`, `save_steps`,
//   `train_batch_size`, `trial_params` go to hparams.
// - Errors: a syntax error (line, column; the parser resumes at the next entry), an
//   entry without `step` (skipped), a document cut short (`truncated`).
import type { Run } from '../../model/run';
import type { RoleRules } from '../../model/roles';
import { RunBuilder } from '../../model/runBuilder';
import type { RunReader } from '../source';
import { JsonEvents, type JsonHandler, type JsonScalar } from '../jsonl/jsonEvents';
import { LineRunReader } from '../text/lineSplitter';

const HPARAM_KEYS = new Set([
  'best_metric', 'best_model_checkpoint', 'best_global_step', 'logging_steps', 'eval_steps', 'save_steps',
  'train_batch_size', 'max_steps', 'num_train_epochs', 'global_step', 'epoch', 'num_input_tokens_seen', 'total_flos',
]);
/** Keys of an entry that are bookkeeping, not series. */
const ENTRY_SKIP = new Set(['step']);
/** At most this many fields are kept per entry. */
const MAX_ENTRY_FIELDS = 512;

export class TrainerStateReader extends LineRunReader implements RunReader, JsonHandler {
  private readonly run: RunBuilder;
  private readonly parser = new JsonEvents(this);
  private pendingKey: string | undefined;
  /** The top-level key whose value is being read. */
  private topKey: string | undefined;
  /** Depth of the `log_history` array (0 when outside it). */
  private historyDepth = 0;
  /** The entry being read: its fields and the line of each value. */
  private entry: { keys: string[]; values: number[]; lines: number[]; line: number } | undefined;
  private depth = 0;
  private lastLine = 0;
  private entries = 0;

  constructor(source: string, name: string, roleRules?: RoleRules) {
    super();
    this.run = new RunBuilder(source, 'hf-trainer-state', name, roleRules);
    this.run.meta.family = 'hf-trainer';
  }

  protected override onEnd(): void {
    for (const e of this.parser.errors)
      this.run.error({ kind: 'parse', line: e.line, message: `column ${e.column}: ${e.message}` });
    this.parser.errors.length = 0;
    const cut = this.parser.end(Math.max(1, this.lastLine));
    if (cut) this.run.error({ kind: 'truncated', line: cut.line, message: `${cut.message}; every complete log_history entry before it was read` });
    const hp = this.run.hparams;
    const gs = hp.global_step;
    const ep = hp.epoch;
    if (typeof gs === 'number' && typeof ep === 'number' && ep >= 1 && gs > 0) this.run.meta.stepsPerEpoch = Math.round(gs / ep);
  }

  snapshot(): Run {
    return this.run.build();
  }

  protected line(text: string, start: number, end: number, no: number): void {
    this.lastLine = no;
    this.parser.line(text, start, end, no);
  }

  // JsonHandler

  startObject(line: number): void {
    this.depth++;
    if (this.historyDepth > 0 && this.depth === this.historyDepth + 1) this.entry = { keys: [], values: [], lines: [], line };
    this.pendingKey = undefined;
  }

  endObject(): void {
    if (this.entry && this.depth === this.historyDepth + 1) {
      this.flush(this.entry);
      this.entry = undefined;
    }
    this.depth--;
    if (this.depth === 1) this.topKey = undefined;
  }

  startArray(): void {
    this.depth++;
    if (this.depth === 2 && this.topKey === 'log_history') this.historyDepth = 2;
    this.pendingKey = undefined;
  }

  endArray(): void {
    if (this.depth === this.historyDepth) this.historyDepth = 0;
    this.depth--;
    if (this.depth === 1) this.topKey = undefined;
  }

  key(name: string): void {
    this.pendingKey = name;
    if (this.depth === 1) this.topKey = name;
  }

  value(v: JsonScalar, line: number): void {
    const key = this.pendingKey;
    this.pendingKey = undefined;
    if (key === undefined) return;
    if (this.depth === 1) {
      this.top(key, v);
      if (this.depth === 1) this.topKey = undefined;
    } else if (this.depth === 2 && this.topKey === 'trial_params' && (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean')) {
      this.run.hparams[`trial_params.${key}`] = v;
    } else if (this.entry && this.depth === this.historyDepth + 1 && typeof v === 'number' && this.entry.keys.length < MAX_ENTRY_FIELDS) {
      this.entry.keys.push(key);
      this.entry.values.push(v);
      this.entry.lines.push(line);
    }
  }

  resync(depth: number): void {
    this.depth = depth;
    this.entry = undefined;
    this.pendingKey = undefined;
  }

  private top(key: string, v: JsonScalar): void {
    const meta = this.run.meta;
    if (typeof v === 'number') {
      if (key === 'max_steps' && v > 0) meta.plannedSteps = v;
      if (key === 'num_train_epochs' && v > 0) meta.plannedEpochs = v;
    }
    if (HPARAM_KEYS.has(key) && v !== null) this.run.hparams[key] = v;
  }

  private flush(e: { keys: string[]; values: number[]; lines: number[]; line: number }): void {
    this.entries++;
    const si = e.keys.indexOf('step');
    const step = si >= 0 ? e.values[si]! : NaN;
    if (!Number.isFinite(step)) {
      this.run.error({ kind: 'parse', line: e.line, message: `log_history entry ${this.entries} has no step; skipped` });
      return;
    }
    const evaluation = e.keys.some((k) => k.startsWith('eval_'));
    for (let i = 0; i < e.keys.length; i++) {
      const k = e.keys[i]!;
      if (ENTRY_SKIP.has(k)) continue;
      // Evaluation entries repeat the epoch of the training entry at the same step.
      if (evaluation && k === 'epoch') continue;
      this.run.set(k, step, e.values[i]!, { line: e.lines[i]! });
    }
  }
}
