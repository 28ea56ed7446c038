// The read-only Weightscope editor for .safetensors, .pt/.pth, .npy and .npz: registration, the
// provider, the "Save As .weights.json" command, and what `WeightsEditorApi.reveal` needs to
// select a tensor in such a file.
import * as vscode from 'vscode';
import { formatFromName } from '../../format/openAny';
import { ReadonlyDocument } from './readonlyDocument';
import { ReadonlyPanel, SAVE_AS_COMMAND } from './readonlyPanel';
import { saveAsWeightsJson, type SaveAsOptions } from './saveAsWeightsJson';
import { DocumentPanels, watchFileDebounced } from './documentPanels';

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
  private readonly registry = new DocumentPanels<ReadonlyDocument, ReadonlyPanel>(READONLY_VIEW_TYPE);

  constructor(private readonly extensionUri: vscode.Uri) {}

  async openCustomDocument(uri: vscode.Uri): Promise<ReadonlyDocument> {
    const doc = await ReadonlyDocument.open(uri);
    // A change on disk reloads the document (nothing to lose: it cannot be edited).
    this.registry.opened(doc, doc.onDidDispose, [watchFileDebounced(doc.uri, () => doc.reload())]);
    return doc;
  }

  resolveCustomEditor(doc: ReadonlyDocument, panel: vscode.WebviewPanel): void {
    this.registry.shown(doc, new ReadonlyPanel(doc, panel, this.extensionUri));
  }

  handles(uri: vscode.Uri): boolean {
    const format = formatFromName(uri.path);
    return format !== undefined && format !== 'weights.json' && !uri.path.toLowerCase().endsWith('.bin');
  }

  activeDocument(): ReadonlyDocument | undefined {
    return this.registry.activeDocument();
  }

  documentFor(uri: vscode.Uri): Promise<ReadonlyDocument> {
    return this.registry.documentFor(uri, { needsPanel: true });
  }

  reveal(uri: vscode.Uri, paramName?: string): Promise<void> {
    return this.registry.reveal(uri, paramName);
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
