// An in-memory FileSystem for tests: folders are implied by file paths; files can grow.
import type { ByteSource, EntryType, FileSystem } from '../../src/core/formats/source';

export class MemoryFileSystem implements FileSystem {
  readonly files = new Map<string, Uint8Array>();
  /** Paths whose reads fail, to test I/O errors. */
  readonly failing = new Set<string>();

  write(path: string, bytes: Uint8Array): this {
    this.files.set(path, bytes);
    return this;
  }

  append(path: string, bytes: Uint8Array): this {
    const old = this.files.get(path) ?? new Uint8Array(0);
    const next = new Uint8Array(old.length + bytes.length);
    next.set(old);
    next.set(bytes, old.length);
    this.files.set(path, next);
    return this;
  }

  stat(path: string): Promise<{ type: EntryType; size: number; mtime: number }> {
    const f = this.files.get(path);
    if (f) return Promise.resolve({ type: 'file', size: f.length, mtime: 0 });
    const prefix = path.endsWith('/') ? path : `${path}/`;
    for (const p of this.files.keys()) if (p.startsWith(prefix)) return Promise.resolve({ type: 'directory', size: 0, mtime: 0 });
    return Promise.reject(new Error(`ENOENT: ${path}`));
  }

  readDir(path: string): Promise<[string, EntryType][]> {
    const prefix = path.endsWith('/') ? path : `${path}/`;
    const out = new Map<string, EntryType>();
    for (const p of this.files.keys()) {
      if (!p.startsWith(prefix)) continue;
      const rest = p.slice(prefix.length);
      const slash = rest.indexOf('/');
      if (slash < 0) out.set(rest, 'file');
      else out.set(rest.slice(0, slash), 'directory');
    }
    if (out.size === 0) return Promise.reject(new Error(`ENOENT: ${path}`));
    return Promise.resolve([...out]);
  }

  open(path: string): ByteSource {
    const files = this.files;
    const failing = this.failing;
    return {
      name: path,
      size: () => {
        const f = files.get(path);
        return f ? Promise.resolve(f.length) : Promise.reject(new Error(`ENOENT: ${path}`));
      },
      read: (offset: number, length: number) => {
        const f = files.get(path);
        if (!f || failing.has(path)) return Promise.reject(new Error(`EIO: ${path}`));
        return Promise.resolve(f.slice(offset, Math.min(f.length, offset + length)));
      },
    };
  }
}
