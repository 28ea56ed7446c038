import { describe, expect, it } from 'vitest';
import { absMax, absPercentile, colourBarTicks, formatNumber, formatTick, lutFor, lutIndex, place } from '../../../src/view/colormap';
import { NONFINITE_RGB, paintGrid } from '../../../src/webview/heatmap/paint';

const rgbAt = (lut: Uint8ClampedArray, t: number) => Array.from(lut.subarray(lutIndex(t) * 3, lutIndex(t) * 3 + 3));

describe('colormaps', () => {
  it('diverging: negative is blue, positive is red, zero is near white', () => {
    const lut = lutFor('diverging');
    const [r0, g0, b0] = rgbAt(lut, place(-1, 1, 'diverging').t);
    const [r1, , b1] = rgbAt(lut, place(1, 1, 'diverging').t);
    const [rz, gz, bz] = rgbAt(lut, place(0, 1, 'diverging').t);
    expect(b0).toBeGreaterThan(r0 + 50);
    expect(r1).toBeGreaterThan(b1 + 50);
    expect(Math.min(rz, gz, bz)).toBeGreaterThan(220);
    expect(g0).toBeLessThan(200);
  });

  it('the scale is symmetric: equal magnitudes sit at mirrored positions', () => {
    expect(place(-0.5, 2, 'diverging').t).toBeCloseTo(1 - place(0.5, 2, 'diverging').t, 12);
    expect(place(0.5, 2, 'magnitude').t).toBeCloseTo(place(-0.5, 2, 'magnitude').t, 12);
  });

  it('magnitude (viridis) goes from dark purple to yellow', () => {
    const lut = lutFor('magnitude');
    const lo = rgbAt(lut, 0), hi = rgbAt(lut, 1);
    expect(lo[2]).toBeGreaterThan(lo[1]);
    expect(hi[0] + hi[1]).toBeGreaterThan(400);
  });

  it('values beyond the range are clipped and flagged; non-finite are flagged apart', () => {
    expect(place(5, 1, 'diverging')).toEqual({ t: 1, clipped: true, nonfinite: false });
    expect(place(-5, 1, 'diverging')).toEqual({ t: 0, clipped: true, nonfinite: false });
    expect(place(NaN, 1, 'diverging').nonfinite).toBe(true);
    expect(place(0.3, 0, 'diverging')).toEqual({ t: 0.5, clipped: true, nonfinite: false });
  });

  it('percentile clipping ignores the outlier, 100 keeps the maximum', () => {
    const v = [...Array.from({ length: 99 }, (_, i) => (i % 2 ? -1 : 1) * (i / 100)), 50, NaN, Infinity];
    expect(absPercentile(v, 100)).toBe(50);
    expect(absMax(v)).toBe(50);
    expect(absPercentile(v, 99)).toBeCloseTo(0.98, 10);
    expect(absPercentile([], 99)).toBe(0);
  });

  it('paintGrid: signs of known weights become blue/red pixels, gaps transparent, clipped counted', () => {
    const grid = { rows: 1, cols: 4, rowFactor: 1, colFactor: 1, values: Float32Array.from([-1, 1, 0, 3]), index: Int32Array.from([0, 1, -1, 3]) };
    const p = paintGrid(grid, 1, 'diverging');
    const px = (k: number) => Array.from(p.rgba.subarray(k * 4, k * 4 + 4));
    expect(px(0)[2]).toBeGreaterThan(px(0)[0]);
    expect(px(1)[0]).toBeGreaterThan(px(1)[2]);
    expect(px(2)).toEqual([0, 0, 0, 0]);
    expect(p.clippedCount).toBe(1);
    expect(Array.from(p.clippedMask)).toEqual([0, 0, 0, 1]);
    const bad = paintGrid({ ...grid, values: Float32Array.from([NaN, 1, 0, 0]) }, 1, 'diverging');
    expect(Array.from(bad.rgba.subarray(0, 3))).toEqual([...NONFINITE_RGB]);
    expect(bad.nonfiniteCount).toBe(1);
  });

  it('colour bar ticks and number labels', () => {
    expect(colourBarTicks(2, 'diverging')).toEqual([-2, -1, 0, 1, 2]);
    expect(colourBarTicks(2, 'magnitude')).toEqual([0, 0.5, 1, 1.5, 2]);
    expect(formatNumber(0.123456)).toBe('0.1235');
    expect(formatTick(Math.fround(0.16) / 2 - 1e-9)).toBe('0.08');
    expect(formatTick(-0.72866)).toBe('-0.729');
    expect(formatTick(0)).toBe('0');
    expect(formatNumber(-0)).toBe('-0');
    expect(formatNumber(1e-5)).toBe('1.000e-5');
    expect(formatNumber(NaN)).toBe('NaN');
  });
});
