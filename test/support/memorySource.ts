// An in-memory ByteSource whose content tests can grow, truncate or replace.
import type { ByteSource } from '../../src/core/formats/source';

export class MemorySource implements ByteSource {
  private bytes = new Uint8Array(0);
  reads = 0;
  bytesServed = 0;

  constructor(readonly name: string) {}

  append(data: Uint8Array | string): void {
    const add = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    const next = new Uint8Array(this.bytes.length + add.length);
    next.set(this.bytes);
    next.set(add, this.bytes.length);
    this.bytes = next;
  }

  replace(data: Uint8Array | string): void {
    this.bytes = new Uint8Array(0);
    this.append(data);
  }

  truncate(length: number): void {
    this.bytes = this.bytes.slice(0, length);
  }

  size(): Promise<number> {
    return Promise.resolve(this.bytes.length);
  }

  read(offset: number, length: number): Promise<Uint8Array> {
    this.reads++;
    const out = this.bytes.slice(offset, offset + length);
    this.bytesServed += out.length;
    return Promise.resolve(out);
  }
}
