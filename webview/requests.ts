// Requests to the host: each gets a fresh id, resolves with the host's reply carrying that
// id, rejects when the host does not answer in time, and is rejected when the webview goes away.
import type {
  ExportCsvMessage,
  RequestPreviewMessage,
  RequestViewMessage,
  ResponseMessage,
  RevealLineMessage,
  SavePngMessage,
  ViewMessage,
  WebviewMessage,
} from '../src/protocol/messages';

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
export type Request = WithoutId<RequestViewMessage | RevealLineMessage | ExportCsvMessage | SavePngMessage | RequestPreviewMessage>;
type Reply = ViewMessage | ResponseMessage;

/** Why a request did not get its answer. */
export class RequestError extends Error {
  constructor(
    readonly reason: 'timeout' | 'cancelled' | 'failed',
    message: string,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

interface Pending {
  type: Request['type'];
  resolve(reply: Reply): void;
  reject(e: RequestError): void;
  timer: ReturnType<typeof setTimeout>;
}

export class Requests {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private disposed = false;

  constructor(
    private readonly post: (msg: WebviewMessage) => void,
    /** Saving a file waits on a dialog, so the default is generous. */
    private readonly timeoutMs: (type: Request['type']) => number = (t) => (t === 'requestView' ? 20_000 : 10 * 60_000),
  ) {}

  /** Sends `msg` and resolves with the host's `view` for a `requestView`. */
  send(msg: WithoutId<RequestViewMessage>): Promise<ViewMessage>;
  /** Sends `msg` and resolves with the host's `response`; rejects when it says `ok: false`. */
  send(msg: WithoutId<RevealLineMessage | ExportCsvMessage | SavePngMessage | RequestPreviewMessage>): Promise<ResponseMessage>;
  send(msg: Request): Promise<Reply> {
    if (this.disposed) return Promise.reject(new RequestError('cancelled', 'the chart is closing'));
    const id = this.nextId++;
    return new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new RequestError('timeout', `the extension did not answer "${msg.type}" within ${Math.round(this.timeoutMs(msg.type) / 1000)} s`));
      }, this.timeoutMs(msg.type));
      this.pending.set(id, { type: msg.type, resolve, reject, timer });
      this.post({ ...msg, id });
    });
  }

  /** The id the next request will get (for tests and diagnostics). */
  get lastId(): number {
    return this.nextId - 1;
  }

  get size(): number {
    return this.pending.size;
  }

  /**
   * Settles the request a reply answers. Returns false for a reply nobody waits for (late,
   * duplicated or of the wrong kind), which the caller ignores.
   */
  settle(reply: Reply): boolean {
    const p = this.pending.get(reply.id);
    if (!p) return false;
    const expectsView = p.type === 'requestView';
    if (expectsView !== (reply.type === 'view') && !(reply.type === 'response' && !reply.ok)) return false;
    this.pending.delete(reply.id);
    clearTimeout(p.timer);
    if (reply.type === 'response' && !reply.ok) p.reject(new RequestError('failed', reply.error ?? `"${p.type}" failed`));
    else p.resolve(reply);
    return true;
  }

  /** Rejects every pending request; later sends reject at once. */
  dispose(): void {
    this.disposed = true;
    for (const [, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new RequestError('cancelled', 'the chart is closing'));
    }
    this.pending.clear();
  }
}
