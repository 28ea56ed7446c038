// Registers the Weightscope commands (issue 5). Each takes `(uri?, options?)`: the document (else
// the active Weightscope editor's) and options named as the CLI's flags in camelCase; complete
// options mean no prompt. Each resolves to its outcome (see outcome.ts), for tests and callers.
import * as vscode from 'vscode';
import type { WeightsEditorApi } from '../editor/register';
import { guarded } from './guard';
import { createServices } from './services';
import { newModelCommand } from './newModel';
import { trainCommand } from './train';
import { reinitializeCommand } from './reinitialize';
import { freezeCommand } from './freeze';
import { weightDecayCommand } from './weightDecay';

export function registerCommands(context: vscode.ExtensionContext, editor: WeightsEditorApi): void {
  const services = createServices(context, editor);
  const register = (id: string, handler: (uri?: unknown, options?: unknown) => Promise<unknown>) =>
    context.subscriptions.push(vscode.commands.registerCommand(id, handler));
  register('weightscope.newModel', guarded(services, newModelCommand(services)));
  register('weightscope.train', guarded(services, trainCommand(services)));
  register('weightscope.reinitialize', guarded(services, reinitializeCommand(services)));
  register('weightscope.freeze', guarded(services, freezeCommand(services, true)));
  register('weightscope.unfreeze', guarded(services, freezeCommand(services, false)));
  register('weightscope.applyWeightDecay', guarded(services, weightDecayCommand(services)));
}
