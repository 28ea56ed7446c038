// The picture layouts that use the panel at any shape: long matrices folded, long vectors wrapped,
// Conv2d filters wrapped into a grid, other tensors of 3+ dimensions as treescope-style facets.
import { describe, expect, it } from 'vitest';
import { filtersPerRow, layoutFor, planFacets, TARGET_ASPECT, type Layout } from '../../../src/view/layout';
import { facetGrid, nestedGap } from '../../../src/view/facets';
import { reduceToGrid } from '../../../src/view/reduce';

const numel = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Every element appears in exactly one cell; every other cell is a gap (-1). */
function expectBijection(l: Layout, shape: number[]): void {
  const n = numel(shape);
  const seen = new Uint8Array(n);
  let cells = 0;
  const wrong: string[] = [];
  for (let r = 0; r < l.rows; r++) {
    for (let c = 0; c < l.cols; c++) {
      const k = l.at(r, c);
      if (k < 0) continue;
      if (k >= n || seen[k]) wrong.push(`(${r}, ${c}) -> ${k}`);
      else seen[k] = 1;
      cells++;
    }
  }
  expect(wrong.slice(0, 5)).toEqual([]);
  expect(cells).toBe(n);
}

const aspect = (l: Layout) => l.cols / l.rows;

describe('every layout shows each element exactly once', () => {
  const cases: [number[], { layerType?: string; local: string }][] = [
    [[3000, 64], { local: 'weight' }], [[5000, 1000].map((x) => x / 10), { layerType: 'Linear', local: 'weight' }],
    [[8, 2000], { local: 'weight' }], [[1, 1000], { local: 'w' }], [[1000], { local: 'bias' }], [[257], { local: 'bias' }],
    [[64, 3, 7, 7], { local: 'weight' }], [[10, 1, 3, 3], { layerType: 'Conv2d', local: 'weight' }], [[5, 7, 3, 3], { local: 'weight' }],
    [[12, 64, 64], { local: 'x' }], [[2, 3, 4, 5, 6], { local: 'x' }], [[3, 5, 7], { local: 'weight' }], [[2, 3, 8, 16], { local: 'pos' }],
    [[7, 1, 5], { local: 'x' }], [[1, 1, 4, 4], { local: 'x' }],
  ];
  for (const [shape, role] of cases) {
    it(`[${shape.join(', ')}] ${role.local}`, () => expectBijection(layoutFor(shape, role), shape));
  }
});

describe('long matrices are folded to a readable aspect', () => {
  it("GPT-2's wte [50257, 768]: rows cut into blocks side by side, labelled with their row ranges", () => {
    const l = layoutFor([50257, 768], { local: 'weight' });
    expect(l.kind).toBe('folded');
    expect(aspect(l)).toBeGreaterThan(TARGET_ASPECT / 2);
    expect(aspect(l)).toBeLessThan(TARGET_ASPECT * 2);
    const labels = l.colBands.map((b) => b.label);
    expect(labels[0]).toBe('rows 0–4568');
    expect(labels.at(-1)).toBe('rows 45690–50256');
    expect(l.colBands).toHaveLength(11);
    // block 2 starts at tensor row 2 * 4569; its first cell is that row's first element
    expect(l.at(0, l.colBands[2].start)).toBe(2 * 4569 * 768);
    expect(l.at(5, l.colBands[2].start + 3)).toBe((2 * 4569 + 5) * 768 + 3);
    // the last block is shorter: past row 50256 are gaps; between blocks a visible gap
    expect(l.at(l.rows - 1, l.colBands[10].start)).toBe(-1);
    expect(l.at(0, l.colBands[0].end)).toBe(-1);
    expect(l.colBands[1].start - l.colBands[0].end).toBeGreaterThan(1);
    expect(l.rowTick!(100)).toBe(100);
    expect(l.note).toContain('11 blocks of 4569');
  });

  it('a very wide matrix is cut into bands stacked top to bottom', () => {
    const l = layoutFor([16, 50257], { local: 'weight' });
    expect(l.kind).toBe('folded');
    expect(aspect(l)).toBeGreaterThan(1);
    expect(aspect(l)).toBeLessThan(4);
    expect(l.rowBands[0].label).toMatch(/^cols 0–\d+$/);
    const per = l.cols;
    expect(l.at(l.rowBands[1].start + 2, 5)).toBe(2 * 50257 + per + 5);
  });

  it('small and moderately long matrices stay as they are', () => {
    expect(layoutFor([16, 2], { layerType: 'Linear', local: 'weight' }).kind).toBe('matrix');
    expect(layoutFor([768, 3072], { local: 'weight' }).kind).toBe('matrix');
    expect(layoutFor([1000, 784], { local: 'weight' }).kind).toBe('matrix');
  });

  it('a long vector is wrapped into rows of a power-of-two length, ticks at each row\'s first index', () => {
    const l = layoutFor([50257], { local: 'bias' });
    expect(l.kind).toBe('wrapped');
    expect(l.cols).toBe(256);
    expect(l.rows).toBe(Math.ceil(50257 / 256));
    expect(l.at(3, 7)).toBe(3 * 256 + 7);
    expect(l.at(l.rows - 1, 255)).toBe(-1);
    expect(l.rowTick!(3)).toBe(768);
    expect(layoutFor([256], { local: 'bias' }).kind).toBe('strip');
  });
});

describe('Conv2d filters wrapped into rows and columns', () => {
  it("ResNet's conv1 [64, 3, 7, 7]: filters in rows of 7, each with its 3 input channels side by side", () => {
    expect(filtersPerRow(64, 3, 7, 7)).toBe(7);
    const l = layoutFor([64, 3, 7, 7], { local: 'weight' });
    expect(l.kind).toBe('kernels');
    expect(aspect(l)).toBeGreaterThan(1.5);
    expect(aspect(l)).toBeLessThan(3);
    const filterW = 3 * 8 - 1, step = filterW + 2;
    // filter 8 = second row, second column; its input channel 2, kernel position (3, 4)
    expect(l.at(8 + 3, step + 2 * 8 + 4)).toBe(8 * 147 + 2 * 49 + 3 * 7 + 4);
    expect(l.rowBands.map((b) => b.label).slice(0, 2)).toEqual(['out 0–6', 'out 7–13']);
    expect(l.colBands.slice(0, 4).map((b) => b.label)).toEqual(['in 0', 'in 1', 'in 2', 'in 0']);
    expect(l.note).toContain('rows of 7');
  });

  it('a deep layer [512, 512, 3, 3] stays one filter per row (already square)', () => {
    expect(filtersPerRow(512, 512, 3, 3)).toBe(1);
    const l = layoutFor([512, 512, 3, 3], { local: 'weight' });
    expect([l.rows, l.cols]).toEqual([2047, 2047]);
  });
});

describe('tensors of 3+ dimensions as treescope-style facets', () => {
  it('[2, 3, 8, 16]: last dimension across, the one before down, the others to balance; each level named', () => {
    const l = layoutFor([2, 3, 8, 16], { local: 'pos_embed' });
    expect(l.kind).toBe('facets');
    expect(l.rowLevels!.map((x) => x.name)).toEqual(['dim 0', 'dim 2']);
    expect(l.colLevels!.map((x) => x.name)).toEqual(['dim 1', 'dim 3']);
    expect(l.rowAxis).toBe('dim 0 (2) › dim 2 (8)');
    // element [1, 2, 5, 9]: row block 1, column block 2
    const r = l.rowBands[1].start + 5, c = l.colBands[2].start + 9;
    expect(l.at(r, c)).toBe(((1 * 3 + 2) * 8 + 5) * 16 + 9);
    expect(l.rowLevels![1].extent).toBe(8);
    expect(l.colLevels![0].extent).toBe(l.cols);
  });

  it('a stack of 12 maps 64 × 64 is wrapped into a grid of maps rather than a strip', () => {
    const plan = planFacets([12, 64, 64]);
    expect(plan.split).toEqual({ dim: 0, perRow: 4 });
    const l = layoutFor([12, 64, 64], { local: 'x' });
    expect(aspect(l)).toBeGreaterThan(1);
    expect(aspect(l)).toBeLessThan(3);
    expect(l.note).toContain('rows of 4');
  });

  it('gaps grow with nesting (Fibonacci, as treescope spaces them)', () => {
    expect([0, 1, 2, 3, 4, 5].map(nestedGap)).toEqual([0, 1, 2, 3, 5, 8]);
    const g = facetGrid([2, 2, 2], [{ dim: 0, size: 2, stride: 1, gap: 2, name: 'a' }, { dim: 1, size: 2, stride: 1, gap: 1, name: 'b' }], [{ dim: 2, size: 2, stride: 1, gap: 0, name: 'c' }]);
    expect(g.rows).toBe(2 * (2 + 1) + 2); // two blocks of (2 rows + gap 1), gap 2 between them
    expect(Array.from({ length: g.rows }, (_, r) => g.at(r, 0))).toEqual([0, -1, 2, -1, -1, 4, -1, 6]);
    expect(g.bands('rows', 0)).toEqual([]);
  });
});

describe('the host\'s block reduction follows the folded layout', () => {
  it('an outlier in the last block of a folded matrix survives reduction at its element index', () => {
    const shape = [3000, 64], v = new Float32Array(numel(shape)).fill(0.01);
    v[2999 * 64 + 5] = -42;
    const l = layoutFor(shape, { local: 'weight' });
    expect(l.kind).toBe('folded');
    const g = reduceToGrid(l, v, 64, 64);
    const k = Array.from(g.index).indexOf(2999 * 64 + 5);
    expect(k).toBeGreaterThanOrEqual(0);
    expect(g.values[k]).toBe(-42);
  });
});

describe('empty tensors', () => {
  it('a zero anywhere in the shape gives an empty picture, never a crash', () => {
    for (const shape of [[0, 3, 7, 7], [4, 0, 3], [2, 3, 0, 5, 6], [0], [0, 768], [50257, 0]]) {
      const l = layoutFor(shape, { local: 'weight' });
      expect(l.rows * l.cols, JSON.stringify(shape)).toBe(0);
    }
  });
});
