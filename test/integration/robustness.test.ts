import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ChartSession } from '../../src/extension/chartSession';
import { EventFile, fileVersionEvent } from '../support/tfeventsWriter';
import { api, closeAllEditors, waitFor, writeText, wsUri } from './helpers';

/** A stand-in for a webview: records what the host posts, lets the test send messages. */
class FakeWebview {
  posted: unknown[] = [];
  private readonly emitter = new vscode.EventEmitter<unknown>();
  readonly onDidReceiveMessage = this.emitter.event;
  postMessage(m: unknown): Thenable<boolean> {
    this.posted.push(m);
    return Promise.resolve(true);
  }
  send(m: unknown): void {
    this.emitter.fire(m);
  }
}

suite('robustness', () => {
  teardown(closeAllEditors);

  test('malformed messages from the webview are logged and ignored; well-formed ones still work', async () => {
    const warnings: string[] = [];
    const log = { warn: (m: string) => warnings.push(m), error: (m: string) => warnings.push(m), info: () => undefined, debug: () => undefined, trace: () => undefined } as unknown as vscode.LogOutputChannel;
    const web = new FakeWebview();
    const session = new ChartSession(web as unknown as vscode.Webview, () => 'test', { log });
    try {
      for (const junk of [null, 42, 'ready', { type: 'requestView', id: -1 }, { type: 'revealLine', id: 1, runId: 'x', line: 0 }, { type: 'savePng', id: 2, dataUrl: 'javascript:alert(1)' }, { type: 'eval', code: '1' }]) web.send(junk);
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(web.posted.length, 0, 'nothing answered a malformed message');
      assert.equal(warnings.filter((w) => /ignored a malformed message/.test(w)).length, 7);
      web.send({ type: 'ready' });
      await waitFor('the init message', () => web.posted.length, (n) => n === 1);
      assert.equal((web.posted[0] as { type: string }).type, 'init');
    } finally {
      session.dispose();
    }
  });

  test('a large read can be cancelled and keeps what it read', async () => {
    const { store } = await api();
    const lines: string[] = [];
    for (let s = 0; s < 1_500_000; s++) lines.push(`step ${s} | loss ${(2 + Math.sin(s / 100)).toFixed(4)} | lr 3.00e-04 | norm 0.9 | dt 210.0ms`);
    const uri = await writeText('big/cancel.log', lines.join('\n') + '\n');
    const source = store.acquire(uri);
    // Cancel as the user would, once the progress notification shows the read under way.
    const sub = source.onDidProgress(() => source.cancel());
    try {
      await source.load();
      const points = source.state.runs[0]?.run.series.find((s) => s.tag === 'loss')?.steps.length ?? 0;
      assert.equal(source.state.cancelled, true, `read ${points} points without being cancelled`);
      assert.ok(points < 1_500_000, `${points} points`);
    } finally {
      sub.dispose();
      store.release(source);
    }
  });

  test('an event file that training is still writing updates its editor, a record split across writes included', async () => {
    const { store } = await api();
    const uri = wsUri('live/events.out.tfevents.1700000100.host.1.0');
    const f = new EventFile().add(fileVersionEvent(1_700_000_100));
    for (let s = 0; s < 50; s++) f.add({ wallTime: 1_700_000_100 + s, step: s, summary: [{ tag: 'train/loss', simpleValue: 2 - s * 0.01 }] });
    await vscode.workspace.fs.createDirectory(wsUri('live'));
    await vscode.workspace.fs.writeFile(uri, f.bytes());
    await vscode.commands.executeCommand('vscode.open', uri);
    const count = (): number => store.get(uri)?.state.runs[0]?.run.series.find((x) => x.tag === 'train/loss')?.steps.length ?? 0;
    await waitFor('the first 50 points', count, (n) => n === 50);
    // Append 10 records, the last one cut in half: only the 9 complete ones may appear.
    for (let s = 50; s < 60; s++) f.add({ wallTime: 1_700_000_100 + s, step: s, summary: [{ tag: 'train/loss', simpleValue: 2 - s * 0.01 }] });
    const all = f.bytes();
    await vscode.workspace.fs.writeFile(uri, all.subarray(0, all.length - 7));
    await waitFor('the 9 complete new records', count, (n) => n === 59, 5000);
    await new Promise((r) => setTimeout(r, 1200));
    assert.equal(count(), 59, 'the half-written record is not shown');
    await vscode.workspace.fs.writeFile(uri, all);
    await waitFor('the completed record', count, (n) => n === 60, 5000);
  });
});
