// The compare commands: Compare with… (pick the other file), Compare Selected (two files in the
// Explorer), Compare with Saved (an editor's unsaved state against its file), Compare with HEAD
// (the file against the last commit), and the training notification's before/after. Each opens a
// compare view and resolves, once every tensor was read, with the summary of statuses.
import * as vscode from 'vscode';
import { sourcesToCompare } from '../../actions/compare';
import { InputError } from '../../engine/errors';
import type { Checkpoint } from '../../format/types';
import type { WeightsEditorApi } from '../editor/register';
import type { CompareSummary } from '../../webview/protocol';
import { ComparePanel, COMPARE_VIEW_TYPE } from './comparePanel';
import { headBytes } from './git';
import { baseName, sideFromBytes, sideFromCheckpoint, sideFromUri, type CompareSide } from './sides';

/** Every extension the readers know (see format/openAny.ts). */
export const CHECKPOINT_GLOB = '**/*.{weights.json,safetensors,pt,pth,npy,npz}';
const CHECKPOINT_EXTENSIONS = ['json', 'safetensors', 'pt', 'pth', 'npy', 'npz', 'bin'];

export class CompareCommands {
  constructor(private readonly extensionUri: vscode.Uri, private readonly editor: WeightsEditorApi) {}

  /** Open a compare view of two sides; resolves with the summary when the table is complete. */
  async open(a: CompareSide, bSide: CompareSide): Promise<CompareSummary | undefined> {
    // As `weightscope diff` pairs them (two single .npy arrays are compared whatever their names).
    const b = { ...bSide, tensors: sourcesToCompare(a, bSide)[1] };
    const panel = vscode.window.createWebviewPanel(COMPARE_VIEW_TYPE, vscode.l10n.t('{0} ↔ {1}', a.label, b.label), vscode.ViewColumn.Active, {
      enableScripts: true, retainContextWhenHidden: true,
    });
    panel.iconPath = new vscode.ThemeIcon('diff');
    return new ComparePanel(panel, a, b, this.extensionUri).finished;
  }

  /**
   * `weightscope.compare(uriA?, uriB?)`. From the Explorer's menu the second argument is the list
   * of selected files (two of them: compare those). A missing file is asked for.
   */
  async compare(first?: unknown, second?: unknown): Promise<CompareSummary | undefined> {
    const selected = Array.isArray(second) ? second.filter((u): u is vscode.Uri => u instanceof vscode.Uri) : [];
    if (selected.length === 2) return this.compareUris(selected[0], selected[1]);
    const a = first instanceof vscode.Uri ? first : activeCheckpointUri() ?? await this.pickFile(vscode.l10n.t('First checkpoint (A)'));
    if (!a) return undefined;
    const b = second instanceof vscode.Uri ? second : await this.pickFile(vscode.l10n.t('Compare {0} with… (B)', baseName(a)), a);
    if (!b) return undefined;
    return this.compareUris(a, b);
  }

  /** `weightscope.compareSelected(uri, uris)`: exactly two files selected in the Explorer. */
  async compareSelected(first?: unknown, all?: unknown): Promise<CompareSummary | undefined> {
    const uris = Array.isArray(all) ? all.filter((u): u is vscode.Uri => u instanceof vscode.Uri) : [];
    if (uris.length !== 2) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Select exactly two checkpoint files in the Explorer to compare them (selected: {0}).', uris.length));
      return undefined;
    }
    void first;
    return this.compareUris(uris[0], uris[1]);
  }

  async compareUris(a: vscode.Uri, b: vscode.Uri): Promise<CompareSummary | undefined> {
    const nameA = baseName(a), nameB = baseName(b);
    // Two files of the same name (a run's epoch-1/model.pt and epoch-10/model.pt): say which folder.
    const label = (u: vscode.Uri, name: string) => (nameA === nameB ? vscode.workspace.asRelativePath(u, false) : name);
    const sideA = await sideFromUri(a, label(a, nameA));
    const sideB = await sideFromUri(b, label(b, nameB)).catch((e: unknown) => { sideA.dispose?.(); throw e; });
    return this.open(sideA, sideB);
  }

  /** `weightscope.compareWithSaved(uri?)`: the file on disk (A) against the editor's unsaved state (B). */
  async compareWithSaved(uri?: unknown): Promise<CompareSummary | undefined> {
    const doc = uri instanceof vscode.Uri ? await this.editor.documentFor(uri) : this.editor.activeDocument();
    if (!doc) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Open a .weights.json file in the Weightscope editor to compare its unsaved changes with the saved file.'));
      return undefined;
    }
    if (doc.error !== undefined) throw new InputError(doc.error);
    const name = baseName(doc.uri);
    if (!doc.isDirty) void vscode.window.showInformationMessage(vscode.l10n.t('{0} has no unsaved changes: every tensor is the same as on disk.', name));
    const current = doc.checkpoint;
    const unsaved = sideFromCheckpoint({ ...current, parameters: new Map(current.parameters), buffers: current.buffers && new Map(current.buffers) }, vscode.l10n.t('{0} (unsaved)', name));
    const saved = await sideFromUri(doc.uri, vscode.l10n.t('{0} (saved)', name));
    return this.open(saved, unsaved);
  }

  /** `weightscope.compareWithHead(uri?)`: the last commit's version (A) against the file on disk (B). */
  async compareWithHead(uri?: unknown): Promise<CompareSummary | undefined> {
    const target = uri instanceof vscode.Uri ? uri : activeCheckpointUri();
    if (!target) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Open a checkpoint (or pick one in the Explorer) to compare it with HEAD.'));
      return undefined;
    }
    const name = baseName(target);
    const head = await sideFromBytes(await headBytes(target), target.path, vscode.l10n.t('{0} (HEAD)', name));
    const working = await sideFromUri(target, name).catch((e: unknown) => { head.dispose?.(); throw e; });
    return this.open(head, working);
  }

  /** The training notification's "Compare before/after": two snapshots held in memory. */
  compareCheckpoints(before: Checkpoint, after: Checkpoint, name: string): Promise<CompareSummary | undefined> {
    return this.open(sideFromCheckpoint(before, vscode.l10n.t('{0} before training', name)), sideFromCheckpoint(after, vscode.l10n.t('{0} after training', name)));
  }

  /** A quick pick of the workspace's checkpoints (nearest first), with "Browse…" for any other file. */
  private async pickFile(title: string, beside?: vscode.Uri): Promise<vscode.Uri | undefined> {
    const found = await vscode.workspace.findFiles(CHECKPOINT_GLOB, '**/node_modules/**', 500);
    const others = found.filter((u) => u.toString() !== beside?.toString());
    const folder = beside ? beside.path.slice(0, beside.path.lastIndexOf('/') + 1) : '';
    others.sort((x, y) => Number(y.path.startsWith(folder)) - Number(x.path.startsWith(folder)) || x.path.localeCompare(y.path));
    type Item = vscode.QuickPickItem & { uri?: vscode.Uri };
    const browse: Item = { label: `$(folder-opened) ${vscode.l10n.t('Browse…')}`, description: vscode.l10n.t('any .weights.json, .safetensors, .pt/.pth, .npy or .npz file') };
    const items: Item[] = [browse, ...others.map((u) => ({ label: baseName(u), description: vscode.workspace.asRelativePath(u, false), uri: u }))];
    const pick = await vscode.window.showQuickPick(items, { title, placeHolder: vscode.l10n.t('The checkpoint to compare with'), matchOnDescription: true });
    if (!pick) return undefined;
    if (pick.uri) return pick.uri;
    const chosen = await vscode.window.showOpenDialog({
      title, canSelectMany: false, defaultUri: beside && vscode.Uri.joinPath(beside, '..'),
      filters: { [vscode.l10n.t('Checkpoints')]: CHECKPOINT_EXTENSIONS },
    });
    return chosen?.[0];
  }
}

/** The file of the active editor tab when it is a checkpoint (either Weightscope editor, or its text). */
export function activeCheckpointUri(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  const uri = input instanceof vscode.TabInputCustom || input instanceof vscode.TabInputText ? input.uri : undefined;
  return uri && /\.(weights\.json|safetensors|pt|pth|npy|npz|bin)$/i.test(uri.path) ? uri : undefined;
}
