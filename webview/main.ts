// The chart webview: draws the host's view of loss and learning rate with chart.js.
import { Chart, Legend, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, Tooltip } from 'chart.js';
import type { ChartDataset } from 'chart.js';
import type { ViewData } from '../src/core/chart/types';
import type { HostMessage, RunInfo } from '../src/protocol/messages';
import { loadState, send } from './vscodeApi';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Legend, Tooltip);

type Point = { x: number; y: number | null };
let chart: Chart<'line', Point[]> | undefined;
let runs: RunInfo[] = [];

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

function render(view: ViewData): void {
  const app = document.getElementById('app')!;
  app.setAttribute('aria-busy', 'false');
  let canvas = document.getElementById('chart') as HTMLCanvasElement | null;
  if (!canvas) {
    app.replaceChildren();
    canvas = document.createElement('canvas');
    canvas.id = 'chart';
    app.append(canvas);
  }
  const grid = cssVar('--vscode-editorWidget-border', 'rgba(128,128,128,0.3)');
  const palette = [cssVar('--vscode-charts-blue', '#3794ff'), cssVar('--vscode-charts-orange', '#d18616'), cssVar('--vscode-charts-green', '#89d185')];
  const infos = new Map(runs.flatMap((r) => r.series.map((s) => [s.key, { run: r, s }] as const)));
  const datasets: ChartDataset<'line', Point[]>[] = [];
  for (const sv of view.series) {
    const info = infos.get(sv.key);
    if (!info || (info.s.role !== 'train_loss' && info.s.role !== 'val_loss' && info.s.role !== 'lr')) continue;
    const color = palette[datasets.length % palette.length]!;
    datasets.push({
      label: runs.length > 1 ? `${info.run.name}: ${info.s.tag}` : info.s.tag,
      data: sv.x.map((x, i) => ({ x, y: sv.y[i] ?? null })),
      borderColor: color,
      backgroundColor: color,
      borderWidth: 1.5,
      pointRadius: 0,
      yAxisID: info.s.role === 'lr' ? 'lr' : 'loss',
    });
  }
  const hasLr = datasets.some((d) => d.yAxisID === 'lr');
  if (chart) {
    chart.data.datasets = datasets;
    chart.update('none');
    return;
  }
  Chart.defaults.color = cssVar('--vscode-foreground', '#ccc');
  chart = new Chart<'line', Point[]>(canvas, {
    type: 'line',
    data: { datasets },
    options: {
      animation: false,
      parsing: false,
      normalized: true,
      maintainAspectRatio: false,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: {
        x: { type: 'linear', title: { display: true, text: view.xAxis }, grid: { color: grid } },
        loss: { type: 'linear', position: 'left', title: { display: true, text: 'loss' }, grid: { color: grid } },
        lr: { type: 'logarithmic', position: 'right', display: hasLr, title: { display: true, text: 'learning rate' }, grid: { drawOnChartArea: false } },
      },
    },
  });
}

let nextId = 1;
function requestView(): void {
  const state = loadState();
  send({ type: 'requestView', id: nextId++, xAxis: state?.xAxis ?? 'step', xRange: state?.xRange ?? null, width: Math.max(100, window.innerWidth), smoothing: state?.smoothing ?? 0.6 });
}

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const msg = event.data;
  switch (msg.type) {
    case 'init':
      runs = msg.runs;
      render(msg.view);
      return;
    case 'runs':
      runs = msg.runs;
      requestView();
      return;
    case 'view':
      render(msg.view);
      return;
    case 'focus':
    case 'preview':
    case 'response':
      return;
  }
});

window.addEventListener('error', (e) => send({ type: 'error', message: `${e.message} at ${e.filename}:${e.lineno}` }));
const restored = loadState();
send(restored ? { type: 'ready', state: restored } : { type: 'ready' });
