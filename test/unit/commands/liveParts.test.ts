// The pure pieces of live training and the reinitialisation overlay.
import { describe, expect, it } from 'vitest';
import { boundaryExtent, computeBoundary, gridInputs, hasPlanarInputs } from '../../../src/extension/train/boundary';
import { SnapshotClock } from '../../../src/extension/train/snapshotClock';
import { valueHistogram, histogramsOf } from '../../../src/extension/commands/histogramOverlay';
import { alignHistograms } from '../../../src/webview/training/histogramAlign';
import { trainableL2 } from '../../../src/extension/commands/trainableL2';
import { makeBuiltinDataset } from '../../../src/engine/datasets/index';
import type { TensorRecord } from '../../../src/format/types';

describe('decision boundary grid', () => {
  it('covers the points with a margin and walks the grid row-major from (xMin, yMin)', () => {
    const ext = boundaryExtent(Float32Array.from([0, 0, 10, 20]), 2);
    expect(ext).toEqual({ xMin: -1, xMax: 11, yMin: -2, yMax: 22 });
    const g = gridInputs({ xMin: 0, xMax: 2, yMin: 0, yMax: 2 }, 2);
    expect(Array.from(g)).toEqual([0.5, 0.5, 1.5, 0.5, 0.5, 1.5, 1.5, 1.5]);
  });

  it('takes the argmax class for multiclass data and the sigmoid for one logit', () => {
    const spiral = makeBuiltinDataset('spiral', { n: 30 });
    expect(hasPlanarInputs(spiral)).toBe(true);
    // A "model" that picks class 2 right of x = 0, class 0 left of it.
    const multi = computeBoundary(spiral, (x, n) => {
      const out = new Float32Array(n * 3);
      for (let i = 0; i < n; i++) out[i * 3 + (x[2 * i] > 0 ? 2 : 0)] = 1;
      return out;
    }, 8);
    expect(multi.kind).toBe('multiclass');
    expect(multi.numClasses).toBe(3);
    expect(multi.values[0]).toBe(0);
    expect(multi.values[7]).toBe(2);
    expect(multi.pointsX.length).toBe(60);
    const moons = makeBuiltinDataset('moons', { n: 20 });
    const binary = computeBoundary(moons, (_x, n) => new Float32Array(n).fill(0), 4);
    expect(binary.kind).toBe('binary');
    expect(Array.from(binary.values).every((v) => v === 0.5)).toBe(true);
  });

  it('is not drawn for non-planar inputs', () => {
    expect(hasPlanarInputs({ inputShape: [1, 8, 8] })).toBe(false);
    expect(hasPlanarInputs({ inputShape: [20, 1] })).toBe(false);
  });
});

describe('snapshot throttle', () => {
  it('lets one snapshot through per interval, and the last one always', () => {
    let now = 0;
    const clock = new SnapshotClock(250, () => now);
    expect(clock.due()).toBe(true);
    now = 100; expect(clock.due()).toBe(false);
    now = 260; expect(clock.due()).toBe(true);
    now = 270; expect(clock.due(true)).toBe(true);
    now = 280; expect(clock.due()).toBe(false);
  });
});

describe('histograms for the reinitialise overlay', () => {
  it('counts finite values into equal bins over [min, max]', () => {
    const h = valueHistogram([0, 1, 2, 3, NaN, Infinity], 3);
    expect(h.edges).toEqual([0, 1, 2, 3]);
    expect(h.counts).toEqual([1, 1, 2]);
    expect(valueHistogram([NaN])).toEqual({ edges: [], counts: [] });
    expect(valueHistogram([5, 5], 2)).toEqual({ edges: [4.5, 5, 5.5], counts: [0, 2] });
  });

  it('makes histograms of the named float tensors only', () => {
    const rec = (data: Float32Array | Int32Array): TensorRecord => ({ shape: [data.length], dtype: data instanceof Int32Array ? 'int32' : 'float32', requires_grad: true, data });
    const params = new Map([['a', rec(Float32Array.from([1, 2]))], ['b', rec(Int32Array.from([1]))], ['c', rec(Float32Array.from([3]))]]);
    expect(Object.keys(histogramsOf(params, ['a', 'b']))).toEqual(['a']);
  });

  it('re-bins before and after onto one grid keeping the totals', () => {
    const a = valueHistogram([-1, 0, 1], 4), b = valueHistogram([-0.1, 0.1, 0.05, 0], 4);
    const { x, before, after } = alignHistograms(a, b, 10);
    expect(x.length).toBe(10);
    expect(before.reduce((s, c) => s + c, 0)).toBe(3);
    expect(after.reduce((s, c) => s + c, 0)).toBe(4);
  });
});

describe('L2 norm shown by weight decay', () => {
  it('sums the trainable float parameters only', () => {
    const rec = (values: number[], requires_grad: boolean): TensorRecord => ({ shape: [values.length], dtype: 'float32', requires_grad, data: Float32Array.from(values) });
    expect(trainableL2(new Map([['a', rec([3, 4], true)], ['frozen', rec([100], false)]]))).toBe(5);
  });
});
