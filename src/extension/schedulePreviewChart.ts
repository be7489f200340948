// Drawing a schedule curve as a dashed preview: over the linked run's real LR when there
// is one, otherwise on a chart of its own.
import type { OverlayView } from '../core/chart/types';
import { RunBuilder } from '../core/model/runBuilder';
import { ChartPanel, type PanelDeps } from './chartPanel';
import { chartRunId } from './chartSources';
import { DEFAULT_UI_STATE } from '../protocol/messages';
import type { LinkedRun } from './runLinks';

/** A per-step curve sampled at up to `n` points over [0, last] (whole steps, no repeats). */
export function sampleCurve(fn: (step: number) => number, last: number, n = 1500): { x: number[]; y: number[] } {
  const count = Math.max(2, Math.min(n, last + 1));
  const x = [...new Set(Array.from({ length: count }, (_, i) => Math.round((last * i) / (count - 1))))];
  return { x, y: x.map(fn) };
}

export interface PreviewPlace {
  /** Where the schedule comes from, as shown to the user (the script, workspace-relative). */
  source: string;
  /** The curve's x is in epochs (a per-epoch scheduler with no run to say how long an epoch is). */
  epochs?: boolean;
}

/**
 * Shows the curve on the chart of `link`'s run, or alone under `key` (a chart whose only
 * series is the curve) when no run is linked. Returns the overlay drawn.
 */
export function showSchedulePreview(deps: PanelDeps, link: LinkedRun | undefined, key: string, name: string, label: string, curve: { x: number[]; y: number[] }, place: PreviewPlace): OverlayView {
  const { x, y } = curve;
  if (link) {
    const panel = ChartPanel.show(deps, [link.entry.uri], `LR Lens: ${link.entry.label}`);
    const runId = chartRunId(link.entry.uri, link.run.source, link.entry.runs.indexOf(link.run), link.entry.runs.length);
    const overlay: OverlayView = { id: `preview:${runId}`, runId, kind: 'preview', label, x, y };
    panel.session.showPreview(overlay);
    return overlay;
  }
  const b = new RunBuilder(place.source, 'text', `${name} preview`);
  x.forEach((step, i) => {
    b.add('learning_rate', step, y[i]!);
    if (place.epochs) b.add('epoch', step, step);
  });
  const overlay: OverlayView = { id: `preview:${key}`, runId: key, kind: 'preview', label, x, y };
  const state = place.epochs ? { ...DEFAULT_UI_STATE, xAxis: 'epoch' as const } : undefined;
  ChartPanel.showStatic(deps, key, `LR Lens: ${name} preview`, [{ id: key, run: b.build(), findings: [] }], state).session.showPreview(overlay);
  return overlay;
}
