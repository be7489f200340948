// The runs the extension is looking at: one tracked source per file or folder URI, read
// by the worker, followed while it grows, shared by diagnostics, charts, the custom
// editor, the tree and the status bar.
import * as vscode from 'vscode';
import type { RoleRule } from '../core/model/roles';
import { readConfig } from './config';
import { Disposable } from './dispose';
import type { ReadClient } from './readClient';
import type { AnalyzedRun, ReadResult, ReadSettings } from './workerProtocol';

/** Files above this size are read with a progress notification that can cancel. */
export const PROGRESS_THRESHOLD_BYTES = 16 * 1024 * 1024;
/** A file unchanged for this long is "finished for now": its last unterminated line is read. */
export const SETTLE_AFTER_MS = 2000;
/** How often a live source is polled in addition to file-system events. */
export const LIVE_POLL_MS = 1000;

export interface SourceState {
  runs: AnalyzedRun[];
  failure?: string;
  /** The last read was cancelled part-way: the runs hold what was read before. */
  cancelled?: boolean;
  loading: boolean;
  /** The source changed within the last minute (training is writing it). */
  live: boolean;
  /** Increments on every change. */
  version: number;
}

export interface StoreDeps {
  client: ReadClient;
  log: vscode.LogOutputChannel;
  roleRules: () => RoleRule[];
}

export class TrackedSource extends Disposable {
  readonly handle: number;
  state: SourceState = { runs: [], loading: true, live: false, version: 0 };
  private readonly changed = this.register(new vscode.EventEmitter<SourceState>());
  readonly onDidChange = this.changed.event;
  private readonly progressed = this.register(new vscode.EventEmitter<{ read: number; total: number }>());
  /** Bytes read so far by a large read shown with a progress notification. */
  readonly onDidProgress = this.progressed.event;
  private opened: Promise<void> | undefined;
  private pollTimer: ReturnType<typeof setTimeout> | undefined;
  private liveTimer: ReturnType<typeof setInterval> | undefined;
  private lastChange = 0;
  private polling = false;
  private pollAgain = false;
  private settled = false;
  refs = 0;

  constructor(
    readonly uri: vscode.Uri,
    private readonly deps: StoreDeps,
  ) {
    super();
    this.handle = deps.client.newHandle();
  }

  /** Whether the worker reads this source from disk itself (local or remote `file:`). */
  get onDisk(): boolean {
    return this.uri.scheme === 'file';
  }

  /** Reads the source once (later calls wait for the same read). */
  load(): Promise<void> {
    this.opened ??= this.firstRead();
    return this.opened;
  }

  private settings(): ReadSettings {
    return { roleRules: this.deps.roleRules() };
  }

  private async firstRead(): Promise<void> {
    let size = 0;
    let isDir = false;
    try {
      const st = await vscode.workspace.fs.stat(this.uri);
      size = st.size;
      isDir = (st.type & vscode.FileType.Directory) !== 0;
      if (Date.now() - st.mtime < 60_000) {
        // Written in the last minute: training is probably still writing it.
        this.lastChange = st.mtime;
        this.state = { ...this.state, live: true };
        this.startLivePolling();
      }
    } catch (e) {
      this.apply({ runs: [], failure: `cannot open ${this.uri.fsPath}: ${(e as Error).message}` });
      return;
    }
    const read = async (): Promise<ReadResult> => {
      if (this.onDisk) return this.deps.client.open(this.handle, this.uri.fsPath, this.settings(), SETTLE_AFTER_MS);
      if (isDir) return { runs: [], failure: 'folders are read from local or remote disks only' };
      const bytes = await vscode.workspace.fs.readFile(this.uri);
      return this.deps.client.openBytes(this.handle, this.uri.toString(), bytes, this.settings());
    };
    try {
      const result = size > PROGRESS_THRESHOLD_BYTES && this.onDisk ? await this.withProgress(size, read) : await read();
      this.apply(result);
    } catch (e) {
      this.deps.log.error(`reading ${this.uri.toString()}: ${(e as Error).message}`);
      this.apply({ runs: [], failure: (e as Error).message });
    }
  }

  private withProgress(size: number, read: () => Promise<ReadResult>): Promise<ReadResult> {
    const name = vscode.workspace.asRelativePath(this.uri);
    return Promise.resolve(
      vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `LR Lens: reading ${name}`, cancellable: true },
        async (progress, token) => {
          let reported = 0;
          this.deps.client.onProgress(this.handle, (done, total) => {
            const pct = (done / Math.max(total, size)) * 100;
            progress.report({ increment: pct - reported, message: `${(done / 1e6).toFixed(0)} of ${(total / 1e6).toFixed(0)} MB` });
            reported = pct;
            this.progressed.fire({ read: done, total });
          });
          const sub = token.onCancellationRequested(() => this.cancel());
          try {
            return await read();
          } finally {
            sub.dispose();
            this.deps.client.onProgress(this.handle, undefined);
          }
        },
      ),
    );
  }

  /** Stops a read in progress; the source keeps what was read so far. */
  cancel(): void {
    this.deps.client.cancel(this.handle);
  }

  /** Something on disk changed: read what is new soon. */
  touch(): void {
    this.lastChange = Date.now();
    this.settled = false;
    if (!this.state.live) {
      this.state = { ...this.state, live: true };
      this.startLivePolling();
    }
    if (this.pollTimer) return;
    this.pollTimer = setTimeout(() => {
      this.pollTimer = undefined;
      void this.poll();
    }, 150);
  }

  /** Re-reads bytes held by the host (an unsaved editor). */
  async setBytes(bytes: Uint8Array): Promise<void> {
    try {
      this.apply(await this.deps.client.openBytes(this.handle, this.uri.toString(), bytes, this.settings()));
    } catch (e) {
      this.deps.log.error(`reading ${this.uri.toString()}: ${(e as Error).message}`);
    }
  }

  private startLivePolling(): void {
    if (this.liveTimer) return;
    this.liveTimer = setInterval(() => {
      const idle = Date.now() - this.lastChange;
      if (idle > 60_000) {
        this.stopLivePolling();
        this.state = { ...this.state, live: false };
        this.changed.fire(this.state);
        return;
      }
      void this.poll();
    }, LIVE_POLL_MS);
  }

  private stopLivePolling(): void {
    if (this.liveTimer) clearInterval(this.liveTimer);
    this.liveTimer = undefined;
  }

  private async poll(): Promise<void> {
    if (this.isDisposed) return;
    await this.load();
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    this.polling = true;
    try {
      if (this.onDisk) {
        const settle = !this.settled && Date.now() - this.lastChange > SETTLE_AFTER_MS;
        const r = await this.deps.client.poll(this.handle, settle);
        if (settle) this.settled = true;
        if (!r.unchanged) {
          this.lastChange = Date.now();
          this.apply(r);
        }
      } else {
        this.apply(await this.deps.client.openBytes(this.handle, this.uri.toString(), await vscode.workspace.fs.readFile(this.uri), this.settings()));
      }
    } catch (e) {
      this.deps.log.warn(`following ${this.uri.toString()}: ${(e as Error).message}`);
    } finally {
      this.polling = false;
    }
    if (this.pollAgain) {
      this.pollAgain = false;
      void this.poll();
    }
  }

  private apply(r: ReadResult): void {
    if (this.isDisposed) return;
    this.logResult(r);
    this.state = {
      runs: r.runs,
      ...(r.failure ? { failure: r.failure } : {}),
      ...(r.cancelled ? { cancelled: true } : {}),
      loading: false,
      live: this.state.live,
      version: this.state.version + 1,
    };
    this.changed.fire(this.state);
  }

  /** Details for bug reports go to the "LR Lens" output channel. */
  private logResult(r: ReadResult): void {
    const name = this.uri.scheme === 'file' ? this.uri.fsPath : this.uri.toString();
    if (r.failure && r.runs.length === 0) {
      this.deps.log.debug(`${name}: not read (${r.failure})`);
      return;
    }
    const points = r.runs.reduce((n, a) => n + a.run.series.reduce((m, s) => m + s.steps.length, 0), 0);
    this.deps.log.info(`${name}: ${r.runs.length} run(s), ${points} points${r.reset ? ' (re-read: the file was truncated or replaced)' : ''}${r.cancelled ? ' (cancelled part-way)' : ''}`);
    for (const { run } of r.runs)
      for (const e of run.errors) {
        const at = e.line !== undefined ? `:${e.line}` : e.offset !== undefined ? ` at byte ${e.offset}` : '';
        this.deps.log.warn(`${e.file ?? run.source}${at}: ${e.kind}: ${e.message}`);
      }
  }

  override dispose(): void {
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.stopLivePolling();
    this.deps.client.close(this.handle);
    super.dispose();
  }
}

/** Tracked sources by URI, shared by every consumer; released when the last one lets go. */
export class RunStore extends Disposable {
  private readonly sources = new Map<string, TrackedSource>();
  private readonly watchers = new Map<string, vscode.Disposable>();
  private readonly anyChanged = this.register(new vscode.EventEmitter<TrackedSource>());
  readonly onDidChange = this.anyChanged.event;

  constructor(private readonly deps: StoreDeps) {
    super();
  }

  get(uri: vscode.Uri): TrackedSource | undefined {
    return this.sources.get(uri.toString());
  }

  /** Starts (or joins) tracking a file or folder; `release` when done. */
  acquire(uri: vscode.Uri): TrackedSource {
    const key = uri.toString();
    let src = this.sources.get(key);
    if (!src) {
      src = new TrackedSource(uri, this.deps);
      const s = src;
      s.onDidChange(() => this.anyChanged.fire(s));
      this.sources.set(key, s);
      this.watchers.set(key, this.watch(s));
    }
    src.refs++;
    void src.load();
    return src;
  }

  release(src: TrackedSource): void {
    if (--src.refs > 0) return;
    const key = src.uri.toString();
    this.sources.delete(key);
    this.watchers.get(key)?.dispose();
    this.watchers.delete(key);
    src.dispose();
  }

  private watch(src: TrackedSource): vscode.Disposable {
    const uri = src.uri;
    const parent = vscode.Uri.joinPath(uri, '..');
    const base = uri.path.split('/').pop() ?? '';
    // A pattern for the file itself, or everything under a folder.
    const pattern = new vscode.RelativePattern(parent, `${base}{,/**}`);
    const w = vscode.workspace.createFileSystemWatcher(pattern);
    const touch = (): void => {
      if (readConfig(uri).follow) src.touch();
    };
    return vscode.Disposable.from(w, w.onDidChange(touch), w.onDidCreate(touch), w.onDidDelete(touch));
  }

  override dispose(): void {
    for (const w of this.watchers.values()) w.dispose();
    for (const s of this.sources.values()) s.dispose();
    this.sources.clear();
    super.dispose();
  }
}
