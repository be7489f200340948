// The chart webview: draws loss and learning rate with chart.js.
import { Chart, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, Legend, Tooltip } from 'chart.js';
import type { ChartDataset } from 'chart.js';
import type { ChartRun, HostMessage } from '../src/protocol/messages';
import { send } from './vscodeApi';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Legend, Tooltip);

let chart: Chart<'line', { x: number; y: number | null }[]> | undefined;

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

function render(runs: ChartRun[]): void {
  const app = document.getElementById('app')!;
  app.setAttribute('aria-busy', 'false');
  let canvas = document.getElementById('chart') as HTMLCanvasElement | null;
  if (!canvas) {
    app.replaceChildren();
    canvas = document.createElement('canvas');
    canvas.id = 'chart';
    app.append(canvas);
  }
  const fg = cssVar('--vscode-foreground', '#ccc');
  const grid = cssVar('--vscode-editorWidget-border', 'rgba(128,128,128,0.3)');
  const palette = [
    cssVar('--vscode-charts-blue', '#3794ff'),
    cssVar('--vscode-charts-orange', '#d18616'),
    cssVar('--vscode-charts-green', '#89d185'),
    cssVar('--vscode-charts-purple', '#b180d7'),
  ];
  const datasets: ChartDataset<'line', { x: number; y: number | null }[]>[] = [];
  for (const run of runs) {
    for (const s of run.series) {
      if (s.role !== 'train_loss' && s.role !== 'val_loss' && s.role !== 'lr') continue;
      const color = palette[datasets.length % palette.length]!;
      datasets.push({
        label: runs.length > 1 ? `${run.name}: ${s.tag}` : s.tag,
        data: s.steps.map((x, i) => ({ x, y: s.values[i] ?? null })),
        borderColor: color,
        backgroundColor: color,
        borderWidth: 1.5,
        pointRadius: 0,
        yAxisID: s.role === 'lr' ? 'lr' : 'loss',
        ...(s.role === 'lr' ? { borderDash: [] } : {}),
      });
    }
  }
  const hasLr = datasets.some((d) => d.yAxisID === 'lr');
  if (chart) {
    chart.data.datasets = datasets;
    chart.update('none');
    return;
  }
  Chart.defaults.color = fg;
  chart = new Chart<'line', { x: number; y: number | null }[]>(canvas, {
    type: 'line',
    data: { datasets },
    options: {
      animation: false,
      parsing: false,
      normalized: true,
      maintainAspectRatio: false,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: {
        x: { type: 'linear', title: { display: true, text: 'step' }, grid: { color: grid } },
        loss: { type: 'linear', position: 'left', title: { display: true, text: 'loss' }, grid: { color: grid } },
        lr: { type: 'logarithmic', position: 'right', display: hasLr, title: { display: true, text: 'learning rate' }, grid: { drawOnChartArea: false } },
      },
    },
  });
}

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const msg = event.data;
  switch (msg.type) {
    case 'init':
    case 'update':
      render(msg.runs);
      return;
    case 'response':
      return;
  }
});

window.addEventListener('error', (e) => send({ type: 'error', message: `${e.message} at ${e.filename}:${e.lineno}` }));
send({ type: 'ready' });
