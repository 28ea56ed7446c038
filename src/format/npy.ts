// NumPy's `.npy` file (format versions 1.0, 2.0 and 3.0): the magic "\x93NUMPY", a version,
// a little-endian header length (2 bytes in 1.0, 4 in 2.0/3.0), a Python-literal header
// `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`, then the raw array bytes.
// Pure: works on bytes already read.
import { CheckpointError, type TensorRecord } from './types';
import { numel } from '../engine/spec';
import { RAW_ITEMSIZE, checkTensorSize, decodeRaw, defaultRequiresGrad, gatherStrided, targetDType, type RawDType } from './lazy';

const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** NumPy type codes (without the byte-order character) → raw dtypes. */
const NPY_KINDS: Record<string, RawDType> = {
  f8: 'float64', f4: 'float32', f2: 'float16', i8: 'int64', i4: 'int32', i2: 'int16', i1: 'int8', u1: 'uint8', b1: 'bool',
};

export function isNpy(bytes: Uint8Array): boolean {
  return bytes.byteLength >= 6 && NPY_MAGIC.every((b, i) => bytes[i] === b);
}

export interface NpyArray {
  record: TensorRecord;
  sourceDtype: RawDType;
  /** True when the file was in Fortran (column-major) order and was transposed to row-major. */
  fortranOrder: boolean;
}

/** What an `.npy` header says: enough to list the array and to read its values at `dataStart`. */
export interface NpyLayout {
  raw: RawDType;
  littleEndian: boolean;
  /** Fortran (column-major) order of an array of 2 or more dimensions: read, then gathered to row-major. */
  fortranOrder: boolean;
  shape: number[];
  /** Where the values begin, counted from the start of the `.npy` bytes. */
  dataStart: number;
  /** Bytes of values: numel × itemsize. */
  dataLength: number;
}

/** The length of the magic, version, header length and header together, from the first 12 bytes. */
export function npyPreambleLength(first: Uint8Array, file: string, name: string): number {
  if (!isNpy(first)) throw new CheckpointError(file, 'not a NumPy .npy file (no "\\x93NUMPY" magic)', name);
  const major = first[6];
  if (major !== 1 && major !== 2 && major !== 3) throw new CheckpointError(file, `.npy format version ${major}.${first[7]} is not supported; expected 1.0, 2.0 or 3.0`, name);
  const lenSize = major === 1 ? 2 : 4;
  if (first.byteLength < 8 + lenSize) throw new CheckpointError(file, '.npy header is truncated', name);
  const view = new DataView(first.buffer, first.byteOffset, first.byteLength);
  return 8 + lenSize + (major === 1 ? view.getUint16(8, true) : view.getUint32(8, true));
}

/** Parse the header (`bytes` holds at least the preamble) into the array's layout; the values are not touched. */
export function npyLayout(bytes: Uint8Array, file: string, name: string): NpyLayout {
  const end = npyPreambleLength(bytes, file, name);
  if (end > bytes.byteLength) throw new CheckpointError(file, '.npy header is truncated', name);
  const major = bytes[6];
  const headerStart = major === 1 ? 10 : 12;
  // 3.0 allows UTF-8 in the header (field names of structured dtypes); 1.0/2.0 are latin-1, a subset for what we accept.
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, end));
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(text)?.[1];
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new CheckpointError(file, `.npy header lacks descr, fortran_order or shape (a structured dtype?): ${text.trim()}`, name);
  }
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s !== '').map((s) => Number(s.replace(/L$/, '')));
  if (!shape.every((d) => Number.isInteger(d) && d >= 0)) throw new CheckpointError(file, `.npy shape (${shapeText}) is not a tuple of non-negative integers`, name);
  const m = /^([<>|=]?)([a-z]\d+)$/.exec(descr);
  const raw = m ? NPY_KINDS[m[2]] : undefined;
  if (!m || !raw) {
    throw new CheckpointError(file, `NumPy dtype '${descr}' is not supported; expected one of <f8 <f4 <f2 <i8 <i4 <i2 |i1 |u1 |b1`, name);
  }
  const count = checkTensorSize(shape, RAW_ITEMSIZE[raw], file, name);
  return { raw, littleEndian: m[1] !== '>', fortranOrder: fortran === 'True' && shape.length > 1, shape, dataStart: end, dataLength: count * RAW_ITEMSIZE[raw] };
}

/** The array's record from its value bytes (`owned`: read for it alone, used without a copy). */
export function npyRecord(layout: NpyLayout, data: Uint8Array, file: string, name: string, owned = false): TensorRecord {
  const itemsize = RAW_ITEMSIZE[layout.raw];
  const count = numel(layout.shape);
  if (data.byteLength < layout.dataLength) {
    throw new CheckpointError(file, `.npy data is truncated: expected ${layout.dataLength} bytes for shape (${layout.shape.join(', ')}), found ${data.byteLength}`, name);
  }
  let bytes = data.subarray(0, layout.dataLength);
  if (layout.fortranOrder) {
    // Column-major: the first index varies fastest. Gather into row-major order.
    const strides: number[] = [];
    let s = 1;
    for (const d of layout.shape) { strides.push(s); s *= d; }
    bytes = gatherStrided(bytes, itemsize, layout.shape, strides, 0, file, name);
    owned = true;
  }
  const dtype = targetDType(layout.raw);
  return {
    shape: [...layout.shape], dtype, requires_grad: defaultRequiresGrad(name, dtype),
    data: decodeRaw(bytes, layout.raw, count, file, name, layout.littleEndian, owned),
  };
}

/** Parse one whole `.npy` array already in memory. `name` labels errors (the array's name inside an `.npz`). */
export function parseNpy(bytes: Uint8Array, file: string, name = 'array'): NpyArray {
  const layout = npyLayout(bytes, file, name);
  return { record: npyRecord(layout, bytes.subarray(layout.dataStart), file, name), sourceDtype: layout.raw, fortranOrder: layout.fortranOrder };
}
