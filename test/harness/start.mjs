// `npm start`: builds and packages the extension, installs it into the test host's
// code-server, writes a demo workspace of generated sample runs and serves it on
// 127.0.0.1. Ctrl+C stops everything.
import fs from 'node:fs';
import path from 'node:path';
import { ensureHost, installVsix, startServer } from './codeServer.mjs';
import { ROOT, WORK, sh } from './lib.mjs';
import { makeWorkspace } from './vscodeTests.mjs';

sh('node', [path.join(ROOT, 'esbuild.mjs'), '--tests']);
sh('npm', ['run', '--silent', 'package'], { cwd: ROOT, quiet: true });
ensureHost();
const dir = path.join(WORK, 'demo');
fs.rmSync(path.join(dir, 'server'), { recursive: true, force: true });
const extensions = path.join(dir, 'server/extensions');
fs.mkdirSync(extensions, { recursive: true });
installVsix(path.join(ROOT, 'out/lr-lens.vsix'), extensions, path.join(dir, 'server/install-user-data'));
const ws = path.join(dir, 'workspace');
fs.rmSync(ws, { recursive: true, force: true });
makeWorkspace(ws);
const port = process.env.PORT ? Number(process.env.PORT) : undefined;
const server = await startServer(path.join(dir, 'server'), { extensionsDir: extensions, port });
console.log(`\nLR Lens demo is running: ${server.url}/?folder=${encodeURIComponent(ws)}\nOpen it in a browser; Ctrl+C stops the server.\n`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping ...');
  await server.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
setInterval(() => undefined, 1 << 30);
