import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../../src/core/analysis/finding';
import { buildView, seriesKey } from '../../src/core/chart/view';
import { RunBuilder } from '../../src/core/model/runBuilder';
import type { Run } from '../../src/core/model/run';
import type { RunInfo } from '../../src/protocol/messages';
import { parseColor, withAlpha, type Theme } from '../../webview/colors';
import { axesFor, buildModel, focusRange, groupNonFinite, hiddenByDefault, isShown, logBounds, stemOf, stepToX, toggled, withDistinctNames } from '../../webview/model';
import type { PersistedState } from '../../webview/vscodeApi';

const theme: Theme = {
  kind: 'dark',
  highContrast: false,
  background: '#1f1f1f',
  foreground: '#cccccc',
  muted: '#9d9d9d',
  grid: 'rgba(204, 204, 204, 0.16)',
  border: '#313131',
  focus: '#0078d4',
  palette: ['#3794ff', '#d18616', '#89d185', '#b180d7', '#f14c4c', '#cca700'],
  error: '#f14c4c',
  warning: '#cca700',
  info: '#3794ff',
  hoverBackground: '#202020',
  hoverForeground: '#cccccc',
  hoverBorder: '#454545',
  fontFamily: 'sans-serif',
  fontSize: 13,
};

const state = (patch: Partial<PersistedState> = {}): PersistedState => ({ xAxis: 'step', smoothing: 0.6, logY: false, hidden: [], xRange: null, showFindings: true, shown: [], ...patch });

function info(id: string, run: Run, findings: Finding[] = []): RunInfo {
  return {
    id,
    name: run.name,
    source: run.source,
    format: run.format,
    series: run.series.map((s) => ({ key: seriesKey(id, s.tag), runId: id, tag: s.tag, role: s.role, count: s.values.length, nonFinite: 0 })),
    findings,
    axes: ['step'],
    live: false,
    errors: [],
  };
}

function run(name: string, opts: { nanFrom?: number; metricsOnly?: boolean } = {}): Run {
  const b = new RunBuilder(name, 'text', name);
  for (let s = 0; s <= 100; s++) {
    if (!opts.metricsOnly) {
      b.add('train/loss', s, s >= (opts.nanFrom ?? Infinity) ? NaN : 3 - s / 50, { line: s + 1 });
      b.add('lr', s, 1e-3, { line: s + 1 });
      b.add('grad_norm', s, 1, { line: s + 1 });
      if (s % 10 === 0) b.add('val/loss', s, 3.2 - s / 50, { line: s + 1 });
    }
    b.add('val/accuracy', s, s / 100, { line: s + 1 });
  }
  return b.build();
}

test('losses and the LR show by default; other roles wait in the legend unless the run has no loss', () => {
  assert.equal(hiddenByDefault('train_loss', true), false);
  assert.equal(hiddenByDefault('lr', true), false);
  assert.equal(hiddenByDefault('grad_norm', true), true);
  assert.equal(hiddenByDefault('val_metric', true), true);
  assert.equal(hiddenByDefault('val_metric', false), false);
  const r = run('m', { metricsOnly: true });
  const m = buildModel({ runs: [info('m', r)], view: buildView([{ id: 'm', run: r }], { xAxis: 'step', xRange: null, width: 500, smoothing: 0.6 }), state: state(), theme, preview: null });
  assert.ok(m.lines.some((l) => l.role === 'val_metric' && !l.hidden));
  assert.ok(m.axes.find((a) => a.id === 'metric')!.visible);
});

test('legend toggles record user choices in `hidden`, and in `shown` for series hidden by default', () => {
  let s = state();
  s = toggled(s, 'loss', false);
  assert.deepEqual(s.hidden, ['loss']);
  assert.equal(isShown('loss', false, s), false);
  s = toggled(s, 'loss', false);
  assert.deepEqual(s.hidden, []);
  s = toggled(s, 'grad', true);
  assert.deepEqual(s.shown, ['grad']);
  assert.equal(isShown('grad', true, s), true);
  s = toggled(s, 'grad', true);
  assert.deepEqual([s.hidden, s.shown], [['grad'], []]);
});

test('a smoothed series is a faint raw line and a solid smoothed line; the LR is one raw line on a log axis', () => {
  const r = run('a');
  const view = buildView([{ id: 'a', run: r }], { xAxis: 'step', xRange: null, width: 500, smoothing: 0.6 });
  const m = buildModel({ runs: [info('a', r)], view, state: state(), theme, preview: null });
  const loss = m.lines.filter((l) => l.key === seriesKey('a', 'train/loss'));
  assert.deepEqual(loss.map((l) => l.part).sort(), ['raw', 'smoothed']);
  const raw = loss.find((l) => l.part === 'raw')!;
  const smooth = loss.find((l) => l.part === 'smoothed')!;
  assert.ok(smooth.width > raw.width);
  assert.notEqual(raw.color, smooth.color, 'the raw line is a fainter shade');
  assert.ok(smooth.order < raw.order, 'the smoothed line is drawn on top');
  const lr = m.lines.filter((l) => l.role === 'lr');
  assert.deepEqual(lr.map((l) => [l.part, l.axis]), [['line', 'lr']]);
  assert.equal(m.axes.find((a) => a.id === 'lr')!.type, 'logarithmic');
  const val = m.lines.find((l) => l.key === seriesKey('a', 'val/loss') && l.part === 'smoothed')!;
  assert.equal(val.color, smooth.color, 'train and validation of one quantity share a hue');
  assert.ok(val.dash.length > 0 && smooth.dash.length === 0, '... and differ by dash');
  assert.ok(val.pointRadius === 0 && m.lines.find((l) => l.key === val.key && l.part === 'raw')!.pointRadius > 0, 'sparse evaluations are drawn as dots');
  assert.ok(m.lines.find((l) => l.role === 'grad_norm')!.hidden);
});

test('log y applies to the loss axis; the LR axis is logarithmic either way', () => {
  const lines = [{ axis: 'loss', hidden: false }, { axis: 'lr', hidden: false }] as unknown as Parameters<typeof axesFor>[0];
  for (const logY of [false, true]) {
    const axes = axesFor(lines, logY);
    assert.equal(axes.find((a) => a.id === 'loss')!.type, logY ? 'logarithmic' : 'linear');
    assert.equal(axes.find((a) => a.id === 'lr')!.type, 'logarithmic');
    assert.equal(axes.find((a) => a.id === 'loss')!.grid, true);
    assert.equal(axes.filter((a) => a.grid).length, 1);
  }
});

test('several runs each get their own hue', () => {
  const a = run('a');
  const b = run('b');
  const view = buildView([{ id: 'a', run: a }, { id: 'b', run: b }], { xAxis: 'step', xRange: null, width: 500, smoothing: 0 });
  const m = buildModel({ runs: [info('a', a), info('b', b)], view, state: state(), theme, preview: null });
  const colorOf = (id: string, tag: string): string => m.lines.find((l) => l.key === seriesKey(id, tag))!.color;
  assert.notEqual(colorOf('a', 'train/loss'), colorOf('b', 'train/loss'));
  assert.equal(colorOf('a', 'train/loss'), colorOf('a', 'lr'));
  assert.ok(m.lines.find((l) => l.key === seriesKey('a', 'lr'))!.dash.length > 0, 'in a comparison the LR is told apart by dash');
  assert.ok(m.legend.every((l) => l.runName === 'a' || l.runName === 'b'));
});

test('non-finite points become one marker per run of NaNs, with its steps and line', () => {
  const r = run('d', { nanFrom: 60 });
  const view = buildView([{ id: 'd', run: r }], { xAxis: 'step', xRange: null, width: 500, smoothing: 0.6 });
  const sv = view.series.find((s) => s.key === seriesKey('d', 'train/loss'))!;
  const groups = groupNonFinite(sv);
  assert.equal(groups.length, 1);
  assert.deepEqual([groups[0]!.first.step, groups[0]!.last.step, groups[0]!.count], [60, 100, 41]);
  const m = buildModel({ runs: [info('d', r)], view, state: state(), theme, preview: null });
  assert.equal(m.markers.length, 1);
  assert.match(m.markers[0]!.label, /NaN from step 60 to 100 \(41 points\)/);
  assert.equal(m.markers[0]!.line, 61);
});

test('NaN runs separated by finite points are separate markers', () => {
  const b = new RunBuilder('r', 'text', 'r');
  for (let s = 0; s < 20; s++) b.add('loss', s, s === 5 || s === 6 || s === 12 ? NaN : 1);
  const r = b.build();
  const sv = buildView([{ id: 'r', run: r }], { xAxis: 'step', xRange: null, width: 500, smoothing: 0 }).series[0]!;
  assert.deepEqual(groupNonFinite(sv).map((g) => [g.first.step, g.last.step]), [[5, 6], [12, 12]]);
});

test('finding regions span step to endStep, a line when there is no endStep, coloured by severity', () => {
  const r = run('f');
  const findings: Finding[] = [
    { rule: 'divergence', severity: 'error', series: 'train/loss', step: 40, endStep: 60, line: 41, message: 'm', evidence: {}, suggestions: [] },
    { rule: 'lr_collapse', severity: 'info', series: 'lr', step: 90, message: 'n', evidence: {}, suggestions: [] },
  ];
  const view = buildView([{ id: 'f', run: r }], { xAxis: 'step', xRange: null, width: 500, smoothing: 0 });
  const m = buildModel({ runs: [info('f', r, findings)], view, state: state(), theme, preview: null });
  assert.deepEqual(m.regions.map((g) => [g.x0, g.x1, g.color]), [[40, 60, theme.error], [90, 90, theme.info]]);
});

test('steps map onto another axis through the knots, extrapolating at the ends', () => {
  const map = { runId: 'r', steps: [0, 100, 200], x: [0, 1, 3] };
  assert.equal(stepToX(map, 'epoch', 50), 0.5);
  assert.equal(stepToX(map, 'epoch', 150), 2);
  assert.equal(stepToX(map, 'epoch', 300), 5);
  assert.equal(stepToX(undefined, 'step', 42), 42);
  assert.equal(stepToX(undefined, 'epoch', 42), undefined);
});

test('a focused region is shown with a margin, inside the run', () => {
  assert.deepEqual(focusRange(1040, 1200, [0, 1200]), [944, 1200]);
  const [lo, hi] = focusRange(500, 500, [0, 1000]);
  assert.ok(lo < 500 && hi > 500 && hi - lo >= 50);
});

test('the fitted schedule is drawn dotted on the LR axis, the preview dashed and wider', () => {
  const r = run('o');
  const fitted = { id: 'fit', runId: 'o', kind: 'fitted' as const, label: 'constant 1e-3', x: [0, 100], y: [1e-3, 1e-3] };
  const preview = { id: 'p', runId: 'o', kind: 'preview' as const, label: 'cosine', x: [0, 50, 100], y: [1e-3, 5e-4, 0] };
  const view = buildView([{ id: 'o', run: r, overlays: [fitted] }], { xAxis: 'step', xRange: null, width: 500, smoothing: 0 });
  const m = buildModel({ runs: [info('o', r)], view, state: state(), theme, preview });
  const f = m.lines.find((l) => l.part === 'fitted')!;
  const p = m.lines.find((l) => l.part === 'preview')!;
  assert.equal(f.axis, 'lr');
  assert.equal(p.axis, 'lr');
  assert.ok(f.dash[0]! <= 2 && p.dash[0]! > 4);
  assert.ok(p.width > f.width);
  assert.equal(p.points[2]!.y, null, 'a zero LR cannot sit on a log axis');
  assert.ok(m.legend.some((l) => l.label === 'fitted: constant 1e-3') && m.legend.some((l) => l.label === 'preview: cosine'));
});

test('points the host sent that are not numbers become gaps, never crashes', () => {
  const r = run('g');
  const view = buildView([{ id: 'g', run: r }], { xAxis: 'step', xRange: null, width: 500, smoothing: 0 });
  const sv = view.series[0]!;
  (sv.y as unknown[])[3] = 'oops';
  (sv.x as unknown[])[4] = null;
  const m = buildModel({ runs: [info('g', r)], view, state: state(), theme, preview: null });
  const line = m.lines.find((l) => l.key === sv.key)!;
  assert.equal(line.points[3]!.y, null);
  assert.equal(line.points.length, sv.x.length - 1);
});

test('train and validation tags share a stem', () => {
  assert.equal(stemOf('train/loss'), stemOf('val/loss'));
  assert.equal(stemOf('loss'), stemOf('eval_loss'));
  assert.notEqual(stemOf('train/loss'), stemOf('train/aux_loss'));
});

test('colours: VS Code variable formats parse, alpha multiplies', () => {
  assert.deepEqual(parseColor('#3794ff'), [55, 148, 255, 1]);
  assert.deepEqual(parseColor('#cccccc80'), [204, 204, 204, 128 / 255]);
  assert.deepEqual(parseColor('#fff'), [255, 255, 255, 1]);
  assert.deepEqual(parseColor('rgba(1, 2, 3, 0.5)'), [1, 2, 3, 0.5]);
  assert.equal(withAlpha('#cccccc80', 0.5), 'rgba(204, 204, 204, 0.251)');
  assert.equal(withAlpha('var(--x)', 0.5), 'var(--x)');
});

test('the LR axis leaves room above and below the curve, and a flat LR gets a decade around it', () => {
  const line = (ys: number[]) => ({ axis: 'lr', hidden: false, points: ys.map((y, x) => ({ x, y })) }) as unknown as Parameters<typeof logBounds>[0][number];
  assert.deepEqual(logBounds([line([1e-4, 1e-3])], 'lr', [0, 10]), { min: 1e-4 / 1.4, max: 1e-3 * 1.4 });
  assert.deepEqual(logBounds([line([3e-4, 3e-4])], 'lr', [0, 10]), { min: 3e-4 / 3, max: 3e-4 * 3 });
  assert.deepEqual(logBounds([line([1e-4, 1e-3, 1])], 'lr', [0, 1]), { min: 1e-4 / 1.4, max: 1e-3 * 1.4 }, 'only points in range count');
  assert.deepEqual(logBounds([line([0, -1])], 'lr', [0, 10]), {});
});

test('runs that share a file name are told apart by their folders', () => {
  const r = (source: string, name = source.split('/').pop()!) => ({ ...info(source, run('x')), source, name });
  const names = withDistinctNames([r('runs/diverging/train.log'), r('runs/healthy/train.log'), r('other/metrics.csv')]).map((x) => x.name);
  assert.deepEqual(names, ['diverging/train.log', 'healthy/train.log', 'metrics.csv']);
  assert.deepEqual(withDistinctNames([r('a/x/train.log'), r('b/x/train.log')]).map((x) => x.name), ['a/x/train.log', 'b/x/train.log']);
});
