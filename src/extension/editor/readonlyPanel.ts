// One read-only editor tab: the `.weights.json` editor's webview showing a ReadonlyDocument.
// Answers the webview's requests for values and statistics (read from disk on demand) and
// ignores edits, which the webview does not offer in read-only mode anyway (the webview
// plumbing is WeightsPanel's).
import * as vscode from 'vscode';
import type { EditorState, WebviewToHost } from '../../webview/protocol';
import type { ReadonlyDocument } from './readonlyDocument';
import { Cancelled, type Lane } from './readScheduler';
import { WeightsPanel } from './weightsPanel';

export const SAVE_AS_COMMAND = 'weightscope.saveAsWeightsJson';

export class ReadonlyPanel extends WeightsPanel {
  constructor(protected override readonly doc: ReadonlyDocument, panel: vscode.WebviewPanel, extensionUri: vscode.Uri) {
    super(doc, panel, extensionUri);
  }

  protected state(): EditorState {
    return this.doc.state();
  }

  private async sendInfo(name: string, lane: Lane): Promise<void> {
    const revision = this.doc.revision;
    const info = await this.doc.info(name, lane);
    if (info && revision === this.doc.revision) this.post({ type: 'paramInfo', revision, info });
  }

  protected async handle(m: WebviewToHost): Promise<void> {
    try {
      await this.answer(m);
    } catch (e) {
      // A row that scrolled away, a click overtaken by a newer one, a reload: nothing to report.
      if (!(e instanceof Cancelled)) throw e;
    }
  }

  private async answer(m: WebviewToHost): Promise<void> {
    switch (m.type) {
      case 'requestInfo':
        if (this.doc.error === undefined) await this.sendInfo(m.name, 'visible');
        return;
      case 'cancelInfo':
        this.doc.cancelInfo(m.name);
        return;
      case 'requestTensor': {
        if (this.doc.error !== undefined) return;
        // Values first (the picture the user waits for), then the statistics, both ahead of every
        // thumbnail. One after the other: scheduled together, the newest-first selected lane could
        // start the statistics first while an earlier click's job runs.
        const msg = await this.doc.tensorData(m.name, m.fit, m.detail);
        if (msg && msg.revision === this.doc.revision) this.post(msg);
        if (!m.detail) await this.sendInfo(m.name, 'selected');
        return;
      }
      case 'requestValue': {
        if (this.doc.error !== undefined) return;
        const revision = this.doc.revision;
        const value = await this.doc.value(m.name, m.index);
        if (value !== undefined && revision === this.doc.revision) this.post({ type: 'value', name: m.name, revision, index: m.index, value });
        return;
      }
      case 'saveAsWeightsJson':
        await vscode.commands.executeCommand(SAVE_AS_COMMAND, this.doc.uri);
        return;
      case 'toggleFreeze':
      case 'runCommand':
        // Not offered in read-only mode; a stale webview's click changes nothing.
        return;
    }
  }
}
