// After "Reinitialise Parameters…": the distribution of a parameter's new values drawn over the
// previous one (uPlot step lines on a shared value axis), with a picker when several changed.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { h } from '../dom';
import { t } from '../l10n';
import type { HistogramOverlayPayload } from './messages';
import { alignHistograms } from './histogramAlign';

const cssVar = (name: string, fallback: string): string =>
  getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;

export class OverlayView {
  readonly element = h('section', { class: 'reinit-overlay', id: 'reinit-overlay', 'aria-label': t('Distribution before and after') });
  private readonly caption = h('p', { class: 'muted' });
  private readonly picker = h('select', { 'aria-label': t('Parameter') });
  private readonly plotHost = h('div', { class: 'reinit-overlay-plot' });
  private plot: uPlot | undefined;
  private payload: HistogramOverlayPayload | undefined;

  constructor() {
    const close = h('button', { class: 'training-close', title: t('Close'), 'aria-label': t('Close') }, '×');
    close.addEventListener('click', () => { this.element.hidden = true; });
    this.element.append(h('header', { class: 'training-header' }, h('h3', {}, t('Before and after')), close), this.caption, this.picker, this.plotHost);
    this.element.hidden = true;
    this.picker.addEventListener('change', () => this.draw(this.picker.value));
  }

  show(payload: HistogramOverlayPayload): void {
    this.payload = payload;
    const names = Object.keys(payload.current);
    if (names.length === 0) { this.element.hidden = true; return; }
    this.element.hidden = false;
    this.caption.textContent = payload.label;
    this.picker.replaceChildren(...names.map((n) => h('option', { value: n }, n)));
    this.picker.hidden = names.length < 2;
    this.draw(names[0]);
  }

  private draw(name: string): void {
    const p = this.payload;
    if (!p) return;
    const before = p.previous[name] ?? { edges: [], counts: [] }, after = p.current[name];
    const { x, before: b, after: a } = alignHistograms(before, after);
    this.element.dataset.param = name;
    this.element.dataset.newMin = String(after.edges[0]);
    this.element.dataset.newMax = String(after.edges[after.edges.length - 1]);
    this.element.dataset.oldMin = String(before.edges[0] ?? '');
    this.element.dataset.oldMax = String(before.edges[before.edges.length - 1] ?? '');
    this.plot?.destroy();
    const fg = cssVar('--vscode-foreground', '#888');
    const grid = cssVar('--vscode-editorWidget-border', 'rgba(128,128,128,0.25)');
    const axis: uPlot.Axis = { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, font: '11px var(--vscode-font-family, sans-serif)' };
    const newColour = cssVar('--vscode-charts-blue', '#3794ff');
    this.plot = new uPlot({
      width: Math.max(240, this.plotHost.clientWidth || 420), height: 150,
      scales: { x: { time: false } },
      axes: [{ ...axis }, { ...axis, size: 44 }],
      series: [
        { label: t('value') },
        { label: t('before'), stroke: 'rgba(128,128,128,0.9)', fill: 'rgba(128,128,128,0.25)', width: 1, paths: uPlot.paths.stepped!({ align: 1 }), points: { show: false } },
        { label: t('after'), stroke: newColour, fill: `${newColour}55`, width: 2, paths: uPlot.paths.stepped!({ align: 1 }), points: { show: false } },
      ],
    }, [x, b, a], this.plotHost);
  }
}
