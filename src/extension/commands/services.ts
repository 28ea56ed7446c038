// What the command modules share: the editor, the "Weightscope" output channel, where the
// extension is installed (for the worker's script), and which documents are training right now.
import * as vscode from 'vscode';
import type { CommandsEditorApi } from './editorAccess';
import { weightscopeOutput } from '../outputChannel';

export interface CommandServices {
  editor: CommandsEditorApi;
  output: vscode.OutputChannel;
  extensionUri: vscode.Uri;
  /** uri.toString() of documents with a training run in progress (other edits wait for it). */
  training: Set<string>;
}

export function createServices(context: vscode.ExtensionContext, editor: CommandsEditorApi): CommandServices {
  return { editor, output: weightscopeOutput(), extensionUri: context.extensionUri, training: new Set() };
}
