// What the extension-host suites share: polling for an asynchronous effect, the extension's API,
// and the test workspace folder.
import * as vscode from 'vscode';
import type { WeightscopeExports } from '../../src/extension/extension';

/** Poll `probe` every 100 ms until it gives a value other than undefined/false. */
export async function until<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 20000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The editor API the activated extension exports. */
export async function api() {
  const ext = vscode.extensions.getExtension<WeightscopeExports>('weightscope.weightscope')!;
  return (await ext.activate()).editor;
}

/** The workspace folder the suite runs in (a fresh copy of examples/ and the e2e fixtures). */
export const folder = (): vscode.Uri => vscode.workspace.workspaceFolders![0].uri;
