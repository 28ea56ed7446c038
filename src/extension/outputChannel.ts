// The one "Weightscope" output channel every feature logs to (commands, training runs, the hover
// index), created on first use so activation stays cheap and the Output list shows it once.
import * as vscode from 'vscode';

let channel: vscode.OutputChannel | undefined;

export function weightscopeOutput(): vscode.OutputChannel {
  channel ??= vscode.window.createOutputChannel('Weightscope');
  return channel;
}

/** Dispose the channel with the extension. */
export function disposeWeightscopeOutput(): void {
  channel?.dispose();
  channel = undefined;
}
