// The status line under the chart: what is shown (runs, format, points drawn of points in
// range), whether a run is being followed live, read errors, and the outcome of the last action.
import type { RunInfo } from '../src/protocol/messages';
import { codicon, el } from './dom';
import { groupThousands, plural } from './format';

export class StatusLine {
  readonly el = el('footer', { class: 'status', role: 'status', 'aria-live': 'polite' });
  private readonly what = el('span', { class: 'status-what' });
  private readonly points = el('span', { class: 'status-points' });
  private readonly live = el('span', { class: 'status-live', title: 'The chart follows the file as training writes it' }, el('span', { class: 'live-dot', 'aria-hidden': 'true' }), 'live');
  private readonly errors = el('span', { class: 'status-errors' });
  private readonly note = el('span', { class: 'status-note' });
  private noteTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    this.el.append(this.what, this.points, this.live, this.errors, el('span', { class: 'spacer' }), this.note);
  }

  update(runs: readonly RunInfo[], shown: number, total: number): void {
    const formats = [...new Set(runs.map((r) => r.format))].join(', ');
    this.what.textContent =
      runs.length === 1 ? `${runs[0]!.source} · ${formats}` : runs.length === 0 ? 'No runs' : `${runs.length} runs: ${runs.map((r) => r.name).join(', ')} · ${formats}`;
    this.what.title = runs.map((r) => r.source).join('\n');
    this.points.textContent = total > 0 ? `${groupThousands(shown)} of ${plural(total, 'point')} drawn` : '';
    this.live.hidden = !runs.some((r) => r.live);
    const errors = runs.flatMap((r) => r.errors.map((e) => (runs.length > 1 ? `${r.name}: ${e}` : e)));
    this.errors.replaceChildren(...(errors.length ? [codicon('warning'), ` ${plural(errors.length, 'read error')}`] : []));
    this.errors.title = errors.slice(0, 30).join('\n') + (errors.length > 30 ? `\n… and ${errors.length - 30} more` : '');
    this.errors.hidden = errors.length === 0;
  }

  /** Shows a short message; errors stay until the next message, the rest fade after a while. */
  message(text: string, kind: 'info' | 'error' = 'info'): void {
    if (this.noteTimer !== undefined) clearTimeout(this.noteTimer);
    this.note.replaceChildren(...(text ? [codicon(kind === 'error' ? 'error' : 'check'), ` ${text}`] : []));
    this.note.className = `status-note ${kind}`;
    if (kind === 'info' && text) this.noteTimer = setTimeout(() => this.note.replaceChildren(), 6000);
  }
}
