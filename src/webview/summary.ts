// The top of the editor: model name, totals (all / trainable / frozen parameters, size on disk
// in memory terms), and the layer table with per-layer actions.
import { formatBytes, formatCount, h, shapeText } from './dom';
import { t } from './l10n';
import type { EditorState, WebviewToHost } from './protocol';

export function summaryView(state: EditorState, post: (m: WebviewToHost) => void): HTMLElement {
  const { totals } = state;
  const card = (key: string, label: string, value: string, detail?: string) =>
    h('div', { class: `card card-${key}`, 'data-total': key }, h('div', { class: 'card-value' }, value), h('div', { class: 'card-label' }, label), detail ? h('div', { class: 'card-detail' }, detail) : null);
  const share = (n: number) => (totals.total > 0 ? `${((100 * n) / totals.total).toFixed(1)} %` : '');
  const header = h('header', { class: 'summary', id: 'summary' },
    h('div', { class: 'title' },
      h('h1', {}, state.modelName ?? state.fileName),
      h('div', { class: 'subtitle' }, state.modelName ? state.fileName : '', state.inputShape ? ` · ${t('input')} ${shapeText(state.inputShape)}` : '')),
    h('div', { class: 'cards' },
      card('total', t('parameters'), formatCount(totals.total)),
      card('trainable', t('trainable'), formatCount(totals.trainable), share(totals.trainable)),
      card('frozen', t('frozen'), formatCount(totals.frozen), share(totals.frozen)),
      card('bytes', t('in memory'), formatBytes(totals.bytes))));
  const parts: HTMLElement[] = [header];
  if (state.readOnly) {
    parts.push(readOnlyBanner(state.readOnly, post));
  } else if (!state.hasModel) {
    parts.push(h('p', { class: 'notice' }, t('This file has no model architecture: you can inspect, re-initialise, freeze and decay its parameters, but not train it.')));
  } else {
    parts.push(layerTable(state, post));
  }
  return h('div', {}, ...parts);
}

/** A file shown read-only: what the reader had to say about it, and the way to an editable copy. */
function readOnlyBanner(info: NonNullable<EditorState['readOnly']>, post: (m: WebviewToHost) => void): HTMLElement {
  const button = h('button', { class: 'link-button', id: 'save-as-weights-json' }, t('Save As .weights.json…'));
  button.addEventListener('click', () => post({ type: 'saveAsWeightsJson' }));
  return h('section', { class: 'notice readonly-banner', id: 'readonly-banner', role: 'note', 'data-source-format': info.sourceFormat },
    h('ul', {}, ...info.notes.map((note) => h('li', {}, note))),
    button);
}

function layerTable(state: EditorState, post: (m: WebviewToHost) => void): HTMLElement {
  const action = (label: string, command: 'weightscope.reinitialize' | 'weightscope.freeze' | 'weightscope.unfreeze', prefix: string) => {
    const b = h('button', { class: 'link-button', 'data-command': command, 'data-layer': prefix, disabled: state.busy }, label);
    b.addEventListener('click', () => post({ type: 'runCommand', command, args: { params: [prefix] } }));
    return b;
  };
  const rows = state.layers.map((l) =>
    h('tr', { 'data-layer': l.prefix, class: l.frozen ? 'frozen' : undefined },
      h('td', { class: 'mono' }, l.prefix),
      h('td', {}, h('span', { class: `layer-type type-${l.type}` }, l.type)),
      h('td', { class: 'mono args' }, l.args),
      h('td', { class: 'num' }, l.paramCount > 0 ? formatCount(l.paramCount) : '—'),
      h('td', { class: 'mono' }, l.outputShape ? shapeText(l.outputShape) : '—'),
      h('td', { class: 'actions' }, l.paramCount > 0
        ? h('span', {},
          action(t('Reinitialise this layer'), 'weightscope.reinitialize', l.prefix),
          l.frozen ? action(t('Unfreeze this layer'), 'weightscope.unfreeze', l.prefix) : action(t('Freeze this layer'), 'weightscope.freeze', l.prefix))
        : '')));
  return h('section', { class: 'layers', 'aria-label': t('Layers') },
    h('table', { id: 'layer-table' },
      h('thead', {}, h('tr', {},
        h('th', {}, t('layer')), h('th', {}, t('type')), h('th', {}, t('arguments')),
        h('th', { class: 'num' }, t('parameters')), h('th', {}, t('output shape')), h('th', {}, ''))),
      h('tbody', {}, ...rows)),
    state.shapeError ? h('p', { class: 'notice' }, t('Output shapes unknown: {0}', state.shapeError)) : null);
}
