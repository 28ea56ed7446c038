// The examples a learner opens from the walkthrough or "Weightscope: Open Example…": the files
// under the extension's examples/ folder, copied once into the workspace (or, with no folder
// open, into the extension's storage) so they can be edited, trained and saved. A copy already
// there is reused, so the learner's progress is never overwritten; the repository's own
// examples/ folder, when it is the workspace, is used as it is.
import * as vscode from 'vscode';

export interface ExampleInfo {
  id: string;
  file: string;
  /** Files the checkpoint needs beside it (its CSV dataset). */
  companions: string[];
  /** English label and detail for the quick pick; translated where shown. */
  label: string;
  detail: string;
}

export const EXAMPLES: readonly ExampleInfo[] = [
  { id: 'perceptron', file: 'perceptron.weights.json', companions: ['perceptron-and.csv'], label: 'Perceptron: nn.Linear(2, 1) on logical AND', detail: 'y = f(w₁x₁ + w₂x₂ + b): two weights and one bias' },
  { id: 'mlp-spiral', file: 'mlp-spiral.weights.json', companions: [], label: 'MLP on the spiral', detail: 'Linear(2, 16) · ReLU · Linear(16, 16) · ReLU · Linear(16, 3)' },
  { id: 'cnn-digits', file: 'cnn-digits.weights.json', companions: [], label: 'CNN on the 8×8 digits', detail: 'Conv2d(1, 4, 3) · ReLU · MaxPool2d(2) · Flatten · Linear(64, 10)' },
  { id: 'lstm-sine', file: 'lstm-sine.weights.json', companions: [], label: 'LSTM on a sine wave', detail: 'LSTM(1, 8) · Linear(8, 1)' },
];

/** The folder a copied example goes into: `weightscope-examples/` in the first workspace folder, else the extension's storage. */
function copyFolder(context: vscode.ExtensionContext): vscode.Uri {
  const ws = vscode.workspace.workspaceFolders?.[0]?.uri;
  return ws ? vscode.Uri.joinPath(ws, 'weightscope-examples') : vscode.Uri.joinPath(context.globalStorageUri, 'examples');
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try { await vscode.workspace.fs.stat(uri); return true; } catch { return false; }
}

/** The example's writable checkpoint, copying it (with its companions) the first time. */
export async function exampleUri(context: vscode.ExtensionContext, example: ExampleInfo): Promise<vscode.Uri> {
  const ws = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (ws && await exists(vscode.Uri.joinPath(ws, example.file))) return vscode.Uri.joinPath(ws, example.file);
  const folder = copyFolder(context);
  const target = vscode.Uri.joinPath(folder, example.file);
  if (await exists(target)) return target;
  await vscode.workspace.fs.createDirectory(folder);
  for (const name of [...example.companions, example.file]) {
    const dest = vscode.Uri.joinPath(folder, name);
    if (!await exists(dest)) await vscode.workspace.fs.copy(vscode.Uri.joinPath(context.extensionUri, 'examples', name), dest);
  }
  return target;
}

export function findExample(id: string): ExampleInfo | undefined {
  return EXAMPLES.find((e) => e.id === id);
}
