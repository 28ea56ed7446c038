// PyTorch `.pt` / `.pth` files in the zip format `torch.save` writes since 1.6:
// `<root>/data.pkl` (the pickled object, tensors as persistent references to storages),
// `<root>/data/<key>` (each storage's raw bytes), `<root>/byteorder` (newer PyTorch).
// `data.pkl` goes through our restricted unpickler with an allow-list of exactly the globals a
// state_dict needs; nothing is ever executed. Pure: works on bytes already read.
import { CheckpointError, type Checkpoint, type TensorRecord } from './types';
import { numel } from '../engine/spec';
import { RAW_ITEMSIZE, checkpointFromTensors, contiguousStrides, decodeRaw, defaultRequiresGrad, gatherStrided, targetDType, widenedNote, type RawDType } from './lazy';
import { PyDict, PyGlobal, PyOpaque, PyTuple, unpickle, type PyValue } from './pickle';
import { isZip, readZip } from './zip';

const RESAVE = 're-save it with `torch.save(model.state_dict(), path)` in PyTorch ≥ 1.6';

const STORAGE_DTYPES: Record<string, RawDType> = {
  'torch.FloatStorage': 'float32', 'torch.DoubleStorage': 'float64', 'torch.HalfStorage': 'float16',
  'torch.BFloat16Storage': 'bfloat16', 'torch.LongStorage': 'int64', 'torch.IntStorage': 'int32',
  'torch.ShortStorage': 'int16', 'torch.CharStorage': 'int8', 'torch.ByteStorage': 'uint8', 'torch.BoolStorage': 'bool',
};

/** A tensor rebuilt from the pickle, before it is placed in the checkpoint. */
interface LoadedTensor {
  record: TensorRecord;
  sourceDtype: RawDType;
  /** Set only by `_rebuild_parameter`, which records it; a state_dict's tensors do not. */
  requiresGrad?: boolean;
}

interface LoadedStorage { raw: RawDType; bytes: Uint8Array; key: string }

export interface PytorchContents {
  checkpoint: Checkpoint;
  notes: string[];
}

function asInt(v: PyValue, what: string, file: string): number {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  throw new CheckpointError(file, `${what}: expected an integer in data.pkl, found ${typeof v}`);
}

function intTuple(v: PyValue, what: string, file: string): number[] {
  const items = v instanceof PyTuple ? v.items : Array.isArray(v) ? v : null;
  if (!items) throw new CheckpointError(file, `${what}: expected a tuple of integers in data.pkl`);
  return items.map((x) => asInt(x, what, file));
}

/** Refuse the two PyTorch files this reader does not read, saying what to do instead. */
function refuseUnsupported(bytes: Uint8Array, names: string[] | null, file: string): void {
  if (!names) {
    // The legacy (pre-1.6) format is a bare pickle stream starting with PROTO and the magic number.
    if (bytes[0] === 0x80) throw new CheckpointError(file, `is in PyTorch's legacy (pre-1.6) format, which Weightscope does not read; ${RESAVE}`);
    throw new CheckpointError(file, 'is not a PyTorch checkpoint (expected the zip archive torch.save writes)');
  }
  if (names.some((n) => /(^|\/)constants\.pkl$/.test(n) || /(^|\/)code\//.test(n))) {
    throw new CheckpointError(file, `is a TorchScript archive (torch.jit.save), which holds code as well as weights; Weightscope reads only state_dicts: ${RESAVE}`);
  }
}

/** Read a `.pt` / `.pth` (zip) file's tensors into a Checkpoint, with notes on what was done. */
export function pytorchFromBytes(bytes: Uint8Array, file: string): PytorchContents {
  if (!isZip(bytes)) refuseUnsupported(bytes, null, file);
  const entries = readZip(bytes, file);
  const names = [...entries.keys()];
  refuseUnsupported(bytes, names, file);
  const pklName = names.find((n) => /^[^/]+\/data\.pkl$/.test(n));
  if (!pklName) throw new CheckpointError(file, 'is a zip archive but not a PyTorch checkpoint (no <root>/data.pkl)');
  const root = pklName.slice(0, -'data.pkl'.length);
  const byteorderBytes = entries.get(`${root}byteorder`);
  const byteorder = byteorderBytes ? new TextDecoder().decode(byteorderBytes).trim() : 'little';
  if (byteorder !== 'little' && byteorder !== 'big') throw new CheckpointError(file, `byteorder "${byteorder}": expected "little" or "big"`);
  const littleEndian = byteorder === 'little';

  const storages = new Map<string, LoadedStorage>();
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
      const data = entries.get(`${root}data/${key}`);
      if (!data) throw new CheckpointError(file, `storage ${key} is referenced by data.pkl but missing from the archive (${root}data/${key})`);
      storage = { raw, bytes: data, key };
      storages.set(key, storage);
    }
    return new PyOpaque('storage', storage);
  };

  const rebuildTensor = (args: PyValue[]): PyValue => {
    // _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
    const [storageV, offsetV, sizeV, strideV] = args;
    if (!(storageV instanceof PyOpaque) || storageV.kind !== 'storage') throw new CheckpointError(file, 'data.pkl: a tensor without a storage');
    const storage = storageV.value as LoadedStorage;
    const shape = intTuple(sizeV, 'tensor size', file);
    const strides = intTuple(strideV, 'tensor stride', file);
    const offset = asInt(offsetV, 'storage offset', file);
    const itemsize = RAW_ITEMSIZE[storage.raw];
    const label = `storage ${storage.key}`;
    const contiguous = strides.every((s, k) => shape[k] <= 1 || s === contiguousStrides(shape)[k]);
    const count = numel(shape);
    const bytesOfView = contiguous
      ? storage.bytes.subarray(offset * itemsize, (offset + count) * itemsize)
      : gatherStrided(storage.bytes, itemsize, shape, strides, offset, file, label);
    if (contiguous && (offset + count) * itemsize > storage.bytes.byteLength && count > 0) {
      throw new CheckpointError(file, `tensor view (offset ${offset}, ${count} elements) reaches outside its storage`, label);
    }
    const dtype = targetDType(storage.raw);
    const loaded: LoadedTensor = {
      record: { shape, dtype, requires_grad: false, data: decodeRaw(bytesOfView, storage.raw, count, file, label, littleEndian) },
      sourceDtype: storage.raw,
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

  const pkl = entries.get(pklName)!;
  const value = unpickle(pkl, {
    file,
    values: new Set(Object.keys(STORAGE_DTYPES)),
    calls: {
      'collections.OrderedDict': orderedDict,
      'torch._utils._rebuild_tensor_v2': rebuildTensor,
      'torch._utils._rebuild_parameter': rebuildParameter,
      'torch._utils._rebuild_parameter_with_state': rebuildParameter,
      'torch.Size': (args) => new PyTuple(intTuple(args[0] ?? new PyTuple([]), 'torch.Size', file)),
    },
    persistentLoad,
  });
  return placeTensors(value, file);
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
  if (isTensor(v)) return `tensor ${v.value.record.dtype} [${v.value.record.shape.join(', ')}]`;
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
 * Decide which tensors the checkpoint shows. A bare state_dict: all of them, as named. A training
 * checkpoint dict (`{"model": state_dict, "optimizer": …, "epoch": 5}`) with exactly one
 * state_dict-like entry: that entry's tensors under their own names (so they load straight back
 * into the model), the rest listed in `metadata`. Otherwise every tensor, named by its path.
 */
function placeTensors(value: PyValue, file: string): PytorchContents {
  const notes: string[] = [];
  let tensors: [string, LoadedTensor][] = [];
  const metadata: Record<string, unknown> = { source_format: 'pytorch' };
  if (isStateDict(value) || isTensor(value)) {
    collectTensors(value, '', tensors);
  } else if (value instanceof PyDict) {
    const candidates = [...value.map].filter(([, v]) => isStateDict(v));
    if (candidates.length === 1) {
      const [key, sd] = candidates[0];
      collectTensors(sd, '', tensors);
      notes.push(`showing the state_dict under "${String(key)}"; the checkpoint's other entries (${[...value.map.keys()].filter((k) => k !== key).map(String).join(', ') || 'none'}) are listed in metadata`);
      metadata.state_dict_key = String(key);
      metadata.other_entries = Object.fromEntries([...value.map].filter(([k]) => k !== key).map(([k, v]) => [String(k), toJson(v)]));
    } else {
      collectTensors(value, '', tensors);
      if (tensors.length) notes.push('a nested checkpoint: every tensor is shown under its dotted path');
      metadata.other_entries = toJson(value);
    }
  } else {
    throw new CheckpointError(file, `holds a ${toJson(value) === null ? 'None' : typeof toJson(value)}, not a state_dict (expected a dict of tensors)`);
  }
  if (!tensors.length) throw new CheckpointError(file, 'holds no tensors; expected a state_dict');
  tensors = tensors.map(([name, t]) => [name, { ...t, record: { ...t.record, requires_grad: t.requiresGrad ?? defaultRequiresGrad(name, t.record.dtype) } }]);
  const widened = tensors.filter(([, t]) => targetDType(t.sourceDtype) !== t.sourceDtype);
  if (widened.length) {
    notes.push(widenedNote(widened.map(([n]) => n)));
    metadata.widened_dtypes = Object.fromEntries(widened.map(([n, t]) => [n, t.sourceDtype]));
  }
  return { checkpoint: checkpointFromTensors(tensors.map(([n, t]) => [n, t.record]), metadata), notes };
}
