// The one model every reader yields and every consumer (analysis, chart, CLI) reads.
import type { Series } from './series';

/** The reader that produced a run. */
export type RunFormat = 'tfevents' | 'text' | 'csv' | 'jsonl' | 'hf-trainer-state' | 'mlflow';

/**
 * What went wrong while reading. Readers never throw on bad input: they record an
 * error here and keep every point they could read.
 *
 * - `truncated`: the file ends inside a record or line (normal while training writes);
 *   every complete record before it was read.
 * - `corrupt`: the framing is broken (e.g. an impossible record length); reading of
 *   that file stopped at `offset`.
 * - `checksum`: a record's CRC did not match; the record was skipped.
 * - `parse`: a line, row or value could not be understood; it was skipped.
 * - `io`: the file could not be read at all.
 * - `unsupported`: not a training log we know.
 */
export interface ReadError {
  kind: 'truncated' | 'corrupt' | 'checksum' | 'parse' | 'io' | 'unsupported';
  message: string;
  /** The file the error is in, when the run has several files. */
  file?: string;
  /** Byte offset in the file (binary formats). */
  offset?: number;
  /** 1-based line (text formats). */
  line?: number;
}

/** A step that went backwards: from `step` on, later points replaced the earlier ones. */
export interface Restart {
  tag: string;
  step: number;
  /** How many earlier points were dropped. */
  dropped: number;
  /** Source line of the point that restarted, for text formats. */
  line?: number;
}

/** Facts about the run beyond its series, when the source states them. */
export interface RunMeta {
  /** Optimizer steps per epoch, when it can be read or inferred. */
  stepsPerEpoch?: number;
  /** The planned length in steps (e.g. `max_steps`), which may exceed what was run. */
  plannedSteps?: number;
  /** The planned number of epochs. */
  plannedEpochs?: number;
  /** A finer name for the producer, e.g. "keras", "nanogpt", "lightning-csv". */
  family?: string;
}

export type HParamValue = string | number | boolean;

/** One training run. */
export interface Run {
  /** The file or folder it was read from, as the user named it. */
  source: string;
  format: RunFormat;
  /** A short display name (file or folder name). */
  name: string;
  series: Series[];
  /** Hyperparameters the source records (learning rate, optimizer, schedule, ...). */
  hparams: Record<string, HParamValue>;
  meta: RunMeta;
  restarts: Restart[];
  errors: ReadError[];
}

/** The first series with the given role, in the run's order. */
export function seriesByRole(run: Run, role: Series['role']): Series | undefined {
  return run.series.find((s) => s.role === role);
}
