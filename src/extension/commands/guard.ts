// Turns a command body into a command handler: a user's mistake (bad file, bad option, a refused
// scheme) becomes one clear message, never a stack trace; anything else is reported as an internal
// error and its stack goes to the output channel. The handler resolves to the body's outcome.
import * as vscode from 'vscode';
import { InputError } from '../../engine/errors';
import { TrainingFailedError } from '../train/runner';
import { failed, type CommandOutcome } from './outcome';
import type { CommandServices } from './services';

export type CommandBody<T extends object> = (uri: unknown, options: Record<string, unknown> | undefined) => Promise<CommandOutcome<T>>;

/** Keys VS Code itself passes to editor/title commands; an argument with only these is no options object. */
const EDITOR_CONTEXT_KEYS = new Set(['groupId', 'editorIndex']);

/** Options given as an argument, or undefined when the command was run bare (then it asks for everything). */
export function optionsArgument(value: unknown): Record<string, unknown> | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof vscode.Uri) return undefined;
  const keys = Object.keys(value);
  if (keys.length === 0 || keys.every((k) => EDITOR_CONTEXT_KEYS.has(k))) return undefined;
  return value as Record<string, unknown>;
}

export function isUserError(e: unknown): e is Error {
  return e instanceof InputError || (e instanceof TrainingFailedError && e.userError);
}

export function guarded<T extends object>(services: CommandServices, body: CommandBody<T>): (uri?: unknown, options?: unknown) => Promise<CommandOutcome<T>> {
  return async (uri?: unknown, options?: unknown) => {
    try {
      const outcome = await body(uri, optionsArgument(options));
      if (outcome && !outcome.ok) void vscode.window.showWarningMessage(outcome.message);
      return outcome;
    } catch (e) {
      if (isUserError(e)) {
        void vscode.window.showErrorMessage(e.message);
        services.output.appendLine(e.message);
        return failed(e.message);
      }
      const detail = e instanceof Error ? e.message : String(e);
      services.output.appendLine(e instanceof Error && e.stack ? e.stack : detail);
      const message = vscode.l10n.t('Weightscope: internal error: {0} (details in the Weightscope output channel)', detail);
      void vscode.window.showErrorMessage(message);
      return failed(message);
    }
  };
}
