// The compare table: every tensor, most changed first (the host orders them), with its status,
// shapes, max |Δ|, relative change, cosine and the share of elements that changed. Rows are
// rebuilt as the comparison streams in; the selection and the scroll position stay.
import { h, shapeText } from '../dom';
import { t } from '../l10n';
import type { ComparePendingView, CompareRowView } from '../protocol';
import { formatNumber } from '../../view/colormap';
import { formatPercent } from './unitBars';

export function statusText(s: CompareRowView['status']): string {
  switch (s) {
    case 'same': return t('same');
    case 'changed': return t('changed');
    case 'shape_mismatch': return t('shape mismatch');
    case 'only_in_a': return t('only in A');
    case 'only_in_b': return t('only in B');
  }
}

function shapes(r: Pick<CompareRowView, 'shapeA' | 'shapeB'>): string {
  const a = r.shapeA && shapeText(r.shapeA), b = r.shapeB && shapeText(r.shapeB);
  if (a && b) return a === b ? a : `${a} → ${b}`;
  return a ?? b ?? '';
}

function dtypes(r: Pick<CompareRowView, 'dtypeA' | 'dtypeB'>): string {
  if (r.dtypeA && r.dtypeB) return r.dtypeA === r.dtypeB ? r.dtypeA : `${r.dtypeA} → ${r.dtypeB}`;
  return r.dtypeA ?? r.dtypeB ?? '';
}

const num = (v: number | null, digits?: (x: number) => string): string => (v === null ? '—' : (digits ?? formatNumber)(v));

export class CompareTable {
  readonly element: HTMLElement;
  private readonly body = h('tbody');
  private rows: CompareRowView[] = [];
  private pending: ComparePendingView[] = [];
  private selected: string | undefined;
  private hideSame = false;
  private maxRel = 0;

  constructor(private readonly onSelect: (name: string) => void) {
    const hide = h('input', { type: 'checkbox', id: 'hide-same' });
    hide.addEventListener('change', () => { this.hideSame = hide.checked; this.render(); });
    const head = h('tr', {},
      h('th', {}, t('Status')), h('th', {}, t('Tensor')), h('th', {}, t('Shape')), h('th', {}, t('dtype')),
      h('th', { class: 'num', title: t('Largest |B − A| over the elements') }, t('max |Δ|')),
      h('th', { class: 'num', title: t('‖B − A‖ / ‖A‖') }, t('relative change')),
      h('th', { class: 'num', title: t('A·B / (‖A‖ ‖B‖): 1 = same direction') }, t('cosine')),
      h('th', { class: 'num', title: t('Share of elements that are not equal') }, t('changed')));
    this.element = h('section', { class: 'compare-table-section' },
      h('div', { class: 'table-tools' }, h('label', { class: 'check' }, hide, t('Hide unchanged tensors'))),
      h('div', { class: 'compare-table-scroll' }, h('table', { class: 'compare-table', id: 'compare-table' }, h('thead', {}, head), this.body)));
    this.body.addEventListener('click', (e) => {
      const row = (e.target as HTMLElement).closest('tr[data-name]') as HTMLElement | null;
      if (row) this.onSelect(row.dataset.name!);
    });
    this.body.addEventListener('keydown', (e) => {
      const row = (e.target as HTMLElement).closest('tr[data-name]') as HTMLElement | null;
      if (!row) return;
      const step = e.key === 'ArrowDown' ? row.nextElementSibling : e.key === 'ArrowUp' ? row.previousElementSibling : null;
      if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); this.onSelect(row.dataset.name!); }
      if (step instanceof HTMLElement) { e.preventDefault(); step.focus(); this.onSelect(step.dataset.name!); }
    });
  }

  setRows(rows: CompareRowView[], pending: ComparePendingView[]): void {
    this.rows = rows;
    this.pending = pending;
    this.maxRel = Math.max(0, ...rows.map((r) => (r.relL2 !== null && Number.isFinite(r.relL2) ? r.relL2 : 0)));
    this.render();
  }

  select(name: string | undefined): void {
    this.selected = name;
    for (const tr of this.body.querySelectorAll<HTMLElement>('tr[data-name]')) {
      const on = tr.dataset.name === name;
      tr.classList.toggle('selected', on);
      tr.setAttribute('aria-selected', String(on));
    }
  }

  private render(): void {
    const focused = (document.activeElement as HTMLElement | null)?.closest?.('tr[data-name]') as HTMLElement | null;
    const focusName = focused?.dataset.name;
    const shown = this.hideSame ? this.rows.filter((r) => r.status !== 'same' || r.name === this.selected) : this.rows;
    this.body.replaceChildren(...shown.map((r) => this.row(r)), ...this.pending.map((p) => this.pendingRow(p)));
    if (focusName) this.body.querySelector<HTMLElement>(`tr[data-name="${CSS.escape(focusName)}"]`)?.focus();
  }

  /** A tensor still to be read: its shapes from the headers, its numbers to come. */
  private pendingRow(p: ComparePendingView): HTMLElement {
    const on = p.name === this.selected;
    const r = { ...p, status: 'same' as const, maxAbsDiff: null, relL2: null, cosine: null, changedFraction: null };
    return h('tr', { 'data-name': p.name, 'data-status': 'pending', tabindex: 0, class: `status-pending${on ? ' selected' : ''}`, 'aria-selected': String(on) },
      h('td', {}, h('span', { class: 'status-badge badge-pending' }, t('reading…'))),
      h('td', { class: 'mono tensor-name' }, p.name),
      h('td', { class: 'mono shape' }, shapes(r)),
      h('td', { class: 'muted' }, dtypes(r)),
      h('td', { class: 'num muted' }, '…'), h('td', { class: 'num muted' }, '…'), h('td', { class: 'num muted' }, '…'), h('td', { class: 'num muted' }, '…'));
  }

  private row(r: CompareRowView): HTMLElement {
    const rel = r.relL2;
    const bar = h('span', { class: 'rel-bar' });
    if (rel !== null && this.maxRel > 0) bar.style.width = `${Math.max(rel > 0 ? 2 : 0, Math.min(100, (100 * rel) / this.maxRel)).toFixed(1)}%`;
    const tr = h('tr', { 'data-name': r.name, 'data-status': r.status, tabindex: 0, class: `status-${r.status}${r.name === this.selected ? ' selected' : ''}`, 'aria-selected': String(r.name === this.selected) },
      h('td', {}, h('span', { class: `status-badge badge-${r.status}` }, statusText(r.status))),
      h('td', { class: 'mono tensor-name' }, r.name),
      h('td', { class: `mono shape${r.status === 'shape_mismatch' ? ' mismatch' : ''}` }, shapes(r)),
      h('td', { class: 'muted' }, dtypes(r)),
      h('td', { class: 'num mono' }, num(r.maxAbsDiff)),
      h('td', { class: 'num rel' }, h('span', { class: 'rel-cell' }, h('span', { class: 'rel-track' }, bar), h('span', { class: 'mono rel-value' }, formatPercent(rel)))),
      h('td', { class: 'num mono' }, num(r.cosine, (x) => x.toFixed(x > 0.9999 && x < 1 ? 6 : 4))),
      h('td', { class: 'num mono' }, r.changedFraction === null ? '—' : formatPercent(r.changedFraction)));
    return tr;
  }
}
