// The editor webview's entry point: receives the host's state, renders summary, parameter list
// and the selected parameter's detail (explanation, heatmap, histogram, statistics), and turns
// clicks into messages. Selection, colormap and clipping survive updates and hiding.
import './embeddedL10n'; // first: the translations, before any module builds an element
import { h, formatCount, shapeText } from './dom';
import { errorView } from './errorView';
import { explain } from './explain';
import { HeatmapView } from './heatmap/heatmapView';
import { HistogramPanel } from './histogramView';
import { setL10nBundle, t } from './l10n';
import { ParamList } from './paramList';
import type { EditorState, HostToWebview, ParamInfo, TensorDataMessage } from './protocol';
import { statsPanel } from './statsPanel';
import { summaryView } from './summary';
import { dispatchTraining } from './trainingHook';
import { showHistogramOverlay } from './training/register'; // also registers the training panel
import { loadState, saveState, send } from './vscodeApi';

const app = document.getElementById('app')!;
const persisted = loadState();

let state: EditorState | undefined;
let selected: string | undefined = persisted.selected;
/** The values shown now, so an update with the same revision does not refetch. */
let shown: { name: string; revision: number } | undefined;
/** The values asked for last: a click on the row whose big tensor is on its way does not ask again. */
let asked: { name: string; revision: number } | undefined;

const summarySlot = h('div', { class: 'summary-slot' });
const trainingSlot = h('div', { id: 'training-panel', class: 'training-slot' });
const paramList = new ParamList({
  select: (name) => select(name),
  toggleFreeze: (name) => send({ type: 'toggleFreeze', name }),
  needInfo: (name) => requestInfo(name),
  notNeeded: (name) => cancelInfo(name),
});
/** Rows of a lazily read file whose statistics were asked for (each is asked once). */
const infoAsked = new Set<string>();

function requestInfo(name: string): void {
  if (infoAsked.has(name)) return;
  infoAsked.add(name);
  send({ type: 'requestInfo', name });
}

/** A pending row scrolled away: let the host drop its job, and ask again if it comes back. */
function cancelInfo(name: string): void {
  if (!infoAsked.delete(name) || !paramNamed(name)?.pending) return;
  send({ type: 'cancelInfo', name });
}
const detailHeader = h('div', { class: 'detail-header' });
const explanation = h('div', { class: 'explanation', id: 'explanation' });
const heatmap = new HeatmapView({
  colormap: persisted.colormap ?? 'diverging',
  clipPercentile: persisted.clipPercentile ?? 100,
  mode: persisted.mode ?? 'heatmap',
  onOptionsChange: (o) => saveState(o),
  requestValue: (name, index) => send({ type: 'requestValue', name, index }),
  requestDetail: (name) => send({ type: 'requestTensor', name, detail: true }),
  // Tests wait on this: the tensor's picture is painted, not merely received.
  onPainted: (name) => { document.body.dataset.heatmapParam = name; },
});
const histogram = new HistogramPanel();
const statsSlot = h('div', { class: 'stats-slot' });
const detail = h('main', { class: 'detail', id: 'detail' },
  detailHeader, explanation,
  h('div', { class: 'detail-body' }, heatmap.element, h('div', { class: 'numbers' }, histogram.element, statsSlot)));
const layout = h('div', { class: 'editor' },
  summarySlot, trainingSlot,
  h('div', { class: 'workspace' }, h('nav', { class: 'sidebar', 'aria-label': t('Parameters') }, h('h2', {}, t('Parameters')), paramList.element), detail));

function paramNamed(name: string | undefined): ParamInfo | undefined {
  return state?.params.find((p) => p.name === name);
}

function select(name: string): void {
  if (!state || !paramNamed(name)) return;
  selected = name;
  saveState({ selected: name });
  send({ type: 'selected', name });
  // Only the highlight and the detail change: the list and the summary stay as they are.
  paramList.setSelected(name);
  detail.hidden = false;
  renderDetail(paramNamed(name)!);
}

function renderDetail(p: ParamInfo): void {
  const frozen = p.kind === 'parameter' && !p.requiresGrad;
  detailHeader.replaceChildren(
    h('h2', { class: 'mono', id: 'detail-name' }, p.name),
    h('div', { class: 'chips' },
      h('span', { class: 'chip mono', id: 'detail-shape' }, shapeText(p.shape)),
      h('span', { class: 'chip' }, p.storedDtype ?? p.dtype),
      h('span', { class: 'chip' }, t('{0} elements', formatCount(p.numel))),
      p.kind === 'buffer' ? h('span', { class: 'chip' }, t('buffer'))
        : state!.readOnly ? h('span', { class: 'chip' }, t('read-only'))
        : h('span', { class: `chip ${frozen ? 'chip-frozen' : 'chip-trainable'}` }, frozen ? t('frozen') : t('trainable'))));
  explanation.replaceChildren(...explain(p).map((text) => h('p', {}, text)));
  histogram.show(p.histogram);
  statsSlot.replaceChildren(statsPanel(p.stats));
  const current = (v: typeof shown) => v?.name === p.name && v.revision === state!.revision;
  if (!current(shown) && !current(asked)) {
    asked = { name: p.name, revision: state!.revision };
    send({ type: 'requestTensor', name: p.name, fit: heatmap.fitFor(p) });
  }
}

function render(): void {
  if (!state) return;
  if (!paramNamed(selected)) selected = state.params[0]?.name;
  summarySlot.replaceChildren(summaryView(state, send));
  paramList.render(state.params, selected, state.busy ?? false, state.readOnly !== undefined);
  const p = paramNamed(selected);
  detail.hidden = !p;
  if (p) renderDetail(p);
  if (!layout.isConnected) app.replaceChildren(layout);
  app.removeAttribute('aria-busy');
  document.body.dataset.revision = String(state.revision);
}

/** A lazily read tensor's statistics arrived: replace its row (and the detail, if shown). */
function onParamInfo(info: ParamInfo, revision: number): void {
  if (!state || revision !== state.revision) return;
  const i = state.params.findIndex((p) => p.name === info.name);
  if (i < 0) return;
  state.params[i] = info;
  paramList.replaceRow(info);
  if (info.name === selected) renderDetail(info);
}

function onTensor(m: TensorDataMessage): void {
  const p = paramNamed(m.name);
  if (!p || m.name !== selected || !state || m.revision !== state.revision) return;
  heatmap.show(p, m);
  shown = { name: m.name, revision: m.revision };
}

window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
  const m = event.data;
  switch (m.type) {
    case 'init':
      setL10nBundle(m.l10n);
      if (persisted.colormap === undefined) heatmap.applyDefaultColormap(m.settings.colormap);
      if (m.select) selected = m.select;
      state = m.state;
      shown = undefined;
      asked = undefined;
      infoAsked.clear();
      render();
      break;
    case 'update':
      // A read-only file reloaded from disk: its rows are pending again.
      if (state && m.state.revision !== state.revision) infoAsked.clear();
      state = m.state;
      render();
      break;
    case 'tensorData':
      onTensor(m);
      break;
    case 'paramInfo':
      onParamInfo(m.info, m.revision);
      break;
    case 'value':
      heatmap.exactValue(m.name, m.index, m.value);
      break;
    case 'select':
      select(m.name);
      paramList.focusSelected();
      break;
    case 'error':
      setL10nBundle(m.l10n);
      state = undefined;
      app.replaceChildren(errorView(m.fileName, m.message, send));
      app.removeAttribute('aria-busy');
      break;
    case 'trainingStarted':
    case 'trainingEnded':
      dispatchTraining(m, trainingSlot);
      break;
    case 'histogramOverlay':
      showHistogramOverlay(m, trainingSlot);
      break;
    case 'trainingProgress': {
      dispatchTraining(m, trainingSlot);
      // Live weights: the snapshot of the selected parameter replaces the picture (not the file).
      const live = (m as { parameters?: Record<string, Float32Array> }).parameters;
      const p = paramNamed(selected);
      if (live && p && live[p.name] && state) {
        heatmap.show(p, { type: 'tensorData', name: p.name, revision: state.revision, shape: p.shape, values: live[p.name] });
      }
      break;
    }
  }
});

send({ type: 'ready' });
