// Placeholder until the commands land (issue 5): registers nothing yet.
import type * as vscode from 'vscode';
import type { WeightsEditorApi } from '../editor/register';

export function registerCommands(_context: vscode.ExtensionContext, _editor: WeightsEditorApi): void {}
