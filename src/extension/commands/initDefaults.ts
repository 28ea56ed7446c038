// The initialisation a layer most likely wants, from the activation that follows it: He/Kaiming
// before a ReLU or LeakyReLU (the rectifier halves the variance), Glorot/Xavier before tanh or
// sigmoid (and for an LSTM, whose gates are sigmoid and tanh). Pure, so it is unit-tested alone.
import { calculateGain, type InitOptions, type InitScheme } from '../../engine/init';
import { layerPrefix, type LayerSpec, type ModelSpec } from '../../engine/spec';

export interface InitSuggestion { scheme: InitScheme; options: InitOptions }

/** Layers that pass values through unchanged in kind, so the activation after them is what counts. */
const SHAPE_ONLY = new Set(['Dropout', 'Flatten', 'MaxPool2d']);

/** The activation layer that the layer at `index` feeds, skipping dropout / flatten / pooling. */
export function followingActivation(layers: readonly LayerSpec[], index: number): LayerSpec | undefined {
  for (let i = index + 1; i < layers.length; i++) {
    const l = layers[i];
    if (SHAPE_ONLY.has(l.type)) continue;
    return ['ReLU', 'LeakyReLU', 'Tanh', 'Sigmoid', 'GELU'].includes(l.type) ? l : undefined;
  }
  return undefined;
}

/** The suggested scheme for one layer that has parameters. */
export function suggestInitForLayer(layers: readonly LayerSpec[], index: number): InitSuggestion {
  if (layers[index]?.type === 'LSTM') return { scheme: 'xavier_uniform', options: { gain: 1 } };
  const next = followingActivation(layers, index);
  switch (next?.type) {
    case 'ReLU':
    case 'GELU':
      return { scheme: 'kaiming_uniform', options: { nonlinearity: 'relu', mode: 'fan_in' } };
    case 'LeakyReLU': {
      const a = next.negative_slope ?? 0.01;
      return { scheme: 'kaiming_uniform', options: { nonlinearity: 'leaky_relu', a, mode: 'fan_in' } };
    }
    case 'Tanh':
      return { scheme: 'xavier_uniform', options: { gain: calculateGain('tanh') } };
    case 'Sigmoid':
      return { scheme: 'xavier_uniform', options: { gain: calculateGain('sigmoid') } };
    default:
      // The output layer (nothing follows): PyTorch's own reset_parameters() is the safe choice.
      return { scheme: 'default', options: {} };
  }
}

/**
 * The suggestion for a selection of parameter names: the layers they belong to must agree on a
 * scheme, else (or without a model) `default` when there is a model, `xavier_uniform` without.
 */
export function suggestInit(model: ModelSpec | undefined, paramNames: readonly string[]): InitSuggestion {
  if (!model) return { scheme: 'xavier_uniform', options: {} };
  const indices = new Set<number>();
  model.layers.forEach((l, i) => {
    const prefix = layerPrefix(l, i);
    if (paramNames.some((n) => n === prefix || n.startsWith(prefix + '.'))) indices.add(i);
  });
  const suggestions = [...indices].map((i) => suggestInitForLayer(model.layers, i));
  if (suggestions.length === 0) return { scheme: 'default', options: {} };
  const first = suggestions[0];
  const same = suggestions.every((s) => s.scheme === first.scheme && JSON.stringify(s.options) === JSON.stringify(first.options));
  return same ? first : { scheme: 'default', options: {} };
}
