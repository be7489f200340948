// The conversation with the host: handshake and restore, stale and malformed messages,
// exports, live updates, and the page's security (CSP) and accessibility.
import assert from 'node:assert/strict';
import { close, datasets, open, received, scale, settle, tbSmooth, until } from './helpers.mjs';

const lastView = async (page) => (await received(page, 'requestView')).at(-1);

export const tests = {
  async 'ready carries the restored state; init brings the runs and a first view; the real width follows'(t) {
    const state = { xAxis: 'step', smoothing: 0.8, logY: true, hidden: [], xRange: [200, 900], showFindings: false };
    await open(t, { scenario: 'diverging', state });
    const [ready] = await received(t.page, 'ready');
    assert.deepEqual(ready.state, state);
    assert.equal((await scale(t.page, 'loss')).type, 'logarithmic');
    const x = await scale(t.page, 'x');
    assert.deepEqual([x.min, x.max], [200, 900]);
    assert.equal(await t.page.locator('.findings').isVisible(), false);
    assert.equal(await t.page.locator('#log-y').evaluate((c) => c.checked), true);
    assert.equal(await t.page.locator('#smoothing').inputValue(), '0.8');
    const views = await received(t.page, 'requestView');
    assert.equal(views.length, 1, 'one follow-up request at the real plot width');
    assert.deepEqual([views[0].xRange, views[0].smoothing], [[200, 900], 0.8]);
    assert.equal(await t.page.title(), 'LR Lens: train.log');
    // The host's `sources` ride along in the persisted state, for the panel serializer.
    assert.deepEqual(await t.page.evaluate(() => window.fakeHost.persisted().sources), ['harness://workspace/runs/diverging/train.log']);
    await t.page.locator('#log-y').click();
    await until(t.page, () => window.fakeHost.lastStateMessage()?.logY === false);
    assert.deepEqual(await t.page.evaluate(() => window.fakeHost.lastStateMessage().sources), ['harness://workspace/runs/diverging/train.log']);
  },

  async 'a late answer to an older request is not drawn over a newer one'(t) {
    await open(t, { scenario: 'diverging' });
    await t.page.evaluate(() => window.fakeHost.hold());
    await t.page.locator('#smoothing').fill('0.2');
    await until(t.page, () => window.fakeHost.timing.views.length >= 2);
    await t.page.locator('#smoothing').fill('0.95');
    await until(t.page, () => window.fakeHost.timing.views.length >= 3);
    assert.equal(await t.page.evaluate(() => window.fakeHost.release(true)), 2, 'two replies were held');
    await settle(t.page);
    const smooth = (await datasets(t.page)).find((d) => d.part === 'smoothed' && d.key.endsWith('\u0000loss'));
    const raw = (await datasets(t.page)).find((d) => d.part === 'raw' && d.key.endsWith('\u0000loss'));
    assert.equal(await t.page.evaluate(() => window.lrLens.state().smoothing), 0.95);
    const want = tbSmooth(raw.ys, 0.95);
    const stale = tbSmooth(raw.ys, 0.2);
    assert.ok(!close(want[10], stale[10], 1e-3), 'the two weights draw different curves');
    smooth.ys.forEach((y, i) => assert.ok(y === want[i] || close(y, want[i]), `[${i}] drawn ${y}, want ${want[i]} (0.2 would be ${stale[i]})`));
  },

  async 'malformed host messages are ignored and reported; the UI keeps working'(t) {
    await open(t, { scenario: 'diverging' });
    const errorsBefore = (await received(t.page, 'error')).length;
    await t.page.evaluate(() => {
      const send = window.fakeHost.send;
      send(null);
      send('init');
      send({ type: 'view', id: 'x', view: {} });
      send({ type: 'init', title: 1, runs: 'none', state: {}, view: null });
      send({ type: 'focus', runId: 5, step: 'NaN' });
      send({ type: 'preview', overlay: { id: 1 } });
      send({ type: 'runs', runs: [{ id: 'bad' }] });
      send({ type: 'view', id: 99999, view: { xAxis: 'step', xRange: null, extent: [0, 1], series: [{ key: 'k', x: [1, 2], y: [1], steps: [] }], overlays: [] } });
      send({ type: 'response', id: 424242, ok: true });
      send({ type: '__proto__' });
    });
    await until(t.page, (n) => window.fakeHost.received.filter((m) => m.type === 'error').length >= n + 7, errorsBefore);
    const errors = (await received(t.page, 'error')).map((e) => e.message);
    assert.ok(errors.every((m) => /^ignored a malformed message from the extension/.test(m)), errors.join('\n'));
    // `runs` with only malformed runs is still a `runs` message: the chart shows no runs, without crashing.
    await settle(t.page);
    assert.equal((await datasets(t.page)).length, 0);
    await t.page.evaluate(() => window.fakeHost.grow());
    await settle(t.page);
    assert.ok((await datasets(t.page)).length > 0, 'a good message afterwards is drawn');
    await t.page.evaluate(() => window.fakeHost.focus(0));
    await settle(t.page);
    assert.ok((await lastView(t.page)).xRange);
  },

  async 'a runs update keeps the zoom and the legend choices and asks for a fresh view'(t) {
    await open(t, { scenario: 'cosine', state: { xAxis: 'epoch', smoothing: 0.6, logY: false, hidden: [], xRange: [2, 6], showFindings: true } });
    await t.page.locator('.legend-item', { hasText: 'val/loss' }).click();
    await settle(t.page);
    const before = (await received(t.page, 'requestView')).length;
    await t.page.evaluate(() => window.fakeHost.grow());
    await until(t.page, (n) => window.fakeHost.received.filter((m) => m.type === 'requestView').length > n, before);
    await settle(t.page);
    const req = await lastView(t.page);
    assert.deepEqual([req.xAxis, req.xRange], ['epoch', [2, 6]]);
    assert.equal((await datasets(t.page)).find((d) => d.key.endsWith('val/loss')).hidden, true);
    assert.ok(await t.page.locator('.status-live').isVisible(), 'a followed run says it is live');
  },

  async 'export PNG sends the chart with the theme background; export CSV the visible series and range'(t) {
    await open(t, { scenario: 'diverging', state: { xAxis: 'step', smoothing: 0.6, logY: false, hidden: [], xRange: [500, 1100], showFindings: true } });
    await t.page.locator('#export-png').click();
    await until(t.page, () => window.fakeHost.received.some((m) => m.type === 'savePng'));
    const png = await t.page.evaluate(async () => {
      const url = window.fakeHost.lastPng();
      const img = new Image();
      img.src = url;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const ctx = c.getContext('2d');
      ctx.drawImage(img, 0, 0);
      const corner = [...ctx.getImageData(1, 1, 1, 1).data];
      const canvas = document.getElementById('chart');
      return { prefix: url.slice(0, 22), w: img.width, h: img.height, cw: canvas.width, ch: canvas.height, corner };
    });
    assert.equal(png.prefix, 'data:image/png;base64,');
    assert.deepEqual([png.w, png.h], [png.cw, png.ch]);
    assert.deepEqual(png.corner, [0x1f, 0x1f, 0x1f, 255], 'the dark editor background is painted behind the chart');
    await until(t.page, () => /saved as PNG/.test(document.querySelector('.status-note').textContent));
    assert.equal(await t.page.evaluate(() => window.lrLens.chart().options.plugins.legend.display), false, 'the legend drawn for the image is gone again');

    await t.page.locator('#export-csv').click();
    await until(t.page, () => window.fakeHost.received.some((m) => m.type === 'exportCsv'));
    const [csv] = await received(t.page, 'exportCsv');
    assert.deepEqual(csv.xRange, [500, 1100]);
    assert.deepEqual(csv.keys.map((k) => k.split('\u0000')[1]).sort(), ['loss', 'lr'], 'hidden series (norm) are not exported');
    const text = await t.page.evaluate(() => window.fakeHost.lastCsv());
    const lines = text.trim().split('\n');
    assert.equal(lines[0], 'run,tag,step,step,value');
    assert.ok(lines.includes('train.log,loss,1040,1040,NaN'));
    assert.equal(lines.filter((l) => l.startsWith('train.log,lr,')).length, 61);
  },

  async 'a failed or cancelled export is reported, not thrown'(t) {
    await open(t, { scenario: 'healthy' });
    await t.page.evaluate(() => {
      window.fakeHost.answers.exportCsv = 'cancelled';
      window.fakeHost.answers.savePng = 'EACCES: permission denied';
    });
    await t.page.locator('#export-csv').click();
    await until(t.page, () => window.fakeHost.received.some((m) => m.type === 'exportCsv'));
    await t.page.locator('#export-png').click();
    await until(t.page, () => /Export PNG failed: EACCES/.test(document.querySelector('.status-note').textContent));
  },

  async 'the page runs under the strict CSP, and the watcher does catch a violation'(t) {
    await open(t, { scenario: 'diverging' });
    const csp = await t.page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]').content);
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-[A-Za-z0-9+/=]{16,}'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.deepEqual(t.problems.csp, []);
    await t.page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.body.append(s);
    });
    await until(t.page, () => true);
    for (let i = 0; i < 50 && t.problems.csp.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(t.problems.csp.length > 0, 'an injected inline script is reported as a CSP violation');
    assert.equal(await t.page.evaluate(() => window.__inlineRan === true), false);
    t.problems.csp.length = 0; // the violation was ours, on purpose
  },

  async 'accessibility: labelled controls, a summarised canvas, keyboard-reachable findings'(t) {
    await open(t, { scenario: 'diverging' });
    const label = await t.page.locator('canvas#chart').getAttribute('aria-label');
    assert.match(label, /Training curves of train\.log: loss, lr, fitted: .*over step 0 to 1,200\. 1 finding: divergence at step 1,040\./);
    assert.equal(await t.page.locator('canvas#chart').getAttribute('role'), 'img');
    for (const id of ['#x-axis', '#log-y', '#smoothing-value']) assert.ok(await t.page.locator(id).getAttribute('label'), `${id} is labelled`);
    assert.equal(await t.page.locator('#smoothing').getAttribute('aria-label'), 'Smoothing');
    for (const id of ['#reset-zoom', '#export-png', '#export-csv', '#toggle-findings']) assert.ok(await t.page.locator(id).getAttribute('label'), `${id} is labelled`);
    assert.equal(await t.page.locator('.toolbar').getAttribute('role'), 'toolbar');
    // Tab reaches the finding row; Enter focuses its region.
    await t.page.locator('.finding').first().focus();
    await t.page.keyboard.press('Enter');
    await settle(t.page);
    assert.ok((await lastView(t.page)).xRange);
    assert.equal(await t.page.locator('.reveal').getAttribute('aria-label'), 'Open line 107');
  },
};
