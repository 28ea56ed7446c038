// The Weightscope custom editor for `.weights.json`: registration, the provider (documents,
// save / revert / backup, the file watcher), and the API the commands and the hover use.
import * as vscode from 'vscode';
import type { CheckpointChange } from './checkpointModel';
import { EditorPanel } from './editorPanel';
import { WeightsDocument } from './weightsDocument';
import { registerReadonlyEditor, type ReadonlyEditorApi } from './readonlyProvider';

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
  private readonly documents = new Map<string, WeightsDocument>();
  private readonly panels = new Map<WeightsDocument, Set<EditorPanel>>();
  private readonly waiting = new Map<string, ((d: WeightsDocument) => void)[]>();
  private active: WeightsDocument | undefined;

  constructor(private readonly extensionUri: vscode.Uri, readonly readonlyEditor?: ReadonlyEditorApi) {}

  async openCustomDocument(uri: vscode.Uri, openContext: vscode.CustomDocumentOpenContext): Promise<WeightsDocument> {
    const doc = await WeightsDocument.open(uri, openContext.untitledDocumentData ? undefined : openContext.backupId);
    const key = uri.toString();
    const subs: vscode.Disposable[] = [doc.onDidChangeDocument((e) => this.editEmitter.fire(e)), this.watch(doc)];
    doc.onDidDispose(() => {
      for (const s of subs) s.dispose();
      if (this.documents.get(key) === doc) this.documents.delete(key);
      if (this.active === doc) this.active = undefined;
      this.panels.delete(doc);
    });
    this.documents.set(key, doc);
    return doc;
  }

  async resolveCustomEditor(doc: WeightsDocument, panel: vscode.WebviewPanel): Promise<void> {
    const view = new EditorPanel(doc, panel, this.extensionUri);
    const set = this.panels.get(doc) ?? new Set<EditorPanel>();
    set.add(view);
    this.panels.set(doc, set);
    if (panel.active) this.active = doc;
    panel.onDidChangeViewState((e) => {
      if (e.webviewPanel.active) this.active = doc;
      else if (this.active === doc && ![...(this.panels.get(doc) ?? [])].some((p) => p.panel.active)) this.active = undefined;
    });
    panel.onDidDispose(() => {
      set.delete(view);
      if (this.active === doc && set.size === 0) this.active = undefined;
    });
    const key = doc.uri.toString();
    for (const resolve of this.waiting.get(key) ?? []) resolve(doc);
    this.waiting.delete(key);
  }

  saveCustomDocument(doc: WeightsDocument, token: vscode.CancellationToken): Thenable<void> { return doc.save(token); }
  saveCustomDocumentAs(doc: WeightsDocument, dest: vscode.Uri, token: vscode.CancellationToken): Thenable<void> { return doc.saveAs(dest, token); }
  revertCustomDocument(doc: WeightsDocument, token: vscode.CancellationToken): Thenable<void> { return doc.revert(token); }
  backupCustomDocument(doc: WeightsDocument, context: vscode.CustomDocumentBackupContext, token: vscode.CancellationToken): Thenable<vscode.CustomDocumentBackup> {
    return doc.backup(context.destination, token);
  }

  /** Outside changes: reload silently while clean; ask while there are unsaved changes. */
  private watch(doc: WeightsDocument): vscode.Disposable {
    const slash = doc.uri.path.lastIndexOf('/');
    const dir = doc.uri.with({ path: doc.uri.path.slice(0, slash) || '/' });
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(dir, doc.uri.path.slice(slash + 1)));
    let asking = false;
    const changed = async () => {
      if (doc.isOwnWrite() || asking) return;
      if (!doc.isDirty) { await doc.reload(); return; }
      asking = true;
      try {
        const reload = vscode.l10n.t('Reload and lose your changes');
        const keep = vscode.l10n.t('Keep mine');
        const name = doc.uri.path.slice(slash + 1);
        const pick = await vscode.window.showWarningMessage(vscode.l10n.t('The file {0} changed on disk.', name), reload, keep);
        if (pick === reload) {
          // Revert through VS Code (not doc.reload alone) so its undo stack and dirty marker follow;
          // the revert command works on the active editor, so bring one of this document forward.
          const panel = [...(this.panels.get(doc) ?? [])][0];
          if (panel) {
            panel.panel.reveal(undefined, false);
            await vscode.commands.executeCommand('workbench.action.files.revert');
          } else {
            await doc.reload();
          }
        }
      } finally {
        asking = false;
      }
    };
    // Debounced: writers that are not atomic fire several events and leave a half-written file
    // between them; read once things are quiet.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        changed().catch((e: unknown) => void vscode.window.showErrorMessage(e instanceof Error ? e.message : String(e)));
      }, 300);
    };
    return vscode.Disposable.from(watcher, watcher.onDidChange(run), watcher.onDidCreate(run), { dispose: () => timer && clearTimeout(timer) });
  }

  // ---- WeightsEditorApi
  activeDocument(): WeightsDocument | undefined {
    return this.active;
  }

  async documentFor(uri: vscode.Uri): Promise<WeightsDocument> {
    const open = this.documents.get(uri.toString());
    if (open) return open;
    const resolved = new Promise<WeightsDocument>((resolve) => {
      const list = this.waiting.get(uri.toString()) ?? [];
      list.push(resolve);
      this.waiting.set(uri.toString(), list);
    });
    await vscode.commands.executeCommand('vscode.openWith', uri, VIEW_TYPE);
    return resolved;
  }

  async reveal(uri: vscode.Uri, paramName?: string): Promise<void> {
    // .safetensors, .pt, .npy/.npz: the read-only editor shows them.
    if (this.readonlyEditor?.handles(uri)) return this.readonlyEditor.reveal(uri, paramName);
    const doc = await this.documentFor(uri);
    const panels = [...(this.panels.get(doc) ?? [])];
    if (panels.length > 0 && !panels.some((p) => p.panel.visible)) panels[0].panel.reveal();
    if (paramName !== undefined) {
      doc.selection = paramName;
      doc.postToWebviews({ type: 'select', name: paramName });
    }
  }
}

/** Register the editor; returns the API the commands and the hover build on. */
export function registerWeightsEditor(context: vscode.ExtensionContext): WeightsEditorApi {
  const provider = new WeightsEditorProvider(context.extensionUri, registerReadonlyEditor(context));
  context.subscriptions.push(
    vscode.window.registerCustomEditorProvider(VIEW_TYPE, provider, { supportsMultipleEditorsPerDocument: true }),
  );
  return provider;
}

