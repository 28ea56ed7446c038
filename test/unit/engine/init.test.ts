import { describe, expect, it } from 'vitest';
import { initBounds, initTensor, INIT_SCHEMES, isFanBased, SCHEMES, defaultInitBound } from '../../../src/engine/init';
import { Rng } from '../../../src/engine/rng';
import { layerParams, type LayerSpec } from '../../../src/engine/spec';

describe('init descriptions for the UI', () => {
  it('lists every scheme once with a description', () => {
    expect(new Set(INIT_SCHEMES)).toEqual(new Set(['default', 'uniform', 'normal', 'constant', 'zeros', 'ones',
      'xavier_uniform', 'xavier_normal', 'kaiming_uniform', 'kaiming_normal', 'orthogonal']));
    expect(SCHEMES.every((s) => s.description.length > 10)).toBe(true);
    expect(INIT_SCHEMES.filter(isFanBased)).toEqual(['xavier_uniform', 'xavier_normal', 'kaiming_uniform', 'kaiming_normal', 'orthogonal']);
  });

  it('initBounds states the distribution', () => {
    const linear: LayerSpec = { type: 'Linear', in_features: 2, out_features: 8 };
    const [w, b] = layerParams(linear, 0);
    const d = initBounds('default', w.shape, {}, { layer: linear, slot: w });
    expect(d.kind).toBe('uniform');
    expect((d as { bound: number }).bound).toBeCloseTo(Math.SQRT1_2, 12); // 1/√2
    expect(defaultInitBound(linear, b)).toBeCloseTo(Math.SQRT1_2, 12);
    expect(initBounds('kaiming_normal', [8, 2], { mode: 'fan_out', nonlinearity: 'relu' })).toEqual({ kind: 'normal', mean: 0, std: Math.SQRT2 / Math.sqrt(8) });
    expect(initBounds('uniform', [3])).toEqual({ kind: 'uniform', low: 0, high: 1 });
    expect(initBounds('ones', [3])).toEqual({ kind: 'constant', value: 1 });
    expect(initBounds('orthogonal', [3, 3], { gain: 2 })).toEqual({ kind: 'orthogonal', gain: 2 });
    const lstm: LayerSpec = { type: 'LSTM', input_size: 3, hidden_size: 16 };
    expect(defaultInitBound(lstm, layerParams(lstm, 0)[3])).toBe(0.25);
  });

  it('refuses what torch refuses', () => {
    expect(() => initBounds('constant', [2])).toThrow(/constant needs a value/);
    expect(() => initBounds('uniform', [2], { low: 1, high: 0 })).toThrow(/low ≤ high/);
    expect(() => initBounds('default', [2, 2])).toThrow(/needs the layer/);
    expect(() => initTensor(new Float32Array(3), [2, 2], 'zeros', {}, new Rng(0))).toThrow(/holds 3 values/);
  });

  it('Conv2d default uses fan_in = in_channels · kh · kw for weight and bias', () => {
    const conv: LayerSpec = { type: 'Conv2d', in_channels: 2, out_channels: 4, kernel_size: [3, 2] };
    for (const slot of layerParams(conv, 0)) expect(defaultInitBound(conv, slot)).toBeCloseTo(1 / Math.sqrt(12), 12);
  });
});
