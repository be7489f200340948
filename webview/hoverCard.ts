// The hover card over the chart: exact values of every series at the pointer, and the
// finding or non-finite marker under it. Built from DOM nodes, styled like VS Code's hovers.
import type { XAxis } from '../src/core/chart/types';
import type { Hover, HoverItem } from './chart';
import { codicon, el } from './dom';
import { formatLr, formatStep, formatValue, formatX, ruleName } from './format';
import { stepsText } from './findings';

function valueText(it: HoverItem, v: number): string {
  return it.line.axis === 'lr' ? formatLr(v, 4) : formatValue(v, 6);
}

export class HoverCard {
  readonly el = el('div', { class: 'hover-card', role: 'tooltip', id: 'hover-card' });

  constructor(private readonly container: HTMLElement) {
    this.el.hidden = true;
    container.append(this.el);
  }

  hide(): void {
    this.el.hidden = true;
  }

  show(h: Hover | undefined, axis: XAxis): void {
    if (!h || (h.items.length === 0 && h.regions.length === 0 && !h.marker)) {
      this.hide();
      return;
    }
    const rows: HTMLElement[] = [];
    // The title is the position of the point nearest the pointer; rows at other steps say so.
    let first: HoverItem | undefined;
    for (const it of h.items) if (!first || Math.abs(it.point.x - h.x) < Math.abs(first.point.x - h.x)) first = it;
    const step = first?.line.steps?.[first.index];
    const title = formatX(axis, first ? first.point.x : h.x) + (axis !== 'step' && step !== undefined ? ` · step ${formatStep(step)}` : '');
    rows.push(el('div', { class: 'hc-title' }, title));
    if (h.items.length) {
      const table = el('div', { class: 'hc-values' });
      for (const it of h.items) {
        const swatch = el('span', { class: 'swatch', 'aria-hidden': 'true' });
        swatch.style.borderTopColor = it.line.color;
        swatch.style.borderTopStyle = it.line.dash.length === 0 ? 'solid' : it.line.dash[0]! <= 2 ? 'dotted' : 'dashed';
        const y = it.point.y;
        const raw = it.line.raw?.[it.index];
        const itStep = it.line.steps?.[it.index];
        const value = el('span', { class: `hc-value${y === null ? ' sev-error' : ''}` }, y === null ? (it.nonFinite ?? '—') : valueText(it, y));
        const extra: string[] = [];
        if (it.line.part === 'smoothed' && typeof raw === 'number') extra.push(`raw ${valueText(it, raw)}`);
        if (itStep !== undefined && step !== undefined && itStep !== step) extra.push(`step ${formatStep(itStep)}`);
        table.append(el('span', { class: 'hc-label' }, swatch, it.line.label), value, el('span', { class: 'hc-extra' }, extra.join(' · ')));
      }
      rows.push(table);
    }
    if (h.marker) {
      const m = h.marker;
      rows.push(
        el(
          'div',
          { class: 'hc-finding sev-error' },
          codicon('error', 'sev-error'),
          el('span', {}, el('span', { class: 'hc-finding-message' }, m.label), m.line !== undefined ? el('span', { class: 'hc-hint' }, `Click to open line ${formatStep(m.line)}`) : null),
        ),
      );
    }
    for (const r of h.regions) {
      const f = r.finding;
      rows.push(
        el(
          'div',
          { class: `hc-finding sev-${f.severity}` },
          codicon(f.severity, `sev-${f.severity}`),
          el(
            'span',
            {},
            el('span', { class: 'hc-finding-head' }, `${ruleName(f.rule)} · ${stepsText(f)}`),
            el('span', { class: 'hc-finding-message' }, f.message),
            f.line !== undefined ? el('span', { class: 'hc-hint' }, `Click to open line ${formatStep(f.line)}`) : null,
          ),
        ),
      );
    }
    this.el.replaceChildren(...rows);
    this.el.hidden = false;
    this.place(h.px, h.py);
  }

  private place(px: number, py: number): void {
    const box = this.container.getBoundingClientRect();
    const w = this.el.offsetWidth;
    const hgt = this.el.offsetHeight;
    let left = px + 16;
    if (left + w > box.width - 4) left = Math.max(4, px - 16 - w);
    let top = py - hgt / 2;
    top = Math.max(4, Math.min(box.height - hgt - 4, top));
    this.el.style.left = `${Math.round(left)}px`;
    this.el.style.top = `${Math.round(top)}px`;
  }
}
