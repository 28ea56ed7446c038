// The histogram of the selected parameter's finite values, drawn with uPlot (bars), themed from
// VS Code's CSS variables so it reads in light, dark and high-contrast themes.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { h } from './dom';
import { t } from './l10n';
import type { HistogramView } from './protocol';
import { formatNumber } from '../view/colormap';

const cssVar = (name: string, fallback: string): string =>
  getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;

export class HistogramPanel {
  readonly element = h('section', { class: 'histogram', 'aria-label': t('Histogram') });
  private readonly host = h('div', { id: 'histogram-plot', class: 'histogram-plot' });
  private readonly empty = h('p', { class: 'muted' }, t('No finite values to count.'));
  private plot: uPlot | undefined;
  private data: HistogramView | undefined;

  constructor() {
    this.element.append(h('h3', {}, t('Distribution of values')), this.host, this.empty);
    new ResizeObserver(() => this.resize()).observe(this.host);
  }

  show(hist: HistogramView): void {
    this.data = hist;
    this.empty.hidden = hist.counts.length > 0;
    this.host.hidden = hist.counts.length === 0;
    this.plot?.destroy();
    this.plot = undefined;
    if (hist.counts.length === 0) return;
    const centres = hist.counts.map((_, i) => (hist.edges[i] + hist.edges[i + 1]) / 2);
    const fg = cssVar('--vscode-foreground', '#888');
    const grid = cssVar('--vscode-editorWidget-border', 'rgba(128,128,128,0.25)');
    const bar = cssVar('--vscode-charts-blue', '#3794ff');
    const axis: uPlot.Axis = { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, font: '11px var(--vscode-font-family, sans-serif)' };
    const width = Math.max(200, this.host.clientWidth || 360);
    this.plot = new uPlot({
      width, height: 160,
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { show: false } },
      scales: { x: { time: false, range: [hist.edges[0], hist.edges[hist.edges.length - 1]] }, y: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.08] } },
      axes: [
        { ...axis, values: (_u, ticks) => ticks.map(formatNumber) },
        { ...axis, size: 44, values: (_u, ticks) => ticks.map((v) => (Number.isInteger(v) ? v.toLocaleString() : '')) },
      ],
      series: [{}, {
        label: t('count'), stroke: bar, fill: `${bar}99`, width: 1,
        paths: uPlot.paths.bars!({ size: [1, Infinity], gap: 1, align: 0 }),
        points: { show: false },
      }],
    }, [centres, hist.counts], this.host);
    this.plot.root.setAttribute('aria-label', t('Histogram of {0} bins from {1} to {2}', hist.counts.length, formatNumber(hist.edges[0]), formatNumber(hist.edges[hist.edges.length - 1])));
  }

  private resize(): void {
    if (this.plot && this.host.clientWidth > 0) this.plot.setSize({ width: this.host.clientWidth, height: 160 });
    else if (!this.plot && this.data && this.data.counts.length > 0 && this.host.clientWidth > 0) this.show(this.data);
  }
}
