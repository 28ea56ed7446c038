// One editor tab: a webview panel showing a WeightsDocument. Answers the webview's messages and
// turns its clicks into undoable edits or command runs (the webview plumbing is WeightsPanel's).
import * as vscode from 'vscode';
import type { EditorState, WebviewToHost } from '../../webview/protocol';
import { buildEditorState, tensorMessage, tensorValue } from './viewState';
import type { WeightsDocument } from './weightsDocument';
import { cloneTensorMeta } from './freeze';
import { fileNameOf, WeightsPanel } from './weightsPanel';

/** The state of a document per revision, shared by all its panels (statistics cost a pass over every tensor). */
const stateCache = new WeakMap<WeightsDocument, { revision: number; state: EditorState }>();

function stateOf(doc: WeightsDocument): EditorState {
  const cached = stateCache.get(doc);
  if (cached && cached.revision === doc.revision) return { ...cached.state, busy: doc.busy };
  // A large file's state comes computed by the parse worker with its content (checkpointIo).
  const read = doc.takeReadState();
  const state = read ? { ...read, fileName: fileNameOf(doc.uri), revision: doc.revision } : buildEditorState(doc.checkpoint, fileNameOf(doc.uri), doc.revision);
  stateCache.set(doc, { revision: doc.revision, state });
  return { ...state, busy: doc.busy };
}

const ALLOWED_COMMANDS = new Set(['weightscope.reinitialize', 'weightscope.freeze', 'weightscope.unfreeze']);

export class EditorPanel extends WeightsPanel {
  constructor(protected override readonly doc: WeightsDocument, panel: vscode.WebviewPanel, extensionUri: vscode.Uri) {
    super(doc, panel, extensionUri);
  }

  protected state(): EditorState {
    return stateOf(this.doc);
  }

  protected handle(m: WebviewToHost): void {
    switch (m.type) {
      case 'requestTensor': {
        if (this.doc.error !== undefined) return;
        const msg = tensorMessage(this.doc.checkpoint, m.name, this.doc.revision, { fit: m.fit, detail: m.detail });
        if (msg) this.post(msg);
        return;
      }
      case 'requestValue': {
        if (this.doc.error !== undefined) return;
        const value = tensorValue(this.doc.checkpoint, m.name, m.index);
        if (value !== undefined) this.post({ type: 'value', name: m.name, revision: this.doc.revision, index: m.index, value });
        return;
      }
      case 'toggleFreeze': {
        if (this.doc.busy) {
          void vscode.window.showWarningMessage(vscode.l10n.t('Training is running on {0}; wait for it to end before freezing parameters.', fileNameOf(this.doc.uri)));
          return;
        }
        const t = this.doc.checkpoint.parameters.get(m.name);
        if (!t) return;
        const label = t.requires_grad ? vscode.l10n.t('Freeze {0}', m.name) : vscode.l10n.t('Unfreeze {0}', m.name);
        this.doc.applyChange({ label, parameters: new Map([[m.name, cloneTensorMeta(t, !t.requires_grad)]]) });
        return;
      }
      case 'runCommand':
        if (!ALLOWED_COMMANDS.has(m.command)) return;
        void vscode.commands.executeCommand(m.command, this.doc.uri, m.args).then(undefined, (e: unknown) =>
          vscode.window.showErrorMessage(e instanceof Error ? e.message : String(e)));
        return;
    }
  }
}
