// One editor tab: a webview panel showing a WeightsDocument. Answers the webview's messages and
// turns its clicks into undoable edits or command runs.
import { webviewSettings } from './webviewSettings';
import * as vscode from 'vscode';
import type { EditorState, HostToWebview, WebviewToHost } from '../../webview/protocol';
import { buildEditorState, tensorMessage, tensorValue } from './viewState';
import { webviewHtml } from './webviewHtml';
import type { DocumentView, WeightsDocument } from './weightsDocument';
import { cloneTensorMeta } from './freeze';

/** The state of a document per revision, shared by all its panels (statistics cost a pass over every tensor). */
const stateCache = new WeakMap<WeightsDocument, { revision: number; state: EditorState }>();

function stateOf(doc: WeightsDocument): EditorState {
  const cached = stateCache.get(doc);
  if (cached && cached.revision === doc.revision) return { ...cached.state, busy: doc.busy };
  const state = buildEditorState(doc.checkpoint, fileNameOf(doc.uri), doc.revision);
  stateCache.set(doc, { revision: doc.revision, state });
  return { ...state, busy: doc.busy };
}

const fileNameOf = (uri: vscode.Uri): string => uri.path.slice(uri.path.lastIndexOf('/') + 1);

const ALLOWED_COMMANDS = new Set(['weightscope.reinitialize', 'weightscope.freeze', 'weightscope.unfreeze']);

export class EditorPanel implements DocumentView {
  private ready = false;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly doc: WeightsDocument,
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
  ) {
    panel.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    };
    panel.webview.html = webviewHtml(panel.webview, extensionUri);
    this.disposables.push(
      doc.addView(this),
      panel.webview.onDidReceiveMessage((m: WebviewToHost) => this.onMessage(m)),
    );
    panel.onDidDispose(() => { for (const d of this.disposables) d.dispose(); });
  }

  post(message: HostToWebview): void {
    if (this.ready) void this.panel.webview.postMessage(message);
  }

  refresh(): void {
    if (!this.ready) return;
    if (this.doc.error !== undefined) this.sendError();
    else this.post({ type: 'update', state: stateOf(this.doc) });
  }

  private sendError(): void {
    void this.panel.webview.postMessage({ type: 'error', message: this.doc.error ?? '', fileName: fileNameOf(this.doc.uri), l10n: vscode.l10n.bundle ?? {} } satisfies HostToWebview);
  }

  private sendInit(): void {
    if (this.doc.error !== undefined) { this.sendError(); return; }
    this.post({
      type: 'init', state: stateOf(this.doc), l10n: vscode.l10n.bundle ?? {},
      settings: webviewSettings(), select: this.doc.selection,
    });
  }

  private onMessage(m: WebviewToHost): void {
    try {
      this.handle(m);
    } catch (e) {
      void vscode.window.showErrorMessage(e instanceof Error ? e.message : String(e));
    }
  }

  private handle(m: WebviewToHost): void {
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.sendInit();
        return;
      case 'requestTensor': {
        if (this.doc.error !== undefined) return;
        const msg = tensorMessage(this.doc.checkpoint, m.name, this.doc.revision);
        if (msg) this.post(msg);
        return;
      }
      case 'requestValue': {
        if (this.doc.error !== undefined) return;
        const value = tensorValue(this.doc.checkpoint, m.name, m.index);
        if (value !== undefined) this.post({ type: 'value', name: m.name, revision: this.doc.revision, index: m.index, value });
        return;
      }
      case 'selected':
        this.doc.selection = m.name;
        return;
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
      case 'openAsText':
        void vscode.commands.executeCommand('vscode.openWith', this.doc.uri, 'default');
        return;
    }
  }
}
