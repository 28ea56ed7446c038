// Registers the compare commands (issue 15). Each resolves with the summary of statuses
// ({ same, changed, shape_mismatch, only_in_a, only_in_b }) once the table is complete, or
// undefined when cancelled or refused (the user was told why, in one line).
import * as vscode from 'vscode';
import { InputError } from '../../engine/errors';
import type { Checkpoint } from '../../format/types';
import type { WeightsEditorApi } from '../editor/register';
import type { CompareSummary } from '../../webview/protocol';
import { weightscopeOutput } from '../outputChannel';
import { CompareCommands } from './commands';

let commands: CompareCommands | undefined;

/** A user's mistake (a file that is not a checkpoint, no git) is one message; anything else goes to the log too. */
function guarded<A extends unknown[]>(body: (...args: A) => Promise<CompareSummary | undefined>) {
  return async (...args: A): Promise<CompareSummary | undefined> => {
    try {
      return await body(...args);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (!(e instanceof InputError)) weightscopeOutput().appendLine(e instanceof Error && e.stack ? e.stack : message);
      void vscode.window.showErrorMessage(e instanceof InputError ? message : vscode.l10n.t('Weightscope: internal error: {0} (details in the Weightscope output channel)', message));
      return undefined;
    }
  };
}

export function registerCompare(context: vscode.ExtensionContext, editor: WeightsEditorApi): void {
  const c = new CompareCommands(context.extensionUri, editor);
  commands = c;
  context.subscriptions.push(
    vscode.commands.registerCommand('weightscope.compare', guarded((a?: unknown, b?: unknown) => c.compare(a, b))),
    vscode.commands.registerCommand('weightscope.compareSelected', guarded((a?: unknown, all?: unknown) => c.compareSelected(a, all))),
    vscode.commands.registerCommand('weightscope.compareWithSaved', guarded((uri?: unknown) => c.compareWithSaved(uri))),
    vscode.commands.registerCommand('weightscope.compareWithHead', guarded((uri?: unknown) => c.compareWithHead(uri))),
    { dispose: () => { commands = undefined; } },
  );
}

/** For the training notification: open a compare view of the weights before and after a run. */
export function compareBeforeAfter(before: Checkpoint, after: Checkpoint, name: string): Promise<CompareSummary | undefined> {
  if (!commands) return Promise.resolve(undefined);
  return guarded(() => commands!.compareCheckpoints(before, after, name))();
}
