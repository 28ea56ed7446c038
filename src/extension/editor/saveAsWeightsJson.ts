// "Save As .weights.json": a file shown read-only (.safetensors, .pt, .npy/.npz) written as an
// editable `.weights.json`, optionally with a model section from a layer string (the logic of
// `weightscope convert --layers`, shared through src/actions/convert.ts), then opened in the
// Weightscope editor.
import * as vscode from 'vscode';
import { attachModel, ConvertArgumentError } from '../../actions/convert';
import { LayerStringError, parseLayerString } from '../../engine/layerString';
import { readAnyCheckpoint } from '../../format/openAny';
import { InputError } from '../../engine/errors';
import { displayName, writeCheckpoint } from './checkpointIo';

export interface SaveAsOptions {
  /** Skip the save dialog (tests, scripts). */
  target?: vscode.Uri;
  /** Skip the input box; '' = no model section. */
  layers?: string;
}

const FOREIGN_EXTENSION = /\.(safetensors|pt|pth|npy|npz|bin)$/i;

/** `<folder>/<name>.weights.json` beside `source`. */
export function defaultTarget(source: vscode.Uri): vscode.Uri {
  const base = source.path.slice(source.path.lastIndexOf('/') + 1).replace(FOREIGN_EXTENSION, '');
  return vscode.Uri.joinPath(source, '..', `${base}.weights.json`);
}

function layerStringProblem(text: string): string | undefined {
  if (text.trim() === '') return undefined;
  try {
    parseLayerString(text);
    return undefined;
  } catch (e) {
    return e instanceof LayerStringError ? e.message : String(e);
  }
}

/**
 * Ask for the target and the optional layers, convert, write atomically, open the copy.
 * Returns the written file, or undefined when the user cancelled or the conversion was refused
 * (the reason shown as an error message naming the file).
 */
export async function saveAsWeightsJson(source: vscode.Uri, options: SaveAsOptions = {}): Promise<vscode.Uri | undefined> {
  const sourceName = source.path.slice(source.path.lastIndexOf('/') + 1);
  const target = options.target ?? await vscode.window.showSaveDialog({
    defaultUri: defaultTarget(source),
    filters: { [vscode.l10n.t('Weightscope checkpoint')]: ['json'] },
    title: vscode.l10n.t('Save {0} as .weights.json', sourceName),
  });
  if (!target) return undefined;
  if (!/\.json$/i.test(target.path)) {
    void vscode.window.showErrorMessage(vscode.l10n.t('{0}: the copy must be a .weights.json file, got "{1}".', sourceName, target.path.slice(target.path.lastIndexOf('/') + 1)));
    return undefined;
  }
  if (target.toString() === source.toString()) {
    void vscode.window.showErrorMessage(vscode.l10n.t('{0}: the copy must be a different file.', sourceName));
    return undefined;
  }
  const layers = options.layers ?? await vscode.window.showInputBox({
    title: vscode.l10n.t('Model of the copy (optional)'),
    prompt: vscode.l10n.t('Layers, to make the copy trainable; leave empty to copy the weights alone'),
    placeHolder: 'Linear(2,8) ReLU Linear(8,1)',
    validateInput: layerStringProblem,
    // Stays open while the user looks at the tensor names in the editor (and when the webview
    // takes focus back from the save dialog): leaving it is not a wish to cancel the copy.
    ignoreFocusOut: true,
  });
  if (layers === undefined) return undefined;
  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Writing {0}…', target.path.slice(target.path.lastIndexOf('/') + 1)) },
      async () => {
        const { checkpoint } = await readAnyCheckpoint(source.fsPath);
        if (layers.trim() !== '') attachModel(checkpoint, layers, undefined, displayName(source));
        await writeCheckpoint(target, checkpoint);
      });
  } catch (e) {
    if (e instanceof ConvertArgumentError) {
      void vscode.window.showErrorMessage(vscode.l10n.t('{0}: layers {1}', sourceName, e.detail));
      return undefined;
    }
    // A file the reader refuses, layer shapes that do not match the tensors: one line, no trace.
    if (e instanceof InputError) {
      void vscode.window.showErrorMessage(e.message);
      return undefined;
    }
    throw e;
  }
  await vscode.commands.executeCommand('vscode.openWith', target, 'weightscope.weightsEditor');
  return target;
}
