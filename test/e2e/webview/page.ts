// The harness page: the chart panel's real HTML from src/extension/webviewHtml.ts (same CSP,
// same fresh nonce per render), served from a loopback origin, with the fake host's script
// inserted before the webview's under the same nonce.
import { chartHtml } from '../../../src/extension/webviewHtml';
import { Uri } from './vscodeStub';

type Webview = Parameters<typeof chartHtml>[0];
type ExtensionUri = Parameters<typeof chartHtml>[1];

export interface HarnessPage {
  html: string;
  /** The Content-Security-Policy of the page (also to be sent as a header). */
  csp: string;
}

/** The page for `origin` (`http://127.0.0.1:PORT`): webview assets under /webview/, the fake host under /host/. */
export function harnessPage(origin: string, title: string): HarnessPage {
  const root = '/extension/out/webview/';
  const webview = {
    cspSource: origin,
    asWebviewUri: (u: Uri) => ({ toString: () => `${origin}/webview/${u.path.startsWith(root) ? u.path.slice(root.length) : u.path}` }),
  } as unknown as Webview;
  const html = chartHtml(webview, Uri.file('/extension') as unknown as ExtensionUri, title);
  const nonce = /<script nonce="([^"]+)"/.exec(html)?.[1];
  const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
  if (!nonce || !csp) throw new Error('the chart HTML has no script nonce or no CSP');
  const withHost = html.replace(/<script nonce=/, `<script nonce="${nonce}" src="${origin}/host/fakeHost.js"></script>\n<script nonce=`);
  return { html: withHost, csp };
}
