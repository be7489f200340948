// code-server 4.100.3 (VS Code 1.100.3) as the tests' VS Code: installed on first use into
// test/host/node_modules from its own lockfile, started on 127.0.0.1 with its own config,
// user data, extensions and temp folders, and stopped with its whole process group.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HOST, freePort, freshDir, need, sh, shortAlias, sleep } from './lib.mjs';

const PINNED = JSON.parse(fs.readFileSync(path.join(HOST, 'package.json'), 'utf8')).dependencies['code-server'];
const MARKER = path.join(HOST, 'node_modules', `.lr-lens-installed-${PINNED}`);
export const CODE_SERVER = process.env.LRLENS_CODE_SERVER ?? path.join(HOST, 'node_modules/.bin/code-server');

/**
 * Installs code-server from test/host/package-lock.json unless already installed.
 * The offline pitfalls (see the README's testing section): @vscode/ripgrep downloads
 * `rg` from GitHub, so its cache is seeded with Debian's `rg`; node-pty needs npx to
 * run node-gyp; code-server's postinstall refuses root without unsafe_perm; node-gyp
 * must build against the local Node headers.
 */
export function ensureHost() {
  if (process.env.LRLENS_CODE_SERVER) return;
  if (fs.existsSync(MARKER) && fs.existsSync(CODE_SERVER)) return;
  need(['rg', 'krb5']);
  console.log(`[host] installing code-server ${PINNED} into test/host (first use only) ...`);
  const t0 = Date.now();
  const tmp = freshDir('host-install');
  const env = {
    ...process.env,
    npm_config_yes: 'true',
    npm_config_unsafe_perm: 'true',
    npm_config_nodedir: process.env.npm_config_nodedir ?? path.dirname(path.dirname(process.execPath)),
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    TMPDIR: tmp,
  };
  sh('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: HOST, env });

  // Seed @vscode/ripgrep's download cache (it looks in os.tmpdir(), i.e. our TMPDIR).
  const shrink = JSON.parse(fs.readFileSync(path.join(HOST, 'node_modules/code-server/lib/vscode/npm-shrinkwrap.json'), 'utf8'));
  const rgPkg = shrink.packages['node_modules/@vscode/ripgrep'].version;
  sh('npm', ['pack', `@vscode/ripgrep@${rgPkg}`, '--pack-destination', tmp, '--silent'], { cwd: tmp, env, quiet: true });
  sh('tar', ['xzf', path.join(tmp, `vscode-ripgrep-${rgPkg}.tgz`), '-C', tmp]);
  const postinstall = fs.readFileSync(path.join(tmp, 'package/lib/postinstall.js'), 'utf8');
  const version = /const VERSION = '([^']+)'/.exec(postinstall)?.[1];
  if (!version) throw new Error(`cannot find the ripgrep VERSION in @vscode/ripgrep@${rgPkg}`);
  const seed = path.join(tmp, 'rgseed');
  fs.mkdirSync(seed);
  fs.copyFileSync(sh('sh', ['-c', 'command -v rg'], { quiet: true }).trim(), path.join(seed, 'rg'));
  const cache = path.join(tmp, `vscode-ripgrep-cache-${rgPkg}`);
  fs.mkdirSync(cache, { recursive: true });
  const arch = os.arch() === 'arm64' ? 'aarch64-unknown-linux-musl' : 'x86_64-unknown-linux-musl';
  sh('tar', ['czf', path.join(cache, `ripgrep-${version}-${arch}.tar.gz`), '-C', seed, 'rg']);

  sh('npm', ['rebuild', '--foreground-scripts'], { cwd: HOST, env, quiet: true });
  fs.writeFileSync(MARKER, `${new Date().toISOString()}\n`);
  fs.rmSync(tmp, { recursive: true, force: true });
  console.log(`[host] code-server ${PINNED} installed in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

/** Installs a .vsix into an extensions folder. */
export function installVsix(vsix, extensionsDir, userDataDir) {
  const parent = path.dirname(extensionsDir);
  fs.mkdirSync(parent, { recursive: true });
  const alias = shortAlias(parent);
  try {
    const short = (p) => path.join(alias.path, path.relative(parent, p));
    const cfg = path.join(alias.path, 'install-config.yaml');
    fs.writeFileSync(cfg, 'auth: none\ncert: false\n');
    sh(CODE_SERVER, ['--config', cfg, '--user-data-dir', short(userDataDir), '--extensions-dir', short(extensionsDir), '--install-extension', vsix], {
      quiet: true,
      env: { ...process.env, TMPDIR: alias.path, XDG_RUNTIME_DIR: alias.path },
    });
  } finally {
    alias.remove();
  }
}

const DEFAULT_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'chat.disableAIFeatures': true,
  'window.commandCenter': false,
  'git.enabled': false,
};

/**
 * Starts code-server for one test phase, in `dir` (a fresh folder under test/.work):
 * config, user data, extensions and TMPDIR all live there. With `trust`, workspace trust
 * is on and the folder opens untrusted (restricted mode).
 */
export async function startServer(realDir, { settings = {}, env = {}, extensionsDir, port: wanted, trust = false } = {}) {
  fs.mkdirSync(realDir, { recursive: true });
  // Sockets live in the user-data and temp folders: reach them through a short alias.
  const alias = shortAlias(realDir);
  const dir = alias.path;
  const port = wanted ?? (await freePort());
  const cfg = path.join(dir, 'config.yaml');
  const userData = path.join(dir, 'user-data');
  const extDir = extensionsDir ?? path.join(dir, 'extensions');
  const tmp = path.join(dir, 'tmp');
  for (const d of [path.join(userData, 'User'), extDir, tmp]) fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(
    cfg,
    [`bind-addr: 127.0.0.1:${port}`, 'auth: none', 'cert: false', 'disable-telemetry: true', 'disable-update-check: true',
      ...(trust ? [] : ['disable-workspace-trust: true']), 'disable-getting-started-override: true', ''].join('\n'),
  );
  const trustSettings = trust
    ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.untrustedFiles': 'open', 'security.workspace.trust.banner': 'never' }
    : {};
  fs.writeFileSync(path.join(userData, 'User/settings.json'), JSON.stringify({ ...DEFAULT_SETTINGS, ...trustSettings, ...settings }, null, 2));
  const log = fs.openSync(path.join(dir, 'server.log'), 'a');
  const child = spawn(CODE_SERVER, ['--config', cfg, '--user-data-dir', userData, '--extensions-dir', extDir], {
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...process.env, TMPDIR: tmp, XDG_RUNTIME_DIR: tmp, XDG_CONFIG_HOME: path.join(dir, 'xdg-config'), ...env },
  });
  fs.closeSync(log);
  let exited = false;
  child.on('exit', () => (exited = true));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await stopProcess();
    alias.remove();
  };
  const stopProcess = async () => {
    if (exited) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    for (let i = 0; i < 50 && !exited; i++) await sleep(100);
    if (!exited) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited) {
      alias.remove();
      throw new Error(`code-server exited at start; see ${path.join(realDir, 'server.log')}`);
    }
    const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer on ${url} within 30 s`);
    }
    await sleep(100);
  }
  return { url, port, stop, dir: realDir, userData: path.join(realDir, 'user-data') };
}
