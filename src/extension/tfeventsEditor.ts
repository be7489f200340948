// A read-only custom editor that opens `events.out.tfevents.*` files as the chart, with
// the findings listed beside it.
import * as vscode from 'vscode';
import { bindSession } from './chartSources';
import { ChartSession } from './chartSession';
import { sessionDeps, type PanelDeps } from './chartPanel';
import { chartHtml, webviewOptions } from './webviewHtml';

export const TFEVENTS_VIEW_TYPE = 'lrLens.tfevents';

class EventFileDocument implements vscode.CustomDocument {
  constructor(readonly uri: vscode.Uri) {}
  dispose(): void {
    // The data lives in the run store, released with the editor.
  }
}

export class TfeventsEditorProvider implements vscode.CustomReadonlyEditorProvider<EventFileDocument> {
  private static readonly sessions = new Map<string, ChartSession>();

  static register(deps: PanelDeps): vscode.Disposable {
    return vscode.window.registerCustomEditorProvider(TFEVENTS_VIEW_TYPE, new TfeventsEditorProvider(deps), {
      supportsMultipleEditorsPerDocument: true,
    });
  }

  /** The open editor's session for an event file, if any. */
  static sessionFor(uri: vscode.Uri): ChartSession | undefined {
    return TfeventsEditorProvider.sessions.get(uri.toString());
  }

  private constructor(private readonly deps: PanelDeps) {}

  openCustomDocument(uri: vscode.Uri): EventFileDocument {
    return new EventFileDocument(uri);
  }

  resolveCustomEditor(document: EventFileDocument, panel: vscode.WebviewPanel): void {
    panel.webview.options = webviewOptions(this.deps.extensionUri);
    const session = new ChartSession(panel.webview, () => panel.title, sessionDeps(this.deps), undefined, [document.uri.toString()]);
    const binding = bindSession(session, this.deps.store, [document.uri]);
    const key = document.uri.toString();
    TfeventsEditorProvider.sessions.set(key, session);
    panel.webview.html = chartHtml(panel.webview, this.deps.extensionUri, panel.title);
    panel.onDidDispose(() => {
      if (TfeventsEditorProvider.sessions.get(key) === session) TfeventsEditorProvider.sessions.delete(key);
      binding.dispose();
      session.dispose();
    });
  }
}
