// The RunReader for one TensorBoard event file: TFRecord framing → Event decoding → Run.
//
// An event file is a TFRecord stream of serialized `Event` protos (tfRecord.ts,
// event.ts). Its first record normally holds only `file_version` ("brain.Event:2") and
// the writer's wall time. Every scalar becomes a point of the series named by its tag
// (plus an optional prefix such as `validation/`), with its step and wall time;
// `RunBuilder` applies TensorBoard's purge when a tag's step goes backwards (a resumed
// run). Errors are recorded, never thrown: `truncated` (only at `end()`; normal while
// training writes), `corrupt` (framing broken: reading of this file stopped at the
// offset), `checksum` (one record skipped), `parse` (a record whose checksum passed but
// which is not a valid Event: skipped).
import type { HParamValue, Run } from '../../model/run';
import type { RoleRules } from '../../model/roles';
import { RunBuilder } from '../../model/runBuilder';
import type { PointExtras } from '../../model/series';
import type { RunReader } from '../source';
import { EventDecoder, type EventSink } from './event';
import type { TagInfo } from './tagTable';
import { TfRecordFramer, type FramingError, type RecordSink } from './tfRecord';

export interface TfeventsReaderOptions {
  roleRules?: RoleRules;
  /** Verify each record's data checksum (default true). */
  verifyChecksums?: boolean;
  /** Prepended to every tag, e.g. `validation/` for a Keras validation file. */
  tagPrefix?: string;
  /** Fill this builder rather than a new one (the files of one run share one). */
  builder?: RunBuilder;
  /** The file named in errors (default: `source`). */
  file?: string;
  /** File offset of the first pushed byte, when resuming a growing file. */
  startOffset?: number;
  /** Records larger than this are checksummed and skipped without being buffered. */
  maxRecordBytes?: number;
}

/** What the reader has seen so far, beyond the run itself. */
export interface TfeventsStats {
  /** Records whose framing and checksums passed. */
  records: number;
  /** Records that decoded as Events. */
  events: number;
  /** Scalar points decoded (before any purge of a resumed run). */
  scalars: number;
  /** Summary values skipped because they are not scalars (images, histograms, ...). */
  skippedValues: number;
  /** The `file_version` of the first record that has one, e.g. "brain.Event:2". */
  fileVersion: string | undefined;
  /** Wall time (s since the epoch) of the first event. */
  startWallTime: number | undefined;
}

export class TfeventsReader implements RunReader, RecordSink, EventSink {
  readonly builder: RunBuilder;
  private readonly framer: TfRecordFramer;
  private readonly decoder = new EventDecoder();
  private readonly prefix: string;
  private readonly file: string;
  /** Reused for the first point of each series: the builder copies the wall time out. */
  private readonly extras: PointExtras = { wallTime: 0 };
  private version: string | undefined;

  constructor(source: string, name: string, opts: TfeventsReaderOptions = {}) {
    this.builder = opts.builder ?? new RunBuilder(source, 'tfevents', name, opts.roleRules);
    this.prefix = opts.tagPrefix ?? '';
    this.file = opts.file ?? source;
    this.framer = new TfRecordFramer(this, {
      verifyChecksums: opts.verifyChecksums ?? true,
      ...(opts.startOffset !== undefined ? { startOffset: opts.startOffset } : {}),
      ...(opts.maxRecordBytes !== undefined ? { maxRecordBytes: opts.maxRecordBytes } : {}),
    });
  }

  push(chunk: Uint8Array): void {
    this.framer.push(chunk);
    this.decoder.drain(this);
  }

  end(): void {
    this.framer.end();
    this.decoder.drain(this);
  }

  snapshot(): Run {
    return this.builder.build();
  }

  get consumed(): number {
    return this.framer.consumed;
  }

  /** Bytes received but held back as the start of an incomplete record. */
  get pending(): number {
    return this.framer.pending;
  }

  /** True once corrupt framing stopped the reading of this file. */
  get stopped(): boolean {
    return this.framer.stopped;
  }

  get stats(): TfeventsStats {
    const d = this.decoder.stats;
    return {
      records: this.framer.records,
      events: d.events,
      scalars: d.scalars,
      skippedValues: d.skippedValues,
      fileVersion: this.version,
      startWallTime: Number.isNaN(d.startWallTime) ? undefined : d.startWallTime,
    };
  }

  /** @internal RecordSink: one whole record. */
  record(buf: Uint8Array, start: number, end: number, offset: number): void {
    if (!this.decoder.decode(buf, start, end, this)) {
      this.builder.error({
        kind: 'parse',
        file: this.file,
        offset,
        message: `the record at byte ${offset} (${end - start} bytes, checksum correct) is not a valid Event: skipped`,
      });
    }
  }

  /** @internal RecordSink: a framing error. */
  error(e: FramingError): void {
    this.builder.error({ kind: e.kind, file: this.file, offset: e.offset, message: e.message });
  }

  /** @internal EventSink: moves a tag's decoded points into its series. */
  points(tag: TagInfo): void {
    const b = tag.points!;
    const n = b.count;
    b.count = 0;
    let s = tag.series;
    let from = 0;
    if (!s) {
      // The builder creates a series (and gives it its role) on its first point.
      const name = this.prefix + tag.tag;
      this.extras.wallTime = b.wallTimes[0];
      this.builder.add(name, b.steps[0]!, b.values[0]!, this.extras);
      s = tag.series = this.builder.series(name)!;
      from = 1;
    }
    s.pushMany(b.steps, b.values, b.wallTimes, from, n);
  }

  /** @internal EventSink */
  fileVersion(version: string): void {
    this.version ??= version;
  }

  /** @internal EventSink */
  hparam(name: string, value: HParamValue): void {
    this.builder.hparams[name] = value;
  }
}
