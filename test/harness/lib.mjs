// Shared helpers for the test harness: paths, child processes, ports, prerequisites.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Everything the tests create lives here (git-ignored) and is removed by them. */
export const WORK = path.join(ROOT, 'test/.work');
export const HOST = path.join(ROOT, 'test/host');
export const CHROMIUM = process.env.LRLENS_CHROMIUM ?? '/usr/bin/chromium';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Runs a command to completion, streaming its output; throws on a non-zero exit. */
export function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: opts.quiet ? 'pipe' : 'inherit', encoding: 'utf8', ...opts });
  if (r.status !== 0) {
    const out = opts.quiet ? `\n${r.stdout ?? ''}${r.stderr ?? ''}` : '';
    throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}${out}`);
  }
  return r.stdout ?? '';
}

/** Runs a command and resolves with its exit code (output inherited). */
export function run(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'inherit', ...opts });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    child.on('error', (e) => {
      console.error(`${cmd}: ${e.message}`);
      resolve(127);
    });
  });
}

/** A free TCP port on the loopback interface. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** A fresh, empty folder under test/.work. */
export function freshDir(name) {
  const dir = path.join(WORK, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Fails early, naming the Debian package, when a prerequisite is missing. */
export function need(what) {
  const checks = {
    chromium: [() => fs.existsSync(CHROMIUM), 'chromium (apt-get install chromium)'],
    rg: [() => spawnSync('rg', ['--version']).status === 0, 'ripgrep (apt-get install ripgrep)'],
    krb5: [() => fs.existsSync('/usr/include/krb5.h') || fs.existsSync('/usr/include/krb5/krb5.h'), 'libkrb5-dev (apt-get install libkrb5-dev)'],
  };
  const missing = what.filter((w) => !checks[w][0]()).map((w) => checks[w][1]);
  if (missing.length) throw new Error(`missing prerequisites: ${missing.join(', ')}`);
}

/** Copies a folder tree. */
export function copyDir(from, to) {
  fs.cpSync(from, to, { recursive: true });
}

/**
 * A short path for `dir`: a symlink in the system temp folder. Unix sockets (Chromium's
 * singleton socket, code-server's IPC sockets) must have paths under ~108 bytes, which a
 * deep checkout exceeds; the files still live under `dir` (inside test/.work). Returns
 * the alias and a function that removes it.
 */
export function shortAlias(dir) {
  const base = os.tmpdir().length <= 24 ? os.tmpdir() : '/tmp';
  for (let i = 0; ; i++) {
    const link = path.join(base, `lrl-${process.pid.toString(36)}-${Math.random().toString(36).slice(2, 8)}`);
    try {
      fs.symlinkSync(dir, link, 'dir');
      return { path: link, remove: () => fs.rmSync(link, { force: true }) };
    } catch (e) {
      if (e.code !== 'EEXIST' || i > 10) throw e;
    }
  }
}
