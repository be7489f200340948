// Messages between the extension host and the read worker (both Node; structured clone).
import type { Finding } from '../core/analysis/finding';
import type { RoleRule } from '../core/model/roles';
import type { Run } from '../core/model/run';
import type { ScheduleFit } from '../core/schedules/types';

/** A run with what the analysis found in it. */
export interface AnalyzedRun {
  run: Run;
  findings: Finding[];
  schedule?: ScheduleFit;
}

export interface ReadSettings {
  roleRules: RoleRule[];
}

export type ToWorker =
  /** Start tracking a file or folder by local path and read it. */
  | { type: 'open'; req: number; handle: number; path: string; settings: ReadSettings; settleIfOlderThanMs: number }
  /** Read bytes the host already has (unsaved editor text, virtual file systems). */
  | { type: 'openBytes'; req: number; handle: number; name: string; bytes: Uint8Array; settings: ReadSettings }
  /** Read what is new in a tracked file; `settle` when the host saw no change for a while. */
  | { type: 'poll'; req: number; handle: number; settle: boolean }
  | { type: 'cancel'; handle: number }
  | { type: 'close'; handle: number };

export interface ReadResult {
  /** The runs read, analysed; empty when `failure` says why. */
  runs: AnalyzedRun[];
  failure?: string;
  /** Nothing changed since the last result. */
  unchanged?: boolean;
  /** The file was truncated or replaced and read again. */
  reset?: boolean;
  /** Bytes read so far (files). */
  position?: number;
  /** The file was cancelled part-way: the runs hold what was read before. */
  cancelled?: boolean;
}

export type FromWorker =
  | { type: 'progress'; handle: number; read: number; total: number }
  | { type: 'result'; req: number; result: ReadResult }
  | { type: 'failed'; req: number; message: string };

/** Every ArrayBuffer under a run, for a zero-copy transfer. */
export function transferList(runs: AnalyzedRun[]): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const { run } of runs)
    for (const s of run.series)
      for (const a of [s.steps, s.values, s.wallTimes, s.lines]) if (a && a.buffer instanceof ArrayBuffer) out.add(a.buffer);
  return [...out];
}
