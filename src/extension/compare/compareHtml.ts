// The compare view's HTML shell: the editor's strict Content Security Policy (per-load nonce,
// local resources only), its stylesheet for the shared look, the translations embedded as the
// editor's are (the table's headings are built at load), and the compare bundle.
import * as vscode from 'vscode';
import { embeddedL10nScript, nonce } from '../editor/webviewHtml';

export function compareHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const n = nonce();
  const asset = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...p)).toString();
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data: blob:`,
    `style-src ${webview.cspSource} 'nonce-${n}'`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${n}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="${vscode.env.language}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('media', 'editor.css')}">
<link rel="stylesheet" href="${asset('dist', 'compare.css')}">
<title>Weightscope</title>
</head>
<body>
<div id="app" aria-busy="true"></div>
${embeddedL10nScript()}
<script nonce="${n}" src="${asset('dist', 'compare.js')}"></script>
</body>
</html>`;
}
