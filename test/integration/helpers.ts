// Helpers for tests in the extension host.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { LrLensApi } from '../../src/extension/extension';

export const EXTENSION_ID = 'lr-lens.lr-lens';

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests run with a workspace folder open');
  return folder.uri;
}

export function wsUri(rel: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...rel.split('/'));
}

/** Polls until `get` returns a value that passes `ok`, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, get: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await get();
  while (!ok(last)) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 50));
    last = await get();
  }
  return last;
}

export function lrLensDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'LR Lens');
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** The activated extension's API. */
export async function api(): Promise<LrLensApi> {
  const ext = vscode.extensions.getExtension<LrLensApi>(EXTENSION_ID);
  assert.ok(ext, 'extension is installed');
  return ext.activate();
}

export async function openLog(rel: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(wsUri(rel));
  await vscode.window.showTextDocument(doc);
  return doc;
}

export async function writeText(rel: string, text: string): Promise<vscode.Uri> {
  const uri = wsUri(rel);
  await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(uri, '..'));
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  return uri;
}

/** Sets a setting in the workspace for the duration of `fn`. */
export async function withSetting<T>(key: string, value: unknown, fn: () => Promise<T>): Promise<T> {
  const [section, ...rest] = key.split('.');
  const config = vscode.workspace.getConfiguration(section);
  const name = rest.join('.');
  await config.update(name, value, vscode.ConfigurationTarget.Workspace);
  try {
    return await fn();
  } finally {
    await vscode.workspace.getConfiguration(section).update(name, undefined, vscode.ConfigurationTarget.Workspace);
  }
}
