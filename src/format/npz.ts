// NumPy's `.npz`: a zip (stored by `np.savez`, deflated by `np.savez_compressed`) of `.npy`
// files, one per array; an array's name is its file name without `.npy`. Read lazily over a
// ByteSource: opening reads the zip directory and each array's header (inflating a compressed
// member only as far as its header); `readNpzArray` reads a stored array's values at their
// offset, or inflates a compressed member alone — refused, by name, when its declared size is
// over the memory budget (a 1.5 MiB file can inflate to gigabytes). Pure: no `fs`.
import type { ByteSource } from './byteSource';
import { CheckpointError, type TensorRecord } from './types';
import { targetDType, widenedNote, type Scratch } from './lazy';
import { npyLayout, npyPreambleLength, npyRecord, type NpyLayout } from './npy';
import { DEFAULT_INFLATE_BUDGET, memberDataOffset, readExactly, readMember, readMemberHead, readZipDirectory, type ZipMember } from './zipDirectory';

export interface NpzArray {
  name: string;
  member: ZipMember;
  layout: NpyLayout;
  /** Where the values sit in the file, for a stored member; -1 for a compressed one. */
  byteOffset: number;
}

export interface NpzIndex {
  arrays: NpzArray[];
  notes: string[];
  metadata: Record<string, unknown>;
}

/** An `.npy`'s header from the start of a member (or of a whole `.npy` file at `head`). */
async function layoutFrom(head: (n: number) => Promise<Uint8Array>, file: string, name: string): Promise<NpyLayout> {
  let bytes = await head(4096);
  const need = npyPreambleLength(bytes, file, name);
  if (need > bytes.length) bytes = await head(need);
  return npyLayout(bytes, file, name);
}

/** The header of a whole `.npy` file: its one array, not read. */
export function readNpyLayout(src: ByteSource, file: string, name: string): Promise<NpyLayout> {
  return layoutFrom((n) => readExactly(src, 0, Math.min(n, src.size), file), file, name);
}

/** A whole `.npy` file's values, read at their offset. */
export async function readNpyArray(src: ByteSource, layout: NpyLayout, file: string, name: string, scratch?: Scratch): Promise<TensorRecord> {
  if (layout.dataStart + layout.dataLength > src.size) {
    throw new CheckpointError(file, `.npy data is truncated: expected ${layout.dataLength} bytes for shape (${layout.shape.join(', ')}), found ${src.size - layout.dataStart}`, name);
  }
  return npyRecord(layout, await readExactly(src, layout.dataStart, layout.dataLength, file, scratch), file, name, true);
}

/** The directory and every array's header of an `.npz`, with the notes the user should see. */
export async function readNpzIndex(src: ByteSource, file: string): Promise<NpzIndex> {
  const arrays: NpzArray[] = [];
  for (const member of await readZipDirectory(src, file)) {
    if (member.name.endsWith('/')) continue; // a folder entry holds nothing
    const name = member.name.replace(/\.npy$/, '');
    const layout = await layoutFrom((n) => readMemberHead(src, member, file, n), file, name);
    if (layout.dataStart + layout.dataLength > member.size) {
      throw new CheckpointError(file, `.npy data is truncated: expected ${layout.dataLength} bytes for shape (${layout.shape.join(', ')}), found ${member.size - layout.dataStart}`, name);
    }
    const byteOffset = member.method === 0 ? (await memberDataOffset(src, member, file)) + layout.dataStart : -1;
    arrays.push({ name, member, layout, byteOffset });
  }
  const widened = arrays.filter((a) => targetDType(a.layout.raw) !== a.layout.raw);
  const metadata: Record<string, unknown> = { source_format: 'npz' };
  if (widened.length) metadata.widened_dtypes = Object.fromEntries(widened.map((a) => [a.name, a.layout.raw]));
  const notes = widened.length ? [widenedNote(widened.map((a) => a.name))] : [];
  const transposed = arrays.filter((a) => a.layout.fortranOrder).map((a) => a.name);
  if (transposed.length) notes.push(`${transposed.length} array(s) stored in Fortran order were read into row-major order: ${transposed.join(', ')}`);
  return { arrays, notes, metadata };
}

/** One array's values: read at its offset when stored; its member inflated alone (within `budget`) when compressed. */
export async function readNpzArray(src: ByteSource, a: NpzArray, file: string, budget = DEFAULT_INFLATE_BUDGET, scratch?: Scratch): Promise<TensorRecord> {
  if (a.byteOffset >= 0) return npyRecord(a.layout, await readExactly(src, a.byteOffset, a.layout.dataLength, file, scratch), file, a.name, true);
  const bytes = await readMember(src, a.member, file, budget);
  return npyRecord(a.layout, bytes.subarray(a.layout.dataStart), file, a.name);
}
