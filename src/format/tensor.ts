// Small helpers over TensorRecord that every layer above the format uses: construction, copies,
// sizes, and a numeric view of any dtype.
import { numel } from '../engine/spec';
import type { Checkpoint, DType, TensorData, TensorRecord } from './types';
import { bfloat16ToNumber, halfToNumber } from './half';

/** A float32 tensor record (a parameter unless told otherwise). */
export function makeTensor(shape: number[], data: Float32Array, requiresGrad = true): TensorRecord {
  return { shape: [...shape], dtype: 'float32', requires_grad: requiresGrad, data };
}

/** A deep copy: new shape array and new typed array. */
export function cloneTensor(t: TensorRecord): TensorRecord {
  return { shape: [...t.shape], dtype: t.dtype, requires_grad: t.requires_grad, data: t.data.slice() as TensorData };
}

export function tensorNumel(t: TensorRecord): number {
  return numel(t.shape);
}

/** Bytes per element of a dtype, as PyTorch stores it (bool takes one byte). */
export function dtypeBytes(dtype: DType): number {
  switch (dtype) {
    case 'float64': case 'int64': return 8;
    case 'float32': case 'int32': return 4;
    case 'float16': case 'bfloat16': return 2;
    case 'uint8': case 'bool': return 1;
  }
}

/** The typed array that holds `n` elements of `dtype` (see TensorData in types.ts). */
export function allocData(dtype: DType, n: number): TensorData {
  switch (dtype) {
    case 'float32': return new Float32Array(n);
    case 'float64': return new Float64Array(n);
    case 'float16': case 'bfloat16': return new Uint16Array(n);
    case 'int64': return new BigInt64Array(n);
    case 'int32': return new Int32Array(n);
    case 'uint8': case 'bool': return new Uint8Array(n);
  }
}

/**
 * The values of any tensor as float64 numbers: halves decoded, int64 converted (values beyond
 * ±2^53 lose precision, as they would in any float computation). Always a new array, so callers
 * may change it without touching the tensor.
 */
export function toFloat64Array(t: TensorRecord): Float64Array {
  const d = t.data;
  if (d instanceof Float64Array) return d.slice();
  const out = new Float64Array(d.length);
  if (t.dtype === 'float16') for (let i = 0; i < d.length; i++) out[i] = halfToNumber(d[i] as number);
  else if (t.dtype === 'bfloat16') for (let i = 0; i < d.length; i++) out[i] = bfloat16ToNumber(d[i] as number);
  else if (d instanceof BigInt64Array) for (let i = 0; i < d.length; i++) out[i] = Number(d[i]);
  else out.set(d);
  return out;
}

/** A valid checkpoint with no parameters and nothing else. */
export function emptyCheckpoint(): Checkpoint {
  return {
    format: 'weights.json', version: 1, parameters: new Map(), extra: new Map(),
    keyOrder: ['format', 'version', 'parameters'],
  };
}
