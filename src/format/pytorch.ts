// PyTorch `.pt` / `.pth` files in the zip format `torch.save` writes since 1.6:
// `<root>/data.pkl` (the pickled object, tensors as persistent references to storages),
// `<root>/data/<key>` (each storage's raw bytes, stored uncompressed), `<root>/byteorder`.
// Read lazily over a ByteSource: opening reads the zip directory and `data.pkl` only, and each
// tensor's values are read at their offset in the file when asked for, so a 500 MiB checkpoint is
// listed at once and never held whole. `data.pkl` goes through our restricted unpickler with an
// allow-list of exactly the globals a state_dict needs; nothing is ever executed. Pure: no `fs`.
import { CheckpointError, type Checkpoint, type TensorRecord } from './types';
import type { ByteSource } from './byteSource';
import { RAW_ITEMSIZE, checkTensorSize, checkpointFromTensors, contiguousStrides, decodeRaw, defaultRequiresGrad, gatherStrided, looksLikeBuffer, targetDType, widenedNote, type RawDType, type Scratch } from './lazy';
import { PyDict, PyGlobal, PyOpaque, PyTuple, unpickle, type PyValue } from './pickle';
import { memberDataOffset, readExactly, readMember, readZipDirectory, type ZipMember } from './zipDirectory';

const RESAVE = 're-save it with `torch.save(model.state_dict(), path)` in PyTorch ≥ 1.6';

export const STORAGE_DTYPES: Record<string, RawDType> = {
  'torch.FloatStorage': 'float32', 'torch.DoubleStorage': 'float64', 'torch.HalfStorage': 'float16',
  'torch.BFloat16Storage': 'bfloat16', 'torch.LongStorage': 'int64', 'torch.IntStorage': 'int32',
  'torch.ShortStorage': 'int16', 'torch.CharStorage': 'int8', 'torch.ByteStorage': 'uint8', 'torch.BoolStorage': 'bool',
};

/** One storage of the archive: several tensors (views) may share it. */
export interface PtStorage {
  key: string;
  raw: RawDType;
  member: ZipMember;
  /** Where its bytes begin in the file, once the member's local header was read (stored members only). */
  dataOffset?: number;
}

/** A tensor as `data.pkl` describes it: a view (offset, shape, strides in elements) of a storage. */
export interface PtTensor {
  name: string;
  storage: PtStorage;
  offset: number;
  shape: number[];
  strides: number[];
  sourceDtype: RawDType;
  requiresGrad: boolean;
}

export interface PytorchIndex {
  tensors: PtTensor[];
  /** Names of the tensors that are buffers (BatchNorm statistics). */
  buffers: Set<string>;
  notes: string[];
  metadata: Record<string, unknown>;
  littleEndian: boolean;
}

/** A tensor rebuilt from the pickle, before it is named and placed. */
interface LoadedTensor { storage: PtStorage; offset: number; shape: number[]; strides: number[]; requiresGrad?: boolean }

function asInt(v: PyValue, what: string, file: string): number {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  throw new CheckpointError(file, `${what}: expected an integer in data.pkl, found ${typeof v === 'bigint' ? `the integer ${v}, too large` : typeof v}`);
}

function intTuple(v: PyValue, what: string, file: string): number[] {
  const items = v instanceof PyTuple ? v.items : Array.isArray(v) ? v : null;
  if (!items) throw new CheckpointError(file, `${what}: expected a tuple of integers in data.pkl`);
  return items.map((x) => asInt(x, what, file));
}

/** The legacy (pre-1.6) format is a bare pickle stream starting with PROTO: say what to do instead. */
async function refuseNonZip(src: ByteSource, file: string): Promise<never> {
  const first = src.size > 0 ? (await readExactly(src, 0, 1, file))[0] : -1;
  if (first === 0x80) throw new CheckpointError(file, `is in PyTorch's legacy (pre-1.6) format, which Weightscope does not read; ${RESAVE}`);
  throw new CheckpointError(file, 'is not a PyTorch checkpoint (expected the zip archive torch.save writes)');
}

/** The zip directory and `data.pkl` of a `.pt` file: every tensor named and placed, no values read. */
export async function readPytorchIndex(src: ByteSource, file: string): Promise<PytorchIndex> {
  const members = await readZipDirectory(src, file).catch(async (e) => {
    if (e instanceof CheckpointError && /not a zip archive/.test(e.message)) return refuseNonZip(src, file);
    throw e;
  });
  const names = members.map((m) => m.name);
  if (names.some((n) => /(^|\/)constants\.pkl$/.test(n) || /(^|\/)code\//.test(n))) {
    throw new CheckpointError(file, `is a TorchScript archive (torch.jit.save), which holds code as well as weights; Weightscope reads only state_dicts: ${RESAVE}`);
  }
  const byName = new Map(members.map((m) => [m.name, m]));
  const pklName = names.find((n) => /^[^/]+\/data\.pkl$/.test(n));
  if (!pklName) throw new CheckpointError(file, 'is a zip archive but not a PyTorch checkpoint (no <root>/data.pkl)');
  const root = pklName.slice(0, -'data.pkl'.length);
  const byteorderMember = byName.get(`${root}byteorder`);
  const byteorder = byteorderMember ? new TextDecoder().decode(await readMember(src, byteorderMember, file, 64)).trim() : 'little';
  if (byteorder !== 'little' && byteorder !== 'big') throw new CheckpointError(file, `byteorder "${byteorder}": expected "little" or "big"`);

  const storages = new Map<string, PtStorage>();
  const persistentLoad = (pid: PyValue): PyValue => {
    // ('storage', storage_type, key, location, numel)
    if (!(pid instanceof PyTuple) || pid.items[0] !== 'storage' || !(pid.items[1] instanceof PyGlobal)) {
      throw new CheckpointError(file, 'data.pkl: a persistent reference that is not a tensor storage');
    }
    const type = (pid.items[1] as PyGlobal).qualified;
    const key = String(pid.items[2]);
    const raw = STORAGE_DTYPES[type];
    if (!raw) throw new CheckpointError(file, `data.pkl: storage type ${type} is not supported; expected one of ${Object.keys(STORAGE_DTYPES).join(', ')}`);
    let storage = storages.get(key);
    if (!storage) {
      const member = byName.get(`${root}data/${key}`);
      if (!member) throw new CheckpointError(file, `storage ${key} is referenced by data.pkl but missing from the archive (${root}data/${key})`);
      storage = { key, raw, member };
      storages.set(key, storage);
    }
    return new PyOpaque('storage', storage);
  };

  const rebuildTensor = (args: PyValue[]): PyValue => {
    // _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
    const [storageV, offsetV, sizeV, strideV] = args;
    if (!(storageV instanceof PyOpaque) || storageV.kind !== 'storage') throw new CheckpointError(file, 'data.pkl: a tensor without a storage');
    const loaded: LoadedTensor = {
      storage: storageV.value as PtStorage,
      offset: asInt(offsetV, 'storage offset', file),
      shape: intTuple(sizeV, 'tensor size', file),
      strides: intTuple(strideV, 'tensor stride', file),
    };
    return new PyOpaque('tensor', loaded);
  };

  const rebuildParameter = (args: PyValue[]): PyValue => {
    // _rebuild_parameter(data, requires_grad, backward_hooks[, state])
    const [t, rg] = args;
    if (!(t instanceof PyOpaque) || t.kind !== 'tensor') throw new CheckpointError(file, 'data.pkl: a Parameter without a tensor');
    return new PyOpaque('tensor', { ...(t.value as LoadedTensor), requiresGrad: rg === true });
  };

  const orderedDict = (args: PyValue[]): PyValue => {
    const d = new PyDict();
    const items = args[0];
    if (Array.isArray(items)) for (const pair of items) if (pair instanceof PyTuple) d.map.set(pair.items[0] as string, pair.items[1]);
    return d;
  };

  const pkl = await readMember(src, byName.get(pklName)!, file);
  const value = unpickle(pkl, {
    file,
    values: new Set(Object.keys(STORAGE_DTYPES)),
    calls: {
      'collections.OrderedDict': orderedDict,
      'torch._utils._rebuild_tensor_v2': rebuildTensor,
      'torch._utils._rebuild_tensor': rebuildTensor,
      'torch._utils._rebuild_parameter': rebuildParameter,
      'torch._utils._rebuild_parameter_with_state': rebuildParameter,
      'torch.Size': (args) => new PyTuple(intTuple(args[0] ?? new PyTuple([]), 'torch.Size', file)),
    },
    persistentLoad,
  });
  const index = placeTensors(value, file);
  for (const t of index.tensors) checkView(t, file);
  // Each stored storage's position in the file (its local header's length varies: PyTorch pads it
  // to align the data), so every tensor's `byteOffset` is exact from the start.
  for (const s of storages.values()) if (s.member.method === 0) s.dataOffset = await memberDataOffset(src, s.member, file);
  return { ...index, littleEndian: byteorder === 'little' };
}

/** The elements [lo, hi] of its storage a view touches (strides may be 0: an expanded tensor). */
function viewReach(t: { offset: number; shape: number[]; strides: number[] }): [number, number] {
  let lo = t.offset, hi = t.offset;
  t.shape.forEach((d, k) => { const reach = (d - 1) * t.strides[k]; if (reach > 0) hi += reach; else lo += reach; });
  return [lo, hi];
}

/** Refuse, at open, a view its storage cannot hold or a shape no memory could: named, one line. */
function checkView(t: PtTensor, file: string): void {
  const itemsize = RAW_ITEMSIZE[t.sourceDtype];
  const n = checkTensorSize(t.shape, itemsize, file, t.name);
  if (t.strides.length !== t.shape.length) throw new CheckpointError(file, `data.pkl gives ${t.strides.length} strides for a shape of ${t.shape.length} dimensions`, t.name);
  if (n === 0) return;
  const [lo, hi] = viewReach(t);
  const storageElements = Math.floor(t.storage.member.size / itemsize);
  if (lo < 0 || hi >= storageElements) {
    throw new CheckpointError(file, `view (offset ${t.offset}, shape [${t.shape.join(', ')}], strides [${t.strides.join(', ')}]) reaches outside its storage ${t.storage.key} of ${storageElements} elements`, t.name);
  }
}

/**
 * One tensor's values, reading only the bytes its view spans. A contiguous view is read straight
 * into its own buffer (no copy); a strided one (a transpose, a slice, an expand) reads the span
 * and gathers it into a fresh row-major array. A shared storage is read once per view: each
 * tensor is independent (editing one leaves the others alone), and none keeps another alive.
 */
export async function readPytorchTensor(src: ByteSource, t: PtTensor, file: string, littleEndian = true, scratch?: Scratch): Promise<TensorRecord> {
  const itemsize = RAW_ITEMSIZE[t.sourceDtype];
  const count = checkTensorSize(t.shape, itemsize, file, t.name);
  const dtype = targetDType(t.sourceDtype);
  const record = (data: TensorRecord['data']): TensorRecord => ({ shape: [...t.shape], dtype, requires_grad: t.requiresGrad, data });
  if (count === 0) return record(decodeRaw(new Uint8Array(0), t.sourceDtype, 0, file, t.name));
  const [lo, hi] = viewReach(t);
  const m = t.storage.member;
  let span: Uint8Array;
  if (m.method === 0) {
    t.storage.dataOffset ??= await memberDataOffset(src, m, file);
    span = await readExactly(src, t.storage.dataOffset + lo * itemsize, (hi - lo + 1) * itemsize, file, scratch);
  } else {
    // torch.save never compresses a storage; a re-zipped archive may. Inflate that member alone.
    span = (await readMember(src, m, file)).subarray(lo * itemsize, (hi + 1) * itemsize);
  }
  const contiguous = t.strides.every((s, k) => t.shape[k] <= 1 || s === contiguousStrides(t.shape)[k]);
  if (contiguous && m.method === 0) return record(decodeRaw(span, t.sourceDtype, count, file, t.name, littleEndian, true));
  const gathered = contiguous ? span : gatherStrided(span, itemsize, t.shape, t.strides, t.offset - lo, file, t.name);
  return record(decodeRaw(gathered, t.sourceDtype, count, file, t.name, littleEndian, gathered !== span));
}

/** Every tensor of a `.pt` read into a Checkpoint (no `model`), one storage read at a time. */
export async function pytorchToCheckpoint(src: ByteSource, file: string): Promise<{ checkpoint: Checkpoint; notes: string[] }> {
  const index = await readPytorchIndex(src, file);
  const records: [string, TensorRecord][] = [];
  for (const t of index.tensors) records.push([t.name, await readPytorchTensor(src, t, file, index.littleEndian)]);
  return { checkpoint: checkpointFromTensors(records, index.metadata), notes: index.notes };
}

const isTensor = (v: PyValue): v is PyOpaque<LoadedTensor> => v instanceof PyOpaque && v.kind === 'tensor';
const isStateDict = (v: PyValue): v is PyDict => v instanceof PyDict && v.map.size > 0 && [...v.map.values()].every(isTensor);

/** Non-tensor values as JSON for `metadata`; a tensor outside the shown state_dict as a one-line summary. */
function toJson(v: PyValue): unknown {
  if (v === null || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Uint8Array) return `<${v.byteLength} bytes>`;
  if (Array.isArray(v)) return v.map(toJson);
  if (v instanceof PyTuple) return v.items.map(toJson);
  if (v instanceof PyDict) return Object.fromEntries([...v.map].map(([k, x]) => [String(k), toJson(x)]));
  if (v instanceof PyGlobal) return v.qualified;
  if (isTensor(v)) return `tensor ${v.value.storage.raw} [${v.value.shape.join(', ')}]`;
  return String(v.kind);
}

/** Every tensor under `v`, named by its dotted path, as a nested training checkpoint lays them out. */
function collectTensors(v: PyValue, prefix: string, out: [string, LoadedTensor][]): void {
  const join = (k: string) => (prefix ? `${prefix}.${k}` : k);
  if (isTensor(v)) out.push([prefix || 'tensor', v.value]);
  else if (v instanceof PyDict) for (const [k, x] of v.map) collectTensors(x, join(String(k)), out);
  else if (Array.isArray(v) || v instanceof PyTuple) (Array.isArray(v) ? v : v.items).forEach((x, i) => collectTensors(x, join(String(i)), out));
}

/**
 * Decide which tensors the checkpoint shows. A bare state_dict: all of them, as named (an empty
 * one, `torch.save({}, f)`, is a valid file with no tensors). A training checkpoint dict
 * (`{"model": state_dict, "optimizer": …, "epoch": 5}`) with exactly one state_dict-like entry:
 * that entry's tensors under their own names (so they load straight back into the model), the
 * rest listed in `metadata`. Otherwise every tensor, named by its path.
 */
function placeTensors(value: PyValue, file: string): Omit<PytorchIndex, 'littleEndian'> {
  const notes: string[] = [];
  const loaded: [string, LoadedTensor][] = [];
  const metadata: Record<string, unknown> = { source_format: 'pytorch' };
  if (isStateDict(value) || isTensor(value)) {
    collectTensors(value, '', loaded);
  } else if (value instanceof PyDict) {
    const candidates = [...value.map].filter(([, v]) => isStateDict(v));
    if (candidates.length === 1) {
      const [key, sd] = candidates[0];
      collectTensors(sd, '', loaded);
      notes.push(`showing the state_dict under "${String(key)}"; the checkpoint's other entries (${[...value.map.keys()].filter((k) => k !== key).map(String).join(', ') || 'none'}) are listed in metadata`);
      metadata.state_dict_key = String(key);
      metadata.other_entries = Object.fromEntries([...value.map].filter(([k]) => k !== key).map(([k, v]) => [String(k), toJson(v)]));
    } else if (value.map.size > 0) {
      collectTensors(value, '', loaded);
      if (loaded.length) notes.push('a nested checkpoint: every tensor is shown under its dotted path');
      else notes.push('the file holds no tensors');
      metadata.other_entries = toJson(value);
    }
  } else {
    const json = toJson(value);
    throw new CheckpointError(file, `holds a ${json === null ? 'None' : Array.isArray(json) ? 'list' : typeof json}, not a state_dict (expected a dict of tensors)`);
  }
  const tensors: PtTensor[] = loaded.map(([name, t]) => ({
    name, storage: t.storage, offset: t.offset, shape: t.shape, strides: t.strides, sourceDtype: t.storage.raw,
    requiresGrad: t.requiresGrad ?? defaultRequiresGrad(name, targetDType(t.storage.raw)),
  }));
  const widened = tensors.filter((t) => targetDType(t.sourceDtype) !== t.sourceDtype);
  if (widened.length) {
    notes.push(widenedNote(widened.map((t) => t.name)));
    metadata.widened_dtypes = Object.fromEntries(widened.map((t) => [t.name, t.sourceDtype]));
  }
  return { tensors, buffers: new Set(tensors.map((t) => t.name).filter(looksLikeBuffer)), notes, metadata };
}
