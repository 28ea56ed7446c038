// A Conv2d weight with 3 input channels [o, 3, kh, kw] shown as every CNN course shows first-layer
// filters: each filter a small kh x kw RGB image, input channels 0, 1, 2 as red, green, blue,
// min-max normalised per filter over all three channels (as torchvision's make_grid with
// normalize=True, scale_each=True and the cs231n notes do), so each filter's own contrast shows.
// Pure: no DOM, no `vscode`.
import { facetGrid } from './facets';
import { TARGET_ASPECT, type Layout } from './layout';
import { t } from './l10n';

/** Can this tensor be shown as RGB filters? */
export const isRgbFilterShape = (shape: readonly number[]): boolean =>
  shape.length === 4 && shape[1] === 3 && shape[0] > 0 && shape[2] > 0 && shape[3] > 0;

/** Filters per row of the RGB grid: the count nearest TARGET_ASPECT, a little against empty slots. */
export function rgbFiltersPerRow(o: number, kh: number, kw: number): number {
  let best = 1, bestScore = Infinity;
  for (let gc = 1; gc <= o; gc++) {
    const gr = Math.ceil(o / gc);
    const w = gc * (kw + 1) - 1, hgt = gr * (kh + 1) - 1;
    const score = Math.abs(Math.log(w / hgt / TARGET_ASPECT)) + (gr * gc - o) / o;
    if (score < bestScore - 1e-9) { best = gc; bestScore = score; }
  }
  return best;
}

/** The grid of filters; each cell's element index is the red (input channel 0) value of its pixel. */
export function rgbFilterLayout(shape: readonly number[]): Layout {
  const [o, , kh, kw] = shape;
  const gc = rgbFiltersPerRow(o, kh, kw), gr = Math.ceil(o / gc);
  const g = facetGrid(shape,
    [{ dim: 0, size: gr, stride: gc, gap: 1, name: t('output channel') }, { dim: 2, size: kh, stride: 1, gap: 0, name: t('kernel row') }],
    [{ dim: 0, size: gc, stride: 1, gap: 1, name: t('output channel') }, { dim: 3, size: kw, stride: 1, gap: 0, name: t('kernel column') }]);
  return {
    kind: 'kernels', rows: g.rows, cols: g.cols, at: g.at, rowBands: [], colBands: [],
    rowAxis: t('output channel'), colAxis: t('output channel'),
    note: t('{0} filters as RGB images in rows of {1}: input channels 0, 1, 2 as red, green, blue, each filter stretched from its own minimum (black) to its maximum (white).', o, gc),
  };
}

/** Each filter's minimum and maximum over its 3 x kh x kw finite values. */
export function filterRanges(values: ArrayLike<number>, shape: readonly number[]): { min: Float64Array; max: Float64Array } {
  const [o, i, kh, kw] = shape, per = i * kh * kw;
  const min = new Float64Array(o).fill(Infinity), max = new Float64Array(o).fill(-Infinity);
  for (let f = 0; f < o; f++) {
    for (let k = f * per; k < (f + 1) * per; k++) {
      const v = values[k];
      if (!Number.isFinite(v)) continue;
      if (v < min[f]) min[f] = v;
      if (v > max[f]) max[f] = v;
    }
  }
  return { min, max };
}

/**
 * RGBA pixels (layout.rows x layout.cols) of the filters: channel c of pixel (y, x) of filter f is
 * (w[f, c, y, x] - min_f) / (max_f - min_f). A flat filter is mid-grey; a non-finite value black.
 */
export function paintRgbFilters(layout: Layout, values: ArrayLike<number>, shape: readonly number[]): Uint8ClampedArray<ArrayBuffer> {
  const [, i, kh, kw] = shape, plane = kh * kw, per = i * plane;
  const { min, max } = filterRanges(values, shape);
  const rgba = new Uint8ClampedArray(layout.rows * layout.cols * 4);
  for (let r = 0; r < layout.rows; r++) {
    for (let c = 0; c < layout.cols; c++) {
      const k = layout.at(r, c);
      if (k < 0) continue;
      const f = Math.floor(k / per), span = max[f] - min[f];
      const o = (r * layout.cols + c) * 4;
      for (let ch = 0; ch < 3; ch++) {
        const v = values[k + ch * plane];
        rgba[o + ch] = !Number.isFinite(v) ? 0 : span > 0 ? Math.round((255 * (v - min[f])) / span) : 128;
      }
      rgba[o + 3] = 255;
    }
  }
  return rgba;
}
