// Which document a command acts on: the uri it was given (explorer context menu, editor title
// bar, the webview's per-layer buttons, tests), else the active Weightscope editor's.
import * as vscode from 'vscode';
import type { CommandDocument } from './editorAccess';
import type { CommandServices } from './services';
import { failed } from './outcome';

export type TargetResult = { doc: CommandDocument } | { ok: false; message: string };

export async function resolveTarget(services: CommandServices, uri: unknown, opts: { editing: boolean }): Promise<TargetResult> {
  let doc: CommandDocument | undefined;
  if (uri instanceof vscode.Uri) {
    doc = await services.editor.documentFor(uri);
  } else {
    doc = services.editor.activeDocument();
  }
  if (!doc) {
    return failed(vscode.l10n.t('No Weightscope editor is active: open a .weights.json file in the Weightscope editor first, or run the command from the file\'s context menu in the Explorer.'));
  }
  if (opts.editing && services.training.has(doc.uri.toString())) {
    return failed(vscode.l10n.t('{0} is being trained: wait for the run to end, or cancel it, before changing it.', fileLabel(doc.uri)));
  }
  return { doc };
}

/** The file's name relative to the workspace, for messages. */
export function fileLabel(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, false);
}
