import { describe, expect, it } from 'vitest';
import { digestCheckpoint, heatmapOf, inferLayerType } from '../../../src/extension/hover/digest';
import { parseCheckpoint } from '../../../src/format/parse';
import { linearCheckpoint } from './fixtures';

describe('digestCheckpoint', () => {
  it('keeps names, shapes, flags and statistics, not the values', () => {
    const d = digestCheckpoint(parseCheckpoint(linearCheckpoint({ frozen: true }), 'a.weights.json'));
    expect(d.params.map((p) => p.name)).toEqual(['fc1.weight', 'fc1.bias']);
    const w = d.params[0];
    expect(w).toMatchObject({ shape: [4, 2], dtype: 'float32', requiresGrad: false, numel: 8, layerType: 'Linear' });
    expect(w.stats!.min).toBe(-2);
    expect(w.stats!.max).toBe(2);
    expect(w.stats!.mean).toBeCloseTo(0.03125, 6);
    expect(w.picture).toMatchObject({ kind: 'heatmap', rows: 4, cols: 2 });
    const hist = d.params[1].picture;
    expect(hist?.kind).toBe('histogram');
    if (hist?.kind === 'histogram') {
      expect(hist.min).toBeCloseTo(0.1, 6);
      expect(hist.counts.reduce((a, b) => a + b, 0)).toBe(4);
    }
    expect(JSON.stringify(d).length).toBeLessThan(4000);
  });
  it('infers the layer type where the file has no model', () => {
    const d = digestCheckpoint(parseCheckpoint(linearCheckpoint({ withModel: false }), 'a.weights.json'));
    expect(d.params.map((p) => p.layerType)).toEqual(['Linear', 'Linear']);
    const shapes = new Map([['c.weight', [4, 1, 3, 3]], ['c.bias', [4]], ['n.weight', [4]], ['n.bias', [4]]]);
    expect(inferLayerType('c.bias', shapes)).toBe('Conv2d');
    expect(inferLayerType('n.bias', shapes)).toBeUndefined();
    expect(inferLayerType('lstm.weight_hh_l1', shapes)).toBe('LSTM');
  });
  it('block-reduces big matrices to 16×16 keeping the largest magnitude of each block', () => {
    const rows = 64, cols = 40;
    const v = new Float64Array(rows * cols);
    v[5 * cols + 7] = -9; // lands in block (1, 1) with 4×3 blocks
    const h = heatmapOf(v, [rows, cols])!;
    expect([h.rows, h.cols, h.blockRows, h.blockCols]).toEqual([16, 14, 4, 3]);
    expect(h.values[1 * h.cols + 2]).toBe(-9);
    expect(Array.from(h.values).filter((x) => x !== 0)).toEqual([-9]);
    expect(heatmapOf(new Float64Array(8), [8])).toBeNull();
  });
});
