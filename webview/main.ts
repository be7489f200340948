// The chart webview's entry point: connects to the host, starts the app, reports errors.
import { App } from './app';
import { connectHost } from './vscodeApi';

const host = connectHost();

function report(message: string): void {
  try {
    host.post({ type: 'error', message: message.slice(0, 2000) });
  } catch {
    // Nothing more can be done from here.
  }
}

window.addEventListener('error', (e) => report(`${e.message} at ${e.filename}:${e.lineno}:${e.colno}`));
window.addEventListener('unhandledrejection', (e) => report(`unhandled rejection: ${e.reason instanceof Error ? (e.reason.stack ?? e.reason.message) : String(e.reason)}`));

const root = document.getElementById('app');
if (root) {
  const app = new App(root, host);
  Object.defineProperty(window, 'lrLens', { value: app.debug, configurable: false, writable: false });
  app.start();
}
