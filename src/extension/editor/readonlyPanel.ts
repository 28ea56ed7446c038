// One read-only editor tab: the `.weights.json` editor's webview showing a ReadonlyDocument.
// Answers the webview's requests for values and statistics (read from disk on demand) and
// ignores edits, which the webview does not offer in read-only mode anyway.
import { webviewSettings } from './webviewSettings';
import * as vscode from 'vscode';
import type { HostToWebview, WebviewToHost } from '../../webview/protocol';
import type { ReadonlyDocument } from './readonlyDocument';
import { webviewHtml } from './webviewHtml';
import type { DocumentView } from './weightsDocument';

export const SAVE_AS_COMMAND = 'weightscope.saveAsWeightsJson';

export class ReadonlyPanel implements DocumentView {
  private ready = false;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly doc: ReadonlyDocument, readonly panel: vscode.WebviewPanel, extensionUri: vscode.Uri) {
    panel.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    };
    panel.webview.html = webviewHtml(panel.webview, extensionUri);
    this.disposables.push(
      doc.addView(this),
      panel.webview.onDidReceiveMessage((m: WebviewToHost) => {
        this.handle(m).catch((e: unknown) => void vscode.window.showErrorMessage(e instanceof Error ? e.message : String(e)));
      }),
    );
    panel.onDidDispose(() => { for (const d of this.disposables) d.dispose(); });
  }

  post(message: HostToWebview): void {
    if (this.ready) void this.panel.webview.postMessage(message);
  }

  refresh(): void {
    if (!this.ready) return;
    if (this.doc.error !== undefined) this.sendInit();
    else this.post({ type: 'update', state: this.doc.state() });
  }

  private sendInit(): void {
    const l10n = vscode.l10n.bundle ?? {};
    if (this.doc.error !== undefined) {
      this.post({ type: 'error', message: this.doc.error, fileName: this.doc.fileName, l10n });
      return;
    }
    this.post({
      type: 'init', state: this.doc.state(), l10n,
      settings: webviewSettings(), select: this.doc.selection,
    });
  }

  private async sendInfo(name: string): Promise<void> {
    const revision = this.doc.revision;
    const info = await this.doc.info(name);
    if (info && revision === this.doc.revision) this.post({ type: 'paramInfo', revision, info });
  }

  private async handle(m: WebviewToHost): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.sendInit();
        return;
      case 'requestInfo':
        if (this.doc.error === undefined) await this.sendInfo(m.name);
        return;
      case 'requestTensor': {
        if (this.doc.error !== undefined) return;
        // Values first (the picture the user waits for), then the statistics from the same read.
        const msg = await this.doc.tensorData(m.name);
        if (msg && msg.revision === this.doc.revision) this.post(msg);
        await this.sendInfo(m.name);
        return;
      }
      case 'requestValue': {
        if (this.doc.error !== undefined) return;
        const revision = this.doc.revision;
        const value = await this.doc.value(m.name, m.index);
        if (value !== undefined && revision === this.doc.revision) this.post({ type: 'value', name: m.name, revision, index: m.index, value });
        return;
      }
      case 'selected':
        this.doc.selection = m.name;
        return;
      case 'saveAsWeightsJson':
        await vscode.commands.executeCommand(SAVE_AS_COMMAND, this.doc.uri);
        return;
      case 'openAsText':
        await vscode.commands.executeCommand('vscode.openWith', this.doc.uri, 'default');
        return;
      case 'toggleFreeze':
      case 'runCommand':
        // Not offered in read-only mode; a stale webview's click changes nothing.
        return;
    }
  }
}
