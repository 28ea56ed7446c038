// The tensors of a `.safetensors`, PyTorch `.pt`/`.pth`, NumPy `.npy`/`.npz` file described from
// its headers alone — names, shapes, dtypes as stored, and where each tensor's bytes lie — so the
// hover index answers with shapes at once and reads values later, one tensor at a time
// (tensorStream.ts). A `.pt`'s pickle is read without its storages; a zip's directory from its end.
// Pure over a ByteSource (no `fs`): digestFile.ts opens the file.
import type { ByteSource } from '../../format/byteSource';
import { contiguousStrides, RAW_ITEMSIZE, type RawDType } from '../../format/lazy';
import { readPytorchIndex, type PtTensor } from '../../format/pytorch';
import { parseSafetensorsHeader, readHeaderLength } from '../../format/safetensors';
import { CheckpointError } from '../../format/types';
import { memberDataOffset, readExactly, readZipDirectory, type ZipMember } from '../../format/zipDirectory';
import { numel } from '../../engine/spec';
import { Inflate } from 'fflate';

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
  /** Set only where the file records it (a pickled nn.Parameter). */
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

const NPY_KINDS: Record<string, RawDType> = {
  f8: 'float64', f4: 'float32', f2: 'float16', i8: 'int64', i4: 'int32', i2: 'int16', i1: 'int8', u1: 'uint8', b1: 'bool',
};

/** An `.npy` header (the first bytes of `head`): the tensor's slot, its offsets relative to the array's start. */
function npyHeader(head: Uint8Array, file: string, name: string): { slot: TensorSlot; headerBytes: number } | 'short' {
  if (head.length < 10) return 'short';
  if (!(head[0] === 0x93 && String.fromCharCode(...head.subarray(1, 6)) === 'NUMPY')) throw new CheckpointError(file, 'not a NumPy .npy array (no "\\x93NUMPY" magic)', name);
  const major = head[6];
  const v = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const lenSize = major === 1 ? 2 : 4;
  if (head.length < 8 + lenSize) return 'short';
  const start = 8 + lenSize, len = major === 1 ? v.getUint16(8, true) : v.getUint32(8, true);
  if (head.length < start + len) return 'short';
  const text = new TextDecoder('latin1').decode(head.subarray(start, start + len));
  const descr = /['"]descr['"]\s*:\s*['"]([<>|=]?)([a-z]\d+)['"]/.exec(text);
  const fortran = /['"]fortran_order['"]\s*:\s*True/.test(text);
  const shapeText = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  const dtype = descr ? NPY_KINDS[descr[2]] : undefined;
  if (!dtype) throw new CheckpointError(file, `NumPy dtype in "${text.trim()}" is not supported; expected one of <f8 <f4 <f2 <i8 <i4 <i2 |i1 |u1 |b1`, name);
  if (shapeText === undefined) throw new CheckpointError(file, `.npy header lacks a shape: ${text.trim()}`, name);
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s !== '').map((s) => Number(s.replace(/L$/, '')));
  if (!shape.every((d) => Number.isInteger(d) && d >= 0)) throw new CheckpointError(file, `.npy shape (${shapeText}) is not a tuple of non-negative integers`, name);
  const slot: TensorSlot = { name, shape, dtype, byteOffset: start + len, byteLength: numel(shape) * RAW_ITEMSIZE[dtype], littleEndian: descr![1] !== '>' };
  if (fortran && shape.length > 1) {
    const strides: number[] = [];
    let s = 1;
    for (const d of shape) { strides.push(s); s *= d; }
    slot.view = { strides, offset: 0 };
  }
  return { slot, headerBytes: start + len };
}

async function npyAt(src: ByteSource, at: number, size: number, file: string, name: string): Promise<TensorSlot> {
  for (let want = Math.min(size, 256); ; want = Math.min(size, want * 4)) {
    const h = npyHeader(await readExactly(src, at, want, file), file, name);
    if (h !== 'short') {
      if (h.slot.byteOffset + h.slot.byteLength > size) throw new CheckpointError(file, `.npy data is truncated: expected ${h.slot.byteLength} bytes`, name);
      return { ...h.slot, byteOffset: at + h.slot.byteOffset };
    }
    if (want === size) throw new CheckpointError(file, '.npy header is truncated', name);
  }
}

/** A deflated `.npy` entry's header: inflate its first compressed bytes until the header is whole. */
async function deflatedNpy(src: ByteSource, entry: DeflatedMember, file: string, name: string): Promise<TensorSlot> {
  const { member, dataOffset } = entry;
  let out = new Uint8Array(0);
  const inflater = new Inflate((chunk) => { const n = new Uint8Array(out.length + chunk.length); n.set(out); n.set(chunk, out.length); out = n; });
  const buf = new Uint8Array(4096);
  for (let read = 0; read < member.compressedSize;) {
    const n = Math.min(buf.length, member.compressedSize - read);
    buf.set(await readExactly(src, dataOffset + read, n, file));
    read += n;
    inflater.push(buf.slice(0, n), read === member.compressedSize);
    const h = npyHeader(out, file, name);
    if (h !== 'short') return { ...h.slot, deflated: entry };
  }
  throw new CheckpointError(file, '.npy header is truncated', name);
}

async function npzOutline(src: ByteSource, file: string): Promise<TensorSlot[]> {
  const slots: TensorSlot[] = [];
  for (const m of await readZipDirectory(src, file)) {
    if (!m.name.endsWith('.npy')) continue;
    const name = m.name.slice(0, -4);
    if (m.encrypted) throw new CheckpointError(file, 'the array is encrypted; Weightscope reads only unencrypted archives', name);
    const dataOffset = await memberDataOffset(src, m, file);
    if (m.method === 0) slots.push(await npyAt(src, dataOffset, m.size, file, name));
    else if (m.method === 8) slots.push(await deflatedNpy(src, { member: m, dataOffset }, file, name));
    else throw new CheckpointError(file, `zip compression method ${m.method} is not supported; expected stored or deflated`, name);
  }
  return slots;
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
    case 'npy': {
      const name = (file.replace(/\\/g, '/').split('/').pop() ?? '').replace(/\.npy$/i, '') || 'array';
      return { format, tensors: [await npyAt(src, 0, src.size, file, name)] };
    }
    default: throw new CheckpointError(file, 'is not a format the hover reads; expected .safetensors, .pt/.pth, .npy or .npz');
  }
}
