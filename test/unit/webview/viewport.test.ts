import { describe, expect, it } from 'vitest';
import { cellAt, fitViewport, pan, zoomAt, gridCellAt } from '../../../src/webview/heatmap/viewport';
import { setL10nBundle, t } from '../../../src/webview/l10n';

describe('viewport', () => {
  it('fits a matrix with square cells, left-aligned and vertically centred', () => {
    const v = fitViewport(10, 20, 400, 400);
    expect(v.cellW).toBe(20);
    expect(v.cellH).toBe(20);
    expect(v.y).toBe(100);
    expect(v.x).toBe(0);
  });
  it('stretches a long strip so it stays visible', () => {
    const v = fitViewport(1, 4000, 400, 300);
    expect(v.cellW).toBeCloseTo(0.1);
    expect(v.cellH).toBeGreaterThanOrEqual(36);
  });
  it('zoom keeps the point under the mouse fixed; pan moves; cellAt inverts', () => {
    const v = fitViewport(10, 10, 100, 100);
    const before = cellAt(v, 10, 10, 37, 52)!;
    const z = zoomAt(v, 3, 37, 52);
    expect(cellAt(z, 10, 10, 37, 52)).toEqual(before);
    expect(cellAt(pan(v, -10, 0), 10, 10, 0, 0)).toEqual({ r: 0, c: 1 });
    expect(cellAt(v, 10, 10, -1, 5)).toBeNull();
  });
});

describe('webview l10n', () => {
  it('substitutes arguments and uses the bundle when given', () => {
    setL10nBundle({});
    expect(t('Freeze {0}', 'fc1.weight')).toBe('Freeze fc1.weight');
    setL10nBundle({ 'Freeze {0}': 'Congelar {0}' });
    expect(t('Freeze {0}', 'fc1.weight')).toBe('Congelar fc1.weight');
    expect(t('{0} and {1}', 'a')).toBe('a and {1}');
    setL10nBundle(undefined);
  });
});

describe('gridCellAt', () => {
  it('finds the block under a point of a reduced picture and the element it shows; -1 on a gap, null off the picture', () => {
    // A 6 x 8 layout in blocks of 2 x 4: a 3 x 2 grid; block (1, 1) is a gap.
    const grid = { cols: 2, rowFactor: 2, colFactor: 4, index: Int32Array.from([0, 4, 16, -1, 32, 36]) };
    const v = { x: 10, y: 0, cellW: 5, cellH: 5 };
    expect(gridCellAt(v, 6, 8, grid, 10 + 5 * 5 + 1, 5 * 1 + 1)).toEqual({ cell: { r: 1, c: 5 }, k: 1, R: 0, C: 1, index: 4 });
    expect(gridCellAt(v, 6, 8, grid, 10 + 5 * 6, 5 * 3)?.index).toBe(-1);
    expect(gridCellAt(v, 6, 8, grid, 5, 5)).toBeNull();
  });
});
