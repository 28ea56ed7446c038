import { describe, expect, it } from 'vitest';
import { recognizeParameter } from '../../../src/extension/hover/recognize';

/** Recognises at the first occurrence of `at` in `line` (plus `shift` characters into it). */
function at(line: string, word: string, shift = 0) {
  const i = line.indexOf(word);
  if (i < 0) throw new Error(`${word} not in ${line}`);
  return recognizeParameter(line, i + shift);
}
const names = (line: string, word: string, shift = 0) => at(line, word, shift)?.candidates ?? null;

describe('recognizeParameter: the forms a user points at', () => {
  it('a dotted name, on its last segment or its first', () => {
    expect(names('w = fc1.weight', 'weight')).toEqual(['fc1.weight', 'weight']);
    expect(names('w = fc1.weight', 'fc1')).toEqual(['fc1.weight', 'weight']);
    expect(names('print(model.fc1.weight.shape)', 'weight')).toEqual(['model.fc1.weight', 'fc1.weight']);
    expect(names('print(model.fc1.weight.shape)', 'model')).toEqual(['model.fc1.weight', 'fc1.weight']);
  });
  it('the highlighted range covers the whole dotted name', () => {
    const line = 'print(model.fc1.weight.shape)';
    const r = at(line, 'fc1')!;
    expect(line.slice(r.start, r.end)).toBe('model.fc1.weight');
  });
  it('self.fc1.bias, deeper paths most specific first', () => {
    expect(names('        x = self.fc1.bias + 1', 'bias')).toEqual(['self.fc1.bias', 'fc1.bias']);
    expect(names('model.encoder.fc1.weight', 'weight')).toEqual(['model.encoder.fc1.weight', 'encoder.fc1.weight', 'fc1.weight']);
  });
  it('a Sequential index: net[0].weight → 0.weight', () => {
    expect(names('w = net[0].weight', 'weight')).toEqual(['net.0.weight', '0.weight']);
    expect(names('w = net[0].weight', 'net')).toEqual(['net.0.weight', '0.weight']);
    expect(names('w = net[0].weight', '0')).toEqual(['net.0.weight', '0.weight']);
    expect(names('m.layers[12].bias', 'bias')).toEqual(['m.layers.12.bias', 'layers.12.bias', '12.bias']);
  });
  it('LSTM parameter names', () => {
    expect(names('h = lstm.weight_hh_l1', 'weight_hh_l1')).toEqual(['lstm.weight_hh_l1', 'weight_hh_l1']);
    expect(names('self.rnn.bias_ih_l0.data', 'bias_ih_l0')).toEqual(['self.rnn.bias_ih_l0', 'rnn.bias_ih_l0']);
  });
  it('state_dict keys in strings, either quote', () => {
    expect(names('w = model.state_dict()["fc1.weight"]', 'fc1')).toEqual(['fc1.weight']);
    expect(names("b = sd['0.bias']", '0.bias')).toEqual(['0.bias']);
    expect(names('x = sd["module.fc1.weight"]', 'fc1')).toEqual(['module.fc1.weight', 'fc1.weight']);
    const line = 'w = model.state_dict()["fc1.weight"]';
    const r = at(line, 'weight')!;
    expect(line.slice(r.start, r.end)).toBe('"fc1.weight"');
  });
  it('a key of the checkpoint JSON text', () => {
    expect(names('    "fc1.weight": {', 'weight')).toEqual(['fc1.weight']);
    expect(names('  "parameters": { "0.bias": {"shape": [8]', '0.bias')).toEqual(['0.bias']);
  });
  it('the bare weight of a one-layer model: modelo.weight', () => {
    expect(names('print(modelo.weight)', 'weight')).toEqual(['modelo.weight', 'weight']);
  });
  it('the cursor just after the name still counts', () => {
    const line = 'fc1.weight';
    expect(recognizeParameter(line, line.length)?.candidates).toEqual(['fc1.weight', 'weight']);
  });
});

describe('recognizeParameter: near-misses name nothing', () => {
  const none = [
    ['weights = load()', 'weights'],
    ['model.weights', 'weights'],
    ['fc1.weights', 'weights'],
    ['def my_weight_fn(x):', 'my_weight_fn'],
    ['opt = SGD(lr=0.1, weight_decay=1e-4)', 'weight_decay'],
    ['cfg.weight_decay = 0.1', 'weight_decay'],
    ['x.weight_decay', 'weight'],
    ['weight = 3', 'weight'],
    ['w = 0.5 * 2', '0.5'],
    ['print("the weight of it")', 'weight'],
    ['s = "fc1.weights"', 'fc1'],
    ['s = "fc1 weight"', 'fc1'],
    ['"shape": [8, 2],', 'shape'],
    ['x = layers[i].weight', 'weight'],
    ['x = get_model().weight', 'weight'],
    ['fc1 = nn.Linear(2, 8)', 'fc1'],
    ['self.fc1.weight_norm', 'weight_norm'],
  ] as const;
  for (const [line, word] of none) {
    it(`${line}  (at ${word})`, () => expect(at(line, word)).toBeNull());
  }
  it('an offset outside the line', () => {
    expect(recognizeParameter('fc1.weight', -1)).toBeNull();
    expect(recognizeParameter('fc1.weight', 99)).toBeNull();
  });
  it('whitespace beside a name is not the name', () => {
    expect(recognizeParameter('x =   fc1.weight', 3)).toBeNull();
  });
});
