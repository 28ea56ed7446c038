import { describe, expect, it } from 'vitest';
import { LayerStringError, newCheckpoint } from '../../../src/actions/newModel';
import { serializeCheckpoint } from '../../../src/format/serialize';
import { parseCheckpoint } from '../../../src/format/parse';
import { CheckpointError } from '../../../src/format/types';

describe('newCheckpoint', () => {
  it('builds the model and initialises every parameter with reset_parameters()', () => {
    const ckpt = newCheckpoint({ layers: 'Linear(2,8) ReLU Linear(8,1)', seed: 0, name: 'xor' });
    expect(ckpt.model).toEqual({ name: 'xor', input_shape: [2], layers: [
      { type: 'Linear', in_features: 2, out_features: 8 }, { type: 'ReLU' }, { type: 'Linear', in_features: 8, out_features: 1 },
    ] });
    expect([...ckpt.parameters.keys()]).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    const w = ckpt.parameters.get('0.weight')!.data as Float32Array;
    expect(w.every((v) => Math.abs(v) <= 1 / Math.SQRT2 && v !== 0)).toBe(true);
    const b2 = ckpt.parameters.get('2.bias')!.data as Float32Array;
    expect(Math.abs(b2[0])).toBeLessThanOrEqual(1 / Math.sqrt(8));
    // It is a valid file: serialise, parse back (strict model agreement included).
    const back = parseCheckpoint(serializeCheckpoint(ckpt), 'x.weights.json');
    expect(back.parameters.get('0.weight')!.data).toEqual(w);
  });

  it('is reproducible by seed', () => {
    const a = newCheckpoint({ layers: 'LSTM(1,8) Linear(8,1)', inputShape: [20, 1], seed: 3 });
    const b = newCheckpoint({ layers: 'LSTM(1,8) Linear(8,1)', inputShape: [20, 1], seed: 3 });
    expect(a.parameters).toEqual(b.parameters);
    expect([...a.parameters.keys()]).toEqual(['0.weight_ih_l0', '0.weight_hh_l0', '0.bias_ih_l0', '0.bias_hh_l0', '1.weight', '1.bias']);
  });

  it('takes named specs and a scheme', () => {
    const ckpt = newCheckpoint({
      layers: [{ type: 'Linear', name: 'fc1', in_features: 3, out_features: 4 }, { type: 'Tanh' }, { type: 'Linear', name: 'fc2', in_features: 4, out_features: 2 }],
      init: 'xavier_normal', seed: 1,
    });
    expect([...ckpt.parameters.keys()]).toEqual(['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']);
    expect(ckpt.parameters.get('fc1.bias')!.data).toEqual(new Float32Array(4));
  });

  it('checks the layers against the input shape', () => {
    expect(() => newCheckpoint({ layers: 'Conv2d(1,4,3,padding=1) ReLU MaxPool2d(2) Flatten Linear(36,3)', inputShape: [1, 8, 8], file: 'c.weights.json' }))
      .toThrow('c.weights.json: with input shape [1, 8, 8], layer 4 (Linear): expected last dimension 36, got [64]');
    expect(() => newCheckpoint({ layers: 'Linear(2,8) Linear(9,1)' })).toThrow(CheckpointError);
    expect(() => newCheckpoint({ layers: 'Linear(2,8)', inputShape: [0] })).toThrow(/expected whole numbers ≥ 1/);
    expect(() => newCheckpoint({ layers: 'Linaer(2,8)' })).toThrow(LayerStringError);
    // Conv2d without an input shape is fine, just unchecked
    expect(newCheckpoint({ layers: 'Conv2d(1,4,3) Flatten', seed: 0 }).model?.input_shape).toBeUndefined();
  });
});
