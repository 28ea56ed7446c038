// Writing float64 values back into a parameter's own dtype, so that actions computing in plain
// numbers (init, decay) keep a float16 or float64 parameter in its dtype.
import { numberToBfloat16, numberToHalf } from '../format/half';
import { CheckpointError, type DType, type TensorData } from '../format/types';

/** `values` as a typed array of `dtype` (a floating-point dtype; others are refused). */
export function fromNumbers(values: ArrayLike<number>, dtype: DType, file: string, name: string): TensorData {
  const n = values.length;
  switch (dtype) {
    case 'float32': return Float32Array.from(values);
    case 'float64': return Float64Array.from(values);
    case 'float16': { const out = new Uint16Array(n); for (let i = 0; i < n; i++) out[i] = numberToHalf(values[i]); return out; }
    case 'bfloat16': { const out = new Uint16Array(n); for (let i = 0; i < n; i++) out[i] = numberToBfloat16(values[i]); return out; }
    default: throw new CheckpointError(file, `is ${dtype}; only floating-point parameters (float32, float64, float16, bfloat16) can take new values`, name);
  }
}
