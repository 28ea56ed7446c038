// The custom document of a `.weights.json` file: the checkpoint held in memory, undoable edits,
// save / save as / revert / hot-exit backup, and the webviews showing it (all kept in sync).
import * as vscode from 'vscode';
import { CheckpointError, type Checkpoint } from '../../format/types';
import type { EditorState, HostToWebview } from '../../webview/protocol';
import { CheckpointModel, type CheckpointChange } from './checkpointModel';
import { checkpointText, diskStamp, displayName, precomputedState, readCheckpoint, sameStamp, writeCheckpoint, type DiskStamp } from './checkpointIo';

export type { CheckpointChange } from './checkpointModel';

/** A webview showing this document; the provider registers one per editor tab. */
export interface DocumentView {
  post(message: HostToWebview): void;
  /** Re-send the state after the content changed (keeps the view's selection and zoom). */
  refresh(): void;
}

export class WeightsDocument implements vscode.CustomDocument {
  /** Open a document, from a hot-exit backup when VS Code hands one over. */
  static async open(uri: vscode.Uri, backupId: string | undefined): Promise<WeightsDocument> {
    const source = backupId ? vscode.Uri.parse(backupId) : uri;
    // Stamped before reading: a change landing between the two is read again, never missed.
    const stamp = await diskStamp(uri);
    try {
      const ckpt = await readCheckpoint(source, uri);
      const doc = new WeightsDocument(uri, ckpt, undefined);
      doc.adoptReadState(ckpt);
      doc.stamp = stamp;
      if (backupId) doc.model?.markRestoredFromBackup();
      return doc;
    } catch (e) {
      if (e instanceof CheckpointError) return new WeightsDocument(uri, undefined, e);
      if (e instanceof vscode.FileSystemError) return new WeightsDocument(uri, undefined, new CheckpointError(displayName(uri), e.message));
      throw e;
    }
  }

  private model: CheckpointModel | undefined;
  private loadError: CheckpointError | undefined;
  private readonly views = new Set<DocumentView>();
  private readonly changeEmitter = new vscode.EventEmitter<vscode.CustomDocumentEditEvent<WeightsDocument>>();
  private readonly contentEmitter = new vscode.EventEmitter<void>();
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  /** Set while we write the file ourselves, so the file watcher does not take it for an outside change. */
  private savingUntil = 0;
  /** The version of the file on disk that the content was read from or last saved as. */
  private stamp: DiskStamp;
  /** Increases on every change of content (edit, undo, redo, reload), even without a model. */
  private changes = 0;
  /** The parameter last selected in any view: a new view or a reload starts there. */
  selection: string | undefined;
  /** Set by the commands engineer's training while it runs: edits from the webview are refused. */
  busy = false;

  /** Fired for every undoable edit; the provider forwards it to VS Code. */
  readonly onDidChangeDocument = this.changeEmitter.event;
  /** Fired whenever the content changes: edit, undo, redo, revert, reload. */
  readonly onDidChangeContent = this.contentEmitter.event;
  readonly onDidDispose = this.disposeEmitter.event;

  private constructor(readonly uri: vscode.Uri, ckpt: Checkpoint | undefined, error: CheckpointError | undefined) {
    this.model = ckpt ? new CheckpointModel(ckpt) : undefined;
    this.loadError = error;
  }

  /** The one-line message of a file that could not be read, or undefined when it loaded. */
  get error(): string | undefined { return this.loadError?.message; }

  /** The editor's state of the content as read, when the parse worker computed it (see readCheckpoint). */
  private readState: { revision: number; state: EditorState } | undefined;

  private adoptReadState(ckpt: Checkpoint): void {
    const state = precomputedState(ckpt);
    this.readState = state ? { revision: this.revision, state } : undefined;
    this.readBy = state ? 'worker' : 'host';
  }

  /** Whether the content was last read by the parse worker (a large local file), off the host's thread. */
  get parsedOffThread(): boolean { return this.readBy === 'worker'; }
  private readBy: 'worker' | 'host' = 'host';

  /** That state, once, if the content has not changed since it was read (else undefined: build it). */
  takeReadState(): EditorState | undefined {
    const read = this.readState;
    this.readState = undefined;
    return read?.revision === this.revision ? read.state : undefined;
  }

  /** The current state (treat as read-only: change it only through applyChange). */
  get checkpoint(): Checkpoint {
    if (!this.model) throw this.loadError ?? new CheckpointError(displayName(this.uri), 'not loaded');
    return this.model.checkpoint;
  }

  get revision(): number { return this.model?.revision ?? 0; }
  get isDirty(): boolean { return this.model?.dirty ?? false; }

  /** ONE undoable edit: records before/after of exactly what it touches, refreshes every view. */
  applyChange(change: CheckpointChange): void {
    if (!this.model) throw this.loadError ?? new CheckpointError(displayName(this.uri), 'not loaded');
    const edit = this.model.apply(change);
    this.changeEmitter.fire({
      document: this,
      label: change.label,
      undo: () => { edit.undo(); this.contentChanged(); },
      redo: () => { edit.redo(); this.contentChanged(); },
    });
    this.contentChanged();
  }

  /** Send a message to every webview of this document (e.g. live training progress). */
  postToWebviews(message: HostToWebview): void {
    for (const v of this.views) v.post(message);
  }

  addView(view: DocumentView): vscode.Disposable {
    this.views.add(view);
    return new vscode.Disposable(() => this.views.delete(view));
  }

  private contentChanged(): void {
    this.changes++;
    for (const v of this.views) v.refresh();
    this.contentEmitter.fire();
  }

  async save(_cancellation?: vscode.CancellationToken): Promise<void> {
    await this.writeTo(this.uri);
    this.stamp = await diskStamp(this.uri);
    this.model?.markSaved();
  }

  async saveAs(destination: vscode.Uri, _cancellation?: vscode.CancellationToken): Promise<void> {
    await this.writeTo(destination, this.uri);
  }

  private async writeTo(target: vscode.Uri, settingsScope: vscode.Uri = target): Promise<void> {
    if (!this.model) throw this.loadError ?? new CheckpointError(displayName(this.uri), 'not loaded');
    this.savingUntil = Date.now() + 3000;
    try {
      await writeCheckpoint(target, this.model.checkpoint, settingsScope);
    } finally {
      this.savingUntil = Date.now() + 1000; // the watcher's event arrives shortly after the rename
    }
  }

  /** Throw away the changes: read the file again. */
  async revert(_cancellation?: vscode.CancellationToken): Promise<void> {
    await this.reload();
  }

  /** Read the file from disk again; a malformed file turns every view into the error view. */
  async reload(): Promise<void> {
    await this.readFromDisk(false);
  }

  /**
   * Reload for a change made outside while there is nothing unsaved. Returns false, keeping the
   * content, when an edit, undo or redo landed while the file was being read: replacing it then
   * would silently drop that change (a Redo right after an Undo did, in CI). The document is
   * then dirty, and the caller asks the user as for any outside change to unsaved work.
   */
  reloadUnlessEdited(): Promise<boolean> {
    return this.readFromDisk(true);
  }

  private async readFromDisk(unlessEdited: boolean): Promise<boolean> {
    const changesBefore = this.changes;
    const stamp = await diskStamp(this.uri);
    let ckpt: Checkpoint | undefined;
    let error: CheckpointError | undefined;
    try {
      ckpt = await readCheckpoint(this.uri);
    } catch (e) {
      if (!(e instanceof CheckpointError)) throw e;
      error = e;
    }
    if (unlessEdited && this.changes !== changesBefore) return false;
    if (ckpt) {
      if (this.model) this.model.reset(ckpt);
      else this.model = new CheckpointModel(ckpt);
      this.adoptReadState(ckpt);
    } else {
      this.model = undefined;
    }
    this.loadError = error;
    this.stamp = stamp;
    this.contentChanged();
    return true;
  }

  /**
   * Whether the file on disk may differ from what the content was read from or saved as. A watcher
   * event for the same modification time and size is an echo (of our own save, or of the write
   * that created the file just before it was opened) and changes nothing.
   */
  async changedOnDisk(): Promise<boolean> {
    return !sameStamp(this.stamp, await diskStamp(this.uri));
  }

  /** Hot exit: the current state, serialized, at `destination`. */
  async backup(destination: vscode.Uri, _cancellation?: vscode.CancellationToken): Promise<vscode.CustomDocumentBackup> {
    if (this.model) {
      await vscode.workspace.fs.writeFile(destination, new TextEncoder().encode(checkpointText(this.model.checkpoint, this.uri)));
    }
    return {
      id: destination.toString(),
      delete: async () => { try { await vscode.workspace.fs.delete(destination); } catch { /* already gone */ } },
    };
  }

  /** Whether a file-change event is the echo of our own save. */
  isOwnWrite(): boolean { return Date.now() < this.savingUntil; }

  dispose(): void {
    this.disposeEmitter.fire();
    this.changeEmitter.dispose();
    this.contentEmitter.dispose();
    this.disposeEmitter.dispose();
    this.views.clear();
  }
}
