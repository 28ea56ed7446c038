// "Compare with HEAD": the file as the last commit has it, through VS Code's built-in Git
// extension (its API's repository.buffer, binary-safe), never a git process of our own.
import * as vscode from 'vscode';
import { InputError } from '../../engine/errors';
import { displayName } from '../editor/checkpointIo';

/** The part of the Git extension's API (extensions/git/src/api/git.d.ts, version 1) we use. */
interface GitRepository { rootUri: vscode.Uri; buffer(ref: string, path: string): Promise<Uint8Array> }
interface GitApi {
  state: 'uninitialized' | 'initialized';
  onDidChangeState: vscode.Event<'uninitialized' | 'initialized'>;
  getRepository(uri: vscode.Uri): GitRepository | null;
  openRepository?(root: vscode.Uri): Promise<GitRepository | null>;
}
interface GitExtension { enabled: boolean; getAPI(version: 1): GitApi }

async function gitApi(): Promise<GitApi> {
  const ext = vscode.extensions.getExtension<GitExtension>('vscode.git');
  const exports = ext && (ext.isActive ? ext.exports : await ext.activate().then((x) => x, () => undefined));
  if (!exports || !exports.enabled) {
    throw new InputError(vscode.l10n.t('Compare with HEAD needs VS Code\'s built-in Git extension, which is disabled or missing (setting git.enabled).'));
  }
  const api = exports.getAPI(1);
  if (api.state !== 'initialized') {
    await new Promise<void>((resolve) => {
      const sub = api.onDidChangeState((s) => { if (s === 'initialized') { sub.dispose(); resolve(); } });
      setTimeout(() => { sub.dispose(); resolve(); }, 10000);
    });
  }
  return api;
}

/** The bytes of `uri` at HEAD. Throws an InputError saying why when there is no such version. */
export async function headBytes(uri: vscode.Uri): Promise<Uint8Array> {
  const name = displayName(uri);
  if (uri.scheme !== 'file') throw new InputError(vscode.l10n.t('{0}: Compare with HEAD works on files on this machine\'s disk.', name));
  const api = await gitApi();
  let repo = api.getRepository(uri);
  // A repository the Git extension has not scanned yet (opened after the window): ask it to.
  if (!repo && api.openRepository) {
    repo = await api.openRepository(vscode.Uri.joinPath(uri, '..')).then((r) => r && api.getRepository(uri), () => null);
  }
  if (!repo) throw new InputError(vscode.l10n.t('{0} is not inside a git repository: there is no HEAD to compare with.', name));
  try {
    return await repo.buffer('HEAD', uri.fsPath);
  } catch {
    throw new InputError(vscode.l10n.t('{0} is not in the last commit (HEAD): it is new or untracked, so there is nothing to compare with.', name));
  }
}
