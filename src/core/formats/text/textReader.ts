// Reader for console and file logs: lines → tokens → pairs and counters → points.
//
// Each line is tokenized once, run through the general extractor, then offered to the
// per-family recognisers (families/*). A line becomes points only when one of its keys
// has a role (a loss, an LR, a metric, ...); every point keeps its 1-based line.
//
// Guards against text that is not a log: lines with control characters (binary
// content) are skipped and counted; a line without any counter, family or epoch
// context (a code line, prose with a number) must show the same keys twice before its
// points are kept, and lines that look like source code are never read.
//
// A log of several trainings one after another, each announced by a labelled epoch
// header (`resnet-50 - Epoch 1/100`), becomes one run per label (see `runs()`).
import type { Run, RunMeta, HParamValue } from '../../model/run';
import { tagWords, type RoleRules, type SeriesRole } from '../../model/roles';
import { RunBuilder } from '../../model/runBuilder';
import type { SeriesBuilder } from '../../model/series';
import type { RunReader } from '../source';
import { extract, LineFacts, Phase } from './extract';
import { createFamilies } from './families/registry';
import { Verdict, type FamilyHost, type FamilyLine, type TextFamily } from './families/family';
import { LineShapes } from './lineShapes';
import { LineRunReader, LONG_LINE_HEAD } from './lineSplitter';
import { StepTracker } from './steps';
import { Tok, Tokens } from './tokens';

/**
 * One token buffer for every reader: a line is scanned and used synchronously, so
 * readers never interleave inside it, and a reader costs no 30 KB of arrays.
 */
const SHARED_TOKENS = new Tokens();

/** Keys remembered with their tags and roles (more distinct keys than this are not cached). */
const MAX_CACHED_KEYS = 4096;
/** Counter-less line shapes remembered for the seen-twice rule. */
const MAX_SHAPES = 512;

interface KeyInfo {
  /** Tag per phase (index = Phase). */
  tags: (string | undefined)[];
  roles: (SeriesRole | undefined)[];
  /** The current run's series per phase. */
  builders: (SeriesBuilder | undefined)[];
}

interface Held {
  step: number;
  line: number;
  keys: string[];
  values: number[];
}

const PHASE_PREFIX = ['', '', 'val/', 'test/'];
const PHASE_WORDS = new Set(['train', 'training', 'val', 'valid', 'validation', 'eval', 'evaluation', 'test', 'testing', 'dev', 'tel', 'trl']);
const CODE_WORDS = new Set([
  'def', 'class', 'return', 'import', 'from', 'if', 'elif', 'else', 'for', 'while', 'with', 'assert', 'lambda',
  'raise', 'try', 'except', 'yield', 'global', 'async', 'await', 'const', 'let', 'var', 'print', 'self',
]);

export class TextLogReader extends LineRunReader implements RunReader {
  private readonly tokens = SHARED_TOKENS;
  private readonly facts = new LineFacts();
  private readonly families: TextFamily[];
  readonly steps = new StepTracker();
  private runs_: RunBuilder[] = [];
  private run: RunBuilder;
  private readonly keyCache = new Map<string, KeyInfo>();
  /** The key info of the current line's pairs, by pair index (valid where `infoKeys[i]` is the key). */
  private readonly infos: (KeyInfo | undefined)[] = [];
  private readonly infoKeys: (string | undefined)[] = [];
  private readonly shapes = new Map<string, Held | null>();
  private binaryLines = 0;
  private firstBinaryLine = 0;
  private label = '';
  private familyId: string | undefined;
  // Per-line directions from a family.
  private fixedStep = NaN;
  private batchCounter = false;
  private changesOnly: ((key: string) => boolean) | undefined;
  private readonly lastValue = new Map<string, number>();
  private readonly host: ReaderHost;
  private readonly lineView: FamilyLine & { text: string; start: number; end: number; no: number } = { text: '', start: 0, end: 0, no: 0, tokens: this.tokens, facts: this.facts };

  /** Recent line shapes, re-read without scanning (see lineShapes.ts); off only in tests. */
  private readonly lineShapes: LineShapes | undefined;

  constructor(
    private readonly source: string,
    private readonly name: string,
    private readonly roleRules?: RoleRules,
    opts: { reuseShapes?: boolean } = {},
  ) {
    super();
    this.lineShapes = opts.reuseShapes === false ? undefined : new LineShapes();
    this.run = new RunBuilder(source, 'text', name, roleRules);
    this.runs_.push(this.run);
    this.families = createFamilies();
    this.host = new ReaderHost(this);
  }

  /** The run being filled (the last one, when the file holds several). */
  get current(): RunBuilder {
    return this.run;
  }

  /** Family direction for the current line (see FamilyHost). */
  direct(step: number, batch: boolean, changes: ((key: string) => boolean) | undefined): void {
    if (step === step) this.fixedStep = step;
    if (batch) this.batchCounter = true;
    if (changes) this.changesOnly = changes;
  }

  protected override onEnd(): void {
    this.flushHeld();
    if (this.binaryLines > 0)
      this.run.error({
        kind: 'parse',
        line: this.firstBinaryLine,
        message: `${this.binaryLines} line${this.binaryLines > 1 ? 's' : ''} with binary content skipped, the first at line ${this.firstBinaryLine}`,
      });
  }

  snapshot(): Run {
    return this.finish(this.run);
  }

  /** Every run in the file, in order (usually one). */
  runs(): Run[] {
    return this.runs_.filter((r, i) => i === this.runs_.length - 1 || r.pointCount > 0).map((r) => this.finish(r));
  }

  private finish(r: RunBuilder): Run {
    const run = r.build();
    if (this.familyId && !run.meta.family) run.meta.family = this.familyId;
    return run;
  }

  protected line(text: string, start: number, end: number, no: number, truncated: boolean): void {
    if (truncated)
      this.run.error({ kind: 'parse', line: no, message: `the line is longer than 1 MB; only its first ${LONG_LINE_HEAD / 1024} KB were read` });
    const t = this.tokens;
    const f = this.facts;
    if (!this.lineShapes?.match(text, start, end, t, f)) {
      t.scan(text, start, end);
      if (t.n === 0) return;
      if (t.control > 0) {
        if (this.binaryLines++ === 0) this.firstBinaryLine = no;
        return;
      }
      extract(t, f);
      this.lineShapes?.learn(text, start, end, t, f);
    }
    this.fixedStep = NaN;
    this.batchCounter = false;
    this.changesOnly = undefined;
    const view = this.lineView;
    view.text = text;
    view.start = start;
    view.end = end;
    view.no = no;
    let verdict = Verdict.NO;
    for (let i = 0; i < this.families.length; i++) {
      const fam = this.families[i]!;
      verdict = fam.line(view, this.host);
      if (verdict !== Verdict.NO) {
        this.familyId ??= fam.id;
        if (i > 0) {
          // The family that matched goes first next time.
          this.families.splice(i, 1);
          this.families.unshift(fam);
        }
        break;
      }
    }
    if (verdict === Verdict.DONE) return;
    if (f.n === 0) {
      this.header(t, f);
      return;
    }
    this.record(no, verdict === Verdict.ADJUSTED, text, start, end);
  }

  /** A line with counters and no metrics: `Epoch 3/20`, `resnet-50 - Epoch 1/100`. */
  private header(t: Tokens, f: LineFacts): void {
    if (f.epochTok >= 0 && f.step !== f.step && f.batch !== f.batch && f.bareN === 0 && f.looseWords <= 3 && f.phase !== Phase.VAL && f.phase !== Phase.TEST) {
      const label = this.labelBefore(t, f.epochTok);
      if (label !== this.label) {
        if (this.label !== '' || this.run.pointCount > 0) {
          if (label !== '') this.newRun(label);
        } else this.run.name = `${this.name} (${label})`;
        this.label = label;
      }
      this.steps.ctxEpoch = f.epoch;
      this.steps.ctxStep = NaN;
      if (f.epochTotal === f.epochTotal) this.run.meta.plannedEpochs = f.epochTotal;
    } else if (f.stepTok >= 0 && f.epoch !== f.epoch && f.bareN === 0 && f.looseWords <= 2) {
      this.steps.ctxStep = f.step;
      if (f.stepTotal === f.stepTotal) this.run.meta.plannedSteps = f.stepTotal;
    }
  }

  /** The words before `… - Epoch`: a model or run name. */
  private labelBefore(t: Tokens, tok: number): string {
    let sep = -1;
    for (let i = tok - 1; i >= 0; i--)
      if (t.kind[i] === Tok.SEP) {
        sep = i;
        break;
      }
    if (sep <= 0) return '';
    let label = '';
    for (let i = 0; i < sep; i++) if (t.kind[i] === Tok.WORD) label += (label ? ' ' : '') + t.str(i);
    return label;
  }

  private newRun(label: string): void {
    this.flushHeld();
    this.run = new RunBuilder(this.source, 'text', `${this.name} (${label})`, this.roleRules);
    this.runs_.push(this.run);
    this.steps.reset();
    this.lastValue.clear();
    this.keyCache.clear();
    this.infos.length = 0;
    this.infoKeys.length = 0;
    for (const fam of this.families) fam.reset?.();
  }

  /** The key's tag and role for a phase (filled in `info.tags[phase]`, `info.roles[phase]`). */
  private keyInfo(key: string, phase: Phase): KeyInfo {
    let info = this.keyCache.get(key);
    if (!info) {
      info = { tags: [], roles: [], builders: [] };
      if (this.keyCache.size < MAX_CACHED_KEYS) this.keyCache.set(key, info);
    }
    if (info.tags[phase] === undefined) {
      const tag = PHASE_PREFIX[phase] && !tagWords(key).some((w) => PHASE_WORDS.has(w)) ? PHASE_PREFIX[phase] + key : key;
      info.tags[phase] = tag;
      info.roles[phase] = this.run.roleOf(tag);
    }
    return info;
  }

  private record(no: number, vouched: boolean, text: string, start: number, end: number): void {
    const f = this.facts;
    const phase = f.phase === Phase.TRAIN ? Phase.NONE : f.phase;
    // Only lines that say something about training: a key with a role.
    let known = false;
    const infos = this.infos;
    for (let i = 0; i < f.n; i++) {
      const key = f.keys[i]!;
      let info = infos[i];
      if (info === undefined || this.infoKeys[i] !== key) {
        info = this.keyInfo(key, phase);
        infos[i] = info;
        this.infoKeys[i] = key;
      } else if (info.tags[phase] === undefined) this.keyInfo(key, phase);
      if (info.roles[phase] !== 'other') known = true;
    }
    if (!known) return;

    let step = this.fixedStep;
    let ordinal = false;
    let fromEpoch = false;
    const steps = this.steps;
    if (step !== step) {
      const isEval = phase === Phase.VAL || phase === Phase.TEST;
      let epoch = f.epoch;
      if (epoch !== epoch && f.step !== f.step) epoch = steps.ctxEpoch;
      if (isEval) {
        step = f.step === f.step && !steps.perEpochCounter ? f.step : steps.evaluation(epoch);
      } else {
        let counter = f.step;
        let total = f.stepTotal;
        let isBatch = this.batchCounter;
        if (f.batch === f.batch) {
          if (counter !== counter) {
            counter = f.batch;
            total = f.batchTotal;
          }
          isBatch = true;
        } else if (counter !== counter && f.bareN > 0) {
          // The first keyless `N/M` (or `[N/M]`): a batch within the epoch, else a step.
          for (let b = 0; b < f.bareN; b++) {
            if (f.bareDen[b] !== f.bareDen[b]) continue;
            counter = f.bareNum[b]!;
            total = f.bareDen[b]!;
            isBatch = epoch === epoch;
            break;
          }
        }
        if (counter !== counter && epoch !== epoch && steps.ctxStep === steps.ctxStep) counter = steps.ctxStep;
        step = steps.train(epoch, counter, total, isBatch);
        if (step !== step) {
          if (!vouched && this.looksLikeCode(text, start, end)) return;
          step = steps.nextOrdinal();
          steps.note(step);
          ordinal = true;
        } else if (total === total && !isBatch && epoch !== epoch) this.run.meta.plannedSteps = total;
        fromEpoch = steps.fromEpoch;
        if (f.epoch === f.epoch) {
          steps.ctxEpoch = f.epoch;
          if (f.epochTotal === f.epochTotal) this.run.meta.plannedEpochs = f.epochTotal;
        }
        if (steps.perEpoch === steps.perEpoch) this.run.meta.stepsPerEpoch = steps.perEpoch;
      }
    } else steps.note(step);

    if (ordinal && !vouched) {
      this.probation(step, no);
      return;
    }
    this.commit(step, no, phase, !fromEpoch);
  }

  /** Writes the line's pairs (and its epoch, unless the step is the epoch) at `step`. */
  private commit(step: number, no: number, phase: Phase, withEpoch = false): void {
    const f = this.facts;
    const run = this.run;
    const changes = this.changesOnly;
    for (let i = 0; i < f.n; i++) {
      const key = f.keys[i]!;
      const info = this.infoKeys[i] === key ? this.infos[i]! : this.keyInfo(key, phase);
      const tag = info.tags[phase]!;
      const v = f.values[i]!;
      if (changes?.(key)) {
        const last = this.lastValue.get(tag);
        if (last !== undefined && (last === v || (last !== last && v !== v))) continue;
        this.lastValue.set(tag, v);
      }
      const b = (info.builders[phase] ??= run.builder(tag));
      if (step < b.lastStep) run.restartAt(step, no);
      b.setLine(step, v, no);
    }
    if (withEpoch && f.epoch === f.epoch && phase === Phase.NONE) this.host.point('epoch', step, f.epoch, no);
  }

  /** A counter-less line is kept once the same keys were seen on another line. */
  private probation(step: number, no: number): void {
    const f = this.facts;
    let shape = f.keys[0]!;
    for (let i = 1; i < f.n; i++) shape += '\u0001' + f.keys[i]!;
    const held = this.shapes.get(shape);
    if (held === null) {
      this.commit(step, no, Phase.NONE);
      return;
    }
    if (held !== undefined) {
      this.writeHeld(held);
      this.shapes.set(shape, null);
      this.commit(step, no, Phase.NONE);
      return;
    }
    if (this.shapes.size >= MAX_SHAPES) return;
    this.shapes.set(shape, { step, line: no, keys: f.keys.slice(0, f.n), values: Array.from(f.values.subarray(0, f.n)) });
  }

  private writeHeld(h: Held): void {
    for (let i = 0; i < h.keys.length; i++) this.host.point(h.keys[i]!, h.step, h.values[i]!, h.line);
  }

  /** Lines still waiting for a second sighting were noise: a shape seen once is never a series. */
  private flushHeld(): void {
    this.shapes.clear();
  }

  /** Source code (a training script echoed into its log), not output. */
  private looksLikeCode(text: string, start: number, end: number): boolean {
    const t = this.tokens;
    if (t.kind[0] === Tok.WORD && CODE_WORDS.has(t.lower(0))) return true;
    for (let i = 0; i + 1 < t.n; i++) if (t.kind[i] === Tok.WORD && t.kind[i + 1] === Tok.LPAREN && t.space[i + 1] === 0) return true;
    // Indented assignment: `    lr = 0.1`.
    let ind = start;
    while (ind < end && text.charCodeAt(ind) === 32) ind++;
    if (ind - start >= 4 && t.n >= 3 && t.kind[1] === Tok.EQ && t.space[1] === 1) return true;
    const last = text.charCodeAt(end - 1);
    return last === 58 /* : */ || last === 40 /* ( */ || last === 123 /* { */ || last === 92 /* \ */;
  }
}

/** What families may do, on the reader's current run. */
class ReaderHost implements FamilyHost {
  constructor(private readonly reader: TextLogReader) {}

  get steps(): StepTracker {
    return this.reader.steps;
  }

  get meta(): RunMeta {
    return this.reader.current.meta;
  }

  get hparams(): Record<string, HParamValue> {
    return this.reader.current.hparams;
  }

  point(tag: string, step: number, value: number, line: number): void {
    const run = this.reader.current;
    const b = run.builder(tag);
    if (step < b.lastStep) run.restartAt(step, line);
    b.setLine(step, value, line);
  }

  fixStep(step: number): void {
    this.reader.direct(step, false, undefined);
  }

  counterIsBatch(): void {
    this.reader.direct(NaN, true, undefined);
  }

  onlyChanges(keys: (key: string) => boolean): void {
    this.reader.direct(NaN, false, keys);
  }
}
