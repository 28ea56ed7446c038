import { describe, expect, it } from 'vitest';
import { isRgbFilterShape, paintRgbFilters, rgbFilterLayout, rgbFiltersPerRow } from '../../../src/view/rgbFilters';

describe('Conv2d first-layer filters as RGB images', () => {
  it('only [o, 3, kh, kw] tensors qualify', () => {
    expect(isRgbFilterShape([64, 3, 7, 7])).toBe(true);
    expect(isRgbFilterShape([64, 4, 7, 7])).toBe(false);
    expect(isRgbFilterShape([3, 7, 7])).toBe(false);
  });

  it("ResNet's 64 filters of 7 x 7 fill a wide grid with one-pixel gaps", () => {
    const gc = rgbFiltersPerRow(64, 7, 7);
    expect(gc).toBeGreaterThanOrEqual(8);
    const l = rgbFilterLayout([64, 3, 7, 7]);
    expect(l.cols).toBe(gc * 8 - 1);
    expect(l.rows).toBe(Math.ceil(64 / gc) * 8 - 1);
    // filter 1, pixel (2, 3): its red value is element [1, 0, 2, 3]
    expect(l.at(2, 8 + 3)).toBe(1 * 147 + 2 * 7 + 3);
    expect(l.at(7, 0)).toBe(-1);
  });

  it('channels 0, 1, 2 become red, green, blue, stretched per filter from its min (0) to its max (255)', () => {
    // two 1 x 1 filters: filter 0 = (r, g, b) = (-1, 0, 1); filter 1 = (10, 30, 20)
    const shape = [2, 3, 1, 1];
    const l = rgbFilterLayout(shape);
    const rgba = paintRgbFilters(l, [-1, 0, 1, 10, 30, 20], shape);
    const px = (r: number, c: number) => Array.from(rgba.slice((r * l.cols + c) * 4, (r * l.cols + c) * 4 + 4));
    const cells: number[][] = [];
    for (let r = 0; r < l.rows; r++) for (let c = 0; c < l.cols; c++) if (l.at(r, c) >= 0) cells.push([r, c, l.at(r, c)]);
    const f0 = cells.find((x) => x[2] === 0)!, f1 = cells.find((x) => x[2] === 3)!;
    expect(px(f0[0], f0[1])).toEqual([0, 128, 255, 255]);
    expect(px(f1[0], f1[1])).toEqual([0, 255, 128, 255]);
  });

  it('a constant filter is mid-grey, not black', () => {
    const shape = [1, 3, 1, 2];
    const l = rgbFilterLayout(shape);
    const rgba = paintRgbFilters(l, [0.5, 0.5, 0.5, 0.5, 0.5, 0.5], shape);
    expect(Array.from(rgba.slice(0, 4))).toEqual([128, 128, 128, 255]);
  });
});
