// Reader for JSON Lines metric logs: detectron2 `metrics.json`, mmcv `*.log.json`,
// mmengine `vis_data/scalars.json`, and any file of one JSON object per line.
//
// - The step is the first present of `step`, `global_step`, `iteration`, `_step`,
//   `iter`, `epoch`. mmcv's by-epoch logs (`{"mode": "train", "epoch": 3, "iter": 100}`)
//   count `iter` within the epoch: the step is then `(epoch - 1) × iters + iter` (see
//   the text reader's StepTracker). Without any, lines are numbered by order.
// - Numeric fields become series (one level of nesting is flattened as `outer/inner`);
//   `NaN`, `Infinity` (Python's json) and the strings "nan"/"inf" are values.
// - `mode`/`phase`/`split` of `val`/`eval`/`test` marks an evaluation record: its keys
//   are put under `val/` (or `test/`) and it sits at the step training reached. So does
//   a record whose step went back while it shares no metric with training (mmengine
//   counts validation by epoch).
// - A record repeating the previous record's step and keys (a run restarted into the
//   same file, as detectron2 does) restarts the run at that step.
// - A line that is not a JSON object is a `parse` error with its line and column; the
//   rest is read. The first record without a step or any metric (mmcv's `env_info`
//   header) gives the run's hparams.
import type { HParamValue, Run } from '../../model/run';
import type { RoleRules } from '../../model/roles';
import { RunBuilder } from '../../model/runBuilder';
import type { RunReader } from '../source';
import { LineRunReader } from '../text/lineSplitter';
import { nonFiniteWord } from '../text/numbers';
import { StepTracker } from '../text/steps';
import { parseLineTolerant, type JsonValue } from './jsonEvents';

const STEP_KEYS = ['step', 'global_step', 'iteration', '_step', 'iter', 'epoch'];
const WALL_KEYS = ['wall_time', 'walltime', '_timestamp', 'timestamp'];
const PHASE_KEYS = ['mode', 'phase', 'split'];
const EVAL_PHASES: Record<string, string> = { val: 'val/', valid: 'val/', validation: 'val/', eval: 'val/', evaluation: 'val/', test: 'test/' };
const PHASE_WORD = /(^|[^a-z])(val|valid|validation|eval|evaluation|test)([^a-z]|$)/i;

export class JsonlReader extends LineRunReader implements RunReader {
  private readonly run: RunBuilder;
  private readonly steps = new StepTracker();
  private readonly trainKeys = new Set<string>();
  private lastKeys = '';
  private lastStep = NaN;
  private hparamsTaken = false;
  private records = 0;

  constructor(source: string, name: string, roleRules?: RoleRules) {
    super();
    this.run = new RunBuilder(source, 'jsonl', name, roleRules);
  }

  snapshot(): Run {
    return this.run.build();
  }

  protected line(text: string, start: number, end: number, no: number): void {
    let s = start;
    while (s < end && (text.charCodeAt(s) <= 32 || text.charCodeAt(s) === 0xfeff)) s++;
    if (s === end) return;
    const line = text.slice(s, end);
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      const r = parseLineTolerant(line);
      if (r.error) {
        this.run.error({ kind: 'parse', line: no, message: `column ${r.error.column + s - start}: ${r.error.message}` });
        return;
      }
      value = r.value;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.run.error({ kind: 'parse', line: no, message: 'not a JSON object' });
      return;
    }
    this.record(value as Record<string, JsonValue>, no);
  }

  private record(obj: Record<string, JsonValue>, no: number): void {
    // Flatten numbers (and non-finite spellings) one level deep.
    const fields = new Map<string, number>();
    for (const [k, v] of Object.entries(obj)) {
      const n = numberOf(v);
      if (n !== undefined) fields.set(k, n);
      else if (v !== null && typeof v === 'object' && !Array.isArray(v))
        for (const [k2, v2] of Object.entries(v)) {
          const n2 = numberOf(v2);
          if (n2 !== undefined) fields.set(`${k}/${k2}`, n2);
        }
    }
    let prefix = '';
    for (const p of PHASE_KEYS) {
      const v = obj[p];
      if (typeof v === 'string') {
        prefix = EVAL_PHASES[v.toLowerCase()] ?? '';
        break;
      }
    }
    const stepKey = STEP_KEYS.find((k) => fields.has(k) && Number.isFinite(fields.get(k)));
    const wallKey = WALL_KEYS.find((k) => fields.has(k));
    let wall: number | undefined;
    if (wallKey) {
      const w = fields.get(wallKey)!;
      fields.delete(wallKey);
      if (Number.isFinite(w)) wall = w > 1e11 ? w / 1000 : w;
    }

    const epoch = fields.get('epoch');
    let step: number;
    const mmcvByEpoch = stepKey === 'iter' && epoch !== undefined && typeof obj.mode === 'string';
    if (stepKey === undefined) {
      if (![...fields.keys()].some((k) => this.run.roleOf(k) !== 'other')) {
        this.takeHparams(obj);
        return;
      }
      step = prefix ? this.steps.evaluation(NaN) : this.steps.nextOrdinal();
    } else if (mmcvByEpoch) {
      step = prefix ? this.steps.evaluation(epoch) : this.steps.train(epoch, fields.get('iter')!, NaN, true);
      fields.delete('iter');
    } else {
      step = fields.get(stepKey)!;
      if (stepKey !== 'epoch') fields.delete(stepKey);
      // A step that went back on a record sharing no key with training: an evaluation counted differently.
      if (!prefix && step < this.lastStep && this.trainKeys.size > 0 && ![...fields.keys()].some((k) => this.trainKeys.has(k))) {
        prefix = 'val/';
        step = this.lastStep;
      }
    }
    if (stepKey === 'epoch') fields.delete('epoch');
    for (const p of PHASE_KEYS) fields.delete(p);
    if (fields.size === 0) return;
    this.records++;

    const shape = [...fields.keys()].join('\u0001');
    if (!prefix) {
      if (step === this.lastStep && shape === this.lastKeys) this.run.restartAt(step, no);
      // Training's keys with a role (bookkeeping such as `time` is shared by every record).
      for (const k of fields.keys()) if (k !== 'epoch' && this.run.roleOf(k) !== 'other') this.trainKeys.add(k);
      this.lastKeys = shape;
      this.lastStep = step;
      if (!mmcvByEpoch) this.steps.note(step);
    }
    for (const [k, v] of fields) {
      const tag = prefix && !PHASE_WORD.test(k) ? prefix + k : k;
      this.run.set(tag, step, v, wall === undefined ? { line: no } : { line: no, wallTime: wall });
    }
  }

  private takeHparams(obj: Record<string, JsonValue>): void {
    if (this.hparamsTaken || this.records > 0) return;
    this.hparamsTaken = true;
    const hp: Record<string, HParamValue> = this.run.hparams;
    for (const [k, v] of Object.entries(obj))
      if (typeof v === 'number' || typeof v === 'boolean' || (typeof v === 'string' && v.length <= 200)) hp[k] = v;
  }
}

function numberOf(v: JsonValue | undefined): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.length <= 9) return nonFiniteWord(v, 0, v.length);
  return undefined;
}
