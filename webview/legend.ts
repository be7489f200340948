// The legend: one toggle per series (and per schedule overlay), grouped by run when
// several runs are compared. Series hidden by default (gradient norm, metrics, ...) are
// listed dimmed and can be turned on here.
import { el } from './dom';
import type { LegendItem } from './model';

export class Legend {
  readonly el = el('div', { class: 'legend', role: 'group', 'aria-label': 'Series' });

  constructor(private readonly onToggle: (item: LegendItem) => void) {}

  update(items: readonly LegendItem[], multiRun: boolean): void {
    const groups = new Map<string, LegendItem[]>();
    for (const item of items) {
      const g = multiRun ? item.runId : '';
      let list = groups.get(g);
      if (!list) groups.set(g, (list = []));
      list.push(item);
    }
    const children: HTMLElement[] = [];
    for (const [, list] of groups) {
      const first = list[0]!;
      const ordered = [...list.filter((i) => !i.hiddenByDefault), ...list.filter((i) => i.hiddenByDefault)];
      const row = el('div', { class: 'legend-run' });
      if (multiRun) {
        const runSwatch = el('span', { class: 'run-dot', 'aria-hidden': 'true' });
        runSwatch.style.backgroundColor = first.color;
        row.append(el('span', { class: 'legend-run-name', title: first.runName }, runSwatch, first.runName));
      }
      for (const item of ordered) row.append(this.button(item));
      children.push(row);
    }
    this.el.replaceChildren(...children);
    this.el.hidden = items.length === 0;
  }

  private button(item: LegendItem): HTMLButtonElement {
    const swatch = el('span', { class: 'swatch', 'aria-hidden': 'true' });
    swatch.style.borderTopColor = item.color;
    swatch.style.borderTopStyle = item.dash.length === 0 ? 'solid' : item.dash[0]! <= 2 ? 'dotted' : 'dashed';
    if (item.kind === 'preview') swatch.style.borderTopWidth = '3px';
    const b = el(
      'button',
      {
        class: `legend-item${item.visible ? '' : ' off'}${item.hiddenByDefault ? ' extra' : ''}`,
        type: 'button',
        'aria-pressed': item.visible ? 'true' : 'false',
        'data-key': item.key,
        title: `${item.visible ? 'Hide' : 'Show'} ${item.label}`,
      },
      swatch,
      el('span', { class: 'legend-label' }, item.label),
    );
    b.addEventListener('click', () => this.onToggle(item));
    return b;
  }
}
