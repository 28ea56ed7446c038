// The Weightscope custom editor for `.weights.json`: registration, the provider (documents,
// save / revert / backup, the file watcher), and the API the commands and the hover use.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { useParseWorker } from './checkpointIo';
import type { CheckpointChange } from './checkpointModel';
import { EditorPanel } from './editorPanel';
import { WeightsDocument } from './weightsDocument';
import { registerReadonlyEditor, type ReadonlyEditorApi } from './readonlyProvider';
import { DocumentPanels, watchFileDebounced } from './documentPanels';

export { WeightsDocument } from './weightsDocument';
export type { CheckpointChange } from './checkpointModel';

export const VIEW_TYPE = 'weightscope.weightsEditor';

export interface WeightsEditorApi {
  /** The document of the active Weightscope editor tab, if any. */
  activeDocument(): WeightsDocument | undefined;
  /** The open document for uri, opening it in the Weightscope editor if needed. */
  documentFor(uri: vscode.Uri): Promise<WeightsDocument>;
  /** Select a parameter in the editor(s) of uri (used by hover links). */
  reveal(uri: vscode.Uri, paramName?: string): Promise<void>;
  /** The read-only editor of .safetensors, .pt/.pth, .npy/.npz files (tests look at its documents). */
  readonly readonlyEditor?: ReadonlyEditorApi;
}

class WeightsEditorProvider implements vscode.CustomEditorProvider<WeightsDocument>, WeightsEditorApi {
  private readonly editEmitter = new vscode.EventEmitter<vscode.CustomDocumentEditEvent<WeightsDocument>>();
  readonly onDidChangeCustomDocument = this.editEmitter.event;
  private readonly registry = new DocumentPanels<WeightsDocument, EditorPanel>(VIEW_TYPE);

  constructor(private readonly extensionUri: vscode.Uri, readonly readonlyEditor?: ReadonlyEditorApi) {}

  async openCustomDocument(uri: vscode.Uri, openContext: vscode.CustomDocumentOpenContext): Promise<WeightsDocument> {
    const doc = await WeightsDocument.open(uri, openContext.untitledDocumentData ? undefined : openContext.backupId);
    this.registry.opened(doc, doc.onDidDispose, [
      doc.onDidChangeDocument((e) => this.editEmitter.fire(e)),
      watchFileDebounced(doc.uri, () => this.changedOnDisk(doc)),
    ]);
    return doc;
  }

  async resolveCustomEditor(doc: WeightsDocument, panel: vscode.WebviewPanel): Promise<void> {
    this.registry.shown(doc, new EditorPanel(doc, panel, this.extensionUri));
  }

  saveCustomDocument(doc: WeightsDocument, token: vscode.CancellationToken): Thenable<void> { return doc.save(token); }
  saveCustomDocumentAs(doc: WeightsDocument, dest: vscode.Uri, token: vscode.CancellationToken): Thenable<void> { return doc.saveAs(dest, token); }
  revertCustomDocument(doc: WeightsDocument, token: vscode.CancellationToken): Thenable<void> { return doc.revert(token); }
  backupCustomDocument(doc: WeightsDocument, context: vscode.CustomDocumentBackupContext, token: vscode.CancellationToken): Thenable<vscode.CustomDocumentBackup> {
    return doc.backup(context.destination, token);
  }

  /** Outside changes: reload silently while clean; ask while there are unsaved changes. */
  private readonly asking = new Set<WeightsDocument>();
  private async changedOnDisk(doc: WeightsDocument): Promise<void> {
    if (doc.isOwnWrite() || this.asking.has(doc) || !(await doc.changedOnDisk())) return;
    // An edit landing while the clean document reloads makes it dirty: then ask, as below.
    for (let tries = 0; tries < 3 && !doc.isDirty; tries++) {
      if (await doc.reloadUnlessEdited()) return;
    }
    if (this.asking.has(doc)) return;
    this.asking.add(doc);
    try {
      const reload = vscode.l10n.t('Reload and lose your changes');
      const keep = vscode.l10n.t('Keep mine');
      const name = doc.uri.path.slice(doc.uri.path.lastIndexOf('/') + 1);
      const pick = await vscode.window.showWarningMessage(vscode.l10n.t('The file {0} changed on disk.', name), reload, keep);
      if (pick === reload) {
        // Revert through VS Code (not doc.reload alone) so its undo stack and dirty marker follow;
        // the revert command works on the active editor, so bring one of this document forward.
        const view = this.registry.viewsOf(doc)[0];
        if (view) {
          view.panel.reveal(undefined, false);
          await vscode.commands.executeCommand('workbench.action.files.revert');
        } else {
          await doc.reload();
        }
      }
    } finally {
      this.asking.delete(doc);
    }
  }

  // ---- WeightsEditorApi
  activeDocument(): WeightsDocument | undefined {
    return this.registry.activeDocument();
  }

  documentFor(uri: vscode.Uri): Promise<WeightsDocument> {
    return this.registry.documentFor(uri);
  }

  async reveal(uri: vscode.Uri, paramName?: string): Promise<void> {
    // .safetensors, .pt, .npy/.npz: the read-only editor shows them.
    if (this.readonlyEditor?.handles(uri)) return this.readonlyEditor.reveal(uri, paramName);
    return this.registry.reveal(uri, paramName);
  }
}

/** Register the editor; returns the API the commands and the hover build on. */
export function registerWeightsEditor(context: vscode.ExtensionContext): WeightsEditorApi {
  // Large local .weights.json files are parsed off the host's thread (checkpointIo.readCheckpoint).
  const worker = vscode.Uri.joinPath(context.extensionUri, 'dist', 'parseWorker.js').fsPath;
  useParseWorker(fs.existsSync(worker) ? worker : undefined);
  const provider = new WeightsEditorProvider(context.extensionUri, registerReadonlyEditor(context));
  context.subscriptions.push(
    vscode.window.registerCustomEditorProvider(VIEW_TYPE, provider, { supportsMultipleEditorsPerDocument: true }),
  );
  return provider;
}

