// RunBuilder: what every reader fills, point by point, and snapshots into a Run.
import type { HParamValue, ReadError, Run, RunFormat, RunMeta } from './run';
import { roleOfTag, type RoleRules } from './roles';
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

  add(tag: string, step: number, value: number, extras?: PointExtras): void {
    let s = this.byTag.get(tag);
    if (!s) {
      s = new SeriesBuilder(tag, roleOfTag(tag, this.roleRules));
      this.byTag.set(tag, s);
    }
    s.push(step, value, extras);
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
