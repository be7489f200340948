// Every message from the webview is validated before the host uses it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_UI_STATE, parseUiState, parseWebviewMessage } from '../../src/protocol/messages';

test('well-formed messages are accepted as they are', () => {
  const msgs = [
    { type: 'ready' },
    { type: 'ready', state: DEFAULT_UI_STATE },
    { type: 'requestView', id: 1, xAxis: 'epoch', xRange: [0, 10], width: 800, smoothing: 0.6 },
    { type: 'requestView', id: 2, xAxis: 'step', xRange: null, width: 1, smoothing: 0 },
    { type: 'revealLine', id: 3, runId: 'file:///a.log', line: 12 },
    { type: 'exportCsv', id: 4, xAxis: 'time', xRange: null, keys: ['a\u0000loss'] },
    { type: 'savePng', id: 5, dataUrl: 'data:image/png;base64,iVBORw0KGgo=' },
    { type: 'requestPreview', id: 6, runId: 'r', finding: 0, suggestion: 1 },
    { type: 'state', state: { ...DEFAULT_UI_STATE, hidden: ['k'], xRange: [1, 2], sources: ['file:///a'] } },
    { type: 'error', message: 'boom' },
  ];
  for (const m of msgs) assert.deepEqual(parseWebviewMessage(m), m, JSON.stringify(m));
});

test('malformed messages are rejected', () => {
  const bad: unknown[] = [
    null,
    undefined,
    42,
    'ready',
    [],
    { type: 'nope' },
    { type: 'requestView', id: -1, xAxis: 'step', xRange: null, width: 800, smoothing: 0 },
    { type: 'requestView', id: 1, xAxis: 'wall', xRange: null, width: 800, smoothing: 0 },
    { type: 'requestView', id: 1, xAxis: 'step', xRange: [5, 1], width: 800, smoothing: 0 },
    { type: 'requestView', id: 1, xAxis: 'step', xRange: [0, NaN], width: 800, smoothing: 0 },
    { type: 'requestView', id: 1, xAxis: 'step', xRange: null, width: 1e9, smoothing: 0 },
    { type: 'requestView', id: 1, xAxis: 'step', xRange: null, width: 800, smoothing: 1 },
    { type: 'revealLine', id: 1, runId: 'r', line: 0 },
    { type: 'revealLine', id: 1, runId: 'r', line: 1.5 },
    { type: 'revealLine', id: '1', runId: 'r', line: 3 },
    { type: 'savePng', id: 1, dataUrl: 'javascript:alert(1)' },
    { type: 'exportCsv', id: 1, xAxis: 'step', xRange: null, keys: [1, 2] },
    { type: 'state', state: { ...DEFAULT_UI_STATE, smoothing: 2 } },
    { type: 'state', state: { ...DEFAULT_UI_STATE, sources: 'file:///a' } },
    { type: 'requestPreview', id: 1, runId: 'r', finding: -1, suggestion: 0 },
  ];
  for (const m of bad) assert.equal(parseWebviewMessage(m), undefined, JSON.stringify(m));
});

test('a ready message with a corrupt state is still a ready message, without the state', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'ready', state: { smoothing: 'x' } }), { type: 'ready' });
  assert.equal(parseUiState({ ...DEFAULT_UI_STATE, hidden: 'x' }), undefined);
});

test('arbitrary input never throws and anything accepted has the declared shape', () => {
  const anyMsg = fc.oneof(
    fc.anything(),
    fc.record({ type: fc.constantFrom('ready', 'requestView', 'revealLine', 'exportCsv', 'savePng', 'requestPreview', 'state', 'error'), id: fc.anything(), xAxis: fc.anything(), xRange: fc.anything(), width: fc.anything(), smoothing: fc.anything(), line: fc.anything(), runId: fc.anything(), state: fc.anything(), message: fc.anything(), keys: fc.anything(), dataUrl: fc.anything() }, { requiredKeys: ['type'] }),
  );
  fc.assert(
    fc.property(anyMsg, (raw) => {
      const m = parseWebviewMessage(raw);
      if (!m) return;
      assert.equal(typeof m.type, 'string');
      if ('id' in m) assert.ok(Number.isSafeInteger(m.id) && m.id >= 0);
      if (m.type === 'requestView') assert.ok(m.width > 0 && m.smoothing >= 0 && m.smoothing < 1);
      if (m.type === 'revealLine') assert.ok(Number.isSafeInteger(m.line) && m.line >= 1);
    }),
    { numRuns: 20_000 },
  );
});
