// The core's FileSystem over node:fs, for the command line.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ByteSource, EntryType, FileSystem } from '../core/formats/source';

function typeOf(st: fs.Stats | fs.Dirent): EntryType {
  return st.isFile() ? 'file' : st.isDirectory() ? 'directory' : 'other';
}

class NodeByteSource implements ByteSource {
  constructor(readonly name: string) {}

  async size(): Promise<number> {
    return (await fs.promises.stat(this.name)).size;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const fh = await fs.promises.open(this.name, 'r');
    try {
      const buf = new Uint8Array(length);
      let got = 0;
      while (got < length) {
        const { bytesRead } = await fh.read(buf, got, length - got, offset + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return got === length ? buf : buf.subarray(0, got);
    } finally {
      await fh.close();
    }
  }
}

export const nodeFileSystem: FileSystem = {
  async stat(p) {
    const st = await fs.promises.stat(p);
    return { type: typeOf(st), size: st.size, mtime: st.mtimeMs };
  },
  async readDir(p) {
    const entries = await fs.promises.readdir(p, { withFileTypes: true });
    return entries.map((e) => [e.name, typeOf(e)] as [string, EntryType]);
  },
  open(p) {
    return new NodeByteSource(p.split(path.sep).join('/'));
  },
};
