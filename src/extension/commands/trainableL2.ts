// The L2 norm weight decay reports before and after its step. Pure: unit-tested.
import type { TensorRecord } from '../../format/types';

/** √Σw² over the trainable floating-point parameters. */
export function trainableL2(parameters: Map<string, TensorRecord>): number {
  let sum = 0;
  for (const t of parameters.values()) {
    if (!t.requires_grad || !(t.data instanceof Float32Array || t.data instanceof Float64Array)) continue;
    for (let i = 0; i < t.data.length; i++) sum += t.data[i] * t.data[i];
  }
  return Math.sqrt(sum);
}
