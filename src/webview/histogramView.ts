// The histogram of the selected parameter's finite values, drawn with uPlot (bars), themed from
// VS Code's CSS variables so it reads in light, dark and high-contrast themes.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { h } from './dom';
import { t } from './l10n';
import type { HistogramView } from './protocol';
import { formatNumber } from '../view/colormap';
import { compactCount, tickLabels } from '../view/axisFormat';

let measurer: CanvasRenderingContext2D | null | undefined;

/** Width of an axis that fits its widest label (uPlot's fixed default clipped "45,000,000" to "0,000"). */
function axisSize(labels: readonly (string | number | null)[] | undefined, font: string): number {
  measurer ??= document.createElement('canvas').getContext('2d');
  let widest = 0;
  if (measurer) {
    measurer.font = font;
    for (const l of labels ?? []) if (l !== null) widest = Math.max(widest, measurer.measureText(String(l)).width);
  } else {
    widest = Math.max(0, ...(labels ?? []).map((l) => String(l ?? '').length * 7));
  }
  return Math.ceil(widest) + 14; // tick length and gap
}

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
    // A canvas font cannot hold var(): the theme's font family, resolved.
    const font = `11px ${cssVar('--vscode-font-family', 'sans-serif')}`;
    const axis: uPlot.Axis = { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, font };
    const width = Math.max(200, this.host.clientWidth || 360);
    this.plot = new uPlot({
      width, height: 160,
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { show: false } },
      scales: { x: { time: false, range: [hist.edges[0], hist.edges[hist.edges.length - 1]] }, y: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.08] } },
      axes: [
        // Values: just enough digits to tell ticks apart, exponents for 1e-5 and 1e6 alike.
        { ...axis, space: 56, values: (_u, ticks) => tickLabels(ticks) },
        // Counts: 35k, 1.2M, and an axis as wide as its widest label.
        { ...axis, size: (_u, values) => axisSize(values, font), values: (_u, ticks) => {
            const labels = ticks.map((v) => (Number.isInteger(v) ? compactCount(v) : ''));
            this.host.dataset.countLabels = JSON.stringify(labels.filter(Boolean)); // what tests read: a canvas holds no text
            return labels;
          } },
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
