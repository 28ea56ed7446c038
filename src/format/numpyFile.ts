// `.npy` / `.npz` from disk, lazily (Node only): opening reads the header(s); each array's
// `read()` opens the file, reads its values at their offset (or inflates its compressed member
// alone, within a memory budget) and closes it, so a kept source holds no descriptor and no value.
import * as os from 'node:os';
import * as path from 'node:path';
import type { LazyTensorSource } from './lazy';
import { targetDType, widenedNote } from './lazy';
import { readNpyArray, readNpyLayout, readNpzArray, readNpzIndex } from './npz';
import { withFileSource } from './fileByteSource';
import { DEFAULT_INFLATE_BUDGET } from './zipDirectory';

export interface OpenedNumpy {
  tensors: LazyTensorSource[];
  notes: string[];
  metadata: Record<string, unknown>;
}

/** The most one compressed member may inflate to: 1 GiB, or half the memory free now if that is less. */
export function inflateBudget(): number {
  return Math.min(DEFAULT_INFLATE_BUDGET, Math.floor(os.freemem() / 2));
}

export async function openNpz(file: string): Promise<OpenedNumpy> {
  const index = await withFileSource(file, (src) => readNpzIndex(src, file));
  const tensors: LazyTensorSource[] = index.arrays.map((a) => ({
    name: a.name, shape: [...a.layout.shape], dtype: targetDType(a.layout.raw), sourceDtype: a.layout.raw,
    byteOffset: a.byteOffset, byteLength: a.layout.dataLength,
    read: () => withFileSource(file, (src) => readNpzArray(src, a, file, inflateBudget())),
    readFrom: (src, scratch) => readNpzArray(src, a, file, inflateBudget(), scratch),
  }));
  return { tensors, notes: index.notes, metadata: index.metadata };
}

/** One array, named after the file, as `np.load` users think of it. */
export async function openNpy(file: string): Promise<OpenedNumpy> {
  const name = path.basename(file).replace(/\.npy$/i, '') || 'array';
  const layout = await withFileSource(file, (src) => readNpyLayout(src, file, name));
  const widened = targetDType(layout.raw) !== layout.raw;
  const metadata: Record<string, unknown> = { source_format: 'npy', ...(widened ? { widened_dtypes: { [name]: layout.raw } } : {}) };
  const notes = widened ? [widenedNote([name])] : [];
  if (layout.fortranOrder) notes.push('the array was stored in Fortran order and was read into row-major order');
  const tensors: LazyTensorSource[] = [{
    name, shape: [...layout.shape], dtype: targetDType(layout.raw), sourceDtype: layout.raw,
    byteOffset: layout.dataStart, byteLength: layout.dataLength,
    read: () => withFileSource(file, (src) => readNpyArray(src, layout, file, name)),
    readFrom: (src, scratch) => readNpyArray(src, layout, file, name, scratch),
  }];
  return { tensors, notes, metadata };
}
