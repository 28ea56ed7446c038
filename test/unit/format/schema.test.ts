// The JSON Schema VS Code uses for *.weights.json must accept every valid file (so it never
// marks a good checkpoint red) and should catch the common mistakes in model layers.
// ajv is available through @vscode/vsce's dependencies; it validates draft-07 as VS Code does.
import { describe, expect, it } from 'vitest';
import Ajv from 'ajv';
import schema from '../../../schemas/weights.schema.json';
import { parseCheckpoint } from '../../../src/format/parse';
import { serializeCheckpoint } from '../../../src/format/serialize';
import { baseFile, FILE } from './helpers';

const ajv = new Ajv({ strict: false, allErrors: true });
const validate = ajv.compile(schema);
const ok = (obj: unknown) => { const r = validate(obj); return r ? 'valid' : ajv.errorsText(validate.errors); };

function allLayersFile() {
  const z = (shape: number[]) => ({ shape, data: 'base64:' + Buffer.alloc(4 * shape.reduce((a, b) => a * b, 1)).toString('base64') });
  return {
    format: 'weights.json', version: 1,
    model: { name: 'all', input_shape: [1, 8, 8], layers: [
      { type: 'Conv2d', name: 'conv', in_channels: 1, out_channels: 2, kernel_size: 3, stride: [1, 1], padding: 1, bias: true },
      { type: 'LeakyReLU', negative_slope: 0.1 }, { type: 'MaxPool2d', kernel_size: 2, stride: 2 }, { type: 'Dropout', p: 0.2 },
      { type: 'Flatten', start_dim: 1 }, { type: 'Linear', name: 'fc', in_features: 32, out_features: 4 }, { type: 'GELU' },
      { type: 'Tanh' }, { type: 'Sigmoid' }, { type: 'ReLU' },
    ] },
    parameters: { 'conv.weight': z([2, 1, 3, 3]), 'conv.bias': z([2]), 'fc.weight': z([4, 32]), 'fc.bias': { shape: [4], data: [1, 2, 3, 4] } },
    buffers: { count: { shape: [], dtype: 'int64', data: 3 }, mask: { shape: [2], dtype: 'bool', data: [true, false] } },
    optimizer: { type: 'AdamW', lr: 0.001, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0.01, amsgrad: false },
    optimizer_state: { 'fc.bias': { step: 2, exp_avg: { shape: [4], data: [0, 0, 0, 0] } } },
    training: { dataset: 'spiral', loss: 'cross_entropy', epochs: 5, batch_size: 8, shuffle: true, seed: 0, history: [{ epoch: 1, loss: 1.1, accuracy: 0.3 }] },
    metadata: { anything: [1, { x: null }] },
    'x-unknown': true,
  };
}

describe('schemas/weights.schema.json', () => {
  it('accepts valid files: every layer type, every section, base64, nested, flat and scalar data', () => {
    const f = allLayersFile();
    expect(() => parseCheckpoint(JSON.stringify(f), FILE)).not.toThrow(); // the reader agrees it is valid
    expect(ok(f)).toBe('valid');
    expect(ok(baseFile())).toBe('valid');
    const flat = baseFile(); flat.parameters['fc1.weight'].data = [1, 2, 3, 4, 5, 6];
    expect(ok(flat)).toBe('valid');
    const lstm = { format: 'weights.json', version: 1, model: { layers: [{ type: 'LSTM', input_size: 1, hidden_size: 2, num_layers: 1, batch_first: true }] }, parameters: {} };
    expect(ok(lstm)).toBe('valid');
  });
  it('accepts what the writer writes (finite data), in both encodings', () => {
    const c = parseCheckpoint(JSON.stringify(allLayersFile()), FILE);
    for (const encoding of ['nested', 'base64'] as const) expect(ok(JSON.parse(serializeCheckpoint(c, { encoding })))).toBe('valid');
  });
  it('flags the usual mistakes', () => {
    const typo = baseFile(); typo.model.layers[0].out_feature = 3;
    expect(ok(typo)).not.toBe('valid');
    const missing = baseFile(); delete missing.model.layers[0].in_features;
    expect(ok(missing)).toMatch(/in_features/);
    const badType = baseFile(); badType.model.layers[1].type = 'Softmax';
    expect(ok(badType)).not.toBe('valid');
    const badDtype = baseFile(); badDtype.parameters['fc1.bias'].dtype = 'float8';
    expect(ok(badDtype)).not.toBe('valid');
    const badData = baseFile(); badData.parameters['fc1.bias'].data = 'hello';
    expect(ok(badData)).not.toBe('valid');
    const lstm = { format: 'weights.json', version: 1, model: { layers: [{ type: 'LSTM', input_size: 1, hidden_size: 2, batch_first: false }] }, parameters: {} };
    expect(ok(lstm)).not.toBe('valid');
    expect(ok({ ...baseFile(), version: 2 })).not.toBe('valid');
  });
});
