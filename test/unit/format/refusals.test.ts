import { describe, expect, it } from 'vitest';
import { baseFile, FILE, refusal } from './helpers';

/** Every refusal must be one line naming the file, the parameter (where there is one) and what was expected. */
function expectRefusal(input: Record<string, any> | string, param: string | undefined, ...parts: (string | RegExp)[]) {
  const e = refusal(input);
  expect(e.message.startsWith(`${FILE}: `)).toBe(true);
  expect(e.message).not.toContain('\n');
  expect(e.param).toBe(param);
  if (param) expect(e.message).toContain(param);
  for (const p of parts) expect(e.message).toMatch(p);
  return e;
}

const withTensor = (t: unknown) => { const f = baseFile(); delete f.model; f.parameters = { w: t }; return f; };

describe('top-level refusals', () => {
  it('format', () => {
    const f = baseFile(); f.format = 'state_dict';
    expectRefusal(f, 'format', 'expected "weights.json"', '"state_dict"');
    const g = baseFile(); delete g.format;
    expectRefusal(g, 'format', 'expected "weights.json", got nothing');
  });
  it('version: newer, and anything else', () => {
    const f = baseFile(); f.version = 2;
    expectRefusal(f, 'version', 'version 2 is newer than this Weightscope understands (1); update Weightscope');
    const g = baseFile(); g.version = '1';
    expectRefusal(g, 'version', 'expected 1, got "1"');
  });
  it('parameters missing or not an object', () => {
    const f = baseFile(); delete f.parameters; delete f.model;
    expectRefusal(f, 'parameters', 'missing', 'expected an object');
    const g = baseFile(); g.parameters = []; delete g.model;
    expectRefusal(g, 'parameters', 'expected an object, name → tensor, got an array');
  });
  it('root not an object', () => {
    expectRefusal('[1, 2]', undefined, 'expected a JSON object');
  });
  it('malformed JSON names line and column', () => {
    expectRefusal('{\n  "format": "weights.json",\n  "version": 1,,\n}', undefined, /malformed JSON/, /line 3, column 16/);
    expectRefusal('{"a": Nan}', undefined, /line 1, column 7/);
    // NaN / Infinity are read as whole tokens only, never inside a longer one.
    expectRefusal('{"format": "weights.json", "version": 1, "parameters": {"w": {"shape": [1], "data": [-3Infinity]}}}', undefined, /malformed JSON/);
    expectRefusal('{"format": "weights.json", "version": 1, "parameters": {"w": {"shape": [1], "data": [NaN1]}}}', undefined, /malformed JSON/);
    expectRefusal('', undefined, /empty/);
  });
});

describe('tensor refusals', () => {
  it('a tensor that is not an object', () => {
    expectRefusal(withTensor([1, 2]), 'w', 'expected a tensor object', 'got an array');
  });
  it('shape not an array of non-negative integers', () => {
    expectRefusal(withTensor({ shape: [2, -1], data: [] }), 'w', 'shape must be an array of non-negative integers', '[2,-1]');
    expectRefusal(withTensor({ shape: [1.5], data: [1] }), 'w', 'non-negative integers');
    expectRefusal(withTensor({ shape: '3', data: [1, 2, 3] }), 'w', 'non-negative integers');
  });
  it('unknown dtype lists the known ones', () => {
    expectRefusal(withTensor({ shape: [1], dtype: 'float8', data: [1] }), 'w', 'unknown dtype "float8"', 'float32, float64, float16, bfloat16, int64, int32, uint8, bool');
  });
  it('element count mismatch: flat and 1-D', () => {
    expectRefusal(withTensor({ shape: [2, 3], data: [1, 2, 3, 4, 5] }), 'w', 'data has 5 elements (a flat array), expected 6 for shape [2, 3]');
    expectRefusal(withTensor({ shape: [4], data: [1, 2, 3] }), 'w', 'data has 3 elements, expected 4 for shape [4]');
  });
  it('nesting mismatch says where and what was expected', () => {
    expectRefusal(withTensor({ shape: [2, 3], data: [[1, 2, 3], [4, 5]] }), 'w', 'does not match shape [2, 3]', 'data[1] has 2 elements, expected 3');
    expectRefusal(withTensor({ shape: [3, 2], data: [[1, 2], [3, 4]] }), 'w', 'data has 2 elements, expected 3');
    expectRefusal(withTensor({ shape: [2, 2], data: [[1, 2], 3] }), 'w', 'data[1] is number 3, expected an array of 2');
  });
  it('a non-number element names its index', () => {
    expectRefusal(withTensor({ shape: [2, 2], data: [[1, 2], [3, 'x']] }), 'w', 'data element [1, 1] is the string "x", expected a number');
    expectRefusal(withTensor({ shape: [3], data: [1, null, 3] }), 'w', 'data element [1] is null, expected a number');
  });
  it('bool tensors take booleans only, numeric tensors numbers only', () => {
    expectRefusal(withTensor({ shape: [2], dtype: 'bool', data: [true, 1] }), 'w', 'data element [1] is number 1, expected true or false (dtype bool)');
    expectRefusal(withTensor({ shape: [2], dtype: 'float32', data: [1, true] }), 'w', 'data element [1] is boolean true, expected a number');
    expectRefusal(withTensor({ shape: [1], dtype: 'int32', data: [1.5] }), 'w', 'expected an integer in the int32 range');
    expectRefusal(withTensor({ shape: [1], dtype: 'uint8', data: [256] }), 'w', 'expected an integer from 0 to 255');
    expectRefusal(withTensor({ shape: [1], dtype: 'int64', data: [2 ** 60] }), 'w', /within ±2\^53.*base64/);
  });
  it('base64 of the wrong byte length', () => {
    // 8 bytes of data for a [3] float32 tensor (12 bytes).
    expectRefusal(withTensor({ shape: [3], data: 'base64:AAAAAAAAAAA=' }), 'w', 'base64 data has 8 bytes, expected 12 bytes for shape [3] × float32');
    expectRefusal(withTensor({ shape: [1], data: 'base64:AAA!AA==' }), 'w', /base64/);
    expectRefusal(withTensor({ shape: [1], data: 'base64:A' }), 'w', /not valid base64/);
  });
  it('a data string that is not base64', () => {
    expectRefusal(withTensor({ shape: [1], data: 'hello' }), 'w', 'expected nested arrays, a flat array or "base64:…"');
  });
  it('requires_grad not a boolean', () => {
    expectRefusal(withTensor({ shape: [1], requires_grad: 'yes', data: [1] }), 'w', 'requires_grad must be true or false');
  });
  it('buffers are named with their section', () => {
    const f = baseFile(); f.buffers = { running_mean: { shape: [2], data: [1] } };
    expectRefusal(f, 'buffers.running_mean', 'expected 2');
  });
});

describe('model and section refusals', () => {
  it('unknown layer type', () => {
    const f = baseFile(); f.model.layers[1] = { type: 'Softmax' };
    expectRefusal(f, 'model.layers[1].type', 'unknown layer type "Softmax"', 'Linear, Conv2d, LSTM');
  });
  it('required field missing or not a positive integer', () => {
    const f = baseFile(); delete f.model.layers[0].in_features;
    expectRefusal(f, 'model.layers[0] (Linear).in_features', 'missing', 'a positive integer');
    const g = baseFile(); g.model.layers[0].out_features = 0;
    expectRefusal(g, 'model.layers[0] (Linear).out_features', 'expected a positive integer, got number 0');
  });
  it('unknown layer field (a typo) is refused with the known ones', () => {
    const f = baseFile(); f.model.layers[0].out_feature = 3;
    expectRefusal(f, 'model.layers[0] (Linear).out_feature', 'unknown field for Linear', 'out_features');
  });
  it('LSTM batch_first=false is refused', () => {
    const f = baseFile(); delete f.model; f.parameters = {};
    f.model = { layers: [{ type: 'LSTM', input_size: 1, hidden_size: 1, batch_first: false }] };
    expectRefusal(f, 'model.layers[0] (LSTM).batch_first', 'false is not supported');
  });
  it('duplicate layer names', () => {
    const f = baseFile(); f.model.layers[2].name = 'fc1';
    expectRefusal(f, 'model.layers[2] (Linear).name', 'already the name of model.layers[0]');
  });
  it('optimizer type and fields', () => {
    const f = baseFile(); f.optimizer = { type: 'RMSprop' };
    expectRefusal(f, 'optimizer.type', 'unknown optimizer "RMSprop"', 'SGD, Adam, AdamW');
    const g = baseFile(); g.optimizer = { type: 'Adam', betas: [0.9] };
    expectRefusal(g, 'optimizer.betas', 'two numbers');
    const h = baseFile(); h.optimizer = { type: 'SGD', lr: -1 };
    expectRefusal(h, 'optimizer.lr', 'non-negative number');
  });
  it('training fields', () => {
    const f = baseFile(); f.training = { loss: 'hinge' };
    expectRefusal(f, 'training.loss', 'unknown loss "hinge"', 'mse, bce_with_logits, cross_entropy');
    const g = baseFile(); g.training = { batch_size: 0 };
    expectRefusal(g, 'training.batch_size', 'integer ≥ 1');
  });
  it('optimizer_state tensors are validated like parameters', () => {
    const f = baseFile(); f.optimizer_state = { 'fc1.bias': { step: 3, exp_avg: { shape: [3], data: [1, 2] } } };
    expectRefusal(f, 'optimizer_state.fc1.bias.exp_avg', 'data has 2 elements, expected 3');
  });
});
