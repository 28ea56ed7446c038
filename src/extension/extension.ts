// The extension's entry point: each feature registers itself; activation stays cheap (no
// checkpoint is read until an editor, a command or a hover needs it).
import * as vscode from 'vscode';
import { registerWeightsEditor, type WeightsEditorApi } from './editor/register';
import { registerHover, type HoverApi } from './hover/register';
import { registerCommands } from './commands/register';
import { registerCompare } from './compare/register';
import { registerWalkthrough } from './walkthrough/register';
import { disposeWeightscopeOutput } from './outputChannel';

/** The exports tests (and other extensions) get from `vscode.extensions.getExtension(...).exports`. */
export interface WeightscopeExports { editor: WeightsEditorApi; hover: HoverApi }

export function activate(context: vscode.ExtensionContext): WeightscopeExports {
  const editor = registerWeightsEditor(context);
  registerCommands(context, editor);
  registerCompare(context, editor);
  registerWalkthrough(context, editor);
  const hover = registerHover(context, editor);
  context.subscriptions.push({ dispose: disposeWeightscopeOutput });
  return { editor, hover };
}

export function deactivate(): void {
  // Everything registered above is disposed through context.subscriptions.
}
