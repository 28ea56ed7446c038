// The compare view's entry point: a header with both files and the summary, the table of every
// tensor (filling in while the host reads them), and the selected tensor's A, B and Δ heatmaps,
// overlaid histograms and most changed units.
// First: installs the embedded translations before anything below builds its labels.
import '../embeddedL10n';
import './compare.css';
import { h, shapeText } from '../dom';
import { setL10nBundle, t } from '../l10n';
import type { CompareHostToWebview, ComparePendingView, CompareRowView, CompareSummary } from '../protocol';
import { CompareTable, statusText } from './compareTable';
import { OverlayHistogram } from './overlayHistogram';
import { Triptych } from './triptych';
import { UnitBars } from './unitBars';
import { loadState, saveState, send } from './api';

type PairMessage = Extract<CompareHostToWebview, { type: 'comparePair' }>;

const app = document.getElementById('app')!;
let labels = { a: 'A', b: 'B' };
let rows: CompareRowView[] = [];
/** Tensors the headers list that were not compared yet. */
let pending: ComparePendingView[] = [];
const known = (name: string | undefined) => rows.some((r) => r.name === name) || pending.some((p) => p.name === name);
let selected: string | undefined = loadState().selected;
let done = false;
let asked: string | undefined;

const header = h('header', { class: 'compare-header' });
const progress = h('div', { class: 'compare-progress', id: 'compare-progress', role: 'status' });
const cards = h('div', { class: 'cards', id: 'compare-summary' });
const table = new CompareTable((name) => select(name));
const detailHeader = h('div', { class: 'detail-header' });
const detailNote = h('p', { class: 'notice', hidden: true });
let triptych: Triptych | undefined;
const histogram = new OverlayHistogram();
const units = new UnitBars((index) => triptych?.highlightUnit(index));
const detail = h('main', { class: 'compare-detail', id: 'compare-detail', hidden: true });
const errorBox = h('div', { class: 'error-message', id: 'compare-error', hidden: true, role: 'alert' });

function card(value: number, label: string, cls: string): HTMLElement {
  return h('div', { class: `card ${cls}`, 'data-count': value }, h('div', { class: 'card-value' }, value.toLocaleString()), h('div', { class: 'card-label' }, label));
}

function renderSummary(s: CompareSummary, compared: number, total: number): void {
  cards.replaceChildren(
    card(s.changed, t('changed'), 'card-changed'),
    card(s.same, t('same'), 'card-same'),
    ...(s.shape_mismatch ? [card(s.shape_mismatch, t('shape mismatch'), 'card-mismatch')] : []),
    ...(s.only_in_a ? [card(s.only_in_a, t('only in A'), 'card-only-a')] : []),
    ...(s.only_in_b ? [card(s.only_in_b, t('only in B'), 'card-only-b')] : []));
  progress.textContent = done ? t('All {0} tensors compared.', total) : t('Reading tensors… {0} of {1} compared', compared, total);
  progress.classList.toggle('busy', !done);
  document.body.dataset.compareDone = String(done);
  document.body.dataset.summary = JSON.stringify(s);
}

function select(name: string): void {
  if (!known(name)) return;
  selected = name;
  saveState({ selected: name });
  table.select(name);
  renderDetailHeader();
  if (asked !== name) {
    asked = name;
    send({ type: 'compareSelect', name, fit: triptych?.fit() });
  }
}

function renderDetailHeader(): void {
  const waiting = pending.find((x) => x.name === selected);
  const r = rows.find((x) => x.name === selected) ?? (waiting && { ...waiting, status: undefined });
  detail.hidden = !r;
  if (!r) return;
  const chips: (HTMLElement | string)[] = [r.status
    ? h('span', { class: `status-badge badge-${r.status}` }, statusText(r.status))
    : h('span', { class: 'status-badge badge-pending' }, t('reading…'))];
  if (r.shapeA) chips.push(h('span', { class: 'chip mono' }, `A ${shapeText(r.shapeA)} ${r.dtypeA}`));
  if (r.shapeB) chips.push(h('span', { class: 'chip mono' }, `B ${shapeText(r.shapeB)} ${r.dtypeB}`));
  detailHeader.replaceChildren(h('h2', { class: 'mono', id: 'compare-detail-name' }, r.name), h('div', { class: 'chips' }, ...chips));
  const notes: Partial<Record<CompareRowView['status'], string>> = {
    shape_mismatch: t('The shapes differ, so there is no element-by-element difference: A and B are shown apart.'),
    only_in_a: t('This tensor is only in A ({0}).', labels.a),
    only_in_b: t('This tensor is only in B ({0}).', labels.b),
    same: t('Every element is equal: Δ is zero everywhere.'),
  };
  const note = r.status && notes[r.status];
  detailNote.textContent = note || '';
  detailNote.hidden = !note;
}

function onPair(m: PairMessage): void {
  if (m.name !== selected || !triptych) return;
  triptych.show(m.name, m.role, { a: m.a, b: m.b, delta: m.delta });
  document.body.dataset.pair = m.name;
}

function onStats(m: Extract<CompareHostToWebview, { type: 'compareStats' }>): void {
  if (m.name !== selected) return;
  histogram.show(m.histogram, labels);
  units.show(m.units);
  document.body.dataset.stats = m.name;
}

function onRows(m: Extract<CompareHostToWebview, { type: 'compareRows' }>): void {
  rows = m.rows;
  pending = m.pending;
  done = m.done;
  table.setRows(rows, pending);
  renderSummary(m.summary, m.compared, m.total);
  // Nothing chosen yet: once every tensor is read, show the one that changed most.
  if (selected && known(selected)) {
    table.select(selected);
    if (asked !== selected) select(selected);
    else renderDetailHeader();
  } else if (done && rows.length) {
    select(rows[0].name);
  }
}

function layout(): void {
  triptych = new Triptych(labels, (name) => send({ type: 'compareSelect', name, detail: true }));
  header.replaceChildren(
    h('div', {}, h('h1', {}, t('Compare checkpoints')),
      h('div', { class: 'compare-files' },
        h('span', { class: 'file-tag tag-a' }, 'A'), h('span', { class: 'mono', id: 'label-a' }, labels.a),
        h('span', { class: 'arrow' }, '→'),
        h('span', { class: 'file-tag tag-b' }, 'B'), h('span', { class: 'mono', id: 'label-b' }, labels.b)),
      progress),
    cards);
  detail.replaceChildren(detailHeader, detailNote, triptych.element,
    h('div', { class: 'compare-numbers' }, histogram.element, units.element));
  app.replaceChildren(h('div', { class: 'compare' }, header, errorBox, table.element, detail));
  app.removeAttribute('aria-busy');
}

window.addEventListener('message', (event: MessageEvent<CompareHostToWebview>) => {
  const m = event.data;
  switch (m.type) {
    case 'compareInit':
      setL10nBundle(m.l10n);
      labels = { a: m.labelA, b: m.labelB };
      layout();
      progress.textContent = t('Reading tensors… {0} of {1} compared', 0, m.total);
      asked = undefined;
      break;
    case 'compareRows':
      onRows(m);
      break;
    case 'comparePair':
      onPair(m);
      break;
    case 'compareStats':
      onStats(m);
      break;
    case 'compareError':
      errorBox.hidden = false;
      errorBox.textContent = m.message;
      break;
  }
});

send({ type: 'compareReady' });
