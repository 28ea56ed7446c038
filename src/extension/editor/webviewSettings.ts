// The settings the editor's webview starts from (the user's own choices in a view win over them).
import * as vscode from 'vscode';
import type { WebviewSettings } from '../../webview/protocol';

export function webviewSettings(): WebviewSettings {
  const colormap = vscode.workspace.getConfiguration('weightscope.heatmap').get<string>('colormap');
  return { colormap: colormap === 'magnitude' ? 'magnitude' : 'diverging', clipPercentile: 100 };
}
