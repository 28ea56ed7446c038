// The tensors of a `.safetensors`, PyTorch `.pt`/`.pth`, NumPy `.npy`/`.npz` file described from
// its headers alone — names, shapes, dtypes as stored, and where each tensor's bytes lie — so the
// hover index answers with shapes at once and reads values later, one tensor at a time
// (tensorStream.ts). A `.pt`'s pickle is read without its storages; a zip's directory from its end.
// Pure over a ByteSource (no `fs`): digestFile.ts opens the file.
import type { ByteSource } from '../../format/byteSource';
import { contiguousStrides, RAW_ITEMSIZE, type RawDType } from '../../format/lazy';
import { PyDict, PyGlobal, PyOpaque, PyTuple, unpickle, type PyValue } from '../../format/pickle';
import { parseSafetensorsHeader, readHeaderLength } from '../../format/safetensors';
import { CheckpointError } from '../../format/types';
import { numel } from '../../engine/spec';
import { readExactly, readZipDirectory, type ZipEntry } from './zipDirectory';
import { Inflate, inflateSync } from 'fflate';

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
  /** The bytes lie in a deflated zip entry: inflate it from `entry` and skip `byteOffset` bytes of its output. */
  deflated?: ZipEntry;
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
async function deflatedNpy(src: ByteSource, entry: ZipEntry, file: string, name: string): Promise<TensorSlot> {
  let out = new Uint8Array(0);
  const inflater = new Inflate((chunk) => { const n = new Uint8Array(out.length + chunk.length); n.set(out); n.set(chunk, out.length); out = n; });
  const buf = new Uint8Array(4096);
  for (let read = 0; read < entry.compressedSize;) {
    const n = Math.min(buf.length, entry.compressedSize - read);
    await readExactly(src, entry.dataOffset + read, n, file).then((b) => buf.set(b));
    read += n;
    inflater.push(buf.slice(0, n), read === entry.compressedSize);
    const h = npyHeader(out, file, name);
    if (h !== 'short') return { ...h.slot, deflated: entry };
  }
  throw new CheckpointError(file, '.npy header is truncated', name);
}

async function npzOutline(src: ByteSource, file: string): Promise<TensorSlot[]> {
  const slots: TensorSlot[] = [];
  for (const e of await readZipDirectory(src, file)) {
    if (!e.name.endsWith('.npy')) continue;
    const name = e.name.slice(0, -4);
    if (e.method === 0) slots.push(await npyAt(src, e.dataOffset, e.size, file, name));
    else if (e.method === 8) slots.push(await deflatedNpy(src, e, file, name));
    else throw new CheckpointError(file, `zip compression method ${e.method} is not supported; expected stored or deflated`, name);
  }
  return slots;
}

const STORAGE_DTYPES: Record<string, RawDType> = {
  'torch.FloatStorage': 'float32', 'torch.DoubleStorage': 'float64', 'torch.HalfStorage': 'float16',
  'torch.BFloat16Storage': 'bfloat16', 'torch.LongStorage': 'int64', 'torch.IntStorage': 'int32',
  'torch.ShortStorage': 'int16', 'torch.CharStorage': 'int8', 'torch.ByteStorage': 'uint8', 'torch.BoolStorage': 'bool',
};

interface StorageRef { raw: RawDType; entry: ZipEntry; key: string }
interface TensorRef { storage: StorageRef; shape: number[]; strides: number[]; offset: number; requiresGrad?: boolean }

const isTensor = (v: PyValue): v is PyOpaque<TensorRef> => v instanceof PyOpaque && v.kind === 'tensor';
const isStateDict = (v: PyValue): v is PyDict => v instanceof PyDict && v.map.size > 0 && [...v.map.values()].every(isTensor);
/** The keys a training checkpoint keeps its model under, when it holds more than one state_dict. */
const MODEL_KEYS = ['model', 'state_dict', 'model_state_dict', 'net', 'module'];

function collect(v: PyValue, prefix: string, out: [string, TensorRef][]): void {
  const join = (k: string) => (prefix ? `${prefix}.${k}` : k);
  if (isTensor(v)) out.push([prefix || 'tensor', v.value]);
  else if (v instanceof PyDict) for (const [k, x] of v.map) collect(x, join(String(k)), out);
  else if (Array.isArray(v) || v instanceof PyTuple) (Array.isArray(v) ? v : v.items).forEach((x, i) => collect(x, join(String(i)), out));
}

/**
 * The tensors a PyTorch file answers for, as the editor shows them (format/pytorch.ts): a
 * state_dict as named; a training checkpoint `{"model": state_dict, "optimizer": …}` its model's
 * tensors under their own names; anything else every tensor under its dotted path.
 */
function modelTensors(value: PyValue): [string, TensorRef][] {
  const out: [string, TensorRef][] = [];
  if (value instanceof PyDict && !isStateDict(value as PyValue)) {
    const sds = [...value.map].filter(([, v]) => isStateDict(v));
    const pick = sds.length === 1 ? sds[0] : sds.find(([k]) => MODEL_KEYS.includes(String(k)));
    if (pick) { collect(pick[1], '', out); return out; }
  }
  collect(value, '', out);
  return out;
}

async function pytorchOutline(src: ByteSource, file: string): Promise<TensorSlot[]> {
  const head = await readExactly(src, 0, Math.min(4, src.size), file);
  if (!(head[0] === 0x50 && head[1] === 0x4b)) {
    if (head[0] === 0x80) throw new CheckpointError(file, 'is in PyTorch\'s legacy (pre-1.6) format, which Weightscope does not read; re-save it with torch.save in PyTorch ≥ 1.6');
    throw new CheckpointError(file, 'is not a PyTorch checkpoint (expected the zip archive torch.save writes)');
  }
  const entries = await readZipDirectory(src, file);
  const byName = new Map(entries.map((e) => [e.name, e]));
  if (entries.some((e) => /(^|\/)constants\.pkl$/.test(e.name) || /(^|\/)code\//.test(e.name))) {
    throw new CheckpointError(file, 'is a TorchScript archive (torch.jit.save); Weightscope reads only state_dicts');
  }
  const pkl = entries.find((e) => /^[^/]+\/data\.pkl$/.test(e.name));
  if (!pkl) throw new CheckpointError(file, 'is a zip archive but not a PyTorch checkpoint (no <root>/data.pkl)');
  const root = pkl.name.slice(0, -'data.pkl'.length);
  const entryBytes = async (e: ZipEntry) => {
    const raw = await readExactly(src, e.dataOffset, e.compressedSize, file);
    return e.method === 8 ? inflateSync(raw) : raw;
  };
  const order = byName.get(`${root}byteorder`);
  const byteorder = order ? new TextDecoder().decode(await entryBytes(order)).trim() : 'little';
  if (byteorder !== 'little' && byteorder !== 'big') throw new CheckpointError(file, `byteorder "${byteorder}": expected "little" or "big"`);
  const storages = new Map<string, StorageRef>();
  const asInts = (v: PyValue, what: string): number[] => {
    const items = v instanceof PyTuple ? v.items : Array.isArray(v) ? v : null;
    if (!items || !items.every((x) => typeof x === 'number' && Number.isInteger(x))) throw new CheckpointError(file, `data.pkl: ${what} is not a tuple of integers`);
    return items as number[];
  };
  const value = unpickle(await entryBytes(pkl), {
    file,
    values: new Set(Object.keys(STORAGE_DTYPES)),
    calls: {
      'collections.OrderedDict': (args) => {
        const d = new PyDict();
        if (Array.isArray(args[0])) for (const p of args[0]) if (p instanceof PyTuple) d.map.set(p.items[0] as string, p.items[1]);
        return d;
      },
      'torch._utils._rebuild_tensor_v2': ([s, offset, size, stride]) => {
        if (!(s instanceof PyOpaque) || s.kind !== 'storage') throw new CheckpointError(file, 'data.pkl: a tensor without a storage');
        return new PyOpaque<TensorRef>('tensor', { storage: s.value as StorageRef, offset: asInts([offset], 'storage offset')[0], shape: asInts(size, 'tensor size'), strides: asInts(stride, 'tensor stride') });
      },
      'torch._utils._rebuild_parameter': ([t, rg]) => (isTensor(t) ? new PyOpaque('tensor', { ...t.value, requiresGrad: rg === true }) : t),
      'torch._utils._rebuild_parameter_with_state': ([t, rg]) => (isTensor(t) ? new PyOpaque('tensor', { ...t.value, requiresGrad: rg === true }) : t),
      'torch.Size': (args) => new PyTuple(asInts(args[0] ?? new PyTuple([]), 'torch.Size')),
    },
    persistentLoad: (pid) => {
      if (!(pid instanceof PyTuple) || pid.items[0] !== 'storage' || !(pid.items[1] instanceof PyGlobal)) {
        throw new CheckpointError(file, 'data.pkl: a persistent reference that is not a tensor storage');
      }
      const type = pid.items[1].qualified, key = String(pid.items[2]);
      const raw = STORAGE_DTYPES[type];
      if (!raw) throw new CheckpointError(file, `data.pkl: storage type ${type} is not supported; expected one of ${Object.keys(STORAGE_DTYPES).join(', ')}`);
      let s = storages.get(key);
      if (!s) {
        const entry = byName.get(`${root}data/${key}`);
        if (!entry) throw new CheckpointError(file, `storage ${key} is referenced by data.pkl but missing from the archive`);
        storages.set(key, (s = { raw, entry, key }));
      }
      return new PyOpaque('storage', s);
    },
  });
  if (!(value instanceof PyDict) && !isTensor(value)) throw new CheckpointError(file, 'holds no state_dict (expected a dict of tensors)');
  return modelTensors(value).map(([name, t]) => tensorSlot(name, t, byteorder === 'little', file));
}

/** Where a pickled tensor's elements lie: its storage's entry, the view's offset and strides. */
function tensorSlot(name: string, t: TensorRef, littleEndian: boolean, file: string): TensorSlot {
  const { raw, entry } = t.storage;
  const item = RAW_ITEMSIZE[raw];
  const count = numel(t.shape);
  const contiguous = t.strides.length === t.shape.length && t.strides.every((s, k) => t.shape[k] <= 1 || s === contiguousStrides(t.shape)[k]);
  let lo = t.offset, hi = t.offset;
  if (count > 0) t.shape.forEach((d, k) => { const reach = (d - 1) * t.strides[k]; if (reach > 0) hi += reach; else lo += reach; });
  const end = count > 0 ? (contiguous ? t.offset + count : hi + 1) : lo;
  if (lo < 0 || end * item > entry.size) {
    throw new CheckpointError(file, `the tensor's view (offset ${t.offset}, shape [${t.shape.join(', ')}]) reaches outside its storage of ${entry.size / item} elements`, name);
  }
  const base = entry.method === 0 ? entry.dataOffset : 0;
  const slot: TensorSlot = { name, shape: t.shape, dtype: raw, byteOffset: base + lo * item, byteLength: (end - lo) * item, littleEndian };
  if (!contiguous && count > 0) slot.view = { strides: t.strides, offset: t.offset - lo };
  if (entry.method !== 0) slot.deflated = entry;
  if (t.requiresGrad !== undefined) slot.requiresGrad = t.requiresGrad;
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
