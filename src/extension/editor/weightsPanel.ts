// What every Weightscope editor tab does with its webview, whichever document it shows (an
// editable `.weights.json`, or a read-only `.safetensors`/`.pt`/`.npz`): load the page, wait for
// its `ready`, send the first state (or the error view), re-send on change, remember the
// selection, and report a failed request as an error message. The subclasses answer the rest.
import * as vscode from 'vscode';
import type { EditorState, HostToWebview, WebviewToHost } from '../../webview/protocol';
import { webviewHtml } from './webviewHtml';
import { webviewSettings } from './webviewSettings';
import type { DocumentView } from './weightsDocument';

/** What a panel needs of its document. */
export interface PanelDocument {
  readonly uri: vscode.Uri;
  /** Why the file could not be read, or undefined. */
  readonly error: string | undefined;
  /** The parameter last selected in any of its panels, restored when another opens. */
  selection: string | undefined;
  addView(view: DocumentView): vscode.Disposable;
}

const showError = (e: unknown): void => void vscode.window.showErrorMessage(e instanceof Error ? e.message : String(e));

/** What the init message (the whole state and selection) already brings a webview that was not ready. */
const COVERED_BY_INIT = new Set<HostToWebview['type']>(['init', 'update', 'error', 'select']);

export const fileNameOf = (uri: vscode.Uri): string => uri.path.slice(uri.path.lastIndexOf('/') + 1);

export abstract class WeightsPanel implements DocumentView {
  private ready = false;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(protected readonly doc: PanelDocument, readonly panel: vscode.WebviewPanel, extensionUri: vscode.Uri) {
    panel.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    };
    panel.webview.html = webviewHtml(panel.webview, extensionUri);
    this.disposables.push(
      doc.addView(this),
      panel.webview.onDidReceiveMessage((m: WebviewToHost) => this.receive(m)),
      // A hidden editor's page is destroyed (no retainContextWhenHidden: a big tensor's page is not
      // kept in memory behind other tabs) and loads again when shown, saying `ready` anew. Until
      // then a message posted to it would be lost: a training run started from the walkthrough
      // while the Welcome tab was in front lost its live panel. Hold such messages instead.
      panel.onDidChangeViewState(() => { if (!panel.visible) this.ready = false; }),
    );
    panel.onDidDispose(() => { for (const d of this.disposables) d.dispose(); });
  }

  /** The editor's state as the webview shows it (called only when the document has no error). */
  protected abstract state(): EditorState;

  /** Answers the webview's messages other than `ready`, `selected` and `openAsText`. */
  protected abstract handle(m: WebviewToHost): void | Promise<void>;

  /** Messages posted before the webview was ready that its first state does not cover. */
  private early: HostToWebview[] = [];

  post(message: HostToWebview): void {
    if (this.ready) void this.panel.webview.postMessage(message);
    // A command run right after opening the editor (the walkthrough's "Reinitialise with Xavier")
    // posts its before/after histograms before the page has loaded: keep them for after the init.
    else if (!COVERED_BY_INIT.has(message.type)) this.hold(message);
  }

  /** Keep a message for the page's next `ready`. A training run's progress while the page is away
   *  becomes one message: every epoch's point, and only the newest parameters and boundary. */
  private hold(message: HostToWebview): void {
    const last = this.early[this.early.length - 1];
    if (message.type === 'trainingProgress' && last?.type === 'trainingProgress') {
      this.early[this.early.length - 1] = {
        ...message,
        points: [...last.points, ...message.points],
        parameters: message.parameters ?? last.parameters,
        boundary: message.boundary ?? last.boundary,
      };
      return;
    }
    this.early.push(message);
  }

  refresh(): void {
    if (!this.ready) return;
    if (this.doc.error !== undefined) this.sendInit();
    else this.post({ type: 'update', state: this.state() });
  }

  private sendInit(): void {
    const l10n = vscode.l10n.bundle ?? {};
    if (this.doc.error !== undefined) {
      this.post({ type: 'error', message: this.doc.error, fileName: fileNameOf(this.doc.uri), l10n });
      return;
    }
    this.post({ type: 'init', state: this.state(), l10n, settings: webviewSettings(), select: this.doc.selection });
  }

  private receive(m: WebviewToHost): void {
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.sendInit();
        for (const early of this.early.splice(0)) this.post(early);
        return;
      case 'selected':
        this.doc.selection = m.name;
        return;
      case 'openAsText':
        vscode.commands.executeCommand('vscode.openWith', this.doc.uri, 'default').then(undefined, showError);
        return;
    }
    // A request that fails (a file gone since, say) is a message to the user, never an unhandled rejection.
    Promise.resolve().then(() => this.handle(m)).catch(showError);
  }
}
