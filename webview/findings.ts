// The findings list beside the chart: one row per finding (severity, rule, steps, message).
// A row zooms the chart to its region and highlights it; its "line N" link opens the log
// there. Arrow keys, Home and End move between rows.
import type { Finding } from '../src/core/analysis/finding';
import type { RunInfo } from '../src/protocol/messages';
import { codicon, el } from './dom';
import { changesSchedule, formatStep, plural, ruleName, suggestionText } from './format';
import { regionId } from './model';

export interface FindingRef {
  id: string;
  run: RunInfo;
  finding: Finding;
  /** The finding's index in its run's findings (what `requestPreview` names). */
  index: number;
}

export interface FindingsCallbacks {
  onSelect(ref: FindingRef): void;
  onReveal(ref: FindingRef): void;
  /** Draw (or, when it is drawn, clear) the schedule a suggestion proposes. */
  onPreview(ref: FindingRef, suggestion: number): void;
}

const ICONS = { error: 'error', warning: 'warning', info: 'info' } as const;

export function stepsText(f: Finding): string {
  return f.endStep !== undefined && f.endStep > f.step ? `steps ${formatStep(f.step)}–${formatStep(f.endStep)}` : `step ${formatStep(f.step)}`;
}

export class FindingsPanel {
  readonly el: HTMLElement;
  private readonly list = el('ul', { class: 'finding-list', role: 'list' });
  private readonly count = el('span', { class: 'count-badge' });
  private selected: string | undefined;
  /** `${regionId}#${suggestion}` of the suggestion drawn as the preview. */
  private previewing: string | undefined;
  private refs: FindingRef[] = [];

  constructor(private readonly cb: FindingsCallbacks) {
    this.el = el(
      'aside',
      { class: 'findings', 'aria-labelledby': 'findings-title' },
      el('header', { class: 'findings-header' }, el('h2', { id: 'findings-title' }, 'Findings'), this.count),
      this.list,
    );
    this.list.addEventListener('keydown', (e) => this.onKey(e));
  }

  update(runs: readonly RunInfo[], selected: string | undefined, previewing?: string): void {
    this.selected = selected;
    this.previewing = previewing;
    this.refs = runs.flatMap((run) => run.findings.map((finding, index) => ({ id: regionId(run.id, index), run, finding, index })));
    const multi = runs.length > 1;
    this.count.textContent = String(this.refs.length);
    this.count.setAttribute('aria-label', plural(this.refs.length, 'finding'));
    if (this.refs.length === 0) {
      this.list.replaceChildren(el('li', { class: 'no-findings' }, codicon('pass'), runs.length ? ' No findings: nothing here looks like a learning-rate problem.' : ' No runs.'));
      return;
    }
    this.list.replaceChildren(...this.refs.map((ref) => this.row(ref, multi)));
  }

  /** Marks a row as the selected one (and scrolls it into view). */
  select(id: string | undefined): void {
    this.selected = id;
    for (const b of this.list.querySelectorAll<HTMLElement>('.finding')) {
      const on = b.dataset.id === id;
      b.classList.toggle('selected', on);
      b.setAttribute('aria-current', on ? 'true' : 'false');
      if (on) b.scrollIntoView({ block: 'nearest' });
    }
  }

  private row(ref: FindingRef, multi: boolean): HTMLLIElement {
    const f = ref.finding;
    const selected = ref.id === this.selected;
    const button = el(
      'button',
      { type: 'button', class: `finding sev-${f.severity}${selected ? ' selected' : ''}`, 'data-id': ref.id, 'aria-current': selected ? 'true' : 'false', title: 'Show this region on the chart' },
      codicon(ICONS[f.severity], `sev-icon sev-${f.severity}`),
      el(
        'span',
        { class: 'finding-text' },
        el(
          'span',
          { class: 'finding-head' },
          el('span', { class: 'rule' }, ruleName(f.rule)),
          el('span', { class: 'steps' }, stepsText(f)),
          multi ? el('span', { class: 'run' }, ref.run.name) : null,
        ),
        el('span', { class: 'message' }, f.message),
      ),
      el('span', { class: 'visually-hidden' }, ` (${f.severity})`),
    );
    button.addEventListener('click', () => this.cb.onSelect(ref));
    const li = el('li', {}, button);
    if (f.suggestions.length) {
      const chips = f.suggestions.map((sg, j) => {
        const text = suggestionText(sg);
        if (!changesSchedule(sg)) return el('span', { class: 'suggestion', title: sg.why ?? '' }, text);
        const on = this.previewing === `${ref.id}#${j}`;
        const b = el(
          'button',
          { type: 'button', class: `suggestion previewable${on ? ' on' : ''}`, 'aria-pressed': on ? 'true' : 'false', title: `${on ? 'Clear the preview of' : 'Preview'} this schedule on the chart${sg.why ? ` — ${sg.why}` : ''}` },
          codicon(on ? 'eye-closed' : 'eye'),
          text,
        );
        b.addEventListener('click', () => this.cb.onPreview(ref, j));
        return b;
      });
      li.append(el('div', { class: 'suggestions', 'aria-label': 'Suggestions' }, el('span', { class: 'suggestions-label' }, 'Try'), ...chips));
    }
    if (f.line !== undefined) {
      const link = el('button', { type: 'button', class: 'reveal', title: `Open ${ref.run.source} at line ${f.line}`, 'aria-label': `Open line ${f.line}` }, codicon('go-to-file'), `line ${formatStep(f.line)}`);
      link.addEventListener('click', () => this.cb.onReveal(ref));
      li.append(link);
    }
    return li;
  }

  private onKey(e: KeyboardEvent): void {
    const rows = [...this.list.querySelectorAll<HTMLElement>('.finding')];
    const i = rows.indexOf(document.activeElement as HTMLElement);
    let next = -1;
    if (e.key === 'ArrowDown') next = Math.min(rows.length - 1, i + 1);
    else if (e.key === 'ArrowUp') next = Math.max(0, i - 1);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = rows.length - 1;
    const row = rows[next];
    if (!row) return;
    e.preventDefault();
    row.focus();
  }
}
