// Running the built CLI (out/cli.js) as a user would, on files written to a temporary folder.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from './shared';

const CLI = path.join(repoRoot(), 'out/cli.js');

/** `lr-lens <args>` in `cwd` (default: this process's). */
export function runCli(args: readonly string[], cwd?: string): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', ...(cwd ? { cwd } : {}) });
}

/** Writes `files` (relative paths, folders made as needed) to a fresh temporary folder, calls `fn` with it, then removes it. */
export function withFiles(files: Record<string, string | Uint8Array>, fn: (dir: string) => void): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lr-lens-cli-'));
  try {
    for (const [name, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), content);
    }
    fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
