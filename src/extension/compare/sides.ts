// One side of a comparison: a label for the user and the lazy tensor list the core reads one pair
// at a time. A side comes from a file (any readable format), from a checkpoint held in memory (an
// editor's unsaved state, the weights before a training run) or from bytes that are not a file on
// this disk (a `git:` revision), which are written to a temporary file the readers can open.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { layerParams } from '../../engine/spec';
import { type LazyTensorSource } from '../../format/lazy';
import { formatFromName, openAnyLazy } from '../../format/openAny';
import { parseCheckpoint } from '../../format/parse';
import { CheckpointError, type Checkpoint, type TensorRecord } from '../../format/types';
import type { TensorRole } from '../../webview/protocol';
import { displayName } from '../editor/checkpointIo';

export interface CompareSide {
  /** What the view calls this side: a file name, "HEAD", "before training"… */
  label: string;
  /** The file's format ('weights.json' for a checkpoint in memory): two single .npy arrays pair up whatever their names. */
  sourceFormat: string;
  tensors: LazyTensorSource[];
  /** The layer that owns a tensor, where the file says (a `.weights.json` with a model). */
  roles: Map<string, TensorRole>;
  /** Frees what the side holds (a temporary file). */
  dispose?(): void;
}

/** The tensors of an in-memory checkpoint, parameters then buffers, as lazy sources that are already read. */
function inMemorySources(ckpt: Checkpoint): LazyTensorSource[] {
  const source = (name: string, t: TensorRecord): LazyTensorSource => ({
    name, shape: t.shape, dtype: t.dtype, sourceDtype: t.dtype, byteOffset: -1, byteLength: t.data.byteLength, read: async () => t,
  });
  return [...ckpt.parameters, ...(ckpt.buffers ?? [])].map(([n, t]) => source(n, t));
}

function modelRoles(ckpt: Checkpoint): Map<string, TensorRole> {
  const out = new Map<string, TensorRole>();
  ckpt.model?.layers.forEach((layer, i) => {
    for (const slot of layerParams(layer, i)) out.set(slot.name, { layerType: layer.type, local: slot.local });
  });
  return out;
}

/**
 * The role of a tensor for its picture: the model's word where either side has a model, else
 * what the name says (`weight_ih_l0` can only be an LSTM's; PyTorch state_dicts name them so).
 */
export function roleOf(name: string, ...sides: CompareSide[]): TensorRole {
  for (const s of sides) { const r = s.roles.get(name); if (r) return r; }
  const local = name.slice(name.lastIndexOf('.') + 1);
  return /^(weight|bias)_(ih|hh)_l\d+$/.test(local) ? { layerType: 'LSTM', local } : { local };
}

export function sideFromCheckpoint(ckpt: Checkpoint, label: string): CompareSide {
  return { label, sourceFormat: 'weights.json', tensors: inMemorySources(ckpt), roles: modelRoles(ckpt) };
}

/** The file's name for the view: the last path segment. */
export function baseName(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}

/** A side from a file of any readable format. Throws CheckpointError for a file that cannot be read. */
export async function sideFromUri(uri: vscode.Uri, label = baseName(uri)): Promise<CompareSide> {
  if (formatFromName(uri.path) === 'weights.json') {
    // Read through the workspace file system (remote and virtual workspaces work), model and all.
    const bytes = await vscode.workspace.fs.readFile(uri).then(undefined, (e: unknown) => {
      throw new CheckpointError(displayName(uri), `cannot read it (${e instanceof Error ? e.message : String(e)})`);
    });
    return sideFromCheckpoint(parseCheckpoint(bytes, displayName(uri)), label);
  }
  if (uri.scheme !== 'file') {
    const bytes = await vscode.workspace.fs.readFile(uri);
    return sideFromBytes(bytes, uri.path, label);
  }
  const file = await openAnyLazy(uri.fsPath);
  return { label, sourceFormat: file.sourceFormat, tensors: file.tensors, roles: new Map() };
}

/**
 * A side from a file's bytes that are not on this disk (a git revision). A `.weights.json` is
 * parsed in memory; the other formats' readers open files, so the bytes go to a temporary file
 * with the same name, removed when the comparison closes.
 */
export async function sideFromBytes(bytes: Uint8Array, originalPath: string, label: string): Promise<CompareSide> {
  const name = originalPath.slice(originalPath.lastIndexOf('/') + 1);
  if (formatFromName(name) === 'weights.json') return sideFromCheckpoint(parseCheckpoint(bytes, label), label);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'weightscope-compare-'));
  const file = path.join(dir, name);
  await fs.writeFile(file, bytes);
  const remove = () => { void fs.rm(dir, { recursive: true, force: true }); };
  try {
    const opened = await openAnyLazy(file);
    return { label, sourceFormat: opened.sourceFormat, tensors: opened.tensors, roles: new Map(), dispose: remove };
  } catch (e) {
    remove();
    throw e;
  }
}
