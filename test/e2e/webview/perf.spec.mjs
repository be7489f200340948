// A million-point run end to end: host decimation, transfer, validation, model and paint.
import assert from 'node:assert/strict';
import { open, received, settle, until } from './helpers.mjs';

const drawnMarks = (page) => page.evaluate(() => performance.getEntriesByName('lrLens:drawn').map((e) => e.startTime));

export const tests = {
  async 'a million-point run is drawn from a few thousand points, re-cut at the real width, zoomed and re-smoothed by the host'(t) {
    await open(t, { scenario: 'million' });
    const timing = await t.page.evaluate(() => window.fakeHost.timing);
    const generate = await t.page.evaluate(() => window.fakeHost.generateMs);
    const marks = await drawnMarks(t.page);
    const first = marks[0] - timing.ready;
    const points = await t.page.evaluate(() => window.lrLens.model().shownPoints);
    assert.ok(points < 20_000, `${points} points drawn for 1,010,000`);
    // The follow-up view at the real plot width.
    const follow = timing.views[0];
    const followDrawn = marks.find((m) => m > follow.at) - follow.at;
    const [req] = await received(t.page, 'requestView');
    assert.ok(req, 'the first view is re-cut at the real width');

    // Zoom with the keyboard: request, host decimation, transfer, draw.
    await t.page.locator('canvas#chart').focus();
    const before = (await drawnMarks(t.page)).length;
    const pressed = await t.page.evaluate(() => performance.now());
    await t.page.keyboard.press('+');
    await until(t.page, (n) => performance.getEntriesByName('lrLens:drawn').length > n, before);
    await settle(t.page);
    const zoomDrawn = (await drawnMarks(t.page)).at(-1) - pressed;
    const zoomView = (await t.page.evaluate(() => window.fakeHost.timing.views)).at(-1);

    // A new smoothing weight re-smooths the whole million on the host.
    const before2 = (await drawnMarks(t.page)).length;
    const changed = await t.page.evaluate(() => performance.now());
    await t.page.locator('#smoothing').fill('0.9');
    await until(t.page, (n) => performance.getEntriesByName('lrLens:drawn').length > n, before2);
    const smoothDrawn = (await drawnMarks(t.page)).at(-1) - changed;
    const smoothView = (await t.page.evaluate(() => window.fakeHost.timing.views)).at(-1);

    t.figure(
      `1M-point run: first paint ${first.toFixed(0)} ms after ready (host view ${timing.initBuildMs.toFixed(0)} ms); ` +
        `real-width view ${followDrawn.toFixed(0)} ms (host ${follow.buildMs.toFixed(0)} ms, ${follow.points} points); ` +
        `zoom ${zoomDrawn.toFixed(0)} ms (host ${zoomView.buildMs.toFixed(0)} ms); ` +
        `re-smoothing ${smoothDrawn.toFixed(0)} ms (host ${smoothView.buildMs.toFixed(0)} ms); run generated in ${generate.toFixed(0)} ms`,
    );
    // The times are figures (npm run bench:webview prints them), not pass/fail: a shared
    // machine makes any wall-clock threshold flaky.
    assert.ok(zoomView.points > 0 && smoothView.points > 0, 'zoom and re-smoothing each drew a new view');
  },
};
