import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import type { WebviewMessage } from '../../src/protocol/messages';
import { RequestError, Requests } from '../../webview/requests';

const view = { xAxis: 'step' as const, xRange: null, extent: [0, 1] as [number, number], series: [], overlays: [] };

test('requests get fresh ids and resolve with the reply that carries theirs', async () => {
  const sent: WebviewMessage[] = [];
  const r = new Requests((m) => sent.push(m));
  const a = r.send({ type: 'requestView', xAxis: 'step', xRange: null, width: 800, smoothing: 0.6 });
  const b = r.send({ type: 'revealLine', runId: 'x', line: 7 });
  assert.deepEqual(sent.map((m) => ('id' in m ? m.id : -1)), [1, 2]);
  assert.equal(r.settle({ type: 'response', id: 2, ok: true }), true);
  assert.equal(r.settle({ type: 'view', id: 1, view }), true);
  assert.equal((await a).view, view);
  assert.equal((await b).ok, true);
  assert.equal(r.size, 0);
  assert.equal(r.settle({ type: 'view', id: 1, view }), false, 'a duplicate reply is ignored');
});

test('a reply of the wrong kind does not settle a request; a failed response rejects it', async () => {
  const r = new Requests(() => undefined);
  const v = r.send({ type: 'requestView', xAxis: 'step', xRange: null, width: 800, smoothing: 0 });
  assert.equal(r.settle({ type: 'response', id: 1, ok: true }), false);
  assert.equal(r.settle({ type: 'response', id: 1, ok: false, error: 'no such run' }), true);
  await assert.rejects(v, (e: unknown) => e instanceof RequestError && e.reason === 'failed' && e.message === 'no such run');
});

test('requests time out, and are rejected when the webview goes away', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const r = new Requests(() => undefined, () => 1000);
    const late = r.send({ type: 'requestView', xAxis: 'step', xRange: null, width: 800, smoothing: 0 });
    mock.timers.tick(1001);
    await assert.rejects(late, (e: unknown) => e instanceof RequestError && e.reason === 'timeout');
    assert.equal(r.settle({ type: 'view', id: 1, view }), false, 'the late answer is dropped');
    const pending = r.send({ type: 'exportCsv', xAxis: 'step', xRange: null, keys: [] });
    r.dispose();
    await assert.rejects(pending, (e: unknown) => e instanceof RequestError && e.reason === 'cancelled');
    await assert.rejects(r.send({ type: 'savePng', dataUrl: 'data:image/png;base64,' }), (e: unknown) => e instanceof RequestError && e.reason === 'cancelled');
  } finally {
    mock.timers.reset();
  }
});
