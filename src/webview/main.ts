// Placeholder until the editor's webview lands (issue 4).
