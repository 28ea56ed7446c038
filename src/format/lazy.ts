// What the foreign-format readers (safetensors, .npy/.npz, PyTorch .pt) share: the lazy tensor
// handle the editor lists before any value is read, and the conversion of raw tensor bytes (any
// of the dtypes those formats carry) into our typed arrays. Pure: no `fs`, runs in the browser.
import { CheckpointError, isFloatDType, type Checkpoint, type DType, type TensorData, type TensorRecord } from './types';
import { numel } from '../engine/spec';
import type { ByteSource } from './byteSource';

/**
 * Element types the foreign formats carry. `int16` and `int8` have no `.weights.json` dtype:
 * they are widened, losslessly, to `int32` (see `widenedFrom`).
 */
export type RawDType = DType | 'int16' | 'int8';

/** Bytes per element of each raw dtype. */
export const RAW_ITEMSIZE: Record<RawDType, number> = {
  float64: 8, float32: 4, float16: 2, bfloat16: 2, int64: 8, int32: 4, int16: 2, int8: 1, uint8: 1, bool: 1,
};

/** The `.weights.json` dtype a raw dtype is shown and saved as. */
export function targetDType(raw: RawDType): DType {
  return raw === 'int16' || raw === 'int8' ? 'int32' : raw;
}

/**
 * One tensor of a file opened for inspection, described from the file's header alone: `read()`
 * fetches and converts its values only when they are wanted (the editor shows a 2 GB file's list
 * of tensors without reading 2 GB).
 */
export interface LazyTensorSource {
  name: string;
  shape: number[];
  /** The dtype the values are shown and saved as. */
  dtype: DType;
  /** The dtype as stored in the file; differs from `dtype` where a value was widened (int16/int8 → int32). */
  sourceDtype: RawDType;
  /** Where the raw bytes sit in the file, and how many there are. */
  byteOffset: number;
  byteLength: number;
  read(): Promise<TensorRecord>;
  /**
   * The same values, read through `src`, a source the caller opened over this same file: a
   * reader of every tensor in turn (`weightscope inspect`) opens the file once, not once per
   * tensor. Absent where the values are already in memory (`read()` is then as cheap).
   */
  readFrom?(src: ByteSource, scratch?: Scratch): Promise<TensorRecord>;
}

/**
 * A buffer the caller lends a reader for the raw bytes of one tensor: `scratch(n)` gives at least
 * `n` bytes, at offset 0 of a buffer the caller may hand out again. The record read with it may
 * hold its values in that buffer (no copy), so it is valid only until the next read with the same
 * scratch — for a pass that reduces each tensor and drops it (`weightscope inspect`), which then
 * allocates one buffer for the whole file instead of one per tensor.
 */
export type Scratch = (bytes: number) => Uint8Array;

/** A Scratch that grows to the largest request and is reused for every read. */
export function growingScratch(): Scratch {
  let buf = new Uint8Array(0);
  return (n) => (buf.length >= n ? buf : (buf = new Uint8Array(n)));
}

/**
 * The most bytes one tensor may take in memory. V8's typed arrays stop at 2^32 elements (Node
 * 20) and a tensor is read whole; a shape past this (a damaged or hostile header declaring
 * [1000000000, 1000000000]) is refused by name before anything is allocated.
 */
export const MAX_TENSOR_BYTES = 2 ** 32;

/** Why a shape cannot be held, or undefined when it can: its element count and bytes against the limit. */
export function tooLargeReason(shape: readonly number[], itemsize: number): string | undefined {
  const n = numel(shape);
  if (Number.isSafeInteger(n) && n * itemsize <= MAX_TENSOR_BYTES) return undefined;
  return `shape [${shape.join(', ')}] holds ${n.toPrecision(3)} elements (${(n * itemsize).toPrecision(3)} bytes), more than one tensor can hold in memory (at most ${MAX_TENSOR_BYTES} bytes)`;
}

/** Refuse a shape whose values could not be held: one line naming the file and the tensor. */
export function checkTensorSize(shape: readonly number[], itemsize: number, file: string, name: string): number {
  const reason = tooLargeReason(shape, itemsize);
  if (reason) throw new CheckpointError(file, reason, name);
  return numel(shape);
}

/** The note shown to the user when a file held dtypes the format lacks. */
export function widenedNote(names: string[]): string {
  return `${names.length} tensor(s) stored as int16/int8 are shown as int32 (.weights.json has no 16- or 8-bit signed integer dtype; no value changes): ${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}`;
}

/** A fresh, aligned copy of `bytes`, byte-swapped per element when the source is big-endian. */
function alignedBytes(bytes: Uint8Array, itemsize: number, littleEndian: boolean, owned: boolean): Uint8Array {
  // `owned`: the caller read these bytes for this tensor alone (a lazy read, possibly into a
  // scratch buffer it reuses), so they are used in place, without a second copy. Anything else
  // (a slice of a whole file, a PyTorch storage that several views share) is copied: a tensor
  // never shares memory with another or keeps a file alive.
  const reuse = owned && bytes.byteOffset % itemsize === 0 && bytes.buffer instanceof ArrayBuffer;
  const out = reuse ? bytes : new Uint8Array(bytes.byteLength);
  if (out !== bytes) out.set(bytes);
  if (!littleEndian && itemsize > 1) {
    for (let i = 0; i < out.length; i += itemsize) out.subarray(i, i + itemsize).reverse();
  }
  return out;
}

/**
 * Convert the raw row-major bytes of `count` elements of `raw` into our typed array.
 * Throws a CheckpointError naming `file` and `name` when the byte count is wrong. `owned`: the
 * bytes were read for this tensor alone and may become its storage (no copy).
 */
export function decodeRaw(bytes: Uint8Array, raw: RawDType, count: number, file: string, name: string, littleEndian = true, owned = false): TensorData {
  const itemsize = RAW_ITEMSIZE[raw];
  if (bytes.byteLength !== count * itemsize) {
    throw new CheckpointError(file, `expected ${count * itemsize} bytes of ${raw} data, found ${bytes.byteLength}`, name);
  }
  const b = alignedBytes(bytes, itemsize, littleEndian, owned);
  const buf = b.buffer as ArrayBuffer, at = b.byteOffset;
  switch (raw) {
    case 'float64': return new Float64Array(buf, at, count);
    case 'float32': return new Float32Array(buf, at, count);
    case 'float16': case 'bfloat16': return new Uint16Array(buf, at, count);
    case 'int64': return new BigInt64Array(buf, at, count);
    case 'int32': return new Int32Array(buf, at, count);
    case 'int16': return Int32Array.from(new Int16Array(buf, at, count));
    case 'int8': return Int32Array.from(new Int8Array(buf, at, count));
    case 'uint8': return new Uint8Array(buf, at, count);
    case 'bool': {
      // Any non-zero byte is true, as NumPy and PyTorch read it; stored as 0/1.
      const out = new Uint8Array(buf, at, count);
      for (let i = 0; i < out.length; i++) out[i] = out[i] ? 1 : 0;
      return out;
    }
  }
}

/**
 * Gather a strided view (PyTorch's storage offset + strides, or NumPy's Fortran order) into a
 * contiguous row-major byte array. Offsets and strides count elements, not bytes.
 */
export function gatherStrided(storage: Uint8Array, itemsize: number, shape: number[], strides: number[], offset: number, file: string, name: string): Uint8Array {
  const n = numel(shape);
  const out = new Uint8Array(n * itemsize);
  if (n === 0) return out;
  // Check the furthest element lies inside the storage before touching any byte.
  let maxIndex = offset;
  let minIndex = offset;
  shape.forEach((d, k) => { const reach = (d - 1) * strides[k]; if (reach > 0) maxIndex += reach; else minIndex += reach; });
  if (minIndex < 0 || (maxIndex + 1) * itemsize > storage.byteLength) {
    throw new CheckpointError(file, `view (offset ${offset}, shape [${shape.join(', ')}], strides [${strides.join(', ')}]) reaches outside its storage of ${storage.byteLength / itemsize} elements`, name);
  }
  const rank = shape.length;
  const idx = new Array<number>(rank).fill(0);
  let src = offset;
  for (let i = 0; i < n; i++) {
    out.set(storage.subarray(src * itemsize, (src + 1) * itemsize), i * itemsize);
    // Odometer increment over the multi-index, last dimension fastest (row-major).
    for (let k = rank - 1; k >= 0; k--) {
      idx[k]++;
      src += strides[k];
      if (idx[k] < shape[k]) break;
      src -= strides[k] * shape[k];
      idx[k] = 0;
    }
  }
  return out;
}

/** Row-major (C order) strides of a shape, in elements. */
export function contiguousStrides(shape: number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let k = shape.length - 1; k >= 0; k--) { strides[k] = s; s *= shape[k]; }
  return strides;
}

/** BatchNorm's statistics are buffers in PyTorch; a bare state_dict does not say so, their names do. */
const BUFFER_NAMES = /(^|\.)(running_mean|running_var|num_batches_tracked)$/;

export function looksLikeBuffer(name: string): boolean {
  return BUFFER_NAMES.test(name);
}

/**
 * A Checkpoint (no `model`) from named tensors of a foreign file. A state_dict does not record
 * `requires_grad`, so floating parameters are trainable (the format's default) and integer or
 * bool tensors are not; BatchNorm statistics go to `buffers`, as PyTorch registers them.
 */
export function checkpointFromTensors(tensors: Iterable<[string, TensorRecord]>, metadata?: unknown): Checkpoint {
  const parameters = new Map<string, TensorRecord>();
  const buffers = new Map<string, TensorRecord>();
  for (const [name, t] of tensors) (looksLikeBuffer(name) ? buffers : parameters).set(name, t);
  const keyOrder = ['format', 'version', 'parameters'];
  if (buffers.size) keyOrder.push('buffers');
  if (metadata !== undefined) keyOrder.push('metadata');
  return {
    format: 'weights.json', version: 1, parameters,
    ...(buffers.size ? { buffers } : {}),
    ...(metadata !== undefined ? { metadata } : {}),
    extra: new Map(), keyOrder,
  };
}

/** The default `requires_grad` of a tensor from a file that does not record it. */
export function defaultRequiresGrad(name: string, dtype: DType): boolean {
  return !looksLikeBuffer(name) && isFloatDType(dtype);
}
