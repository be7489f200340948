// Files that are not on a local disk (a virtual workspace, a remote file system): LR Lens
// reads them through `vscode.workspace.fs`, so a file system provider of any scheme works.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, closeAllEditors, lrLensDiagnostics, waitFor } from './helpers';
import { divergingLog } from '../support/sampleRuns';
import { EventFile, fileVersionEvent } from '../support/tfeventsWriter';

const SCHEME = 'lrlens-mem';

/** A flat in-memory file system: enough for the editor to open, stat and read files. */
class MemoryFs implements vscode.FileSystemProvider {
  private readonly files = new Map<string, { data: Uint8Array; mtime: number }>();
  private readonly emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.emitter.event;

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    const f = this.files.get(uri.path);
    if (f) return { type: vscode.FileType.File, ctime: f.mtime, mtime: f.mtime, size: f.data.length };
    if ([...this.files.keys()].some((p) => p.startsWith(uri.path.endsWith('/') ? uri.path : `${uri.path}/`)))
      return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    throw vscode.FileSystemError.FileNotFound(uri);
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(): void {}

  readFile(uri: vscode.Uri): Uint8Array {
    const f = this.files.get(uri.path);
    if (!f) throw vscode.FileSystemError.FileNotFound(uri);
    return f.data;
  }

  writeFile(uri: vscode.Uri, content: Uint8Array): void {
    const existed = this.files.has(uri.path);
    this.files.set(uri.path, { data: content, mtime: Date.now() });
    this.emitter.fire([{ type: existed ? vscode.FileChangeType.Changed : vscode.FileChangeType.Created, uri }]);
  }

  delete(uri: vscode.Uri): void {
    this.files.delete(uri.path);
  }

  rename(): void {
    throw vscode.FileSystemError.NoPermissions('read-only test file system');
  }
}

suite('files on a virtual file system', () => {
  let registration: vscode.Disposable;
  const fs = new MemoryFs();

  suiteSetup(() => {
    registration = vscode.workspace.registerFileSystemProvider(SCHEME, fs, { isCaseSensitive: true });
  });
  suiteTeardown(() => {
    registration.dispose();
  });
  teardown(closeAllEditors);

  test('a log on a non-disk file system gets its diagnostics, read through the workspace file system', async () => {
    const sample = divergingLog();
    const uri = vscode.Uri.from({ scheme: SCHEME, path: '/runs/diverging/train.log' });
    fs.writeFile(uri, new TextEncoder().encode(sample.content as string));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const diags = await waitFor('the divergence on the virtual log', () => lrLensDiagnostics(uri), (d) => d.some((x) => x.code === 'divergence'), 15_000);
    const d = diags.find((x) => x.code === 'divergence')!;
    assert.match(doc.lineAt(d.range.start.line).text, /loss nan/);
  });

  test('an event file on a non-disk file system is read, and the chart opens for it', async () => {
    const { store } = await api();
    const uri = vscode.Uri.from({ scheme: SCHEME, path: '/runs/tb/events.out.tfevents.1700000000.host.1.0' });
    const f = new EventFile().add(fileVersionEvent(1_700_000_000));
    for (let s = 0; s < 40; s++) f.add({ wallTime: 1_700_000_000 + s, step: s, summary: [{ tag: 'train/loss', simpleValue: 2 - s * 0.01 }] });
    fs.writeFile(uri, f.bytes());
    const source = store.acquire(uri);
    try {
      await source.load();
      assert.equal(source.state.failure, undefined);
      assert.equal(source.state.runs[0]?.run.series.find((s) => s.tag === 'train/loss')?.steps.length, 40);
    } finally {
      store.release(source);
    }
    await vscode.commands.executeCommand('vscode.openWith', uri, 'lrLens.tfevents');
    await waitFor(
      'the LR Lens editor on the virtual event file',
      () => vscode.window.tabGroups.activeTabGroup.activeTab?.input,
      (input) => input instanceof vscode.TabInputCustom && input.viewType === 'lrLens.tfevents' && input.uri.toString() === uri.toString(),
    );
  });
});
