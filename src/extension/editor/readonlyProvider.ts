// The read-only Weightscope editor for .safetensors, .pt/.pth, .npy and .npz: registration, the
// provider, the "Save As .weights.json" command, and what `WeightsEditorApi.reveal` needs to
// select a tensor in such a file.
import * as vscode from 'vscode';
import { formatFromName } from '../../format/openAny';
import { ReadonlyDocument } from './readonlyDocument';
import { ReadonlyPanel, SAVE_AS_COMMAND } from './readonlyPanel';
import { saveAsWeightsJson, type SaveAsOptions } from './saveAsWeightsJson';

export const READONLY_VIEW_TYPE = 'weightscope.readonlyEditor';

export interface ReadonlyEditorApi {
  /** True for a file this editor (not the `.weights.json` one) shows. */
  handles(uri: vscode.Uri): boolean;
  /** The open document for uri, opening it in the read-only editor if needed. */
  documentFor(uri: vscode.Uri): Promise<ReadonlyDocument>;
  /** Open uri in the read-only editor and select a tensor. */
  reveal(uri: vscode.Uri, paramName?: string): Promise<void>;
  /** The document of the active read-only editor tab, if any. */
  activeDocument(): ReadonlyDocument | undefined;
}

class ReadonlyEditorProvider implements vscode.CustomReadonlyEditorProvider<ReadonlyDocument>, ReadonlyEditorApi {
  private readonly documents = new Map<string, ReadonlyDocument>();
  private readonly panels = new Map<ReadonlyDocument, Set<ReadonlyPanel>>();
  private readonly waiting = new Map<string, ((d: ReadonlyDocument) => void)[]>();
  private active: ReadonlyDocument | undefined;

  constructor(private readonly extensionUri: vscode.Uri) {}

  async openCustomDocument(uri: vscode.Uri): Promise<ReadonlyDocument> {
    const doc = await ReadonlyDocument.open(uri);
    const key = uri.toString();
    const watcher = this.watch(doc);
    doc.onDidDispose(() => {
      watcher.dispose();
      if (this.documents.get(key) === doc) this.documents.delete(key);
      if (this.active === doc) this.active = undefined;
      this.panels.delete(doc);
    });
    this.documents.set(key, doc);
    return doc;
  }

  resolveCustomEditor(doc: ReadonlyDocument, panel: vscode.WebviewPanel): void {
    const view = new ReadonlyPanel(doc, panel, this.extensionUri);
    const set = this.panels.get(doc) ?? new Set<ReadonlyPanel>();
    set.add(view);
    this.panels.set(doc, set);
    if (panel.active) this.active = doc;
    panel.onDidChangeViewState((e) => {
      if (e.webviewPanel.active) this.active = doc;
      else if (this.active === doc && ![...set].some((p) => p.panel.active)) this.active = undefined;
    });
    panel.onDidDispose(() => {
      set.delete(view);
      if (this.active === doc && set.size === 0) this.active = undefined;
    });
    const key = doc.uri.toString();
    for (const resolve of this.waiting.get(key) ?? []) resolve(doc);
    this.waiting.delete(key);
  }

  /** A change on disk reloads the document (nothing to lose: it cannot be edited). */
  private watch(doc: ReadonlyDocument): vscode.Disposable {
    const slash = doc.uri.path.lastIndexOf('/');
    const dir = doc.uri.with({ path: doc.uri.path.slice(0, slash) || '/' });
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(dir, doc.uri.path.slice(slash + 1)));
    // Debounced: a writer that is not atomic fires several events and leaves a half-written file between them.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const changed = () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        doc.reload().catch((e: unknown) => void vscode.window.showErrorMessage(e instanceof Error ? e.message : String(e)));
      }, 300);
    };
    return vscode.Disposable.from(watcher, watcher.onDidChange(changed), watcher.onDidCreate(changed), { dispose: () => timer && clearTimeout(timer) });
  }

  handles(uri: vscode.Uri): boolean {
    const format = formatFromName(uri.path);
    return format !== undefined && format !== 'weights.json' && !uri.path.toLowerCase().endsWith('.bin');
  }

  activeDocument(): ReadonlyDocument | undefined {
    return this.active;
  }

  async documentFor(uri: vscode.Uri): Promise<ReadonlyDocument> {
    const open = this.documents.get(uri.toString());
    if (open && (this.panels.get(open)?.size ?? 0) > 0) return open;
    const resolved = new Promise<ReadonlyDocument>((resolve) => {
      const list = this.waiting.get(uri.toString()) ?? [];
      list.push(resolve);
      this.waiting.set(uri.toString(), list);
    });
    await vscode.commands.executeCommand('vscode.openWith', uri, READONLY_VIEW_TYPE);
    return resolved;
  }

  async reveal(uri: vscode.Uri, paramName?: string): Promise<void> {
    const doc = await this.documentFor(uri);
    const panels = [...(this.panels.get(doc) ?? [])];
    if (panels.length > 0 && !panels.some((p) => p.panel.visible)) panels[0].panel.reveal();
    if (paramName !== undefined) {
      doc.selection = paramName;
      doc.postToWebviews({ type: 'select', name: paramName });
    }
  }
}

/** Register the read-only editor and its Save As command. */
export function registerReadonlyEditor(context: vscode.ExtensionContext): ReadonlyEditorApi {
  const provider = new ReadonlyEditorProvider(context.extensionUri);
  context.subscriptions.push(
    vscode.window.registerCustomEditorProvider(READONLY_VIEW_TYPE, provider, { supportsMultipleEditorsPerDocument: true }),
    // Argument: the file (from the webview's button or a menu), else the active read-only editor.
    vscode.commands.registerCommand(SAVE_AS_COMMAND, async (uri?: vscode.Uri, options?: SaveAsOptions) => {
      const source = uri instanceof vscode.Uri ? uri : provider.activeDocument()?.uri;
      if (!source) {
        void vscode.window.showErrorMessage(vscode.l10n.t('Open a .safetensors, .pt/.pth, .npy or .npz file in Weightscope first.'));
        return undefined;
      }
      return saveAsWeightsJson(source, options);
    }),
  );
  return provider;
}
