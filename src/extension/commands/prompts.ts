// Small wrappers over quick picks and input boxes: each resolves to the chosen value, or undefined
// when the user pressed Escape (the command then ends quietly).
import * as vscode from 'vscode';
import { parseNumber, validateNumber, type NumberRule, type Translate } from './validate';

export const t: Translate = (message, ...args) => vscode.l10n.t(message, ...args);

export interface Choice<T> extends vscode.QuickPickItem { value: T }

export async function pickOne<T>(title: string, items: Choice<T>[], placeHolder?: string): Promise<T | undefined> {
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder, ignoreFocusOut: true, matchOnDescription: true, matchOnDetail: true });
  return picked?.value;
}

/** A multi-select; items with `picked: true` start selected. Resolves to undefined on Escape or an empty choice. */
export async function pickMany<T>(title: string, items: Choice<T>[], placeHolder?: string): Promise<T[] | undefined> {
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder, canPickMany: true, ignoreFocusOut: true, matchOnDescription: true });
  return picked && picked.length > 0 ? picked.map((p) => p.value) : undefined;
}

export async function askNumber(title: string, prompt: string, initial: number | undefined, rule: NumberRule): Promise<number | undefined> {
  const text = await vscode.window.showInputBox({
    title, prompt, value: initial === undefined ? '' : String(initial), ignoreFocusOut: true,
    validateInput: (v) => validateNumber(v, rule, t),
  });
  return text === undefined ? undefined : parseNumber(text);
}

export async function askText(title: string, prompt: string, initial: string, validate: (text: string) => string | undefined, placeHolder?: string): Promise<string | undefined> {
  const text = await vscode.window.showInputBox({ title, prompt, value: initial, placeHolder, ignoreFocusOut: true, validateInput: validate });
  return text;
}
