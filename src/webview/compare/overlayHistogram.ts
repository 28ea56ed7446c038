// The two distributions drawn over each other on the same bins (the host counted both sides over
// one grid): A in grey, B in the theme's blue, so a shift, a widening or new outliers show at once.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { h } from '../dom';
import { t } from '../l10n';
import { formatNumber } from '../../view/colormap';

const cssVar = (name: string, fallback: string): string =>
  getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;

export interface SharedHistogram { edges: number[]; a: number[]; b: number[] }

export class OverlayHistogram {
  readonly element = h('section', { class: 'histogram compare-histogram', 'aria-label': t('Distribution of values, A and B') });
  private readonly host = h('div', { id: 'compare-histogram-plot', class: 'histogram-plot' });
  private readonly legend = h('div', { class: 'compare-legend' });
  private readonly empty = h('p', { class: 'muted' }, t('No finite values to count.'));
  private plot: uPlot | undefined;
  private data: SharedHistogram | undefined;

  constructor() {
    this.element.append(h('h3', {}, t('Distribution of values')), this.legend, this.host, this.empty);
    new ResizeObserver(() => { if (this.plot && this.host.clientWidth > 0) this.plot.setSize({ width: this.host.clientWidth, height: 170 }); }).observe(this.host);
  }

  show(hist: SharedHistogram | undefined, labels: { a: string; b: string }): void {
    this.data = hist;
    this.plot?.destroy();
    this.plot = undefined;
    const has = !!hist && hist.edges.length > 1;
    this.empty.hidden = has;
    this.host.hidden = !has;
    if (!hist || !has) { this.legend.replaceChildren(); return; }
    const colourA = cssVar('--vscode-descriptionForeground', '#888');
    const colourB = cssVar('--vscode-charts-blue', '#3794ff');
    this.legend.replaceChildren(
      h('span', { class: 'swatch-label' }, h('span', { class: 'swatch swatch-a' }), `A · ${labels.a}`),
      h('span', { class: 'swatch-label' }, h('span', { class: 'swatch swatch-b' }), `B · ${labels.b}`));
    // Stepped lines over the bins' left edges, closed by one more point at the right edge.
    const x = [...hist.edges];
    const a = [...hist.a, hist.a[hist.a.length - 1] ?? 0];
    const b = [...hist.b, hist.b[hist.b.length - 1] ?? 0];
    const fg = cssVar('--vscode-foreground', '#888');
    const grid = cssVar('--vscode-editorWidget-border', 'rgba(128,128,128,0.25)');
    const axis: uPlot.Axis = { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, font: '11px var(--vscode-font-family, sans-serif)' };
    this.plot = new uPlot({
      width: Math.max(220, this.host.clientWidth || 380), height: 170,
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { show: false } },
      scales: { x: { time: false, range: [x[0], x[x.length - 1]] }, y: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.08] } },
      axes: [
        { ...axis, values: (_u, ticks) => ticks.map(formatNumber) },
        // Wide enough for the largest count's label ("400,000"), so it is never cut at the left edge.
        { ...axis, size: 20 + 7 * Math.max(...hist.a, ...hist.b, 1).toLocaleString().length, values: (_u, ticks) => ticks.map((v) => (Number.isInteger(v) ? v.toLocaleString() : '')) },
      ],
      series: [
        {},
        { label: 'A', stroke: colourA, fill: 'rgba(128,128,128,0.22)', width: 1, paths: uPlot.paths.stepped!({ align: 1 }), points: { show: false } },
        { label: 'B', stroke: colourB, fill: `${colourB}40`, width: 2, paths: uPlot.paths.stepped!({ align: 1 }), points: { show: false } },
      ],
    }, [x, a, b], this.host);
    this.plot.root.setAttribute('aria-label', t('Histograms of A and B over {0} shared bins from {1} to {2}', hist.a.length, formatNumber(x[0]), formatNumber(x[x.length - 1])));
    this.element.dataset.bins = String(hist.a.length);
  }

  /** Redraw with the current theme's colours. */
  refresh(labels: { a: string; b: string }): void { this.show(this.data, labels); }
}
