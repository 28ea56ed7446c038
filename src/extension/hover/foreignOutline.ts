// The tensors of a `.safetensors`, PyTorch `.pt`/`.pth`, NumPy `.npy`/`.npz` file described from
// its headers alone — names, shapes, dtypes as stored, and where each tensor's bytes lie — so the
// hover index answers with shapes at once and reads values later, one tensor at a time
// (tensorStream.ts). The headers are read by the editor's lazy readers (format/: the safetensors
// header, a `.pt`'s zip directory and pickle without its storages, an `.npz`'s directory and each
// array's `.npy` header), so the hover names every tensor as the editor does. Pure over a
// ByteSource (no `fs`): digestFile.ts opens the file.
import type { ByteSource } from '../../format/byteSource';
import { contiguousStrides, RAW_ITEMSIZE, type RawDType } from '../../format/lazy';
import { readPytorchIndex, type PtTensor } from '../../format/pytorch';
import { parseSafetensorsHeader, readHeaderLength } from '../../format/safetensors';
import { CheckpointError } from '../../format/types';
import { memberDataOffset, readExactly, type ZipMember } from '../../format/zipDirectory';
import type { NpyLayout } from '../../format/npy';
import { readNpyLayout, readNpzIndex } from '../../format/npz';
import { numel } from '../../engine/spec';

/** A deflated zip member and where its compressed bytes begin. */
export interface DeflatedMember { member: ZipMember; dataOffset: number }

export type ForeignFormat = 'safetensors' | 'pytorch' | 'npy' | 'npz';

/** Where one tensor's values lie in the file. */
export interface TensorSlot {
  name: string;
  shape: number[];
  /** As stored in the file (bfloat16, int16...). */
  dtype: RawDType;
  /** The bytes to read: [byteOffset, byteOffset + byteLength) of the file (of the inflated entry when `deflated`). */
  byteOffset: number;
  byteLength: number;
  littleEndian: boolean;
  /** A strided view (a PyTorch view, a Fortran-order array): element strides and offset within the bytes read. Absent: row-major, contiguous. */
  view?: { strides: number[]; offset: number };
  /** The bytes lie in a deflated zip member: inflate it from its start and skip `byteOffset` bytes of its output. */
  deflated?: DeflatedMember;
  /** What the reader says (a `.pt`'s: a pickled nn.Parameter's flag, else the default); absent: the default by name and dtype. */
  requiresGrad?: boolean;
}

export interface ForeignOutline {
  format: ForeignFormat;
  tensors: TensorSlot[];
}

export function foreignFormat(file: string): ForeignFormat | undefined {
  const lower = file.toLowerCase();
  if (lower.endsWith('.safetensors')) return 'safetensors';
  if (lower.endsWith('.pt') || lower.endsWith('.pth')) return 'pytorch';
  if (lower.endsWith('.npy')) return 'npy';
  if (lower.endsWith('.npz')) return 'npz';
  return undefined;
}

async function safetensorsOutline(src: ByteSource, file: string): Promise<TensorSlot[]> {
  const n = readHeaderLength(await readExactly(src, 0, Math.min(8, src.size), file), src.size, file);
  const header = parseSafetensorsHeader(await readExactly(src, 8, n, file), src.size, file);
  return header.entries.map((e) => ({ name: e.name, shape: e.shape, dtype: e.sourceDtype, byteOffset: e.byteOffset, byteLength: e.byteLength, littleEndian: true }));
}

/** Where an `.npy`'s values lie: `byteOffset` in the file, or in the inflated member for a compressed one. */
function npySlot(name: string, layout: NpyLayout, byteOffset: number): TensorSlot {
  const slot: TensorSlot = { name, shape: layout.shape, dtype: layout.raw, byteOffset, byteLength: layout.dataLength, littleEndian: layout.littleEndian };
  if (layout.fortranOrder) {
    // Column-major: the first index varies fastest.
    const strides: number[] = [];
    let s = 1;
    for (const d of layout.shape) { strides.push(s); s *= d; }
    slot.view = { strides, offset: 0 };
  }
  return slot;
}

/** An `.npz`'s arrays (format/npz.ts, the editor's lazy reader: the same names); a compressed one is inflated as a stream when its values are read. */
async function npzOutline(src: ByteSource, file: string): Promise<TensorSlot[]> {
  const slots: TensorSlot[] = [];
  for (const a of (await readNpzIndex(src, file)).arrays) {
    if (a.member.method === 0) slots.push(npySlot(a.name, a.layout, a.byteOffset));
    else slots.push({ ...npySlot(a.name, a.layout, a.layout.dataStart), deflated: { member: a.member, dataOffset: await memberDataOffset(src, a.member, file) } });
  }
  return slots;
}

async function npyOutline(src: ByteSource, file: string): Promise<TensorSlot> {
  // One array: named after the file, as the editor names it.
  const name = (file.replace(/\\/g, '/').split('/').pop() ?? '').replace(/\.npy$/i, '') || 'array';
  const layout = await readNpyLayout(src, file, name);
  if (layout.dataStart + layout.dataLength > src.size) {
    throw new CheckpointError(file, `.npy data is truncated: expected ${layout.dataLength} bytes for shape (${layout.shape.join(', ')}), found ${src.size - layout.dataStart}`, name);
  }
  return npySlot(name, layout, layout.dataStart);
}

/**
 * A `.pt`'s tensors from its zip directory and `data.pkl` (format/pytorch.ts, the editor's lazy
 * reader: the same names, so a training checkpoint `{"model": …, "optimizer": …}` answers for its
 * model's tensors under their own names), each placed where its view's bytes lie.
 */
async function pytorchOutline(src: ByteSource, file: string): Promise<TensorSlot[]> {
  const index = await readPytorchIndex(src, file);
  const slots: TensorSlot[] = [];
  for (const t of index.tensors) slots.push(await tensorSlot(src, t, index.littleEndian, file));
  return slots;
}

/** Where a pickled tensor's elements lie: its storage member, the view's offset and strides (checked by readPytorchIndex). */
async function tensorSlot(src: ByteSource, t: PtTensor, littleEndian: boolean, file: string): Promise<TensorSlot> {
  const item = RAW_ITEMSIZE[t.sourceDtype];
  const count = numel(t.shape);
  const contiguous = t.strides.every((s, k) => t.shape[k] <= 1 || s === contiguousStrides(t.shape)[k]);
  let lo = t.offset, hi = t.offset;
  if (count > 0) t.shape.forEach((d, k) => { const reach = (d - 1) * t.strides[k]; if (reach > 0) hi += reach; else lo += reach; });
  const end = count === 0 ? lo : contiguous ? t.offset + count : hi + 1;
  const m = t.storage.member;
  const dataOffset = t.storage.dataOffset ?? await memberDataOffset(src, m, file);
  const stored = m.method === 0;
  const slot: TensorSlot = {
    name: t.name, shape: t.shape, dtype: t.sourceDtype, requiresGrad: t.requiresGrad,
    byteOffset: (stored ? dataOffset : 0) + lo * item, byteLength: (end - lo) * item, littleEndian,
  };
  if (!contiguous && count > 0) slot.view = { strides: t.strides, offset: t.offset - lo };
  if (!stored) slot.deflated = { member: m, dataOffset };
  return slot;
}

/** The tensors of a foreign checkpoint from its headers; a CheckpointError for a malformed file. */
export async function foreignOutline(src: ByteSource, file: string, format = foreignFormat(file)): Promise<ForeignOutline> {
  switch (format) {
    case 'safetensors': return { format, tensors: await safetensorsOutline(src, file) };
    case 'pytorch': return { format, tensors: await pytorchOutline(src, file) };
    case 'npz': return { format, tensors: await npzOutline(src, file) };
    case 'npy': return { format, tensors: [await npyOutline(src, file)] };
    default: throw new CheckpointError(file, 'is not a format the hover reads; expected .safetensors, .pt/.pth, .npy or .npz');
  }
}
