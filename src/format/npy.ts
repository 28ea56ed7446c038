// NumPy's `.npy` file (format versions 1.0, 2.0 and 3.0): the magic "\x93NUMPY", a version,
// a little-endian header length (2 bytes in 1.0, 4 in 2.0/3.0), a Python-literal header
// `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`, then the raw array bytes.
// Pure: works on bytes already read.
import { CheckpointError, type TensorRecord } from './types';
import { numel } from '../engine/spec';
import { RAW_ITEMSIZE, decodeRaw, defaultRequiresGrad, gatherStrided, targetDType, type RawDType } from './lazy';

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

interface NpyHeader { descr: string; fortranOrder: boolean; shape: number[]; dataStart: number }

function parseHeader(bytes: Uint8Array, file: string, name: string): NpyHeader {
  if (!isNpy(bytes)) throw new CheckpointError(file, 'not a NumPy .npy file (no "\\x93NUMPY" magic)', name);
  const major = bytes[6];
  if (major !== 1 && major !== 2 && major !== 3) throw new CheckpointError(file, `.npy format version ${major}.${bytes[7]} is not supported; expected 1.0, 2.0 or 3.0`, name);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lenSize = major === 1 ? 2 : 4;
  if (bytes.byteLength < 8 + lenSize) throw new CheckpointError(file, '.npy header is truncated', name);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = 8 + lenSize;
  if (headerStart + headerLen > bytes.byteLength) throw new CheckpointError(file, '.npy header is truncated', name);
  // 3.0 allows UTF-8 in the header (field names of structured dtypes); 1.0/2.0 are latin-1, a subset for what we accept.
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, headerStart + headerLen));
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(text)?.[1];
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new CheckpointError(file, `.npy header lacks descr, fortran_order or shape (a structured dtype?): ${text.trim()}`, name);
  }
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s !== '').map((s) => Number(s.replace(/L$/, '')));
  if (!shape.every((d) => Number.isInteger(d) && d >= 0)) throw new CheckpointError(file, `.npy shape (${shapeText}) is not a tuple of non-negative integers`, name);
  return { descr, fortranOrder: fortran === 'True', shape, dataStart: headerStart + headerLen };
}

/** Parse one `.npy` array. `name` labels errors (the array's name inside an `.npz`). */
export function parseNpy(bytes: Uint8Array, file: string, name = 'array'): NpyArray {
  const h = parseHeader(bytes, file, name);
  const m = /^([<>|=]?)([a-z]\d+)$/.exec(h.descr);
  const raw = m ? NPY_KINDS[m[2]] : undefined;
  if (!m || !raw) {
    throw new CheckpointError(file, `NumPy dtype '${h.descr}' is not supported; expected one of <f8 <f4 <f2 <i8 <i4 <i2 |i1 |u1 |b1`, name);
  }
  const littleEndian = m[1] !== '>';
  const itemsize = RAW_ITEMSIZE[raw];
  const count = numel(h.shape);
  const end = h.dataStart + count * itemsize;
  if (end > bytes.byteLength) throw new CheckpointError(file, `.npy data is truncated: expected ${count * itemsize} bytes for shape (${h.shape.join(', ')}), found ${bytes.byteLength - h.dataStart}`, name);
  let data = bytes.subarray(h.dataStart, end);
  if (h.fortranOrder && h.shape.length > 1) {
    // Column-major: the first index varies fastest. Gather into row-major order.
    const strides: number[] = [];
    let s = 1;
    for (const d of h.shape) { strides.push(s); s *= d; }
    data = gatherStrided(data, itemsize, h.shape, strides, 0, file, name);
  }
  const dtype = targetDType(raw);
  return {
    record: { shape: h.shape, dtype, requires_grad: defaultRequiresGrad(name, dtype), data: decodeRaw(data, raw, count, file, name, littleEndian) },
    sourceDtype: raw,
    fortranOrder: h.fortranOrder && h.shape.length > 1,
  };
}
