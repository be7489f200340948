// RunBuilder: what every reader fills, point by point, and snapshots into a Run.
import type { HParamValue, ReadError, Run, RunFormat, RunMeta } from './run';
import { roleOfTag, type RoleRules, type SeriesRole } from './roles';
import { SeriesBuilder, type PointExtras } from './series';

/** At most this many errors are kept per run; later ones are counted in the last. */
export const MAX_ERRORS = 100;

export class RunBuilder {
  private readonly byTag = new Map<string, SeriesBuilder>();
  readonly hparams: Record<string, HParamValue> = {};
  meta: RunMeta = {};
  private readonly errors: ReadError[] = [];
  private suppressedErrors = 0;

  constructor(
    public source: string,
    public format: RunFormat,
    public name: string,
    private readonly roleRules?: RoleRules,
  ) {}

  /**
   * Adds a point. A step lower than the tag's last one is a restart (a resumed or
   * re-run training appending to the same log): as TensorBoard does, every series of
   * the run drops its points from that step on, and each records a `Restart`.
   */
  add(tag: string, step: number, value: number, extras?: PointExtras): void {
    const s = this.builder(tag);
    if (step < s.lastStep) this.restartAt(step, extras?.line);
    s.push(step, value, extras);
  }

  /** Like `add`, but a point at the same step as the tag's last point replaces it (see `SeriesBuilder.set`). */
  set(tag: string, step: number, value: number, extras?: PointExtras): void {
    const s = this.builder(tag);
    if (step < s.lastStep) this.restartAt(step, extras?.line);
    s.set(step, value, extras);
  }

  /** Every series drops its points at or after `step`. */
  restartAt(step: number, line?: number): void {
    for (const b of this.byTag.values()) b.dropFrom(step, line);
  }

  /** The builder of a tag, created (with its role) on first use. */
  builder(tag: string): SeriesBuilder {
    let s = this.byTag.get(tag);
    if (!s) {
      s = new SeriesBuilder(tag, roleOfTag(tag, this.roleRules));
      this.byTag.set(tag, s);
    }
    return s;
  }

  /** The role a tag gets in this run (user rules first). */
  roleOf(tag: string): SeriesRole {
    return this.byTag.get(tag)?.role ?? roleOfTag(tag, this.roleRules);
  }

  /** Points over all series so far. */
  get pointCount(): number {
    let n = 0;
    for (const s of this.byTag.values()) n += s.length;
    return n;
  }

  series(tag: string): SeriesBuilder | undefined {
    return this.byTag.get(tag);
  }

  get tags(): string[] {
    return [...this.byTag.keys()];
  }

  error(e: ReadError): void {
    if (this.errors.length < MAX_ERRORS) this.errors.push(e);
    else this.suppressedErrors++;
  }

  get errorCount(): number {
    return this.errors.length + this.suppressedErrors;
  }

  /** A snapshot of everything read so far; the builder can keep growing afterwards. */
  build(): Run {
    const series = [...this.byTag.values()].filter((s) => s.length > 0).map((s) => s.build());
    const restarts = [...this.byTag.values()].flatMap((s) => s.restarts);
    const errors = [...this.errors];
    if (this.suppressedErrors > 0)
      errors.push({ kind: 'parse', message: `${this.suppressedErrors} more errors not listed` });
    return {
      source: this.source,
      format: this.format,
      name: this.name,
      series,
      hparams: { ...this.hparams },
      meta: { ...this.meta },
      restarts,
      errors,
    };
  }
}
