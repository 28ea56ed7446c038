// The webview reduces and colours a large tensor in steps so its main thread stays responsive:
// the step-wise computations give the same results as at once, and yield after bounded work.
import { describe, expect, it } from 'vitest';
import { absPercentile, absPercentileSteps } from '../../../src/view/colormap';
import { layoutFor } from '../../../src/view/layout';
import { drain, reduceGridSteps, reduceToGrid, reduceToGridSteps, STEP_ELEMENTS } from '../../../src/view/reduce';

function sortedPercentile(values: ArrayLike<number>, p: number): number {
  const mags = Array.from(values).filter(Number.isFinite).map(Math.abs).sort((a, b) => a - b);
  if (mags.length === 0) return 0;
  if (p >= 100) return mags[mags.length - 1];
  return mags[Math.max(1, Math.ceil((p / 100) * mags.length)) - 1];
}

function seeded(n: number, seed = 7): Float32Array {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
  return Float32Array.from({ length: n }, () => (rnd() - 0.5) * Math.exp(6 * rnd()));
}

describe('step-wise reduction and percentile', () => {
  it('the linear-time percentile equals the sorted nearest rank, NaN and infinities ignored', () => {
    const v = seeded(50_000);
    v[3] = NaN; v[10] = Infinity; v[11] = -Infinity;
    for (const p of [0, 1, 50, 95, 99, 99.9, 100]) expect(absPercentile(v, p)).toBe(sortedPercentile(v, p));
    expect(absPercentile([NaN], 99)).toBe(0);
    expect(absPercentile([0, 0, 0], 99)).toBe(0);
  });

  it('a 4M-element percentile yields every STEP_ELEMENTS values', () => {
    const v = new Float32Array(1 << 22).fill(1);
    v[5] = 2; // not all equal: the histogram passes run
    const steps = absPercentileSteps(v, 99);
    let yields = 0;
    while (!steps.next().done) yields++;
    expect(yields).toBeGreaterThanOrEqual(2 * ((1 << 22) / STEP_ELEMENTS) - 2);
  });

  it('values crowded into one histogram bin are narrowed pass by pass, never sorted all at once', () => {
    // 1M values within 1e-3 of 1 and one outlier at 1000: the first pass puts nearly all of them in
    // one bin of 4096; the rank is found by narrowing that bin, and the answer is still exact.
    const v = Float32Array.from({ length: 1 << 20 }, (_, k) => (k % 2 ? -1 : 1) * (1 + ((k * 7919) % 1000) * 1e-6));
    v[12345] = 1000; v[7] = NaN;
    const sorts: number[] = [];
    const sort = Float64Array.prototype.sort;
    Float64Array.prototype.sort = function (this: Float64Array, ...args: Parameters<typeof sort>) { sorts.push(this.length); return sort.apply(this, args); };
    try {
      for (const p of [50, 99, 99.9]) expect(absPercentile(v, p)).toBe(sortedPercentile(v, p));
    } finally {
      Float64Array.prototype.sort = sort;
    }
    expect(Math.max(...sorts)).toBeLessThanOrEqual(1 << 16);
    const equal = new Float32Array(1 << 20).fill(-3);
    expect(absPercentile(equal, 99)).toBe(3);
  });

  it('the step-wise grid reduction is the same grid, and yields after bounded work', () => {
    const shape = [2048, 2048], v = seeded(2048 * 2048);
    const l = layoutFor(shape, { local: 'weight' });
    const steps = reduceToGridSteps(l, v, 1024, 1024);
    let yields = 0, r;
    while (!(r = steps.next()).done) yields++;
    const once = reduceToGrid(l, v, 1024, 1024);
    expect(Array.from(r.value.index)).toEqual(Array.from(once.index));
    // each step visits about STEP_ELEMENTS elements: 4M elements make about 64 steps, not one
    expect(yields).toBeGreaterThanOrEqual(Math.floor((2048 * 2048) / STEP_ELEMENTS) - 1);
    const coarse = drain(reduceGridSteps(once, 300, 300));
    expect(coarse.rows).toBeLessThanOrEqual(300);
  });
});
