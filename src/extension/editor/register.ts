// Placeholder until the custom editor lands (issue 4): registers nothing yet.
import type * as vscode from 'vscode';

export interface WeightsEditorApi {}

export function registerWeightsEditor(_context: vscode.ExtensionContext): WeightsEditorApi {
  return {};
}
