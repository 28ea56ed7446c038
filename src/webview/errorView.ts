// Shown instead of the editor when the file is not a valid checkpoint: the one-line message
// (file, parameter, what was expected) and a way out to the text editor.
import { h } from './dom';
import { t } from './l10n';
import type { WebviewToHost } from './protocol';

export function errorView(fileName: string, message: string, post: (m: WebviewToHost) => void): HTMLElement {
  const open = h('button', { id: 'open-as-text' }, t('Open in Text Editor'));
  open.addEventListener('click', () => post({ type: 'openAsText' }));
  return h('div', { class: 'error-view', role: 'alert', id: 'error-view' },
    h('h1', {}, t('{0} cannot be shown', fileName)),
    h('p', { class: 'error-message mono', id: 'error-message' }, message),
    h('p', {}, t('The file is not a valid .weights.json checkpoint. Fix it in the text editor; this view reloads when the file is saved.')),
    open);
}
