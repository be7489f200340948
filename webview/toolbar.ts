// The controls above the chart: x axis, log scale, smoothing, reset zoom, exports, findings.
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-toolbar-button/index.js';
import type { XAxis } from '../src/core/chart/types';
import type { ChartUiState } from '../src/protocol/messages';
import { el } from './dom';

export interface ToolbarCallbacks {
  onAxis(axis: XAxis): void;
  onLogY(logY: boolean): void;
  /** `done` is false while the slider is being dragged. */
  onSmoothing(weight: number, done: boolean): void;
  onResetZoom(): void;
  onExportPng(): void;
  onExportCsv(): void;
  onToggleFindings(): void;
}

const AXIS_LABELS: Record<XAxis, string> = { step: 'Step', epoch: 'Epoch', time: 'Relative time' };
export const MAX_SMOOTHING = 0.999;

/** A smoothing weight from user input, clamped to [0, 0.999]; undefined when not a number. */
export function parseSmoothing(text: string): number | undefined {
  const v = Number.parseFloat(text);
  if (!Number.isFinite(v)) return undefined;
  return Math.min(MAX_SMOOTHING, Math.max(0, Math.round(v * 1000) / 1000));
}

export class Toolbar {
  readonly el: HTMLElement;
  private readonly axis = el('vscode-single-select', { id: 'x-axis', label: 'X axis', title: 'What the x axis shows' });
  private readonly logY = el('vscode-checkbox', { id: 'log-y', label: 'Log scale', title: 'Logarithmic loss axis (the learning rate is always logarithmic)' });
  private readonly slider = el('input', { id: 'smoothing', type: 'range', min: 0, max: MAX_SMOOTHING, step: 0.001, 'aria-label': 'Smoothing', title: 'Smoothing (TensorBoard’s exponential moving average)' });
  private readonly smoothingBox = el('vscode-textfield', { id: 'smoothing-value', type: 'number', min: 0, max: MAX_SMOOTHING, step: 0.001, label: 'Smoothing weight', 'aria-label': 'Smoothing weight' });
  private readonly reset = el('vscode-toolbar-button', { id: 'reset-zoom', icon: 'discard', label: 'Reset zoom', title: 'Reset zoom (show the whole run)' });
  private readonly png = el('vscode-toolbar-button', { id: 'export-png', icon: 'device-camera', label: 'Export PNG', title: 'Export the chart as PNG' });
  private readonly csv = el('vscode-toolbar-button', { id: 'export-csv', icon: 'table', label: 'Export CSV', title: 'Export the visible data as CSV (full resolution)' });
  private readonly findings = el('vscode-toolbar-button', { id: 'toggle-findings', icon: 'layout-sidebar-right', label: 'Findings', title: 'Show or hide the findings list', toggleable: true });
  private axes: XAxis[] = [];

  constructor(cb: ToolbarCallbacks) {
    this.el = el(
      'div',
      { class: 'toolbar', role: 'toolbar', 'aria-label': 'Chart controls' },
      el('div', { class: 'control' }, el('span', { class: 'control-label', id: 'x-axis-label' }, 'X axis'), this.axis),
      el('div', { class: 'control' }, this.logY),
      el('div', { class: 'control smoothing' }, el('label', { class: 'control-label', for: 'smoothing' }, 'Smoothing'), this.slider, this.smoothingBox),
      el('div', { class: 'spacer' }),
      el('div', { class: 'actions' }, this.reset, this.png, this.csv, this.findings),
    );
    this.axis.addEventListener('change', () => {
      const v = this.axis.value as XAxis;
      if (this.axes.includes(v)) cb.onAxis(v);
    });
    this.logY.addEventListener('change', () => cb.onLogY(this.logY.checked));
    this.slider.addEventListener('input', () => {
      const v = parseSmoothing(this.slider.value) ?? 0;
      this.smoothingBox.value = v.toFixed(3);
      cb.onSmoothing(v, false);
    });
    this.slider.addEventListener('change', () => cb.onSmoothing(parseSmoothing(this.slider.value) ?? 0, true));
    this.smoothingBox.addEventListener('change', () => {
      const v = parseSmoothing(this.smoothingBox.value);
      if (v === undefined) return;
      this.smoothingBox.value = v.toFixed(3);
      this.slider.value = String(v);
      cb.onSmoothing(v, true);
    });
    this.reset.addEventListener('click', () => cb.onResetZoom());
    this.png.addEventListener('click', () => cb.onExportPng());
    this.csv.addEventListener('click', () => cb.onExportCsv());
    this.findings.addEventListener('click', () => cb.onToggleFindings());
  }

  /** Shows the state; `axes` are the x axes every run supports. */
  update(state: ChartUiState, axes: XAxis[], zoomed: boolean): void {
    if (axes.join() !== this.axes.join()) {
      this.axes = axes;
      this.axis.replaceChildren(...axes.map((a) => el('vscode-option', { value: a }, AXIS_LABELS[a])));
    }
    if (this.axis.value !== state.xAxis) this.axis.value = state.xAxis;
    this.axis.toggleAttribute('disabled', axes.length < 2);
    this.logY.checked = state.logY;
    if (document.activeElement !== this.slider) this.slider.value = String(state.smoothing);
    if (document.activeElement !== this.smoothingBox) this.smoothingBox.value = state.smoothing.toFixed(3);
    this.reset.toggleAttribute('data-inactive', !zoomed);
    this.findings.checked = state.showFindings;
  }
}
