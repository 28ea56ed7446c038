// What the commands need of the custom editor (src/extension/editor/register.ts, issue 4): the
// active document, a document for a uri, and one undoable edit per change. Declared here
// structurally, so the commands depend on these few members and nothing else of the editor.
import type * as vscode from 'vscode';
import type { Checkpoint } from '../../format/types';
import type { CheckpointChange } from '../editor/checkpointModel';
import type { HostToWebview } from '../../webview/protocol';

/** One change of a checkpoint, exactly the editor's own (what is given replaces the current value; null removes it). */
export type CommandChange = CheckpointChange;

export interface CommandDocument {
  readonly uri: vscode.Uri;
  /** The current checkpoint; read-only: changes go through applyChange. */
  readonly checkpoint: Checkpoint;
  /** Applies the change as ONE undoable edit (Save, Undo, Redo, Revert apply). */
  applyChange(change: CommandChange): void;
  postToWebviews(message: HostToWebview): void;
  /** Set while training runs on the document: the editor refuses edits from its webview meanwhile. */
  busy?: boolean;
}

export interface CommandsEditorApi {
  activeDocument(): CommandDocument | undefined;
  documentFor(uri: vscode.Uri): Promise<CommandDocument>;
  reveal(uri: vscode.Uri, paramName?: string): Promise<void>;
}
