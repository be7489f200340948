// Shared helpers for the test harness: paths, child processes, ports, prerequisites.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
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
