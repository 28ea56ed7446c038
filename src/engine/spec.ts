// The architecture vocabulary shared by every layer of the product: layer specs as the
// `.weights.json` format spells them (PyTorch's names and defaults), and the parameters each
// layer owns, named and shaped exactly as `nn.Sequential(...).state_dict()` names and shapes them.
// Pure data and functions: no tensors, no I/O, no `vscode`.

export type LayerType =
  | 'Linear' | 'Conv2d' | 'LSTM' | 'MaxPool2d' | 'Flatten' | 'Dropout'
  | 'ReLU' | 'Tanh' | 'Sigmoid' | 'GELU' | 'LeakyReLU';

export interface LinearSpec { type: 'Linear'; name?: string; in_features: number; out_features: number; bias?: boolean }
export interface Conv2dSpec {
  type: 'Conv2d'; name?: string; in_channels: number; out_channels: number;
  kernel_size: number | [number, number]; stride?: number | [number, number]; padding?: number | [number, number]; bias?: boolean;
}
export interface LSTMSpec {
  type: 'LSTM'; name?: string; input_size: number; hidden_size: number; num_layers?: number; bias?: boolean; batch_first?: boolean;
}
export interface MaxPool2dSpec { type: 'MaxPool2d'; name?: string; kernel_size: number | [number, number]; stride?: number | [number, number] }
export interface FlattenSpec { type: 'Flatten'; name?: string; start_dim?: number }
export interface DropoutSpec { type: 'Dropout'; name?: string; p?: number }
export interface LeakyReLUSpec { type: 'LeakyReLU'; name?: string; negative_slope?: number }
export interface PlainActivationSpec { type: 'ReLU' | 'Tanh' | 'Sigmoid' | 'GELU'; name?: string }

export type LayerSpec =
  | LinearSpec | Conv2dSpec | LSTMSpec | MaxPool2dSpec | FlattenSpec | DropoutSpec | LeakyReLUSpec | PlainActivationSpec;

export interface ModelSpec {
  name?: string;
  input_shape?: number[];
  layers: LayerSpec[];
  /** Unknown keys of the `model` object, kept untouched on save. */
  [extra: string]: unknown;
}

export const LAYER_TYPES: readonly LayerType[] = [
  'Linear', 'Conv2d', 'LSTM', 'MaxPool2d', 'Flatten', 'Dropout', 'ReLU', 'Tanh', 'Sigmoid', 'GELU', 'LeakyReLU',
];

/** The state_dict prefix of a layer: its `name`, or its index in the list as nn.Sequential does. */
export function layerPrefix(layer: LayerSpec, index: number): string {
  return layer.name ?? String(index);
}

export function pair(v: number | [number, number]): [number, number] {
  return Array.isArray(v) ? [v[0], v[1]] : [v, v];
}

/** One parameter a layer owns, with its full state_dict name. */
export interface ParamSlot {
  name: string;          // e.g. "fc1.weight", "0.bias", "lstm.weight_ih_l1"
  local: string;         // the name inside the layer: "weight", "bias", "weight_ih_l1"
  layerIndex: number;
  layerPrefix: string;
  shape: number[];
  kind: 'weight' | 'bias';
}

/** Parameters of one layer in PyTorch's registration order. */
export function layerParams(layer: LayerSpec, index: number): ParamSlot[] {
  const prefix = layerPrefix(layer, index);
  const slot = (local: string, shape: number[], kind: 'weight' | 'bias'): ParamSlot =>
    ({ name: `${prefix}.${local}`, local, layerIndex: index, layerPrefix: prefix, shape, kind });
  switch (layer.type) {
    case 'Linear': {
      const out = [slot('weight', [layer.out_features, layer.in_features], 'weight')];
      if (layer.bias !== false) out.push(slot('bias', [layer.out_features], 'bias'));
      return out;
    }
    case 'Conv2d': {
      const [kh, kw] = pair(layer.kernel_size);
      const out = [slot('weight', [layer.out_channels, layer.in_channels, kh, kw], 'weight')];
      if (layer.bias !== false) out.push(slot('bias', [layer.out_channels], 'bias'));
      return out;
    }
    case 'LSTM': {
      const h = layer.hidden_size;
      const out: ParamSlot[] = [];
      for (let k = 0; k < (layer.num_layers ?? 1); k++) {
        const inSize = k === 0 ? layer.input_size : h;
        out.push(slot(`weight_ih_l${k}`, [4 * h, inSize], 'weight'));
        out.push(slot(`weight_hh_l${k}`, [4 * h, h], 'weight'));
        if (layer.bias !== false) {
          out.push(slot(`bias_ih_l${k}`, [4 * h], 'bias'));
          out.push(slot(`bias_hh_l${k}`, [4 * h], 'bias'));
        }
      }
      return out;
    }
    default:
      return [];
  }
}

/** Every parameter of a model, in state_dict order. */
export function modelParams(model: ModelSpec): ParamSlot[] {
  return model.layers.flatMap((l, i) => layerParams(l, i));
}

/**
 * Output shape (one sample, no batch dimension) of each layer for a given input shape, or
 * null from the first layer whose input does not fit (the reason is in `error`).
 */
export function layerOutputShapes(model: ModelSpec, inputShape = model.input_shape): { shapes: (number[] | null)[]; error?: string } {
  const shapes: (number[] | null)[] = [];
  let cur: number[] | null = inputShape ? [...inputShape] : null;
  let error: string | undefined;
  model.layers.forEach((layer, i) => {
    if (cur === null) { shapes.push(null); return; }
    const fail = (msg: string) => { error ??= `layer ${layerPrefix(layer, i)} (${layer.type}): ${msg}`; cur = null; };
    const s: number[] = cur;
    switch (layer.type) {
      case 'Linear':
        if (s[s.length - 1] !== layer.in_features) fail(`expected last dimension ${layer.in_features}, got [${s.join(', ')}]`);
        else cur = [...s.slice(0, -1), layer.out_features];
        break;
      case 'Conv2d': {
        if (s.length !== 3 || s[0] !== layer.in_channels) { fail(`expected [${layer.in_channels}, H, W], got [${s.join(', ')}]`); break; }
        const [kh, kw] = pair(layer.kernel_size), [sh, sw] = pair(layer.stride ?? 1), [ph, pw] = pair(layer.padding ?? 0);
        const oh = Math.floor((s[1] + 2 * ph - kh) / sh) + 1, ow = Math.floor((s[2] + 2 * pw - kw) / sw) + 1;
        if (oh <= 0 || ow <= 0) fail(`input [${s.join(', ')}] is smaller than the kernel`);
        else cur = [layer.out_channels, oh, ow];
        break;
      }
      case 'MaxPool2d': {
        if (s.length !== 3) { fail(`expected [C, H, W], got [${s.join(', ')}]`); break; }
        const [kh, kw] = pair(layer.kernel_size), [sh, sw] = pair(layer.stride ?? layer.kernel_size);
        const oh = Math.floor((s[1] - kh) / sh) + 1, ow = Math.floor((s[2] - kw) / sw) + 1;
        if (oh <= 0 || ow <= 0) fail(`input [${s.join(', ')}] is smaller than the pooling window`);
        else cur = [s[0], oh, ow];
        break;
      }
      case 'Flatten': {
        // start_dim counts the batch dimension, as in PyTorch: 1 flattens everything of a sample.
        const start = Math.max(0, (layer.start_dim ?? 1) - 1);
        cur = [...s.slice(0, start), s.slice(start).reduce((a, b) => a * b, 1)];
        break;
      }
      case 'LSTM':
        if (s.length !== 2 || s[1] !== layer.input_size) fail(`expected [time, ${layer.input_size}], got [${s.join(', ')}]`);
        else cur = [layer.hidden_size];
        break;
      default:
        break; // activations and dropout keep the shape
    }
    shapes.push(cur);
  });
  return { shapes, error };
}

export const numel = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
