// Screenshots of the chart in each theme and situation, for a person to look at.
import { open, pixelOf, settle } from './helpers.mjs';

async function hoverAt(t, step, y = null) {
  const p = await pixelOf(t.page, step, y);
  const box = await t.page.locator('canvas#chart').boundingBox();
  await t.page.mouse.move(box.x + p.x, box.y + p.y);
  await t.page.waitForTimeout(50);
}

export const tests = {
  async 'diverging run, dark'(t) {
    await open(t, { scenario: 'diverging', theme: 'dark' });
    await t.shot('diverging-dark');
    await hoverAt(t, 1100);
    await t.shot('diverging-dark-hover-region');
    await hoverAt(t, 600, 2);
    await t.shot('diverging-dark-hover-values');
  },
  async 'diverging run, light, with a suggestion previewed'(t) {
    await open(t, { scenario: 'diverging', theme: 'light' });
    await t.shot('diverging-light');
    await t.page.locator('button.suggestion').first().click();
    await settle(t.page);
    await t.shot('diverging-light-suggestion-preview');
  },
  async 'diverging run, high contrast'(t) {
    await open(t, { scenario: 'diverging', theme: 'hc' });
    await t.shot('diverging-hc');
    await t.page.evaluate(() => window.fakeHost.setTheme('hcLight'));
    await settle(t.page);
    await t.shot('diverging-hc-light');
  },
  async 'two runs compared'(t) {
    await open(t, { scenario: 'compare', theme: 'dark' });
    await t.shot('compare-dark');
  },
  async 'preview overlay'(t) {
    await open(t, { scenario: 'healthy', theme: 'dark' });
    await t.page.evaluate(() => window.fakeHost.preview(0));
    await settle(t.page);
    await t.shot('preview-dark');
  },
  async 'cosine run by epoch, light'(t) {
    await open(t, { scenario: 'cosine', theme: 'light', state: { xAxis: 'epoch', smoothing: 0.6, logY: false, hidden: [], xRange: null, showFindings: true } });
    await t.shot('cosine-epoch-light');
    await hoverAt(t, 8.1, 1);
    await t.shot('cosine-epoch-light-hover');
  },
  async 'a narrow panel beside the editor'(t) {
    await open(t, { scenario: 'cosine', theme: 'dark', viewport: { width: 760, height: 460 } });
    await t.shot('cosine-narrow-dark');
    await t.page.setViewportSize({ width: 520, height: 640 });
    await settle(t.page);
    await t.shot('cosine-narrower-dark');
  },
  async 'zoomed into the divergence, light'(t) {
    await open(t, { scenario: 'diverging', theme: 'light' });
    await t.page.evaluate(() => window.fakeHost.focus(0));
    await settle(t.page);
    await hoverAt(t, 1060);
    await t.shot('diverging-focus-light');
  },
  async 'million points'(t) {
    await open(t, { scenario: 'million', theme: 'dark' });
    await t.shot('million-dark');
  },
};
