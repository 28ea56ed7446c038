import { describe, expect, it } from 'vitest';
import { bandAt, layoutFor, multiIndex } from '../../../src/view/layout';
import { setL10nBundle } from '../../../src/view/l10n';

/** Every element index appears exactly once in the layout's grid, and gaps are -1. */
function cellsOf(shape: number[], role: { layerType?: string; local: string }) {
  const l = layoutFor(shape, role);
  const grid: number[][] = [];
  for (let r = 0; r < l.rows; r++) { const row: number[] = []; for (let c = 0; c < l.cols; c++) row.push(l.at(r, c)); grid.push(row); }
  return { l, grid };
}

describe('layoutFor', () => {
  it('Linear weight [out, in]: rows are output neurons, columns inputs', () => {
    const { l, grid } = cellsOf([3, 2], { layerType: 'Linear', local: 'weight' });
    expect(l.kind).toBe('matrix');
    expect(grid).toEqual([[0, 1], [2, 3], [4, 5]]);
    expect(l.rowAxis).toBe('output neuron');
    expect(l.colAxis).toBe('input feature');
  });

  it('Conv2d weight [2, 3, 2, 2]: one labelled 2x2 tile per (out, in), gaps between tiles', () => {
    const { l, grid } = cellsOf([2, 3, 2, 2], { layerType: 'Conv2d', local: 'weight' });
    expect(l.kind).toBe('kernels');
    expect([l.rows, l.cols]).toEqual([2 * 3 - 1, 3 * 3 - 1]);
    // tile (out 1, in 2) starts at row 3, column 6 and holds elements 1*12 + 2*4 + (0..3)
    expect([grid[3][6], grid[3][7], grid[4][6], grid[4][7]]).toEqual([20, 21, 22, 23]);
    // gap row and gap column
    expect(grid[2].every((v) => v === -1)).toBe(true);
    expect(grid.every((row) => row[2] === -1 && row[5] === -1)).toBe(true);
    const seen = grid.flat().filter((v) => v >= 0).sort((a, b) => a - b);
    expect(seen).toEqual(Array.from({ length: 24 }, (_, i) => i));
    expect(l.rowBands.map((b) => b.label)).toEqual(['out 0', 'out 1']);
    expect(l.colBands.map((b) => [b.label, b.start, b.end])).toEqual([['in 0', 0, 2], ['in 1', 3, 5], ['in 2', 6, 8]]);
  });

  it('LSTM weight_ih [4h, in]: four gate blocks i, f, g, o in PyTorch order', () => {
    const h = 2, inp = 3;
    const { l, grid } = cellsOf([4 * h, inp], { layerType: 'LSTM', local: 'weight_ih_l0' });
    expect(l.kind).toBe('gates');
    expect(l.rowBands.map((b) => b.label)).toEqual(['i', 'f', 'g', 'o']);
    expect(l.rows).toBe(4 * h + 3);
    // the forget gate's first row (tensor row h) sits below the i block and its gap
    const fBand = l.rowBands[1];
    expect(grid[fBand.start]).toEqual([h * inp, h * inp + 1, h * inp + 2]);
    expect(grid[h].every((v) => v === -1)).toBe(true);
    expect(bandAt(l.rowBands, fBand.start)?.label).toBe('f');
    expect(l.colAxis).toBe('input feature');
    expect(layoutFor([8, 2], { layerType: 'LSTM', local: 'weight_hh_l1' }).colAxis).toBe('previous hidden unit');
  });

  it('LSTM bias [4h]: four labelled gate strips', () => {
    const { l, grid } = cellsOf([8], { layerType: 'LSTM', local: 'bias_hh_l0' });
    expect(l.colBands.map((b) => b.label)).toEqual(['i', 'f', 'g', 'o']);
    expect(grid[0]).toEqual([0, 1, -1, 2, 3, -1, 4, 5, -1, 6, 7]);
  });

  it('1-D tensors are a strip, scalars a single cell', () => {
    expect(cellsOf([4], { layerType: 'Linear', local: 'bias' }).grid).toEqual([[0, 1, 2, 3]]);
    const s = layoutFor([], { local: 'x' });
    expect([s.kind, s.rows, s.cols, s.at(0, 0)]).toEqual(['scalar', 1, 1, 0]);
  });

  it('a weight not owned by a known layer is a plain matrix', () => {
    expect(layoutFor([8, 2], { local: 'weight_ih_l0' }).kind).toBe('matrix');
  });

  it('multiIndex follows row-major order', () => {
    expect(multiIndex(23, [2, 3, 2, 2])).toEqual([1, 2, 1, 1]);
    expect(multiIndex(5, [3, 2])).toEqual([2, 1]);
  });
  it('axis captions and band labels are translated with the bundle the host sends', () => {
    setL10nBundle({ 'out {0}': 'sal {0}', 'in {0}': 'ent {0}', 'output channel': 'canal de salida', 'output neuron': 'neurona de salida', 'dim {0}': 'dim. {0}' });
    try {
      const conv = layoutFor([2, 4, 3, 3], { layerType: 'Conv2d', local: 'weight' });
      expect([conv.rowAxis, conv.rowBands[1].label, conv.colBands[0].label]).toEqual(['canal de salida', 'sal 1', 'ent 0']);
      expect(layoutFor([3, 2], { layerType: 'Linear', local: 'weight' }).rowAxis).toBe('neurona de salida');
      expect(layoutFor([3, 2], { local: 'x' }).colAxis).toBe('dim. 1');
    } finally {
      setL10nBundle(undefined);
    }
  });
});
