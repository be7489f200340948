// Helpers for the webview scenarios: open the harness page, wait for the chart to settle,
// and read what chart.js is drawing.
import assert from 'node:assert/strict';

/** Opens the harness on a scenario and theme; waits for the first view at the real width. */
export async function open(t, { scenario = 'diverging', theme = 'dark', state, viewport } = {}) {
  if (viewport) await t.page.setViewportSize(viewport);
  const q = new URLSearchParams({ scenario, theme });
  if (state) q.set('state', JSON.stringify(state));
  await t.page.goto(`${t.origin}/?${q}`);
  await t.page.waitForFunction(() => window.lrLens?.model?.() !== undefined, null, { timeout: 30_000 });
  await settle(t.page);
}

/** Waits until no view is pending or about to be requested, and two frames have painted. */
export async function settle(page) {
  await page.waitForTimeout(180);
  await page.waitForFunction(() => !window.lrLens.busy(), null, { timeout: 20_000 });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/** What chart.js draws: one entry per dataset. */
export function datasets(page) {
  return page.evaluate(() =>
    window.lrLens.chart().data.datasets.map((d) => ({
      label: d.label,
      key: d.spec.key,
      part: d.spec.part,
      role: d.spec.role,
      axis: d.yAxisID,
      hidden: Boolean(d.hidden),
      color: d.borderColor,
      dash: d.borderDash,
      width: d.borderWidth,
      n: d.data.length,
      xs: [d.data[0]?.x, d.data[d.data.length - 1]?.x],
      ys: d.data.map((p) => p.y),
    })),
  );
}

export function scale(page, id) {
  return page.evaluate((id) => {
    const s = window.lrLens.chart().scales[id];
    return s ? { type: s.type, min: s.min, max: s.max, display: Boolean(s.options.display), position: s.position, ticks: s.ticks.map((t) => t.label).filter(Boolean) } : undefined;
  }, id);
}

export function annotations(page) {
  return page.evaluate(() => {
    const a = window.lrLens.chart().options.plugins.annotation.annotations;
    return Object.entries(a).map(([id, o]) => ({ id, type: o.type, xMin: o.xMin, xMax: o.xMax, value: o.value, xValue: o.xValue, backgroundColor: o.backgroundColor, borderColor: o.borderColor }));
  });
}

/** Messages the fake host received of a type. */
export function received(page, type) {
  return page.evaluate((type) => window.fakeHost.received.filter((m) => m.type === type), type);
}

/** Canvas pixel position (CSS px, relative to the canvas) of a data point. */
export function pixelOf(page, x, y, axis = 'loss') {
  return page.evaluate(
    ([x, y, axis]) => {
      const c = window.lrLens.chart();
      return { x: c.scales.x.getPixelForValue(x), y: y === null ? (c.chartArea.top + c.chartArea.bottom) / 2 : c.scales[axis].getPixelForValue(y) };
    },
    [x, y, axis],
  );
}

export async function canvasBox(page) {
  const box = await page.locator('canvas#chart').boundingBox();
  assert.ok(box, 'the canvas is on the page');
  return box;
}

export function chartArea(page) {
  return page.evaluate(() => ({ ...window.lrLens.chart().chartArea }));
}

/** TensorBoard's smoothing, written out independently of the product's, to check what is drawn. */
export function tbSmooth(ys, w) {
  const finite = ys.filter((y) => y !== null);
  if (finite.length === ys.length && ys.every((y) => y === ys[0])) return [...ys];
  let last = 0;
  let n = 0;
  return ys.map((y) => {
    if (y === null || !Number.isFinite(y)) return y;
    last = last * w + (1 - w) * y;
    n++;
    return last / (1 - Math.pow(w, n));
  });
}

/** Clicks the legend entry with this label. */
export async function clickLegend(page, label) {
  await page.locator('.legend-item', { has: page.locator('.legend-label', { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`) }) }).click();
}

/** Moves the mouse to a data position on the canvas. */
export async function hover(page, x, y = null, axis = 'loss') {
  const p = await pixelOf(page, x, y, axis);
  const box = await canvasBox(page);
  await page.mouse.move(box.x + p.x, box.y + p.y);
  await page.waitForTimeout(30);
  return { x: box.x + p.x, y: box.y + p.y };
}

export const close = (a, b, eps = 1e-9) => Math.abs(a - b) <= eps * Math.max(1, Math.abs(a), Math.abs(b));

/** Waits until the locator's text matches `re` (the UI updates on the next frame), then returns it. */
export async function waitText(locator, re, timeout = 5000) {
  const deadline = Date.now() + timeout;
  let text = '';
  while (Date.now() < deadline) {
    text = (await locator.innerText().catch(() => '')) ?? '';
    if (re.test(text)) return text;
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.match(text, re);
  return text;
}

/** Waits until `fn()` (evaluated in the page) is truthy. */
export function until(page, fn, arg) {
  return page.waitForFunction(fn, arg, { timeout: 10_000 });
}
