// Reader for console and file logs: lines → extractor → points with their source line.
import type { Run } from '../../model/run';
import type { RoleRules } from '../../model/roles';
import { roleOfTag } from '../../model/roles';
import { RunBuilder } from '../../model/runBuilder';
import type { RunReader } from '../source';
import { extractLine } from './extract';
import { LineSplitter, type Line } from './lineSplitter';

export class TextLogReader implements RunReader {
  private readonly lines = new LineSplitter();
  private readonly run: RunBuilder;
  /** Steps by order, for logs without a step counter. */
  private ordinal = 0;
  private readonly onLine = (l: Line): void => this.line(l);

  constructor(source: string, name: string, private readonly roleRules?: RoleRules) {
    this.run = new RunBuilder(source, 'text', name, roleRules);
  }

  get consumed(): number {
    return this.lines.consumed;
  }

  push(chunk: Uint8Array): void {
    this.lines.push(chunk, this.onLine);
  }

  end(): void {
    this.lines.end(this.onLine);
  }

  snapshot(): Run {
    return this.run.build();
  }

  private line({ no, text }: Line): void {
    const x = extractLine(text);
    if (!x) return;
    const known = x.pairs.some(([k]) => roleOfTag(k, this.roleRules) !== 'other');
    if (!known) return;
    const step = x.step ?? this.ordinal;
    this.ordinal = Math.max(this.ordinal, step) + 1;
    for (const [key, value] of x.pairs) this.run.add(key, step, value, { line: no });
    if (x.epoch !== undefined) this.run.add('epoch', step, x.epoch, { line: no });
    if (x.total !== undefined) this.run.meta.plannedSteps = x.total;
  }
}
