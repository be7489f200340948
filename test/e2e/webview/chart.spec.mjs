// What the chart draws: series and their axes, smoothing, overlays, regions, markers, themes.
import assert from 'node:assert/strict';
import { annotations, clickLegend, close, datasets, hover, open, received, scale, settle, tbSmooth, waitText } from './helpers.mjs';

const byPart = (ds, tag, part) => ds.find((d) => d.key.endsWith(`\u0000${tag}`) && d.part === part);

export const tests = {
  async 'the diverging run: smoothed loss over its faint raw line, the LR raw on its own log axis'(t) {
    await open(t, { scenario: 'diverging' });
    const ds = await datasets(t.page);
    const raw = byPart(ds, 'loss', 'raw');
    const smooth = byPart(ds, 'loss', 'smoothed');
    const lr = byPart(ds, 'lr', 'line');
    assert.ok(raw && smooth && lr, `datasets: ${ds.map((d) => `${d.label}/${d.part}`).join(', ')}`);
    assert.equal(raw.n, 121, 'every logged point of a small run is drawn');
    assert.deepEqual(raw.xs, [0, 1200]);
    // The log has NaN from step 1040: those points are gaps, not zeros.
    assert.equal(raw.ys.filter((y) => y === null).length, 17);
    // The smoothed line is TensorBoard's smoothing of the raw one at the default weight.
    const expected = tbSmooth(raw.ys, 0.6);
    smooth.ys.forEach((y, i) => assert.ok(y === expected[i] || close(y, expected[i]), `smoothed[${i}] ${y} vs ${expected[i]}`));
    // The LR is exactly what the log printed (3e-3 warmup over 1,000 steps, printed with 3 digits).
    assert.equal(lr.axis, 'lr');
    lr.ys.forEach((y, i) => assert.equal(y, Number((3e-3 * Math.min(1, (i * 10 + 1) / 1000)).toExponential(2))));
    assert.equal(ds.filter((d) => d.key.endsWith('\u0000lr')).length, 1, 'the LR is never smoothed');
    assert.equal((await scale(t.page, 'lr')).type, 'logarithmic');
    assert.equal((await scale(t.page, 'loss')).type, 'linear');
    assert.ok(smooth.width > raw.width && raw.color !== smooth.color);
    // Hidden by default: the gradient norm is in the legend, not on the chart.
    assert.equal(byPart(ds, 'norm', 'smoothed').hidden, true);
    assert.equal(await t.page.locator('.legend-item.off.extra .legend-label').textContent(), 'norm');
  },

  async 'axis labels are written as ML engineers write them'(t) {
    await open(t, { scenario: 'million' });
    const x = await scale(t.page, 'x');
    assert.ok(x.ticks.includes('500k'), x.ticks.join(' '));
    const lr = await scale(t.page, 'lr');
    assert.ok(lr.ticks.includes('1e-4') && lr.ticks.every((l) => /^\d(\.\d+)?e-\d+$/.test(l)), lr.ticks.join(' '));
    await open(t, { scenario: 'cosine', state: { xAxis: 'time', smoothing: 0.6, logY: false, hidden: [], xRange: null, showFindings: true } });
    const time = await scale(t.page, 'x');
    assert.ok(time.ticks.some((l) => /^\d+h( \d+m)?$/.test(l)), time.ticks.join(' '));
    assert.equal(await t.page.evaluate(() => window.lrLens.chart().options.scales.x.title.text), 'relative time');
  },

  async 'a loss that blew up through 35 decades gets a readable log axis: spaced labels, grid lines only at labels'(t) {
    await open(t, { scenario: 'explosion', state: { xAxis: 'step', smoothing: 0.6, logY: true, hidden: [], xRange: null, showFindings: true } });
    const loss = await scale(t.page, 'loss');
    assert.equal(loss.type, 'logarithmic');
    const box = await t.page.evaluate(() => window.lrLens.chart().scales.loss.height);
    assert.ok(loss.ticks.length >= 3, loss.ticks.join(' '));
    assert.ok(loss.ticks.length <= Math.floor(box / 22) + 1, `${loss.ticks.length} labels on ${box} px: ${loss.ticks.join(' ')}`);
    const grid = await t.page.evaluate(() => {
      const c = window.lrLens.chart();
      const s = c.scales.loss;
      const color = c.config.options.scales.loss.grid.color;
      return s.ticks.map((tick) => (typeof color === 'function' ? color({ tick }) : color));
    });
    assert.equal(grid.filter((c) => c !== 'transparent').length, loss.ticks.length, 'one grid line per label');
  },

  async 'finding regions: a box from step to endStep, a line without endStep, NaN markers at the top'(t) {
    await open(t, { scenario: 'diverging' });
    const finding = (await t.page.evaluate(() => window.fakeHost.runs()))[0].findings[0];
    assert.equal(finding.rule, 'divergence');
    const a = await annotations(t.page);
    const box = a.find((x) => x.id.startsWith('finding:0:'));
    assert.deepEqual([box.type, box.xMin, box.xMax], ['box', finding.step, finding.endStep]);
    const marker = a.find((x) => x.type === 'point');
    assert.equal(marker.xValue, 1040);
    assert.ok(a.some((x) => x.id.endsWith(':band') && x.xMin === 1040 && x.xMax === 1200), 'the NaN run is a band across its steps');
    await open(t, { scenario: 'cosine' });
    const b = await annotations(t.page);
    assert.deepEqual(
      b.filter((x) => x.id.startsWith('finding:')).map((x) => [x.type, x.xMin ?? x.value, x.xMax ?? x.value]),
      [
        ['box', 4000, 4150],
        ['line', 9000, 9000],
      ],
    );
  },

  async 'hovering shows exact values, the finding under the pointer and what the NaN marker means'(t) {
    await open(t, { scenario: 'diverging' });
    await hover(t.page, 600, 2);
    const card = t.page.locator('#hover-card');
    await card.waitFor({ state: 'visible' });
    const text = await waitText(card, /step 600/);
    assert.match(text, /lr\s+1\.8e-3/);
    assert.match(text, /loss\s+\d\.\d{3,}/);
    await hover(t.page, 1100);
    const inRegion = await waitText(card, /divergence · steps 1,040–1,200/);
    assert.match(inRegion, /Loss became NaN at step 1040/);
    assert.match(inRegion, /loss\s+NaN/);
    assert.match(inRegion, /Click to open line 107/);
    const top = await t.page.evaluate(() => {
      const c = window.lrLens.chart();
      return { x: c.scales.x.getPixelForValue(1040), y: c.chartArea.top + 6 };
    });
    const box = await t.page.locator('canvas#chart').boundingBox();
    await t.page.mouse.move(box.x + top.x, box.y + top.y);
    await waitText(card, /loss: NaN from step 1,040 to 1,200 \(17 points\)/);
    await t.page.mouse.move(box.x + 2, box.y + 2);
    await card.waitFor({ state: 'hidden' });
  },

  async 'the fitted schedule is dotted over the LR; a preview is dashed, and can be cleared'(t) {
    await open(t, { scenario: 'healthy' });
    let ds = await datasets(t.page);
    const fitted = ds.find((d) => d.part === 'fitted');
    assert.ok(fitted, 'the fitted schedule is drawn');
    assert.equal(fitted.axis, 'lr');
    assert.ok(fitted.dash[0] <= 2, `dotted: ${fitted.dash}`);
    assert.ok(await t.page.locator('.legend-label', { hasText: 'fitted: cosine with 200-step warmup, 6e-4 → 6e-5' }).isVisible());
    await t.page.evaluate(() => window.fakeHost.preview(0));
    await settle(t.page);
    ds = await datasets(t.page);
    const preview = ds.find((d) => d.part === 'preview');
    assert.ok(preview, 'the preview is drawn');
    assert.equal(preview.axis, 'lr');
    assert.ok(preview.dash[0] > 4 && preview.width > fitted.width, 'dashed and prominent');
    assert.equal(preview.n, 301);
    assert.ok(await t.page.locator('.legend-label', { hasText: /^preview: / }).isVisible());
    await t.page.evaluate(() => window.fakeHost.preview(0, true));
    await settle(t.page);
    assert.equal((await datasets(t.page)).some((d) => d.part === 'preview'), false);
  },

  async 'a finding’s suggestion can be previewed from the list, and cleared again'(t) {
    await open(t, { scenario: 'diverging' });
    const chip = t.page.locator('button.suggestion', { hasText: 'LR ×0.3' });
    assert.equal(await chip.count(), 1);
    await chip.click();
    await settle(t.page);
    const [req] = await received(t.page, 'requestPreview');
    assert.deepEqual([req.runId, req.finding, req.suggestion], ['harness://workspace/runs/diverging/train.log', 0, 0]);
    const ds = await datasets(t.page);
    const lr = byPart(ds, 'lr', 'line');
    const preview = ds.find((d) => d.part === 'preview');
    assert.ok(preview, 'the suggested curve is drawn');
    preview.ys.forEach((y, i) => assert.ok(close(y, lr.ys[i] * 0.3), `preview[${i}] is 0.3 × the LR`));
    assert.equal(await chip.getAttribute('aria-pressed'), 'true');
    await chip.click();
    await settle(t.page);
    assert.equal((await datasets(t.page)).some((d) => d.part === 'preview'), false);
    assert.equal(await chip.getAttribute('aria-pressed'), 'false');
  },

  async 'two runs are overlaid, each in its own colour, with both in the legend'(t) {
    await open(t, { scenario: 'compare' });
    const ds = await datasets(t.page);
    const runs = await t.page.evaluate(() => window.fakeHost.runs().map((r) => r.id));
    const lossOf = (id) => ds.find((d) => d.key === `${id}\u0000loss` && d.part === 'smoothed');
    assert.notEqual(lossOf(runs[0]).color, lossOf(runs[1]).color);
    assert.deepEqual(lossOf(runs[1]).xs, [0, 3000]);
    assert.equal(await t.page.locator('.legend-run').count(), 2);
    assert.match(await t.page.locator('.status').innerText(), /2 runs/);
  },

  async 'a theme change re-colours the chart from the new variables'(t) {
    await open(t, { scenario: 'diverging', theme: 'dark' });
    const colorOf = async () => byPart(await datasets(t.page), 'loss', 'smoothed').color;
    assert.equal(await colorOf(), '#3794ff');
    const tick = () => t.page.evaluate(() => window.lrLens.chart().options.scales.x.ticks.color);
    assert.equal(await tick(), '#9d9d9d');
    await t.page.evaluate(() => window.fakeHost.setTheme('light'));
    await settle(t.page);
    assert.equal(await colorOf(), '#1a85ff');
    assert.equal(await tick(), '#717171');
    const region = (await annotations(t.page)).find((a) => a.id.startsWith('finding:'));
    assert.match(region.backgroundColor, /^rgba\(229, 20, 0,/, 'the region takes the light theme error colour');
    await t.page.evaluate(() => window.fakeHost.setTheme('hc'));
    await settle(t.page);
    const hc = byPart(await datasets(t.page), 'loss', 'smoothed');
    assert.ok(hc.width >= 2.5, 'lines are thicker in high contrast');
    const hcRegion = (await annotations(t.page)).find((a) => a.id.startsWith('finding:'));
    assert.equal(hcRegion.borderColor, '#f48771', 'regions are outlined in high contrast');
  },

  async 'the log-scale toggle switches the loss axis and leaves the LR axis logarithmic'(t) {
    await open(t, { scenario: 'diverging' });
    await t.page.locator('#log-y').click();
    await settle(t.page);
    assert.equal((await scale(t.page, 'loss')).type, 'logarithmic');
    assert.equal((await scale(t.page, 'lr')).type, 'logarithmic');
    assert.equal(await t.page.evaluate(() => window.fakeHost.persisted().logY), true);
  },

  async 'roles hidden by default can be turned on from the legend, on their own axis'(t) {
    await open(t, { scenario: 'cosine' });
    let ds = await datasets(t.page);
    assert.equal(byPart(ds, 'train/grad_norm', 'smoothed').hidden, true);
    await clickLegend(t.page, 'train/grad_norm');
    await settle(t.page);
    ds = await datasets(t.page);
    assert.equal(byPart(ds, 'train/grad_norm', 'smoothed').hidden, false);
    assert.equal(byPart(ds, 'train/grad_norm', 'smoothed').axis, 'grad');
    assert.equal((await scale(t.page, 'grad')).display, true);
    assert.equal(await t.page.locator('.legend-item', { hasText: 'train/grad_norm' }).getAttribute('aria-pressed'), 'true');
    assert.deepEqual(await t.page.evaluate(() => window.fakeHost.persisted().shown), ['harness://workspace/runs/cosine/metrics.csv\u0000train/grad_norm']);
  },
};
