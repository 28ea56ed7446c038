// NumPy's `.npz`: a zip (stored by `np.savez`, deflated by `np.savez_compressed`) of `.npy`
// files, one per array; an array's name is its file name without `.npy`. Pure.
import type { Checkpoint } from './types';
import { checkpointFromTensors, targetDType, widenedNote } from './lazy';
import { parseNpy } from './npy';
import { readZip } from './zip';

export interface NpzContents {
  checkpoint: Checkpoint;
  notes: string[];
}

export function npzFromBytes(bytes: Uint8Array, file: string): NpzContents {
  const entries = readZip(bytes, file);
  const arrays = [...entries].map(([entry, data]) => {
    const name = entry.replace(/\.npy$/, '');
    return { name, ...parseNpy(data, file, name) };
  });
  const widened = arrays.filter((a) => targetDType(a.sourceDtype) !== a.sourceDtype);
  const metadata: Record<string, unknown> = { source_format: 'npz' };
  if (widened.length) metadata.widened_dtypes = Object.fromEntries(widened.map((a) => [a.name, a.sourceDtype]));
  const notes = widened.length ? [widenedNote(widened.map((a) => a.name))] : [];
  const transposed = arrays.filter((a) => a.fortranOrder).map((a) => a.name);
  if (transposed.length) notes.push(`${transposed.length} array(s) stored in Fortran order were read into row-major order: ${transposed.join(', ')}`);
  return { checkpoint: checkpointFromTensors(arrays.map((a) => [a.name, a.record]), metadata), notes };
}
