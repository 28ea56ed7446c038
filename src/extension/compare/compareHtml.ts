// The compare view's page: the editor's shell (policy, embedded translations; see webviewHtml.ts),
// the shared editor.css for the common look, then the compare bundle's own CSS and script.
import type * as vscode from 'vscode';
import { pageHtml } from '../editor/webviewHtml';

export function compareHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  return pageHtml(webview, extensionUri, { styles: [['media', 'editor.css'], ['dist', 'compare.css']], script: ['dist', 'compare.js'] });
}
