// Shared builders for the format tests: a minimal valid file as a JS object, edited per test.
import { CheckpointError } from '../../../src/format/types';
import { parseCheckpoint } from '../../../src/format/parse';

export const FILE = 'tests/m.weights.json';

export function baseFile(): Record<string, any> {
  return {
    format: 'weights.json',
    version: 1,
    model: { name: 'xor', input_shape: [2], layers: [
      { type: 'Linear', name: 'fc1', in_features: 2, out_features: 3 },
      { type: 'ReLU' },
      { type: 'Linear', name: 'fc2', in_features: 3, out_features: 1 },
    ] },
    parameters: {
      'fc1.weight': { shape: [3, 2], dtype: 'float32', requires_grad: true, data: [[0.5, -1], [0.25, 2], [0, 1.5]] },
      'fc1.bias': { shape: [3], dtype: 'float32', data: [0.1, 0.2, 0.3] },
      'fc2.weight': { shape: [1, 3], data: [[1, 2, 3]] },
      'fc2.bias': { shape: [1], data: [0] },
    },
  };
}

/** The CheckpointError parseCheckpoint throws for `obj` (or raw text); fails the test if none. */
export function refusal(input: Record<string, any> | string): CheckpointError {
  const text = typeof input === 'string' ? input : JSON.stringify(input);
  try {
    parseCheckpoint(text, FILE);
  } catch (e) {
    if (e instanceof CheckpointError) return e;
    throw new Error(`expected a CheckpointError, got ${String(e)}`);
  }
  throw new Error('expected a refusal, but the file parsed');
}
