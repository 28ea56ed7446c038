import { describe, expect, it } from 'vitest';
import { parseCheckpoint } from '../../../src/format/parse';
import { checkModelAgreement } from '../../../src/format/modelCheck';
import { CheckpointError } from '../../../src/format/types';
import { baseFile, FILE, refusal } from './helpers';

describe('strict model/parameter agreement (load_state_dict(strict=True))', () => {
  it('accepts a file that agrees, including Sequential index names', () => {
    expect(() => parseCheckpoint(JSON.stringify(baseFile()), FILE)).not.toThrow();
    const f = baseFile();
    f.model.layers = [{ type: 'Linear', in_features: 2, out_features: 1 }, { type: 'Sigmoid' }];
    f.parameters = { '0.weight': { shape: [1, 2], data: [[1, 2]] }, '0.bias': { shape: [1], data: [0] } };
    expect(() => parseCheckpoint(JSON.stringify(f), FILE)).not.toThrow();
  });
  it('size mismatch names both shapes', () => {
    const f = baseFile(); f.model.layers[0].in_features = 3;
    const e = refusal(f);
    expect(e.param).toBe('fc1.weight');
    expect(e.message).toBe(`${FILE}: fc1.weight: size mismatch for fc1.weight: [3, 2] in the file, [3, 3] in the model`);
  });
  it('missing bias says why the model has it', () => {
    const f = baseFile(); delete f.parameters['fc1.bias'];
    expect(refusal(f).message).toContain('missing parameter fc1.bias (the model\'s Linear layer fc1 has bias=true)');
  });
  it('unexpected parameter', () => {
    const f = baseFile(); f.parameters['fc3.weight'] = { shape: [1], data: [1] };
    expect(refusal(f).message).toContain('unexpected parameter fc3.weight (not in the model)');
    const g = baseFile(); g.model.layers[2].bias = false;
    expect(refusal(g).message).toContain('unexpected parameter fc2.bias (not in the model)');
  });
  it('LSTM and Conv2d parameter sets', () => {
    const f = baseFile();
    f.model = { layers: [{ type: 'Conv2d', name: 'c', in_channels: 1, out_channels: 2, kernel_size: [3, 2], bias: false }, { type: 'LSTM', name: 'l', input_size: 4, hidden_size: 2, num_layers: 2 }] };
    const z = (shape: number[]) => ({ shape, data: 'base64:' + Buffer.alloc(4 * shape.reduce((a, b) => a * b, 1)).toString('base64') });
    f.parameters = {
      'c.weight': z([2, 1, 3, 2]),
      'l.weight_ih_l0': z([8, 4]), 'l.weight_hh_l0': z([8, 2]), 'l.bias_ih_l0': z([8]), 'l.bias_hh_l0': z([8]),
      'l.weight_ih_l1': z([8, 2]), 'l.weight_hh_l1': z([8, 2]), 'l.bias_ih_l1': z([8]),
    };
    expect(refusal(f).message).toContain('missing parameter l.bias_hh_l1');
    f.parameters['l.bias_hh_l1'] = z([8]);
    expect(() => parseCheckpoint(JSON.stringify(f), FILE)).not.toThrow();
  });
  it('can be called on an edited checkpoint', () => {
    const c = parseCheckpoint(JSON.stringify(baseFile()), FILE);
    c.parameters.delete('fc2.bias');
    expect(() => checkModelAgreement(c, 'edited')).toThrow(CheckpointError);
    expect(() => checkModelAgreement(c, 'edited')).toThrow(/edited: fc2.bias: missing parameter fc2.bias/);
  });
});
