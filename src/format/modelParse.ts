// Validation of the `model` section: known layer types, each type's fields present with the right
// kind of value (PyTorch's names), and nothing the spec refuses (LSTM batch_first=false).
// Fields left out keep their PyTorch defaults implicitly (the spec types mark them optional and the
// engine applies the defaults), so a file written back keeps exactly the keys it had.
import { LAYER_TYPES, layerPrefix, type LayerSpec, type ModelSpec } from '../engine/spec';
import { CheckpointError } from './types';
import { describeValue } from './tensorParse';

type FieldKind = 'posInt' | 'nonNegInt' | 'posIntOrPair' | 'nonNegIntOrPair' | 'bool' | 'number' | 'probability' | 'startDim';
interface FieldRule { kind: FieldKind; required?: boolean }

const LAYER_FIELDS: Record<string, Record<string, FieldRule>> = {
  Linear: { in_features: { kind: 'posInt', required: true }, out_features: { kind: 'posInt', required: true }, bias: { kind: 'bool' } },
  Conv2d: {
    in_channels: { kind: 'posInt', required: true }, out_channels: { kind: 'posInt', required: true },
    kernel_size: { kind: 'posIntOrPair', required: true }, stride: { kind: 'posIntOrPair' }, padding: { kind: 'nonNegIntOrPair' }, bias: { kind: 'bool' },
  },
  LSTM: {
    input_size: { kind: 'posInt', required: true }, hidden_size: { kind: 'posInt', required: true },
    num_layers: { kind: 'posInt' }, bias: { kind: 'bool' }, batch_first: { kind: 'bool' },
  },
  MaxPool2d: { kernel_size: { kind: 'posIntOrPair', required: true }, stride: { kind: 'posIntOrPair' } },
  Flatten: { start_dim: { kind: 'startDim' } },
  Dropout: { p: { kind: 'probability' } },
  LeakyReLU: { negative_slope: { kind: 'number' } },
  ReLU: {}, Tanh: {}, Sigmoid: {}, GELU: {},
};

const EXPECTED: Record<FieldKind, string> = {
  posInt: 'a positive integer',
  nonNegInt: 'a non-negative integer',
  posIntOrPair: 'a positive integer or a pair of them',
  nonNegIntOrPair: 'a non-negative integer or a pair of them',
  bool: 'true or false',
  number: 'a number',
  probability: 'a number from 0 to 1',
  startDim: 'an integer ≥ 1 (dimension 0 is the batch)',
};

const isInt = (v: unknown, min: number) => typeof v === 'number' && Number.isInteger(v) && v >= min;
const intOrPair = (v: unknown, min: number) =>
  isInt(v, min) || (Array.isArray(v) && v.length === 2 && isInt(v[0], min) && isInt(v[1], min));

function fits(kind: FieldKind, v: unknown): boolean {
  switch (kind) {
    case 'posInt': return isInt(v, 1);
    case 'nonNegInt': return isInt(v, 0);
    case 'posIntOrPair': return intOrPair(v, 1);
    case 'nonNegIntOrPair': return intOrPair(v, 0);
    case 'bool': return typeof v === 'boolean';
    case 'number': return typeof v === 'number' && Number.isFinite(v);
    case 'probability': return typeof v === 'number' && v >= 0 && v <= 1;
    case 'startDim': return isInt(v, 1);
  }
}

export function parseModel(raw: unknown, file: string): ModelSpec {
  const fail = (param: string, detail: string): never => { throw new CheckpointError(file, detail, param); };
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return fail('model', `expected an object with "layers", got ${describeValue(raw)}`);
  const model = raw as Record<string, unknown>;
  if (model.name !== undefined && typeof model.name !== 'string') fail('model.name', `expected a string, got ${describeValue(model.name)}`);
  if (model.input_shape !== undefined && !(Array.isArray(model.input_shape) && model.input_shape.every((d) => isInt(d, 1)))) {
    fail('model.input_shape', `expected an array of positive integers (one sample, no batch dimension), got ${JSON.stringify(model.input_shape)}`);
  }
  if (!Array.isArray(model.layers)) return fail('model.layers', `expected an array of layers, got ${model.layers === undefined ? 'nothing' : describeValue(model.layers)}`);
  const prefixes = new Map<string, number>();
  model.layers.forEach((layer: unknown, i: number) => {
    const where = `model.layers[${i}]`;
    if (layer === null || typeof layer !== 'object' || Array.isArray(layer)) fail(where, `expected a layer object with a "type", got ${describeValue(layer)}`);
    const l = layer as Record<string, unknown>;
    if (typeof l.type !== 'string' || !(LAYER_TYPES as readonly string[]).includes(l.type)) {
      fail(`${where}.type`, `unknown layer type ${JSON.stringify(l.type)}; expected one of ${LAYER_TYPES.join(', ')}`);
    }
    const type = l.type as string;
    const rules = LAYER_FIELDS[type];
    const at = `${where} (${type})`;
    if (l.name !== undefined && (typeof l.name !== 'string' || l.name === '' || l.name.includes('.'))) {
      fail(`${at}.name`, `expected a non-empty name without ".", got ${describeValue(l.name)}`);
    }
    for (const [field, rule] of Object.entries(rules)) {
      const v = l[field];
      if (v === undefined) {
        if (rule.required) fail(`${at}.${field}`, `missing; ${type} needs ${EXPECTED[rule.kind]} here`);
        continue;
      }
      if (!fits(rule.kind, v)) fail(`${at}.${field}`, `expected ${EXPECTED[rule.kind]}, got ${describeValue(v)}`);
    }
    for (const key of Object.keys(l)) {
      if (key !== 'type' && key !== 'name' && !(key in rules)) {
        const known = Object.keys(rules);
        fail(`${at}.${key}`, `unknown field for ${type}; ${known.length ? `expected ${['name', ...known].join(', ')}` : 'it takes only "name"'}`);
      }
    }
    if (type === 'LSTM' && l.batch_first === false) {
      fail(`${at}.batch_first`, 'false is not supported: the sequence always carries the batch first (leave it out or set true)');
    }
    const prefix = layerPrefix(l as unknown as LayerSpec, i);
    const other = prefixes.get(prefix);
    if (other !== undefined) fail(`${at}.name`, `"${prefix}" is already the name of model.layers[${other}]; layer names must be unique`);
    prefixes.set(prefix, i);
  });
  return model as ModelSpec;
}
