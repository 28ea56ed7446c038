// One entry point for every checkpoint file Weightscope reads: `.weights.json` (editable) and,
// read-only, `.safetensors`, PyTorch `.pt`/`.pth`, NumPy `.npy`/`.npz`. The format is chosen by
// the file's first bytes where they say it (zip, NumPy magic, JSON), else by its extension.
// Node-only (reads the file); the per-format decoders it calls are pure.
import { CheckpointError, type Checkpoint, type TensorRecord } from './types';
import { readCheckpointFile } from './checkpointFile';
import { checkpointFromTensors, looksLikeBuffer, type LazyTensorSource } from './lazy';
import { isNpy } from './npy';
import { openNpy, openNpz } from './numpyFile';
import { openPytorch } from './pytorchFile';
import { withFileSource } from './fileByteSource';
import { openSafetensors, safetensorsToCheckpoint } from './safetensorsFile';
import { isZip, readZipDirectory } from './zipDirectory';

export type SourceFormat = 'weights.json' | 'safetensors' | 'pytorch' | 'npy' | 'npz';

export interface AnyCheckpoint {
  checkpoint: Checkpoint;
  /** True for every format but `.weights.json`: edits need "Save As .weights.json" first. */
  readOnly: boolean;
  sourceFormat: SourceFormat;
  /** Things the user should know about the conversion (widened dtypes, which dict was shown). */
  notes: string[];
}

/** The format of a file by its name alone (no I/O), or undefined for a name we do not read. */
export function formatFromName(file: string): SourceFormat | undefined {
  const lower = file.toLowerCase();
  if (lower.endsWith('.safetensors')) return 'safetensors';
  if (lower.endsWith('.pt') || lower.endsWith('.pth') || lower.endsWith('.bin')) return 'pytorch';
  if (lower.endsWith('.npy')) return 'npy';
  if (lower.endsWith('.npz')) return 'npz';
  if (lower.endsWith('.json')) return 'weights.json';
  return undefined;
}

/** The format from the first bytes, where they are unambiguous; otherwise from the name. */
function sniffFormat(head: Uint8Array, file: string): SourceFormat | 'zip' {
  const byName = formatFromName(file);
  if (isNpy(head)) return 'npy';
  if (isZip(head)) return byName === 'npz' || byName === 'pytorch' ? byName : 'zip';
  const firstNonSpace = head.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
  if (firstNonSpace === 0x7b /* { */ && byName !== 'safetensors') return 'weights.json';
  if (byName) return byName;
  throw new CheckpointError(file, 'is not a format Weightscope reads; expected .weights.json, .safetensors, .pt/.pth, .npy or .npz');
}

/** The format of `file`, from its first bytes and, for a zip, its directory (never its members). */
async function detectFormat(file: string): Promise<SourceFormat> {
  const head = new Uint8Array(16);
  const sniffed = await withFileSource(file, async (src) => {
    await src.read(head, 0);
    const s = sniffFormat(head, file);
    // A zip under another name: an .npz holds only .npy entries, a PyTorch archive a data.pkl.
    if (s !== 'zip') return s;
    return (await readZipDirectory(src, file)).every((m) => m.name.endsWith('.npy')) ? 'npz' : 'pytorch';
  });
  return sniffed;
}

/**
 * Read any supported checkpoint file whole into a Checkpoint (no `model` for foreign formats):
 * the lazy reader's tensors read one after another. Bad files are a CheckpointError naming the
 * file and what was expected.
 */
export async function readAnyCheckpoint(file: string): Promise<AnyCheckpoint> {
  const format = await detectFormat(file);
  switch (format) {
    case 'weights.json':
      return { checkpoint: await readCheckpointFile(file), readOnly: false, sourceFormat: format, notes: [] };
    case 'safetensors': {
      const opened = await openSafetensors(file);
      return { checkpoint: await safetensorsToCheckpoint(opened), readOnly: true, sourceFormat: format, notes: opened.notes };
    }
    default: {
      const lazy = await openForeign(file, format);
      const records: [string, TensorRecord][] = [];
      for (const t of lazy.tensors) records.push([t.name, await t.read()]);
      return { checkpoint: checkpointFromTensors(records, lazy.metadata), readOnly: true, sourceFormat: format, notes: lazy.notes };
    }
  }
}

/** A `.pt`, `.npz` or `.npy` file opened lazily: its list of tensors, values read on `read()`. */
async function openForeign(file: string, format: 'pytorch' | 'npz' | 'npy'): Promise<AnyLazyFile> {
  const opened = format === 'pytorch' ? await openPytorch(file) : format === 'npz' ? await openNpz(file) : await openNpy(file);
  return {
    tensors: opened.tensors, buffers: new Set(opened.tensors.map((t) => t.name).filter(looksLikeBuffer)),
    readOnly: true, sourceFormat: format, notes: opened.notes, metadata: opened.metadata,
  };
}

export interface AnyLazyFile {
  /** Every tensor in the file's order (a state_dict's: buffers beside their layer's parameters); `read()` gives its values. */
  tensors: LazyTensorSource[];
  /** Names of the tensors that are buffers (BatchNorm statistics), for the editor's grouping. */
  buffers: Set<string>;
  readOnly: boolean;
  sourceFormat: SourceFormat;
  notes: string[];
  metadata?: unknown;
}

/**
 * Open any supported file for display, lazily: a `.safetensors` from its header, a `.pt`/`.pth`
 * from its zip directory and pickle, an `.npy`/`.npz` from its headers; each `read()` reads that
 * tensor's bytes by position (or inflates its compressed `.npz` member alone), so a 2 GB file
 * opens at once and is never held whole. A `.weights.json` is parsed whole and its `read()`
 * returns the value already in memory, with `byteOffset` -1 (not a position in the file).
 */
export async function openAnyLazy(file: string): Promise<AnyLazyFile> {
  const format = formatFromName(file) === 'safetensors' ? 'safetensors' : await detectFormat(file);
  if (format === 'safetensors') {
    const opened = await openSafetensors(file);
    return {
      tensors: opened.tensors, buffers: new Set(opened.tensors.map((t) => t.name).filter(looksLikeBuffer)),
      readOnly: true, sourceFormat: 'safetensors', notes: opened.notes,
      metadata: Object.keys(opened.metadata).length ? { safetensors_metadata: opened.metadata } : undefined,
    };
  }
  if (format !== 'weights.json') return openForeign(file, format);
  const checkpoint = await readCheckpointFile(file);
  const inMemory = (name: string, t: TensorRecord): LazyTensorSource => ({
    name, shape: t.shape, dtype: t.dtype, sourceDtype: t.dtype,
    byteOffset: -1, byteLength: t.data.byteLength, read: async () => t,
  });
  const buffers = checkpoint.buffers ?? new Map<string, TensorRecord>();
  return {
    tensors: [...[...checkpoint.parameters].map(([n, t]) => inMemory(n, t)), ...[...buffers].map(([n, t]) => inMemory(n, t))],
    buffers: new Set(buffers.keys()),
    readOnly: false, sourceFormat: 'weights.json', notes: [], metadata: checkpoint.metadata,
  };
}
