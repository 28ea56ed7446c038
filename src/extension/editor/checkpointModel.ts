// The editor's document model without `vscode`: the current Checkpoint, and edits that swap
// before/after snapshots of exactly what they touch. Undo and redo swap object references, so
// they are bit-exact and cost no copies of tensor data. Kept free of `vscode` so the bookkeeping
// (undo, redo, dirty tracking) is unit-testable.
import type { ModelSpec } from '../../engine/spec';
import type { Checkpoint, OptimizerSpec, ParamOptimizerState, TensorRecord, TrainingSpec } from '../../format/types';

/** One undoable change to a checkpoint, as callers describe it (see WeightsDocument.applyChange). */
export interface CheckpointChange {
  /** Shown by VS Code for undo/redo ("Freeze fc1.weight"). */
  label: string;
  /** Replaced tensors (data and/or requires_grad). A name not yet in the file is added at the end. */
  parameters?: Map<string, TensorRecord>;
  /** null = remove the section. */
  optimizer?: OptimizerSpec | null;
  optimizer_state?: Map<string, ParamOptimizerState> | null;
  training?: TrainingSpec | null;
  model?: ModelSpec | null;
}

type Section = 'optimizer' | 'optimizer_state' | 'training' | 'model';
const SECTIONS: readonly Section[] = ['optimizer', 'optimizer_state', 'training', 'model'];

/** The state of what an edit touches; `undefined` in `sections` means "absent from the file". */
interface Snapshot {
  /** whole: the entire parameter map (when names are added, so undo restores the key order). */
  parameters?: { whole: boolean; map: Map<string, TensorRecord> };
  sections: Partial<Record<Section, { value: unknown }>>;
}

function takeSnapshots(ckpt: Checkpoint, change: CheckpointChange): { before: Snapshot; after: Snapshot } {
  const before: Snapshot = { sections: {} };
  const after: Snapshot = { sections: {} };
  if (change.parameters && change.parameters.size > 0) {
    const adds = [...change.parameters.keys()].some((name) => !ckpt.parameters.has(name));
    if (adds) {
      const next = new Map(ckpt.parameters);
      for (const [name, t] of change.parameters) next.set(name, t);
      before.parameters = { whole: true, map: new Map(ckpt.parameters) };
      after.parameters = { whole: true, map: next };
    } else {
      const old = new Map<string, TensorRecord>();
      for (const name of change.parameters.keys()) old.set(name, ckpt.parameters.get(name)!);
      before.parameters = { whole: false, map: old };
      after.parameters = { whole: false, map: new Map(change.parameters) };
    }
  }
  for (const s of SECTIONS) {
    const v = change[s];
    if (v === undefined) continue;
    before.sections[s] = { value: ckpt[s] };
    after.sections[s] = { value: v === null ? undefined : v };
  }
  return { before, after };
}

function restore(ckpt: Checkpoint, snap: Snapshot): void {
  if (snap.parameters) {
    if (snap.parameters.whole) ckpt.parameters = new Map(snap.parameters.map);
    else for (const [name, t] of snap.parameters.map) ckpt.parameters.set(name, t);
  }
  const target = ckpt as unknown as Record<string, unknown>;
  for (const s of SECTIONS) {
    const entry = snap.sections[s];
    if (!entry) continue;
    if (entry.value === undefined) delete target[s];
    else target[s] = entry.value;
  }
}

/** An applied edit: VS Code calls undo/redo on it through the custom editor's edit event. */
export interface AppliedEdit {
  label: string;
  undo(): void;
  redo(): void;
}

/**
 * The checkpoint being edited plus version bookkeeping. `version` names the state the checkpoint is
 * in (an edit id, 0 = as loaded); `dirty` compares it with the saved state, so undoing back to the
 * saved state is clean again, as in any text editor.
 */
export class CheckpointModel {
  private current: Checkpoint;
  private nextId = 1;
  private versionId = 0;
  private savedVersionId = 0;
  /** Increases on every change of content (edit, undo, redo, reload): the webviews' cache key. */
  revision = 0;

  constructor(checkpoint: Checkpoint) { this.current = checkpoint; }

  get checkpoint(): Checkpoint { return this.current; }
  get version(): number { return this.versionId; }
  get dirty(): boolean { return this.versionId !== this.savedVersionId; }

  /** Apply one change; returns the edit whose undo/redo swap the recorded snapshots. */
  apply(change: CheckpointChange): AppliedEdit {
    const { before, after } = takeSnapshots(this.current, change);
    const prevVersion = this.versionId;
    const version = this.nextId++;
    restore(this.current, after);
    this.versionId = version;
    this.revision++;
    return {
      label: change.label,
      undo: () => { restore(this.current, before); this.versionId = prevVersion; this.revision++; },
      redo: () => { restore(this.current, after); this.versionId = version; this.revision++; },
    };
  }

  /** The current state was written to the file. */
  markSaved(): void { this.savedVersionId = this.versionId; }

  /** Replace everything with `checkpoint` (revert, reload from disk); it counts as saved. */
  reset(checkpoint: Checkpoint): void {
    this.current = checkpoint;
    this.savedVersionId = this.versionId;
    this.revision++;
  }

  /** Restored from a hot-exit backup: content that differs from the file on disk. */
  markRestoredFromBackup(): void { this.savedVersionId = -1; }
}
