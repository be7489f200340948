// What the user does: zoom, pan, reset, smoothing, axes, legend, findings, clicks.
import assert from 'node:assert/strict';
import { canvasBox, chartArea, clickLegend, close, datasets, open, pixelOf, received, scale, settle, tbSmooth, until } from './helpers.mjs';

const lastView = async (page) => (await received(page, 'requestView')).at(-1);
const drawnX = async (page) => {
  const ds = await datasets(page);
  return ds.find((d) => d.part === 'smoothed' && d.key.endsWith('\u0000loss'));
};

export const tests = {
  async 'the wheel zooms the x axis; the host is asked for the new range at the plot width and its answer is drawn'(t) {
    await open(t, { scenario: 'million' });
    const before = (await received(t.page, 'requestView')).length;
    const box = await canvasBox(t.page);
    const area = await chartArea(t.page);
    await t.page.mouse.move(box.x + area.left + area.width * 0.5, box.y + area.top + area.height * 0.5);
    for (let i = 0; i < 6; i++) {
      await t.page.mouse.wheel(0, -200);
      await t.page.waitForTimeout(20);
    }
    await until(t.page, (n) => window.fakeHost.received.filter((m) => m.type === 'requestView').length > n, before);
    await settle(t.page);
    const req = await lastView(t.page);
    assert.ok(req.xRange, 'a range is requested');
    const [lo, hi] = req.xRange;
    assert.ok(lo > 0 && hi < 999_999 && hi - lo < 700_000, `zoomed in: ${lo}–${hi}`);
    const plot = (await chartArea(t.page)).width;
    assert.ok(Math.abs(req.width - plot) / plot < 0.05, `width ${req.width} is the plot width ${plot}`);
    const x = await scale(t.page, 'x');
    assert.ok(close(x.min, lo) && close(x.max, hi), 'the axis shows the requested range');
    const loss = await drawnX(t.page);
    assert.ok(loss.xs[0] <= lo && loss.xs[0] >= lo - 2 && loss.xs[1] >= hi && loss.xs[1] <= hi + 2, `the new view covers the range: ${loss.xs}`);
    assert.deepEqual(await t.page.evaluate(() => window.fakeHost.persisted().xRange), req.xRange, 'the zoom is kept in the UI state');
    // Reset zoom goes back to everything.
    await t.page.locator('#reset-zoom').click();
    await settle(t.page);
    assert.equal((await lastView(t.page)).xRange, null);
    assert.deepEqual([(await scale(t.page, 'x')).min, (await scale(t.page, 'x')).max], [0, 999_999]);
  },

  async 'dragging a box zooms to it; shift-drag pans'(t) {
    await open(t, { scenario: 'healthy' });
    const box = await canvasBox(t.page);
    const a = await pixelOf(t.page, 1000, 2);
    const b = await pixelOf(t.page, 2000, 2);
    await t.page.mouse.move(box.x + a.x, box.y + a.y);
    await t.page.mouse.down();
    await t.page.mouse.move(box.x + (a.x + b.x) / 2, box.y + a.y + 10, { steps: 4 });
    await t.page.mouse.move(box.x + b.x, box.y + a.y + 20, { steps: 4 });
    await t.page.mouse.up();
    await settle(t.page);
    const [lo, hi] = (await lastView(t.page)).xRange;
    assert.ok(Math.abs(lo - 1000) < 15 && Math.abs(hi - 2000) < 15, `box zoom to ${lo}–${hi}`);
    assert.equal((await received(t.page, 'revealLine')).length, 0, 'the end of a drag is not a click');
    // Shift-drag to the right pans towards earlier steps, keeping the width.
    const mid = await pixelOf(t.page, 1500, null);
    await t.page.keyboard.down('Shift');
    await t.page.mouse.move(box.x + mid.x, box.y + mid.y);
    await t.page.mouse.down();
    await t.page.mouse.move(box.x + mid.x + 100, box.y + mid.y, { steps: 8 });
    await t.page.mouse.up();
    await t.page.keyboard.up('Shift');
    await settle(t.page);
    const [plo, phi] = (await lastView(t.page)).xRange;
    assert.ok(plo < lo - 20 && Math.abs(phi - plo - (hi - lo)) < 2, `panned to ${plo}–${phi}`);
    // The keyboard pans and zooms the focused canvas.
    await t.page.locator('canvas#chart').focus();
    await t.page.keyboard.press('ArrowRight');
    await settle(t.page);
    const [klo, khi] = (await lastView(t.page)).xRange;
    assert.ok(Math.abs(klo - (plo + 0.1 * (phi - plo))) < 1 && Math.abs(khi - klo - (phi - plo)) < 1, `→ pans a tenth: ${klo}–${khi}`);
    await t.page.keyboard.press('Escape');
    await settle(t.page);
    assert.equal((await lastView(t.page)).xRange, null);
  },

  async 'the smoothing slider changes the request and the drawn smoothed line; the number box too'(t) {
    await open(t, { scenario: 'diverging' });
    await t.page.locator('#smoothing').fill('0.9');
    await settle(t.page);
    assert.equal((await lastView(t.page)).smoothing, 0.9);
    let ds = await datasets(t.page);
    const raw = ds.find((d) => d.part === 'raw' && d.key.endsWith('\u0000loss'));
    let smooth = ds.find((d) => d.part === 'smoothed' && d.key.endsWith('\u0000loss'));
    tbSmooth(raw.ys, 0.9).forEach((y, i) => assert.ok(y === smooth.ys[i] || close(y, smooth.ys[i]), `[${i}] ${smooth.ys[i]} vs ${y}`));
    assert.equal(await t.page.locator('#smoothing-value').evaluate((e) => e.value), '0.900');
    const input = t.page.locator('#smoothing-value input');
    await input.fill('0.25');
    await input.press('Enter');
    await input.blur();
    await settle(t.page);
    assert.equal((await lastView(t.page)).smoothing, 0.25);
    assert.equal(await t.page.locator('#smoothing').inputValue(), '0.25');
    // Out-of-range input is clamped: 5 → 0.999.
    await input.fill('5');
    await input.press('Enter');
    await settle(t.page);
    assert.equal((await lastView(t.page)).smoothing, 0.999);
    // 0 turns smoothing off: one line per series.
    await t.page.locator('#smoothing').fill('0');
    await settle(t.page);
    ds = await datasets(t.page);
    smooth = ds.find((d) => d.part === 'smoothed');
    assert.equal(smooth, undefined);
    await until(t.page, () => window.fakeHost.hostState().smoothing === 0);
  },

  async 'the x-axis selector offers only the axes the runs have, and switches the view'(t) {
    await open(t, { scenario: 'diverging' });
    assert.deepEqual(await t.page.locator('#x-axis vscode-option').evaluateAll((os) => os.map((o) => o.value)), ['step']);
    await open(t, { scenario: 'cosine' });
    assert.deepEqual(await t.page.locator('#x-axis vscode-option').evaluateAll((os) => os.map((o) => o.value)), ['step', 'epoch', 'time']);
    await t.page.locator('#x-axis').evaluate((s) => {
      s.value = 'epoch';
      s.dispatchEvent(new Event('change'));
    });
    await settle(t.page);
    const req = await lastView(t.page);
    assert.deepEqual([req.xAxis, req.xRange], ['epoch', null]);
    const x = await scale(t.page, 'x');
    assert.deepEqual([x.min, x.max], [0, 20]);
    const box = (await t.page.evaluate(() => window.lrLens.model().regions))[0];
    assert.ok(close(box.x0, 8) && close(box.x1, 8.3), `the loss-spike region is at epochs 8–8.3: ${box.x0}–${box.x1}`);
  },

  async 'legend toggles hide a series and persist in the UI state'(t) {
    await open(t, { scenario: 'diverging' });
    await clickLegend(t.page, 'lr');
    await settle(t.page);
    const lrKey = (await datasets(t.page)).find((d) => d.key.endsWith('\u0000lr')).key;
    assert.equal((await datasets(t.page)).find((d) => d.key === lrKey).hidden, true);
    assert.equal((await scale(t.page, 'lr')).display, true, 'the fitted schedule still uses the LR axis');
    await clickLegend(t.page, 'fitted: linear warmup over 1,000 steps to 3e-3');
    await settle(t.page);
    assert.equal((await scale(t.page, 'lr')).display, false, 'the LR axis goes with the last series on it');
    assert.deepEqual(await t.page.evaluate(() => window.fakeHost.persisted().hidden), [lrKey, 'overlay:fitted:fitted']);
    await until(t.page, (k) => window.fakeHost.hostState().hidden.includes(k), lrKey);
    // A reload restores it (VS Code hands the saved state back).
    const saved = await t.page.evaluate(() => window.fakeHost.persisted());
    await open(t, { scenario: 'diverging', state: saved });
    assert.deepEqual((await received(t.page, 'ready'))[0].state.hidden, [lrKey, 'overlay:fitted:fitted']);
    assert.equal((await datasets(t.page)).find((d) => d.key === lrKey).hidden, true);
    assert.equal(await t.page.locator('.legend-item', { hasText: /^lr$/ }).getAttribute('aria-pressed'), 'false');
    await clickLegend(t.page, 'lr');
    await settle(t.page);
    assert.equal((await datasets(t.page)).find((d) => d.key === lrKey).hidden, false);
  },

  async 'clicking a finding region opens its log line'(t) {
    await open(t, { scenario: 'diverging' });
    const box = await canvasBox(t.page);
    const p = await pixelOf(t.page, 1120, 2);
    await t.page.mouse.click(box.x + p.x, box.y + p.y);
    await until(t.page, () => window.fakeHost.received.some((m) => m.type === 'revealLine'));
    const [reveal] = await received(t.page, 'revealLine');
    const finding = (await t.page.evaluate(() => window.fakeHost.runs()))[0].findings[0];
    assert.deepEqual([reveal.runId, reveal.line], ['harness://workspace/runs/diverging/train.log', finding.line]);
    assert.equal(finding.line, 107);
    assert.ok(await t.page.locator('.finding.selected').isVisible(), 'the finding is selected in the list');
  },

  async 'clicking a point of a text log opens its line'(t) {
    await open(t, { scenario: 'diverging', state: { xAxis: 'step', smoothing: 0, logY: false, hidden: [], xRange: null, showFindings: true } });
    const ds = await datasets(t.page);
    const loss = ds.find((d) => d.key.endsWith('\u0000loss'));
    const p = await pixelOf(t.page, 500, loss.ys[50]);
    const box = await canvasBox(t.page);
    await t.page.mouse.click(box.x + p.x, box.y + p.y);
    await until(t.page, () => window.fakeHost.received.some((m) => m.type === 'revealLine'));
    // Step 500 is the 51st logged line after two header lines.
    assert.equal((await received(t.page, 'revealLine'))[0].line, 53);
  },

  async 'the findings list: a row zooms to its region and highlights it; arrows move between rows'(t) {
    await open(t, { scenario: 'cosine' });
    const rows = t.page.locator('.finding');
    assert.equal(await rows.count(), 2);
    await rows.nth(0).click();
    await settle(t.page);
    const [lo, hi] = (await lastView(t.page)).xRange;
    assert.ok(lo < 4000 && lo > 3500 && hi > 4150 && hi < 4700, `zoomed around the spike: ${lo}–${hi}`);
    const region = (await t.page.evaluate(() => window.lrLens.chart().options.plugins.annotation.annotations))[(await t.page.evaluate(() => window.lrLens.model().regions[0].id))];
    assert.ok(region.borderWidth > 0, 'the region is highlighted');
    assert.equal(await rows.nth(0).getAttribute('aria-current'), 'true');
    await rows.nth(0).focus();
    await t.page.keyboard.press('ArrowDown');
    assert.equal(await t.page.evaluate(() => document.activeElement.dataset.id), await rows.nth(1).getAttribute('data-id'));
    await t.page.keyboard.press('Enter');
    await settle(t.page);
    const [lo2, hi2] = (await lastView(t.page)).xRange;
    assert.ok(lo2 < 9000 && hi2 > 9000, `zoomed around the LR collapse: ${lo2}–${hi2}`);
    // The panel can be closed and reopened.
    await t.page.locator('#toggle-findings').click();
    assert.equal(await t.page.locator('.findings').isVisible(), false);
    assert.equal(await t.page.evaluate(() => window.fakeHost.persisted().showFindings), false);
    await t.page.locator('#toggle-findings').click();
    assert.equal(await t.page.locator('.findings').isVisible(), true);
  },

  async 'the host’s focus message zooms to a finding with a margin and selects it'(t) {
    await open(t, { scenario: 'diverging' });
    await t.page.evaluate(() => window.fakeHost.focus(0));
    await settle(t.page);
    const [lo, hi] = (await lastView(t.page)).xRange;
    assert.ok(lo < 1040 && lo > 800 && hi === 1200, `zoomed to ${lo}–${hi}`);
    const x = await scale(t.page, 'x');
    assert.deepEqual([x.min, x.max], [lo, hi]);
    assert.equal(await t.page.locator('.finding.selected').count(), 1);
  },
};
