// Placeholder until hovers land (issue 6): registers nothing yet.
import type * as vscode from 'vscode';

export function registerHover(_context: vscode.ExtensionContext): void {}
