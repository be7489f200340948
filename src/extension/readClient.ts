// The host's side of the read worker: one worker thread, requests with ids, progress.
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type * as vscode from 'vscode';
import type { FromWorker, ReadResult, ReadSettings, ToWorker } from './workerProtocol';

type Pending = { resolve: (r: ReadResult) => void; reject: (e: Error) => void };

export class ReadClient implements vscode.Disposable {
  private worker: Worker | undefined;
  private nextReq = 1;
  private nextHandle = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly progress = new Map<number, (read: number, total: number) => void>();

  constructor(
    private readonly extensionPath: string,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  newHandle(): number {
    return this.nextHandle++;
  }

  /** Reads a local file or folder and keeps it open for `poll`. */
  open(handle: number, fsPath: string, settings: ReadSettings, settleIfOlderThanMs: number): Promise<ReadResult> {
    return this.request((req) => ({ type: 'open', req, handle, path: fsPath, settings, settleIfOlderThanMs }));
  }

  /** Reads bytes the host already holds. */
  openBytes(handle: number, name: string, bytes: Uint8Array, settings: ReadSettings): Promise<ReadResult> {
    return this.request((req) => ({ type: 'openBytes', req, handle, name, bytes, settings }), [bytes.buffer as ArrayBuffer]);
  }

  poll(handle: number, settle: boolean): Promise<ReadResult> {
    return this.request((req) => ({ type: 'poll', req, handle, settle }));
  }

  onProgress(handle: number, fn: ((read: number, total: number) => void) | undefined): void {
    if (fn) this.progress.set(handle, fn);
    else this.progress.delete(handle);
  }

  cancel(handle: number): void {
    this.send({ type: 'cancel', handle });
  }

  close(handle: number): void {
    this.progress.delete(handle);
    if (this.worker) this.send({ type: 'close', handle });
  }

  dispose(): void {
    const w = this.worker;
    this.worker = undefined;
    for (const p of this.pending.values()) p.reject(new Error('LR Lens is shutting down'));
    this.pending.clear();
    void w?.terminate();
  }

  private request(make: (req: number) => ToWorker, transfer: ArrayBuffer[] = []): Promise<ReadResult> {
    const req = this.nextReq++;
    return new Promise<ReadResult>((resolve, reject) => {
      this.pending.set(req, { resolve, reject });
      this.send(make(req), transfer);
    });
  }

  private send(msg: ToWorker, transfer: ArrayBuffer[] = []): void {
    this.ensure().postMessage(msg, transfer);
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(path.join(this.extensionPath, 'out', 'readWorker.js'));
    w.on('message', (msg: FromWorker) => this.onMessage(msg));
    w.on('error', (e) => {
      this.log.error(`read worker crashed: ${e.stack ?? e.message}`);
      this.restart(e);
    });
    w.on('exit', (code) => {
      if (this.worker === w && code !== 0) this.restart(new Error(`read worker exited with code ${code}`));
    });
    this.worker = w;
    return w;
  }

  /** A crashed worker fails its pending requests; the next request starts a new one. */
  private restart(e: Error): void {
    this.worker = undefined;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  private onMessage(msg: FromWorker): void {
    switch (msg.type) {
      case 'progress':
        this.progress.get(msg.handle)?.(msg.read, msg.total);
        return;
      case 'result':
      case 'failed': {
        const p = this.pending.get(msg.req);
        this.pending.delete(msg.req);
        if (!p) return;
        if (msg.type === 'result') p.resolve(msg.result);
        else p.reject(new Error(msg.message));
        return;
      }
    }
  }
}
