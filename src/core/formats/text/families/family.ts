// The contract between the text reader and its per-family recognisers.
//
// Every line is first tokenized and run through the general extractor; then each
// family, in order, may look at it. A family recognises its own lines cheaply (a
// token or two) and either leaves them alone, adjusts what the extractor found (a
// phase, a step, key names) or handles the line itself (headers, tables).
import type { HParamValue, RunMeta } from '../../../model/run';
import type { LineFacts } from '../extract';
import type { StepTracker } from '../steps';
import type { Tokens } from '../tokens';

export const enum Verdict {
  /** Not this family's line. */
  NO = 0,
  /** This family's line; the facts may have been adjusted; the reader records them. */
  ADJUSTED = 1,
  /** This family's line, fully handled (it recorded what it had to). */
  DONE = 2,
}

/** One line as families see it. */
export interface FamilyLine {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** 1-based line number. */
  readonly no: number;
  readonly tokens: Tokens;
  readonly facts: LineFacts;
}

/** What a family may do to the run being read. */
export interface FamilyHost {
  readonly steps: StepTracker;
  readonly meta: RunMeta;
  readonly hparams: Record<string, HParamValue>;
  /** Records a point (the final value per step wins). */
  point(tag: string, step: number, value: number, line: number): void;
  /** For ADJUSTED lines: the step to use instead of resolving the counters. */
  fixStep(step: number): void;
  /** For ADJUSTED lines: the counter is a batch index within the epoch. */
  counterIsBatch(): void;
  /** For ADJUSTED lines: record epoch-level keys only when their value changes. */
  onlyChanges(keys: (key: string) => boolean): void;
}

export interface TextFamily {
  /** Stable name, also `RunMeta.family` once the family has recognised a line. */
  readonly id: string;
  line(l: FamilyLine, host: FamilyHost): Verdict;
  /** Clears per-file state (a new run starts). */
  reset?(): void;
}
