// A small checkpoint for the action tests: fc1 (Linear 4→3), a ReLU, fc2 (Linear 3→2), as parsed
// from a file, so the model agrees with the parameters.
import { parseCheckpoint } from '../../../src/format/parse';
import type { Checkpoint } from '../../../src/format/types';

export const FILE = 'act.weights.json';

export function mlp(withModel = true): Checkpoint {
  const ramp = (n: number, scale: number) => Array.from({ length: n }, (_, i) => (i + 1) * scale * (i % 2 ? -1 : 1));
  return parseCheckpoint(JSON.stringify({
    format: 'weights.json', version: 1,
    ...(withModel ? { model: { input_shape: [4], layers: [
      { type: 'Linear', name: 'fc1', in_features: 4, out_features: 3 },
      { type: 'ReLU' },
      { type: 'Linear', name: 'fc2', in_features: 3, out_features: 2 },
    ] } } : {}),
    parameters: {
      'fc1.weight': { shape: [3, 4], data: ramp(12, 0.1) },
      'fc1.bias': { shape: [3], data: ramp(3, 0.5) },
      'fc2.weight': { shape: [2, 3], requires_grad: false, data: ramp(6, 0.2) },
      'fc2.bias': { shape: [2], data: [0.25, -0.75] },
    },
  }), FILE);
}
