import { describe, expect, it } from 'vitest';
import { BUILTIN_DATASETS, DatasetError, makeBuiltinDataset } from '../../../src/engine/datasets/index';
import { digitsRecords } from '../../../src/engine/datasets/digits';
import { SINE_STEP } from '../../../src/engine/datasets/synthetic';

describe('built-in datasets', () => {
  it.each(BUILTIN_DATASETS.map((d) => [d.name]))('%s: shapes agree, same seed same data, other seed other data', (name) => {
    const info = BUILTIN_DATASETS.find((d) => d.name === name)!;
    const a = makeBuiltinDataset(name, { seed: 1 });
    expect(a.inputShape).toEqual(info.inputShape);
    expect(a.task).toBe(info.task);
    expect(a.x.length).toBe(a.n * a.inputShape.reduce((p, q) => p * q, 1));
    expect(a.y.length).toBe(a.n * a.targetSize);
    expect(a.x.every(Number.isFinite)).toBe(true);
    expect(makeBuiltinDataset(name, { seed: 1 })).toEqual(a);
    if (name !== 'digits') expect(makeBuiltinDataset(name, { seed: 2 }).x).not.toEqual(a.x);
    if (a.task !== 'regression') {
      const counts = new Array(a.numClasses).fill(0);
      for (const v of a.y) counts[v]++;
      expect(counts.every((c) => c > 0)).toBe(true); // every class present, labels 0…C−1
      expect(counts.reduce((p, q) => p + q, 0)).toBe(a.n);
    }
  });

  it('xor labels follow the quadrant signs (up to the noise)', () => {
    const d = makeBuiltinDataset('xor', { seed: 3, n: 2000 });
    let agree = 0;
    for (let i = 0; i < d.n; i++) if ((d.x[2 * i] * d.x[2 * i + 1] < 0 ? 1 : 0) === d.y[i]) agree++;
    expect(agree / d.n).toBeGreaterThan(0.9);
    expect(agree / d.n).toBeLessThan(1); // noisy
  });

  it('circles: the inner class lies inside', () => {
    const d = makeBuiltinDataset('circles', { seed: 0, n: 400 });
    for (let i = 0; i < d.n; i++) {
      const r = Math.hypot(d.x[2 * i], d.x[2 * i + 1]);
      if (d.y[i] === 1) expect(r).toBeLessThan(0.75); else expect(r).toBeGreaterThan(0.75);
    }
  });

  it('spiral takes a class count and rounds n to a multiple of it', () => {
    const d = makeBuiltinDataset('spiral', { seed: 0, n: 100, classes: 4 });
    expect(d.n).toBe(100);
    expect(d.numClasses).toBe(4);
    expect(makeBuiltinDataset('spiral', { n: 100 }).n).toBe(99);
    expect(() => makeBuiltinDataset('spiral', { classes: 1 })).toThrow(DatasetError);
  });

  it('sine: next value of the sequence, or sin(x) for a [1] input', () => {
    const seq = makeBuiltinDataset('sine', { seed: 0, inputShape: [12, 1], n: 50 });
    expect(seq.inputShape).toEqual([12, 1]);
    for (let i = 0; i < seq.n; i++) {
      // one wave sampled every SINE_STEP: from x[0] = sin φ and x[1] = sin(φ + step), y = sin(φ + 12·step)
      const s0 = seq.x[i * 12], s1 = seq.x[i * 12 + 1];
      const c0 = (s1 - s0 * Math.cos(SINE_STEP)) / Math.sin(SINE_STEP); // cos(phase)
      const expected = s0 * Math.cos(12 * SINE_STEP) + c0 * Math.sin(12 * SINE_STEP);
      expect(seq.y[i]).toBeCloseTo(expected, 4);
    }
    const fn = makeBuiltinDataset('sine', { seed: 0, inputShape: [1], n: 30 });
    for (let i = 0; i < fn.n; i++) expect(fn.y[i]).toBeCloseTo(Math.sin(fn.x[i]), 6);
    expect(() => makeBuiltinDataset('sine', { inputShape: [3] })).toThrow(/does not fit; expected \[time, 1\] or \[1\]/);
  });

  it('digits are the real UCI digits: 1,797 images, sklearn\'s first image, its class counts', () => {
    const records = digitsRecords();
    expect(records.length).toBe(1797 * 65);
    // sklearn's load_digits().data[0], the famous "0"
    expect(Array.from(records.subarray(0, 64))).toEqual([
      0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0, 0, 3, 15, 2, 0, 11, 8, 0, 0, 4, 12, 0, 0, 8, 8, 0,
      0, 5, 8, 0, 0, 9, 8, 0, 0, 4, 11, 0, 1, 12, 7, 0, 0, 2, 14, 5, 10, 12, 0, 0, 0, 0, 6, 13, 10, 0, 0, 0,
    ]);
    const d = makeBuiltinDataset('digits');
    expect(d.n).toBe(1797);
    const counts = new Array(10).fill(0);
    for (const v of d.y) counts[v]++;
    expect(counts).toEqual([178, 182, 177, 183, 181, 182, 181, 179, 174, 180]); // numpy.bincount(load_digits().target)
    expect(d.x[2]).toBeCloseTo(5 / 16, 7);
    expect(Math.max(...d.x)).toBe(1);
    const flat = makeBuiltinDataset('digits', { inputShape: [64], n: 10 });
    expect(flat.inputShape).toEqual([64]);
    expect(flat.x).toEqual(d.x.subarray(0, 640));
    const two = makeBuiltinDataset('digits', { classes: 2 });
    expect(two.n).toBe(360);
    expect(() => makeBuiltinDataset('digits', { inputShape: [1, 8, 9] })).toThrow(/any shape of 64 values/);
  });

  it('refuses unknown names and bad counts', () => {
    expect(() => makeBuiltinDataset('mnist')).toThrow(/unknown dataset "mnist" \(expected one of xor, circles, moons, spiral, sine, digits/);
    expect(() => makeBuiltinDataset('xor', { n: 0 })).toThrow(DatasetError);
    expect(() => makeBuiltinDataset('xor', { classes: 3 })).toThrow(/only spiral and digits/);
    expect(() => makeBuiltinDataset('moons', { inputShape: [3] })).toThrow(/input shape \[3\] does not fit/);
  });
});
