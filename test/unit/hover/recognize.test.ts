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

describe('recognizeParameter: the forms of issue 14, as PyTorch names state_dict keys', () => {
  const span = (line: string, word: string) => { const r = at(line, word, 1)!; return line.slice(r.start, r.end); };
  it('model.layer1[0].conv1.weight → layer1.0.conv1.weight (after the root variable\'s own name)', () => {
    const line = 'first = model.layer1[0].conv1.weight';
    for (const word of ['weight', 'layer1', 'conv1', 'model']) {
      expect(names(line, word, 1)?.slice(0, 2)).toEqual(['model.layer1.0.conv1.weight', 'layer1.0.conv1.weight']);
    }
    expect(span(line, 'weight')).toBe('model.layer1[0].conv1.weight');
  });
  it('classifier = model.fc.weight → fc.weight', () => {
    expect(names('classifier = model.fc.weight', 'weight', 1)).toEqual(['model.fc.weight', 'fc.weight']);
  });
  it('self.encoder.layers[2].linear1.bias → encoder.layers.2.linear1.bias', () => {
    expect(names('        y = self.encoder.layers[2].linear1.bias + 1', 'bias', 1)?.slice(0, 2)).toEqual(['self.encoder.layers.2.linear1.bias', 'encoder.layers.2.linear1.bias']);
  });
  it('sd["h.0.attn.c_attn.weight"]: the key as written, hovered on any part of it', () => {
    const line = 'qkv = sd["h.0.attn.c_attn.weight"]';
    for (const word of ['weight', 'c_attn', 'attn', 'h.0']) expect(names(line, word, 1)?.[0]).toBe('h.0.attn.c_attn.weight');
    expect(span(line, 'weight')).toBe('"h.0.attn.c_attn.weight"');
  });
  it('model.state_dict()["…"] and ckpt["model"]["fc.weight"]', () => {
    expect(names('w = model.state_dict()["layer1.0.conv1.weight"]', 'weight', 1)?.[0]).toBe('layer1.0.conv1.weight');
    expect(names('w = ckpt["model"]["fc.weight"]', 'weight', 1)).toEqual(['fc.weight']);
    expect(names("w = ckpt['model']['fc.weight'].shape", 'fc', 1)).toEqual(['fc.weight']);
  });
  const none = [
    ['w = ckpt["model"]["fc.weight"]', 'model'],            // the dict holding the model, not a tensor
    ['w = ckpt["model"]["fc.weight"]', 'ckpt'],
    ['w = model.state_dict()["fc.weight"]', 'state_dict'],  // a method, not a parameter
    ['x = model.layer1[i].conv1.weight', 'weight'],          // an index only known at run time
    ['x = model.layers[-1].weight', 'weight'],               // negative: the key depends on the length
    ['x = model.layer1[0:2].weight', 'weight'],              // a slice is a Sequential, not one block
    ['w = sd[f"h.{i}.attn.c_attn.weight"]', 'weight'],       // an f-string key
    ['w = sd["h.0.attn.c_attn.weights"]', 'weights'],
    ['w = sd["h.0.attn.c_attn"]', 'c_attn'],                 // a module, not a tensor
    ['w = sd["h.0.attn.c_attn.weight "]', 'weight'],         // not a key as PyTorch builds them
    ['s = opt.state_dict()["state"]', 'state'],
    ['model.fc.weight_decay = 0', 'weight_decay'],
  ] as const;
  for (const [line, word] of none) {
    it(`near miss: ${line}  (at ${word})`, () => expect(at(line, word, 1)).toBeNull());
  }
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
