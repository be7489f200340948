import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildView } from '../../src/core/chart/view';
import { RunBuilder } from '../../src/core/model/runBuilder';
import { DEFAULT_UI_STATE } from '../../src/protocol/messages';
import { parseHostMessage } from '../../webview/validate';

function view(): ReturnType<typeof buildView> {
  const b = new RunBuilder('r', 'text', 'r');
  for (let s = 0; s < 10; s++) b.add('loss', s, s === 4 ? NaN : 1 / (s + 1), { line: s + 1 });
  return buildView([{ id: 'r', run: b.build() }], { xAxis: 'step', xRange: null, width: 100, smoothing: 0.6 });
}

const runInfo = {
  id: 'r',
  name: 'r',
  source: 'r.log',
  format: 'text',
  series: [{ key: 'r\u0000loss', runId: 'r', tag: 'loss', role: 'train_loss', count: 10, nonFinite: 1 }],
  findings: [{ rule: 'divergence', severity: 'error', series: 'loss', step: 4, line: 5, message: 'NaN', evidence: {}, suggestions: [] }],
  axes: ['step'],
  live: false,
  errors: [],
};

test('well-formed host messages pass through, structured-cloned views included', () => {
  const v = structuredClone(view());
  const init = parseHostMessage({ type: 'init', title: 't', runs: [runInfo], state: DEFAULT_UI_STATE, view: v });
  assert.equal(init?.type, 'init');
  assert.deepEqual(init.type === 'init' && init.view.series[0]!.y, v.series[0]!.y);
  assert.equal(init.type === 'init' && init.runs[0]!.findings[0]!.line, 5);
  assert.deepEqual(parseHostMessage({ type: 'view', id: 3, view: v }), { type: 'view', id: 3, view: v });
  assert.deepEqual(parseHostMessage({ type: 'focus', runId: 'r', step: 4, endStep: 9, rule: 'divergence' }), { type: 'focus', runId: 'r', step: 4, endStep: 9, rule: 'divergence' });
  assert.deepEqual(parseHostMessage({ type: 'preview', overlay: null }), { type: 'preview', overlay: null });
  assert.deepEqual(parseHostMessage({ type: 'response', id: 1, ok: false, error: 'cancelled' }), { type: 'response', id: 1, ok: false, error: 'cancelled' });
});

test('malformed messages are rejected whole', () => {
  const bad: unknown[] = [
    null,
    'init',
    [],
    { type: 'nope' },
    { type: 'init', runs: [], state: { xAxis: 'sideways' }, view: view() },
    { type: 'view', id: -1, view: view() },
    { type: 'view', id: 1, view: { ...view(), extent: [5, 1] } },
    { type: 'focus', runId: 'r', step: 'four' },
    { type: 'preview', overlay: { id: 'p', runId: 'r', kind: 'dotted', label: '', x: [], y: [] } },
    { type: 'response', id: 1 },
    { type: 'runs', runs: 'all' },
  ];
  for (const b of bad) assert.equal(parseHostMessage(b), undefined, JSON.stringify(b));
});

test('inside a good message, a malformed item is dropped and the rest kept', () => {
  const v = view();
  const broken = { ...v, series: [...v.series, { key: 'x', x: [1, 2], y: [1], steps: [1, 2], nonFinite: [], total: 2 }, 'junk'] };
  const m = parseHostMessage({ type: 'runs', runs: [runInfo, { id: 3 }, { ...runInfo, id: 'q', findings: [{ rule: 'x' }, ...runInfo.findings] }] });
  assert.equal(m?.type === 'runs' && m.runs.length, 2);
  assert.equal(m?.type === 'runs' && m.runs[1]!.findings.length, 1);
  const vm = parseHostMessage({ type: 'view', id: 1, view: broken });
  assert.equal(vm?.type === 'view' && vm.view.series.length, v.series.length, 'a series whose arrays are not parallel is dropped');
});
