// What the compare view is sent for one tensor: A, B and Δ = B − A on the same cells (whole, or
// reduced by blocks led by the largest |Δ|), histograms over shared bins, units ranked by change.
import { describe, expect, it } from 'vitest';
import { pairMessage, pairStats, reduceRowMajorByDelta, unitKind } from '../../../src/extension/compare/pairPictures';
import type { TensorRecord } from '../../../src/format/types';
import { layoutFor } from '../../../src/view/layout';
import { reduceToGrid } from '../../../src/view/reduce';
import { parallelFromValues, reduceParallel } from '../../../src/webview/compare/parallelGrid';
import { MAX_SENT_ELEMENTS } from '../../../src/webview/protocol';

const f32 = (shape: number[], values: ArrayLike<number>): TensorRecord => ({ shape, dtype: 'float32', requires_grad: true, data: Float32Array.from(values) });
const linear = { layerType: 'Linear', local: 'weight' };

describe('pairMessage', () => {
  it('sends A, B and Δ = B − A whole for a small pair, and ranks the rows by relative change', () => {
    const a = f32([3, 2], [1, 2, 3, 4, 5, 6]);
    const b = f32([3, 2], [1, 2, 3, 8, 5, 6.5]); // row 1 changed most (4 → 8), row 2 a little
    const m = pairMessage('fc.weight', linear, a, b);
    expect(Array.from(m.a!.values)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(m.b!.values)).toEqual([1, 2, 3, 8, 5, 6.5]);
    expect(Array.from(m.delta!.values)).toEqual([0, 0, 0, 4, 0, 0.5]);
    expect(m.delta!.reduction).toBeUndefined();
    const s = pairStats('fc.weight', linear, a, b);
    expect(s.units!.unit).toBe('neuron');
    expect(s.units!.count).toBe(3);
    expect(s.units!.ranked.map((u) => u.index)).toEqual([1, 2, 0]);
    expect(s.units!.ranked[0].relChange).toBeCloseTo(4 / 5, 12);
  });

  it('counts both sides over one set of bins spanning both ranges', () => {
    const h = pairStats('w', { local: 'w' }, f32([4], [0, 1, 2, 3]), f32([4], [2, 3, 4, NaN])).histogram!;
    expect(h.edges[0]).toBe(0);
    expect(h.edges[h.edges.length - 1]).toBe(4);
    expect(h.a.reduce((x, y) => x + y, 0)).toBe(4);
    expect(h.b.reduce((x, y) => x + y, 0)).toBe(3); // NaN is not counted
    expect(h.a.length).toBe(h.b.length);
  });

  it('a tensor only in A, or of another shape in B: pictures apart, no Δ and no ranking', () => {
    const only = pairMessage('x', { local: 'x' }, f32([2], [1, 2]), undefined);
    expect(only.a?.shape).toEqual([2]);
    expect(only.b).toBeUndefined();
    expect(only.delta).toBeUndefined();
    expect(pairStats('x', { local: 'x' }, f32([2], [1, 2]), undefined).units).toBeUndefined();
    const mismatch = pairMessage('x', { local: 'x' }, f32([2], [1, 2]), f32([3], [1, 2, 3]));
    expect(mismatch.a?.shape).toEqual([2]);
    expect(mismatch.b?.shape).toEqual([3]);
    expect(mismatch.delta).toBeUndefined();
  });

  it('a tensor too large to send whole: A, B and Δ share one reduction led by the largest |Δ| of each block', () => {
    const rows = 2100, cols = 2100;
    expect(rows * cols).toBeGreaterThan(MAX_SENT_ELEMENTS);
    const av = new Float32Array(rows * cols).map((_, i) => Math.sin(i));
    const bv = Float32Array.from(av);
    const hot = 1234 * cols + 777;
    bv[hot] += 5; // one element changed a lot: its block must show it
    bv[10] += 0.5;
    const m = pairMessage('big', { local: 'weight' }, f32([rows, cols], av), f32([rows, cols], bv));
    const r = m.delta!.reduction!;
    expect(r.rows * r.cols).toBeLessThan(rows * cols);
    expect(m.a!.reduction).toBe(r);
    expect(m.b!.reduction).toBe(r);
    for (let k = 0; k < r.index.length; k += 997) {
      const i = r.index[k];
      expect(m.a!.values[k]).toBe(av[i]);
      expect(m.b!.values[k]).toBe(bv[i]);
      expect(m.delta!.values[k]).toBe(Math.fround(bv[i] - av[i]));
    }
    expect(Array.from(r.index)).toContain(hot);
    expect(Array.from(r.index)).toContain(10);
  });
});

describe('pairMessage sized for the view', () => {
  // 1.2M elements: more than a first picture sends whole (src/view/limits.ts), fewer than the finest limit.
  const rows = 3000, cols = 400;
  const av = Float32Array.from({ length: rows * cols }, (_, i) => Math.cos(i * 0.3));
  const bv = Float32Array.from(av, (x, i) => x + (i % 7 === 0 ? 0.25 : 0));
  bv[4321] = NaN;

  it('a selection gets pictures fitted to the pane; a zoom gets the whole pair', () => {
    const fit = { rows: 120, cols: 200 };
    const m = pairMessage('w', linear, f32([rows, cols], av), f32([rows, cols], bv), { fit });
    const r = m.delta!.reduction!;
    expect(m.delta!.fitted && m.a!.fitted && m.b!.fitted).toBe(true);
    const layout = layoutFor([rows, cols], linear);
    expect(r.rows).toBeLessThanOrEqual(Math.max(64, fit.rows));
    expect(r.cols).toBeLessThanOrEqual(Math.max(64, fit.cols));
    expect(r.rows * r.rowFactor).toBeGreaterThanOrEqual(layout.rows);
    expect(Array.from(r.index)).toContain(4321); // the NaN change leads its block
    const detail = pairMessage('w', linear, f32([rows, cols], av), f32([rows, cols], bv), { fit, detail: true });
    expect(detail.delta!.reduction).toBeUndefined();
    expect(detail.delta!.fitted).toBeUndefined();
    expect(detail.a!.values.length).toBe(rows * cols);
  });

  it('a folded layout (a long embedding) is reduced on its layout, as the general reduction of Δ', () => {
    const emb = { local: 'weight' };
    const n = 20000, d = 64; // folded: far taller than wide
    const a = Float32Array.from({ length: n * d }, (_, i) => Math.sin(i));
    const b = Float32Array.from(a, (x, i) => x + Math.cos(i * 0.01) * 0.1);
    const layout = layoutFor([n, d], emb);
    expect(layout.kind).toBe('folded');
    const m = pairMessage('wte', emb, f32([n, d], a), f32([n, d], b), { fit: { rows: 100, cols: 300 } });
    const delta = Float32Array.from(a, (x, i) => b[i] - x);
    const r = m.delta!.reduction!;
    const ref = reduceToGrid(layout, delta, 100, 300);
    expect(Array.from(r.index)).toEqual(Array.from(ref.index));
  });
});

describe('reduceRowMajorByDelta', () => {
  it('gives the grid the general reduction gives of Δ, non-finite values first', () => {
    const rows = 37, cols = 53;
    const v = Float32Array.from({ length: rows * cols }, (_, i) => Math.sin(i * 1.7) * (i % 11));
    v[100] = NaN;
    v[555] = -Infinity;
    const zero = new Float32Array(v.length);
    const fast = reduceRowMajorByDelta(zero, v, rows, cols, 8);
    const slow = reduceToGrid(layoutFor([rows, cols], { local: 'w' }), v, 8, 8);
    expect(fast.rows).toBe(slow.rows);
    expect(fast.cols).toBe(slow.cols);
    expect(Array.from(fast.index)).toEqual(Array.from(slow.index));
    expect(Array.from(fast.values)).toEqual(Array.from(slow.values));
  });
});

describe('parallel grids', () => {
  it('reducing further keeps A and B on the cells Δ chose', () => {
    const layout = layoutFor([8, 8], { local: 'w' });
    const a = Array.from({ length: 64 }, (_, i) => i), b = a.map((v, i) => (i === 27 ? v + 10 : v + 0.1));
    const d = b.map((v, i) => v - a[i]);
    const full = parallelFromValues(layout, d, [a, b], 1024);
    const small = reduceParallel(full, 2, 2);
    expect(small.lead.rows).toBe(2);
    expect(small.lead.rowFactor).toBe(4);
    for (let k = 0; k < 4; k++) {
      const i = small.lead.index[k];
      expect(small.others[0][k]).toBe(a[i]);
      expect(small.others[1][k]).toBe(Math.fround(b[i]));
    }
    expect(Array.from(small.lead.index)).toContain(27);
  });

  it('names the units as the layer uses them', () => {
    expect(unitKind([4, 1, 3, 3], { local: 'weight' })).toBe('filter');
    expect(unitKind([10, 64], linear)).toBe('neuron');
    expect(unitKind([32, 8], { layerType: 'LSTM', local: 'weight_ih_l0' })).toBe('gateRow');
    expect(unitKind([5, 5], { local: 'weight' })).toBe('row');
  });
});
