// The findings list beside the chart: one row per finding (severity, rule, steps, message).
// A row zooms the chart to its region and highlights it; its "line N" link opens the log
// there. Arrow keys, Home and End move between rows.
import type { Finding } from '../src/core/analysis/finding';
import type { RunInfo } from '../src/protocol/messages';
import { codicon, el } from './dom';
import { formatStep, plural, ruleName } from './format';
import { regionId } from './model';

export interface FindingRef {
  id: string;
  run: RunInfo;
  finding: Finding;
}

export interface FindingsCallbacks {
  onSelect(ref: FindingRef): void;
  onReveal(ref: FindingRef): void;
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

  update(runs: readonly RunInfo[], selected: string | undefined): void {
    this.selected = selected;
    this.refs = runs.flatMap((run) => run.findings.map((finding, i) => ({ id: regionId(run.id, i), run, finding })));
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
