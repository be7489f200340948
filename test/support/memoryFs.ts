// An in-memory FileSystem for tests of the folder walker and the readers that take one.
import type { ByteSource, EntryType, FileSystem } from '../../src/core/formats/source';

export type Tree = { [name: string]: string | Uint8Array | Tree };

const enc = new TextEncoder();

/** A FileSystem over a nested object: strings and byte arrays are files, objects are folders. */
export function memoryFs(tree: Tree, opts: { failOpen?: (path: string) => boolean; reads?: string[] } = {}): FileSystem {
  const lookup = (path: string): string | Uint8Array | Tree | undefined => {
    let node: string | Uint8Array | Tree | undefined = tree;
    for (const part of path.split('/').filter((p) => p && p !== '.')) {
      if (node === undefined || typeof node === 'string' || node instanceof Uint8Array) return undefined;
      node = node[part];
    }
    return node;
  };
  const typeOf = (n: string | Uint8Array | Tree): EntryType => (typeof n === 'string' || n instanceof Uint8Array ? 'file' : 'directory');
  return {
    stat(path) {
      const n = lookup(path);
      if (n === undefined) return Promise.reject(new Error(`ENOENT: no such file or directory, stat '${path}'`));
      const size = typeof n === 'string' ? enc.encode(n).length : n instanceof Uint8Array ? n.length : 0;
      return Promise.resolve({ type: typeOf(n), size, mtime: 0 });
    },
    readDir(path) {
      const n = lookup(path);
      if (n === undefined || typeof n === 'string' || n instanceof Uint8Array) return Promise.reject(new Error(`ENOTDIR: ${path}`));
      return Promise.resolve(Object.entries(n).map(([k, v]) => [k, typeOf(v)] as [string, EntryType]));
    },
    open(path): ByteSource {
      return {
        name: path,
        size() {
          const n = lookup(path);
          if (n === undefined || (typeof n !== 'string' && !(n instanceof Uint8Array))) return Promise.reject(new Error(`ENOENT: ${path}`));
          return Promise.resolve(typeof n === 'string' ? enc.encode(n).length : n.length);
        },
        read(offset, length) {
          if (opts.failOpen?.(path)) return Promise.reject(new Error(`EACCES: permission denied, open '${path}'`));
          opts.reads?.push(path);
          const n = lookup(path);
          if (n === undefined || (typeof n !== 'string' && !(n instanceof Uint8Array))) return Promise.reject(new Error(`ENOENT: ${path}`));
          const bytes = typeof n === 'string' ? enc.encode(n) : n;
          return Promise.resolve(bytes.subarray(offset, offset + length));
        },
      };
    },
  };
}
