import { describe, expect, it } from 'vitest';
import { followingActivation, suggestInit, suggestInitForLayer } from '../../../src/extension/commands/initDefaults';
import type { LayerSpec, ModelSpec } from '../../../src/engine/spec';

const lin = (i: number, o: number, name?: string): LayerSpec => ({ type: 'Linear', in_features: i, out_features: o, ...(name ? { name } : {}) });

describe('suggested initialisation', () => {
  it('suggests Kaiming (relu gain) for a layer followed by ReLU', () => {
    const layers: LayerSpec[] = [lin(2, 8), { type: 'ReLU' }, lin(8, 3)];
    expect(suggestInitForLayer(layers, 0)).toEqual({ scheme: 'kaiming_uniform', options: { nonlinearity: 'relu', mode: 'fan_in' } });
  });

  it('passes LeakyReLU’s negative slope to Kaiming', () => {
    const layers: LayerSpec[] = [lin(2, 8), { type: 'LeakyReLU', negative_slope: 0.2 }, lin(8, 3)];
    expect(suggestInitForLayer(layers, 0)).toEqual({ scheme: 'kaiming_uniform', options: { nonlinearity: 'leaky_relu', a: 0.2, mode: 'fan_in' } });
  });

  it('suggests Xavier with the tanh gain before Tanh, gain 1 before Sigmoid', () => {
    const layers: LayerSpec[] = [lin(2, 8), { type: 'Tanh' }, lin(8, 8), { type: 'Sigmoid' }, lin(8, 1)];
    expect(suggestInitForLayer(layers, 0)).toEqual({ scheme: 'xavier_uniform', options: { gain: 5 / 3 } });
    expect(suggestInitForLayer(layers, 2)).toEqual({ scheme: 'xavier_uniform', options: { gain: 1 } });
  });

  it('looks through Dropout, MaxPool2d and Flatten to the activation', () => {
    const layers: LayerSpec[] = [
      { type: 'Conv2d', in_channels: 1, out_channels: 4, kernel_size: 3 }, { type: 'MaxPool2d', kernel_size: 2 },
      { type: 'Dropout' }, { type: 'ReLU' }, { type: 'Flatten' }, lin(36, 3),
    ];
    expect(followingActivation(layers, 0)?.type).toBe('ReLU');
    expect(suggestInitForLayer(layers, 0).scheme).toBe('kaiming_uniform');
  });

  it('keeps PyTorch’s default for the output layer', () => {
    const layers: LayerSpec[] = [lin(2, 8), { type: 'ReLU' }, lin(8, 3)];
    expect(suggestInitForLayer(layers, 2).scheme).toBe('default');
  });

  it('resolves parameter names and layer prefixes to their layers, and falls back when they disagree', () => {
    const model: ModelSpec = { layers: [lin(2, 8, 'fc1'), { type: 'ReLU' }, lin(8, 8, 'fc2'), { type: 'Tanh' }, lin(8, 1, 'out')] };
    expect(suggestInit(model, ['fc1']).scheme).toBe('kaiming_uniform');
    expect(suggestInit(model, ['fc2.weight', 'fc2.bias']).scheme).toBe('xavier_uniform');
    expect(suggestInit(model, ['fc1.weight', 'fc2.weight']).scheme).toBe('default');
    expect(suggestInit(undefined, ['w']).scheme).toBe('xavier_uniform');
  });

  it('does not confuse a prefix with a longer layer name', () => {
    const model: ModelSpec = { layers: [lin(2, 8, 'fc1'), { type: 'ReLU' }, lin(8, 8, 'fc10'), { type: 'Tanh' }] };
    expect(suggestInit(model, ['fc10.weight']).scheme).toBe('xavier_uniform');
  });
});
