import { describe, expect, it } from 'vitest';
import { layoutFor } from '../../../src/view/layout';
import { blockFactors, reduceGrid, reduceToGrid } from '../../../src/view/reduce';

const linear = (r: number, c: number) => layoutFor([r, c], { layerType: 'Linear', local: 'weight' });

describe('block reduction', () => {
  it('keeps a grid exact when it fits', () => {
    const g = reduceToGrid(linear(2, 3), [1, 2, 3, 4, 5, 6], 10, 10);
    expect([g.rowFactor, g.colFactor]).toEqual([1, 1]);
    expect(Array.from(g.values)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(g.index)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('a block shows its largest-magnitude element, sign kept, not an average', () => {
    // 4 x 4 with one outlier per 2x2 block
    const v = [
      0.1, 0.2, 0.0, 0.3,
      -9, 0.1, 0.2, 0.1,
      0.5, 0.1, 0.1, 7,
      0.1, -0.6, 0.2, 0.1,
    ];
    const g = reduceToGrid(linear(4, 4), v, 2, 2);
    expect([g.rows, g.cols, g.rowFactor, g.colFactor]).toEqual([2, 2, 2, 2]);
    expect(Array.from(g.values)).toEqual([-9, 0.3, Math.fround(-0.6), 7].map(Math.fround));
    expect(Array.from(g.index)).toEqual([4, 3, 13, 11]);
  });

  it('non-finite values win over any finite value in their block', () => {
    const g = reduceToGrid(linear(2, 2), [1e30, NaN, 3, -Infinity], 1, 1);
    expect(Number.isNaN(g.values[0]) || g.values[0] === -Infinity).toBe(true);
    expect([1, 3]).toContain(g.index[0]);
  });

  it('blocks made only of gaps are marked -1 (Conv2d tiles)', () => {
    const l = layoutFor([2, 2, 1, 1], { layerType: 'Conv2d', local: 'weight' });
    const g = reduceToGrid(l, [1, -2, 3, -4]);
    expect(Array.from(g.index)).toEqual([0, -1, 1, -1, -1, -1, 2, -1, 3]);
  });

  it('uneven sizes round the factor up and cover every element', () => {
    expect(blockFactors(1000, 7, 300, 300)).toEqual([4, 1]);
    const n = 10 * 7, v = Array.from({ length: n }, (_, i) => (i === 69 ? -100 : i % 3));
    const g = reduceToGrid(linear(10, 7), v, 3, 3);
    expect(g.rows * g.rowFactor).toBeGreaterThanOrEqual(10);
    expect(g.values[g.values.length - 1]).toBe(-100);
  });

  it('reducing a reduced grid keeps the extreme and its element index', () => {
    const v = Array.from({ length: 64 }, (_, i) => (i === 45 ? 50 : 1));
    const fine = reduceToGrid(linear(8, 8), v, 4, 4);
    const coarse = reduceGrid(fine, 1, 1);
    expect([coarse.rowFactor, coarse.colFactor]).toEqual([8, 8]);
    expect(coarse.values[0]).toBe(50);
    expect(coarse.index[0]).toBe(45);
  });
});
