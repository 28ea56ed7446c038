// Our torch.nn.init against PyTorch's, from test/fixtures/parity/init.json (test/parity/gen_init.py):
// gains and fans exactly, the refusals word for word, and every scheme's draws against torch's
// formulas (exactly) and torch's own empirical statistics (within sampling tolerance).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  calculateGain, defaultInitLayer, fanInAndFanOut, initBounds, initTensor, InitError,
  type InitOptions, type InitScheme,
} from '../../../src/engine/init';
import { Rng } from '../../../src/engine/rng';
import type { LayerSpec } from '../../../src/engine/spec';
import { layerParams, numel } from '../../../src/engine/spec';

interface Stats { mean: number; std: number; min: number; max: number; n: number }
interface Fixture {
  gains: { nonlinearity: string; param: number | null; gain: number }[];
  fans: { shape: number[]; fan_in: number; fan_out: number }[];
  errors: Record<string, string>;
  cases: ({ scheme: string; kwargs: Record<string, number | string>; layer: string; shape: number[] } & Stats)[];
  defaults: ({ layer: string; param: string; shape: number[] } & Stats)[];
}
const fixture: Fixture = JSON.parse(readFileSync(new URL('../../fixtures/parity/init.json', import.meta.url), 'utf8'));

function stats(d: Float32Array): Stats {
  let sum = 0, min = Infinity, max = -Infinity;
  for (const v of d) { sum += v; if (v < min) min = v; if (v > max) max = v; }
  const mean = sum / d.length;
  let sq = 0;
  for (const v of d) sq += (v - mean) ** 2;
  return { mean, std: Math.sqrt(sq / d.length), min, max, n: d.length };
}

/** torch's keyword arguments as ours (uniform's a/b are our low/high). */
function options(scheme: string, kwargs: Record<string, number | string>): InitOptions {
  const o: InitOptions = {};
  for (const [k, v] of Object.entries(kwargs)) {
    if (k === 'a' && typeof v === 'number') { if (scheme === 'uniform') o.low = v; else o.a = v; }
    if (k === 'b' && typeof v === 'number') o.high = v;
    if (k === 'gain' || k === 'mean' || k === 'std' || k === 'val') o[k] = v as number;
    if (k === 'mode') o.mode = v as InitOptions['mode'];
    if (k === 'nonlinearity') o.nonlinearity = v as string;
  }
  return o;
}

/** Two independent samples of the same distribution: how far their means / stds may differ. */
const meanTolerance = (std: number, n: number) => 8 * std * Math.sqrt(2 / n) + 1e-7;
const stdTolerance = (std: number, n: number) => 8 * std * Math.sqrt(1 / n) + 1e-7;

describe('calculate_gain and fans, exactly as torch', () => {
  it.each(fixture.gains)('calculate_gain($nonlinearity, $param) = $gain', ({ nonlinearity, param, gain }) => {
    expect(calculateGain(nonlinearity, param ?? undefined)).toBeCloseTo(gain, 14);
  });
  it.each(fixture.fans)('fans of $shape', ({ shape, fan_in, fan_out }) => {
    expect(fanInAndFanOut(shape)).toEqual({ fanIn: fan_in, fanOut: fan_out });
  });
  it('refuses 1-D tensors with torch\'s own words', () => {
    for (const scheme of ['xavier_uniform', 'kaiming_normal', 'orthogonal'] as const) {
      expect(() => initTensor(new Float32Array(5), [5], scheme, {}, new Rng(0))).toThrow(new InitError(fixture.errors[scheme]));
    }
  });
  it('refuses an unknown nonlinearity and mode', () => {
    expect(() => calculateGain('swish')).toThrow(/Unsupported nonlinearity swish/);
    expect(() => initBounds('kaiming_uniform', [3, 4], { mode: 'fan_avg' as 'fan_in' })).toThrow(/Mode fan_avg not supported/);
  });
});

describe('every scheme against torch\'s draws', () => {
  it.each(fixture.cases)('$scheme $kwargs on $layer $shape', (c) => {
    const data = new Float32Array(numel(c.shape));
    const opts = options(c.scheme, c.kwargs);
    initTensor(data, c.shape, c.scheme as InitScheme, opts, new Rng(42));
    const ours = stats(data);
    const b = initBounds(c.scheme as InitScheme, c.shape, opts);
    if (b.kind === 'constant') {
      expect(ours.min).toBe(Math.fround(b.value));
      expect(ours.max).toBe(Math.fround(b.value));
      expect(c.min).toBeCloseTo(b.value, 7);
      return;
    }
    if (b.kind === 'uniform') {
      // The bound is exact: nothing outside it, and torch's own extremes sit just inside it.
      expect(ours.min).toBeGreaterThanOrEqual(Math.fround(b.low));
      expect(ours.max).toBeLessThanOrEqual(Math.fround(b.high));
      const width = b.high - b.low;
      for (const [extreme, torchValue] of [[b.low, c.min], [b.high, c.max]]) {
        expect(Math.abs(torchValue - extreme)).toBeLessThan(width * 30 / c.n);
      }
      for (const [extreme, ourValue] of [[b.low, ours.min], [b.high, ours.max]]) {
        expect(Math.abs(ourValue - extreme)).toBeLessThan(width * 30 / c.n);
      }
      expect(Math.abs(ours.std - width / Math.sqrt(12))).toBeLessThan(stdTolerance(c.std, c.n));
    }
    if (b.kind === 'normal') {
      expect(Math.abs(ours.std - b.std)).toBeLessThan(stdTolerance(b.std, c.n));
      expect(Math.abs(c.std - b.std)).toBeLessThan(stdTolerance(b.std, c.n)); // torch agrees with our formula
    }
    expect(Math.abs(ours.mean - c.mean)).toBeLessThan(meanTolerance(c.std, c.n));
    expect(Math.abs(ours.std - c.std)).toBeLessThan(stdTolerance(c.std, c.n));
  });
});

describe('orthogonal', () => {
  it.each([[[256, 512], 1], [[64, 32, 3, 3], 2], [[256, 32], 1.5], [[5, 5], 1]] as [number[], number][])(
    '%j with gain %d: W Wᵀ or Wᵀ W is gain²·I',
    (shape, gain) => {
      const data = new Float32Array(numel(shape));
      initTensor(data, shape, 'orthogonal', { gain }, new Rng(7));
      const rows = shape[0], cols = data.length / rows;
      // Orthonormal rows when rows ≤ cols, orthonormal columns otherwise.
      const k = Math.min(rows, cols), byRows = rows <= cols;
      let worst = 0;
      for (let i = 0; i < k; i++) for (let j = i; j < k; j++) {
        let dot = 0;
        if (byRows) for (let c = 0; c < cols; c++) dot += data[i * cols + c] * data[j * cols + c];
        else for (let r = 0; r < rows; r++) dot += data[r * cols + i] * data[r * cols + j];
        worst = Math.max(worst, Math.abs(dot - (i === j ? gain * gain : 0)));
      }
      expect(worst).toBeLessThan(1e-4 * gain * gain);
    },
  );
  it('is sign-corrected like torch: the same draws give the same Q whatever the QR signs', () => {
    const a = new Float32Array(12), b = new Float32Array(12);
    initTensor(a, [4, 3], 'orthogonal', {}, new Rng(3));
    initTensor(b, [4, 3], 'orthogonal', {}, new Rng(3));
    expect(a).toEqual(b);
  });
});

describe('reset_parameters() of each layer type against torch', () => {
  const layers: Record<string, LayerSpec> = {
    'Linear(512,256)': { type: 'Linear', in_features: 512, out_features: 256 },
    'Conv2d(32,64,3)': { type: 'Conv2d', in_channels: 32, out_channels: 64, kernel_size: 3 },
    'LSTM(32,64)': { type: 'LSTM', input_size: 32, hidden_size: 64 },
  };
  it.each(fixture.defaults)('$layer $param', (d) => {
    const layer = layers[d.layer];
    const tensors = new Map(layerParams(layer, 0).map((s) => [s.name, new Float32Array(numel(s.shape))]));
    defaultInitLayer(layer, 0, tensors, new Rng(1));
    const data = tensors.get(`0.${d.param}`) as Float32Array;
    const slot = layerParams(layer, 0).find((s) => s.local === d.param);
    expect(slot?.shape).toEqual(d.shape);
    const ours = stats(data);
    const b = initBounds('default', d.shape, {}, { layer, slot: slot! });
    expect(b.kind).toBe('uniform');
    const bound = (b as { bound: number }).bound;
    expect(ours.min).toBeGreaterThanOrEqual(-Math.fround(bound));
    expect(ours.max).toBeLessThanOrEqual(Math.fround(bound));
    expect(d.max).toBeLessThanOrEqual(bound * (1 + 1e-6)); // torch stays inside our bound…
    expect(d.max).toBeGreaterThan(bound * (1 - 60 / d.n)); // …and reaches it
    expect(Math.abs(ours.std - d.std)).toBeLessThan(stdTolerance(d.std, d.n));
    expect(Math.abs(ours.mean - d.mean)).toBeLessThan(meanTolerance(d.std, d.n));
  });
});
