import { describe, expect, it } from 'vitest';
import { checkpointTotals, histogram, tensorStats } from '../../../src/format/stats';
import { emptyCheckpoint, makeTensor, toFloat64Array } from '../../../src/format/tensor';
import { numberToHalf } from '../../../src/format/half';
import type { TensorRecord } from '../../../src/format/types';

describe('tensorStats', () => {
  it('population statistics over finite values', () => {
    const s = tensorStats(makeTensor([5], new Float32Array([1, 2, 3, 4, NaN])));
    expect(s.mean).toBe(2.5);
    expect(s.std).toBeCloseTo(Math.sqrt(1.25), 12); // population, not sample (which would be 1.29)
    expect(s.l2).toBeCloseTo(Math.sqrt(30), 12);
    expect(s).toMatchObject({ numel: 5, min: 1, max: 4, zeros: 0, nonfinite: 1, nan: 1 });
  });
  it('null statistics when nothing is finite; empty tensors', () => {
    expect(tensorStats(makeTensor([2], new Float32Array([Infinity, -Infinity])))).toMatchObject({ mean: null, std: null, min: null, max: null, l2: null, posinf: 1, neginf: 1 });
    expect(tensorStats(makeTensor([0], new Float32Array(0)))).toMatchObject({ numel: 0, mean: null });
  });
  it('stable for a large offset (Welford)', () => {
    const d = new Float64Array(100000);
    for (let i = 0; i < d.length; i++) d[i] = 1e9 + (i % 2);
    const s = tensorStats({ shape: [d.length], dtype: 'float64', requires_grad: true, data: d });
    expect(s.std).toBeCloseTo(0.5, 6);
  });
  it('decodes other dtypes', () => {
    const h: TensorRecord = { shape: [2], dtype: 'float16', requires_grad: true, data: new Uint16Array([numberToHalf(1.5), numberToHalf(-0.5)]) };
    expect(tensorStats(h)).toMatchObject({ mean: 0.5, min: -0.5, max: 1.5 });
    const i: TensorRecord = { shape: [3], dtype: 'int64', requires_grad: false, data: new BigInt64Array([1n, 0n, 5n]) };
    expect(tensorStats(i)).toMatchObject({ mean: 2, zeros: 1, max: 5 });
    expect(Array.from(toFloat64Array(i))).toEqual([1, 0, 5]);
    const f: TensorRecord = { shape: [1], dtype: 'float64', requires_grad: true, data: new Float64Array([2]) };
    toFloat64Array(f)[0] = 9; // a copy: the tensor keeps its value
    expect(f.data[0]).toBe(2);
  });
});

describe('histogram', () => {
  it('equal bins over the finite range, last bin closed', () => {
    const h = histogram(makeTensor([6], new Float32Array([0, 1, 2, 3, 4, NaN])), 4);
    expect(Array.from(h.edges)).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(h.counts)).toEqual([1, 1, 1, 2]);
  });
  it('a given range skips values outside it', () => {
    const h = histogram(makeTensor([4], new Float32Array([-5, 0.25, 0.75, 5])), 2, [0, 1]);
    expect(Array.from(h.counts)).toEqual([1, 1]);
  });
});

describe('checkpointTotals', () => {
  it('counts trainable, frozen and bytes over parameters and buffers', () => {
    const c = emptyCheckpoint();
    c.parameters.set('a', makeTensor([2, 3], new Float32Array(6)));
    c.parameters.set('b', makeTensor([4], new Float32Array(4), false));
    c.buffers = new Map([['n', { shape: [2], dtype: 'int64', requires_grad: false, data: new BigInt64Array(2) }]]);
    expect(checkpointTotals(c)).toEqual({ total: 10, trainable: 6, frozen: 4, bytes: 10 * 4 + 2 * 8 });
  });
});
