import { describe, expect, it } from 'vitest';
import {
  CHUNK, compareSources, compareValues, orderByChange, rankUnits, sourcesToCompare, ValueComparer,
  type TensorComparison,
} from '../../../src/actions/compare';
import type { LazyTensorSource, RawDType } from '../../../src/format/lazy';
import type { DType, TensorData, TensorRecord } from '../../../src/format/types';
import { numberToBfloat16, numberToHalf } from '../../../src/format/half';

describe('compareValues', () => {
  it('computes max |Δ|, rel_l2, cosine and the changed share in float64', () => {
    const r = compareValues([3, 4], [3, 5]);
    expect(r.maxAbsDiff).toBe(1);
    expect(r.relL2).toBeCloseTo(1 / 5, 15);
    expect(r.cosine).toBeCloseTo((9 + 20) / (5 * Math.sqrt(34)), 15);
    expect(r.changedFraction).toBe(0.5);
    expect(r.same).toBe(false);
  });

  it('NaN equals NaN and +0 equals −0; NaN against a number is a change', () => {
    const same = compareValues([NaN, 0, Infinity, -Infinity], [NaN, -0, Infinity, -Infinity]);
    expect(same.same).toBe(true);
    expect(same.changedFraction).toBe(0);
    expect(same.maxAbsDiff).toBe(0); // over the one finite pair (0, −0)
    expect(same.relL2).toBeNull(); // ‖a‖ over finite pairs is 0
    expect(same.cosine).toBeNull();
    const diff = compareValues([NaN, 1], [1, 1]);
    expect(diff.same).toBe(false);
    expect(diff.changedFraction).toBe(0.5);
    expect(diff.maxAbsDiff).toBe(0); // the NaN pair is not in the norms
    expect(compareValues([Infinity], [-Infinity]).same).toBe(false);
  });

  it('leaves pairs with a non-finite value out of the norms, and gives null with no finite pair', () => {
    const r = compareValues([1, Infinity, 2], [2, 5, NaN]);
    expect(r.maxAbsDiff).toBe(1);
    expect(r.relL2).toBe(1);
    expect(r.cosine).toBe(1);
    expect(r.changedFraction).toBe(1);
    const none = compareValues([NaN, Infinity], [1, 2]);
    expect(none).toMatchObject({ maxAbsDiff: null, relL2: null, cosine: null, changedFraction: 1, same: false });
  });

  it('rel_l2 is null when ‖a‖ = 0; cosine is null when either norm is 0', () => {
    expect(compareValues([0, 0], [1, 0])).toMatchObject({ relL2: null, cosine: null, maxAbsDiff: 1 });
    expect(compareValues([1, 0], [0, 0])).toMatchObject({ relL2: 1, cosine: null });
  });

  it('atol counts |b − a| ≤ atol as equal for same and changedFraction only', () => {
    const r = compareValues([1, 2, 3], [1.001, 2.5, 3], 0.01);
    expect(r.changedFraction).toBeCloseTo(1 / 3, 15);
    expect(r.maxAbsDiff).toBeCloseTo(0.5, 15);
    expect(compareValues([1], [1.001], 0.001).same).toBe(true);
    expect(compareValues([NaN], [1], 1e9).same).toBe(false);
    expect(compareValues([Infinity], [Infinity], 0.5).same).toBe(true);
  });

  it('an empty pair is the same, with no statistics to stand on', () => {
    expect(compareValues([], [])).toEqual({ maxAbsDiff: null, relL2: null, cosine: null, changedFraction: 0, same: true });
  });

  it('keeps the cosine within [−1, 1] and refuses arrays of different lengths', () => {
    const v = [0.1, 0.2, 0.3, 1 / 3, 1e-7];
    expect(compareValues(v, v).cosine).toBe(1);
    expect(compareValues(v, v.map((x) => -x)).cosine).toBe(-1);
    expect(() => compareValues([1], [1, 2])).toThrow(/1 values against 2/);
  });

  it('chunked accumulation gives the one-pass numbers', () => {
    const a = Array.from({ length: 1000 }, (_, i) => Math.sin(i));
    const b = a.map((x, i) => (i % 7 ? x : x + 0.01 * i));
    const c = new ValueComparer();
    for (let i = 0; i < 1000; i += 64) c.add(a.slice(i, i + 64), b.slice(i, i + 64));
    expect(c.result()).toEqual(compareValues(a, b));
  });
});

describe('rankUnits', () => {
  it('ranks the rows of a Linear weight by relative change', () => {
    const a = [1, 0, /* row 1 */ 0, 2, /* row 2 */ 3, 4];
    const b = [1, 0, /* row 1 */ 0, 3, /* row 2 */ 3, 4.5];
    const r = rankUnits(a, b, [3, 2]);
    expect(r.map((u) => u.index)).toEqual([1, 2, 0]);
    expect(r[0]).toEqual({ index: 1, relChange: 0.5, maxAbsDiff: 1 });
    expect(r[1].relChange).toBeCloseTo(0.1, 15);
    expect(r[2]).toEqual({ index: 0, relChange: 0, maxAbsDiff: 0 });
    expect(rankUnits(a, b, [3, 2], 1)).toHaveLength(1);
  });

  it('ranks the filters of a Conv weight (dim-0 slices of a 4-D tensor)', () => {
    const shape = [2, 1, 2, 2];
    const a = [1, 1, 1, 1, 1, 1, 1, 1];
    const b = [1, 1, 1, 1, 1, 1, 1, 3];
    expect(rankUnits(a, b, shape).map((u) => [u.index, u.relChange])).toEqual([[1, 1], [0, 0]]);
  });

  it('a zero row that moved is the most changed (Infinity); zero and unmoved is 0; non-finite pairs are skipped', () => {
    const r = rankUnits([0, 0, 1, NaN, 0, 0], [0, 0.5, 1, 7, 0, 0], [3, 2]);
    expect(r).toEqual([
      { index: 0, relChange: Infinity, maxAbsDiff: 0.5 },
      { index: 1, relChange: 0, maxAbsDiff: 0 },
      { index: 2, relChange: 0, maxAbsDiff: 0 },
    ]);
  });

  it('a 1-D tensor ranks its elements, a 0-D tensor is one unit, and the shape must fit', () => {
    expect(rankUnits([1, 2], [1, 4], [2]).map((u) => u.index)).toEqual([1, 0]);
    expect(rankUnits([2], [3], [])).toEqual([{ index: 0, relChange: 0.5, maxAbsDiff: 1 }]);
    expect(rankUnits([], [], [0, 4])).toEqual([]);
    expect(() => rankUnits([1, 2, 3], [1, 2, 3], [2, 2])).toThrow(/holds 4 values/);
  });
});

function row(name: string, status: TensorComparison['status'], relL2: number | null = null, maxAbsDiff: number | null = null): TensorComparison {
  return { name, status, shapeA: null, shapeB: null, dtypeA: null, dtypeB: null, maxAbsDiff, relL2, cosine: null, changedFraction: status === 'changed' ? 0.5 : null };
}

describe('orderByChange', () => {
  it('shape mismatches, only in A, only in B, changed by rel_l2 (null first), then same; stable', () => {
    const rows = [
      row('s1', 'same', 0, 0), row('c-small', 'changed', 0.01, 1), row('b-only', 'only_in_b'),
      row('c-big', 'changed', 0.5, 0.1), row('a-only', 'only_in_a'), row('c-zero-a', 'changed', null, 0.2),
      row('mm', 'shape_mismatch'), row('s2', 'same', 0, 0), row('c-tie-hi', 'changed', 0.01, 2),
    ];
    expect(orderByChange(rows).map((r) => r.name)).toEqual(
      ['mm', 'a-only', 'b-only', 'c-zero-a', 'c-big', 'c-tie-hi', 'c-small', 's1', 's2']);
    expect(rows[0].name).toBe('s1'); // the input is not reordered
  });
});

function lazy(name: string, shape: number[], dtype: DType, data: TensorData, log?: string[], sourceDtype?: RawDType): LazyTensorSource {
  const rec: TensorRecord = { shape, dtype, requires_grad: true, data };
  return {
    name, shape, dtype, sourceDtype: sourceDtype ?? dtype, byteOffset: -1, byteLength: data.byteLength,
    read: async () => { log?.push(`read ${name}`); return rec; },
  };
}

describe('compareSources', () => {
  it('matches by name, reports header-decided rows first, reads one pair at a time, and summarises', async () => {
    const log: string[] = [];
    const a = [
      lazy('w', [2], 'float32', Float32Array.of(1, 2), log),
      lazy('gone', [1], 'float32', Float32Array.of(1), log),
      lazy('head', [2], 'float32', Float32Array.of(1, 2), log),
      lazy('bn.num_batches_tracked', [], 'int64', BigInt64Array.of(5n), log),
    ];
    const b = [
      lazy('head', [3], 'float32', Float32Array.of(1, 2, 3), log),
      lazy('w', [2], 'float16', Uint16Array.of(numberToHalf(1), numberToHalf(2.5)), log),
      lazy('new', [1], 'float32', Float32Array.of(1), log),
      lazy('bn.num_batches_tracked', [], 'int64', BigInt64Array.of(5n), log),
    ];
    const seen: string[] = [];
    const res = await compareSources(a, b, { onResult: (r) => { seen.push(r.name); log.push(`result ${r.name}`); } });
    expect(seen).toEqual(['gone', 'head', 'new', 'w', 'bn.num_batches_tracked']);
    // Each pair is compared before the next is read.
    // Nothing is read for the rows the headers decide; each pair is compared before the next is read.
    expect(log).toEqual([
      'result gone', 'result head', 'result new',
      'read w', 'read w', 'result w',
      'read bn.num_batches_tracked', 'read bn.num_batches_tracked', 'result bn.num_batches_tracked',
    ]);
    expect(res.rows.map((r) => [r.name, r.status])).toEqual([
      ['w', 'changed'], ['gone', 'only_in_a'], ['head', 'shape_mismatch'], ['bn.num_batches_tracked', 'same'], ['new', 'only_in_b'],
    ]);
    expect(res.summary).toEqual({ same: 1, changed: 1, shape_mismatch: 1, only_in_a: 1, only_in_b: 1 });
    const w = res.rows[0];
    expect(w).toMatchObject({ dtypeA: 'float32', dtypeB: 'float16', shapeA: [2], shapeB: [2], maxAbsDiff: 0.5, changedFraction: 0.5 });
    expect(res.rows[2]).toMatchObject({ shapeA: [2], shapeB: [3], maxAbsDiff: null, relL2: null, cosine: null, changedFraction: null });
  });

  it('decodes bfloat16 and reports the stored dtype of widened tensors', async () => {
    const a = [lazy('x', [2], 'bfloat16', Uint16Array.of(numberToBfloat16(1), numberToBfloat16(-0)))];
    const b = [lazy('x', [2], 'int32', Int32Array.of(1, 0), undefined, 'int8')];
    const res = await compareSources(a, b);
    expect(res.rows[0]).toMatchObject({ status: 'same', dtypeA: 'bfloat16', dtypeB: 'int8', maxAbsDiff: 0, changedFraction: 0 });
  });

  it('compares a tensor larger than one chunk in pieces, pausing between them, with one-pass numbers', async () => {
    const n = CHUNK * 2 + 5;
    const da = new Float32Array(n).map((_, i) => Math.sin(i));
    const db = da.map((x, i) => (i % 1000 ? x : x + 1));
    let pauses = 0;
    const res = await compareSources([lazy('big', [n], 'float32', da)], [lazy('big', [n], 'float32', db)], { pause: async () => { pauses++; } });
    expect(pauses).toBe(2);
    const whole = compareValues(da, db);
    expect(res.rows[0]).toMatchObject({ status: 'changed', maxAbsDiff: whole.maxAbsDiff, changedFraction: whole.changedFraction });
    expect(res.rows[0].relL2).toBeCloseTo(whole.relL2!, 12);
  });

  it('stops at an aborted signal with its reason', async () => {
    const ctl = new AbortController();
    const a = [lazy('p', [1], 'float32', Float32Array.of(1)), lazy('q', [1], 'float32', Float32Array.of(1))];
    const b = [lazy('p', [1], 'float32', Float32Array.of(2)), lazy('q', [1], 'float32', Float32Array.of(1))];
    const seen: string[] = [];
    const p = compareSources(a, b, { signal: ctl.signal, onResult: (r) => { seen.push(r.name); ctl.abort(new Error('stop')); } });
    await expect(p).rejects.toThrow('stop');
    expect(seen).toEqual(['p']);
  });
});

describe('sourcesToCompare', () => {
  it('pairs two single .npy arrays under A\'s name; every other pair keeps its names', () => {
    const x = lazy('before', [2], 'float32', Float32Array.of(1, 2));
    const y = lazy('after', [2], 'float32', Float32Array.of(1, 3));
    const [a, b] = sourcesToCompare({ sourceFormat: 'npy', tensors: [x] }, { sourceFormat: 'npy', tensors: [y] });
    expect(a.map((t) => t.name)).toEqual(['before']);
    expect(b.map((t) => t.name)).toEqual(['before']);
    expect(b[0].read).toBe(y.read);
    const [, kept] = sourcesToCompare({ sourceFormat: 'npy', tensors: [x] }, { sourceFormat: 'safetensors', tensors: [y] });
    expect(kept[0].name).toBe('after');
  });
});
