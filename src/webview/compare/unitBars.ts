// "What did fine-tuning touch?": a tensor's units (a Linear layer's output neurons, a Conv2d
// layer's filters, an LSTM's gate rows, a matrix's rows) ranked by their relative change
// ‖Δ row‖ / ‖A row‖, as a short list of bars.
import { h } from '../dom';
import { t } from '../l10n';
import type { UnitChangeView } from '../protocol';
import { formatNumber } from '../../view/colormap';

const SHOWN = 12;

function unitLabel(kind: string, index: number): string {
  switch (kind) {
    case 'neuron': return t('output neuron {0}', index);
    case 'filter': return t('filter {0}', index);
    case 'gateRow': return t('gate row {0}', index);
    default: return t('row {0}', index);
  }
}

function title(kind: string): string {
  switch (kind) {
    case 'neuron': return t('Output neurons that changed most');
    case 'filter': return t('Filters that changed most');
    case 'gateRow': return t('Gate rows that changed most');
    default: return t('Rows that changed most');
  }
}

export class UnitBars {
  readonly element = h('section', { class: 'unit-bars', id: 'unit-bars', 'aria-label': t('Units ranked by change') });

  /** `highlight(index)` while a unit's bar is hovered or focused, `highlight(undefined)` after. */
  constructor(private readonly highlight: (index: number | undefined) => void) {
    const unitOf = (e: Event) => (e.target as HTMLElement).closest<HTMLElement>('.unit-row');
    this.element.addEventListener('mouseover', (e) => { const row = unitOf(e); if (row) this.highlight(Number(row.dataset.unit)); });
    this.element.addEventListener('focusin', (e) => { const row = unitOf(e); if (row) this.highlight(Number(row.dataset.unit)); });
    this.element.addEventListener('mouseleave', () => this.highlight(undefined));
    this.element.addEventListener('focusout', () => this.highlight(undefined));
  }

  show(units: { unit: string; ranked: UnitChangeView[]; count: number } | undefined): void {
    this.element.hidden = !units || units.ranked.length === 0;
    if (!units || units.ranked.length === 0) { this.element.replaceChildren(); return; }
    const top = units.ranked.slice(0, SHOWN);
    const max = Math.max(...top.map((u) => (Number.isFinite(u.relChange) ? u.relChange : 0)), 1e-300);
    const rows = top.map((u) => {
      const share = Number.isFinite(u.relChange) ? Math.max(0.5, (100 * u.relChange) / max) : 100;
      // Through the CSSOM: the webview's Content Security Policy refuses inline style attributes.
      const fill = h('span', { class: 'unit-fill' });
      fill.style.width = `${share.toFixed(1)}%`;
      return h('li', { class: 'unit-row', 'data-unit': u.index, tabindex: 0, title: t('Outline it in the heatmaps') },
        h('span', { class: 'unit-name' }, unitLabel(units.unit, u.index)),
        h('span', { class: 'unit-track' }, fill),
        h('span', { class: 'unit-value', title: t('‖Δ‖ / ‖A‖ of this unit; largest |Δ| {0}', formatNumber(u.maxAbsDiff)) }, formatPercent(u.relChange)));
    });
    this.element.replaceChildren(
      h('h3', {}, title(units.unit)),
      h('p', { class: 'muted unit-caption' }, t('relative change ‖Δ‖ / ‖A‖, top {0} of {1}; hover one to outline it', top.length, units.count)),
      h('ol', { class: 'unit-list' }, ...rows));
  }
}

/** A relative change as a percentage with sensible precision. */
export function formatPercent(x: number | null): string {
  if (x === null) return '—';
  if (!Number.isFinite(x)) return String(x);
  const p = x * 100;
  if (p === 0) return '0%';
  if (p < 0.01) return '<0.01%';
  return `${p < 10 ? p.toPrecision(2) : p.toFixed(0)}%`;
}
