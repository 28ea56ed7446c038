// The editor webview's HTML shell: strict Content Security Policy with a per-load nonce, local
// resources only (the bundled script, its CSS and media/editor.css). The translations ride along as
// inert JSON so the webview's headings, built before the first message arrives, are translated too.
import * as vscode from 'vscode';

function nonce(): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  for (let i = 0; i < 32; i++) out += chars[Math.floor(Math.random() * chars.length)];
  return out;
}

/** JSON safe inside a <script> element: no `<` can close it early. */
function embeddedJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** The translations as an inert JSON element, read by src/webview/embeddedL10n.ts when a page loads. */
function embeddedL10nScript(): string {
  return `<script type="application/json" id="weightscope-l10n">${embeddedJson(vscode.l10n.bundle ?? {})}</script>`;
}

/**
 * A Weightscope webview page: the strict policy (a nonce per load, local resources only), the
 * stylesheets in the order given, the embedded translations, then the page's bundle.
 */
export function pageHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: { styles: string[][]; script: string[] }): string {
  const n = nonce();
  const asset = (p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...p)).toString();
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
${page.styles.map((p) => `<link rel="stylesheet" href="${asset(p)}">`).join('\n')}
<title>Weightscope</title>
</head>
<body>
<div id="app" aria-busy="true"></div>
${embeddedL10nScript()}
<script nonce="${n}" src="${asset(page.script)}"></script>
</body>
</html>`;
}

/** The editor's page: its bundle's CSS, then the shared editor.css. */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  return pageHtml(webview, extensionUri, { styles: [['dist', 'webview.css'], ['media', 'editor.css']], script: ['dist', 'webview.js'] });
}
