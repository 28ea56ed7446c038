// How a tensor is laid out as a 2-D picture: which element sits in which grid cell, which cells
// are gaps between tiles, and how the axes and blocks are labelled. The layout follows what the
// tensor MEANS for its layer (a Linear weight's rows are output neurons, a Conv2d weight is a grid
// of kernels, an LSTM weight is four gate blocks), so the picture reads like the layer.
// Pure: no DOM, no `vscode`; the host uses it too when it reduces big tensors before sending
// (for the geometry only). Labels go through the webview's t(), translated like every other string.
import { t } from './l10n';
import type { TensorRole } from './types';
import { facetGrid, nestedGap, type Band, type FacetAxis, type Level, type SeparableOffsets } from './facets';

export type LayoutKind = 'scalar' | 'strip' | 'wrapped' | 'matrix' | 'folded' | 'kernels' | 'gates' | 'facets';

export type { Band, Level } from './facets';

export interface Layout {
  kind: LayoutKind;
  rows: number;
  cols: number;
  /** The flat (row-major) element index shown in grid cell (r, c), or -1 for a gap between tiles. */
  at(r: number, c: number): number;
  /** Labelled blocks along the rows (gates, output channels) and the columns (input channels, bias gates). */
  rowBands: Band[];
  colBands: Band[];
  /** What a row and a column of the picture stand for; message keys for t(). */
  rowAxis: string;
  colAxis: string;
  /** Nested axes along the rows / columns, outermost first (facet layouts), for treescope-style rulers. */
  rowLevels?: Level[];
  colLevels?: Level[];
  /** The number an index tick shows at a row / column (-1: none, a gap), for axes without bands. */
  rowTick?(r: number): number;
  colTick?(c: number): number;
  /** How the picture was folded or wrapped, in one sentence, when it was. */
  note?: string;
  /** For facet layouts (folded, wrapped, facets): at() as row and column offset arrays. */
  separable?: SeparableOffsets;
}

/**
 * The aspect (width / height) a picture is folded towards: the heatmap panel is about twice as wide
 * as it is tall. A function of the shape only, so the host (which reduces big tensors before
 * sending them) and the webview agree on the layout without knowing the panel's size.
 */
export const TARGET_ASPECT = 2;
/** 1-D tensors longer than this are wrapped into rows: a 1-pixel strip shows no single value. */
export const WRAP_MIN = 256;
/** A matrix is folded when it is at least FOLD_MIN long and FOLD_RATIO times taller than wide, or FOLD_RATIO² wider than tall (the panel is wide already). */
export const FOLD_MIN = 256;
export const FOLD_RATIO = 4;

/** PyTorch's LSTM gate order in weight_ih/weight_hh/bias_*: input, forget, cell (g), output. */
export const LSTM_GATES = ['i', 'f', 'g', 'o'] as const;

const isLstmTensor = (role: TensorRole): boolean =>
  role.layerType === 'LSTM' && /^(weight_ih|weight_hh|bias_ih|bias_hh)_l\d+$/.test(role.local);

/** Bands of `count` tiles of `size` cells with a one-cell gap between them. */
function tiledBands(count: number, size: number, label: (k: number) => string): Band[] {
  const bands: Band[] = [];
  for (let k = 0; k < count; k++) bands.push({ start: k * (size + 1), end: k * (size + 1) + size, label: label(k) });
  return bands;
}

/** The power of two nearest (on a log scale) to x, at least 8: wrapped rows of a round length read better. */
function nicePow2(x: number): number {
  return Math.max(8, 2 ** Math.round(Math.log2(Math.max(1, x))));
}

/** A gap that stays visible when a block of `inner` cells is drawn a few pixels wide. */
const visibleGap = (inner: number): number => Math.max(1, Math.ceil(inner / 48));

/** The layout built from facet axes, with labels, ticks and levels filled in. */
function fromFacets(kind: LayoutKind, shape: readonly number[], rows: FacetAxis[], cols: FacetAxis[],
  extra: { rowAxis: string; colAxis: string; rowBandLevel?: number; colBandLevel?: number; ticks?: boolean; note?: string }): Layout {
  const g = facetGrid(shape, rows, cols);
  const ticks = extra.ticks ?? true;
  return {
    kind, rows: g.rows, cols: g.cols, at: g.at,
    rowBands: extra.rowBandLevel === undefined ? [] : g.bands('rows', extra.rowBandLevel),
    colBands: extra.colBandLevel === undefined ? [] : g.bands('cols', extra.colBandLevel),
    rowAxis: extra.rowAxis, colAxis: extra.colAxis,
    rowLevels: g.rowLevels, colLevels: g.colLevels,
    rowTick: ticks ? g.rowInner : undefined, colTick: ticks ? g.colInner : undefined,
    note: extra.note,
    separable: g.separable,
  };
}

/** A long 1-D tensor wrapped into rows of a power-of-two length; ticks give each row's first index. */
function wrappedLayout(n: number): Layout {
  const w = nicePow2(Math.sqrt(n * TARGET_ASPECT));
  const rows = Math.ceil(n / w);
  const l = fromFacets('wrapped', [n], [{ dim: 0, size: rows, stride: w, gap: 0, name: t('element') }],
    [{ dim: 0, size: w, stride: 1, gap: 0, name: t('element') }],
    { rowAxis: t('element, {0} per row', w), colAxis: t('element'), note: t('Wrapped: {0} elements per row, left to right, then the next row.', w) });
  return { ...l, rowTick: (r) => r * w, rowLevels: undefined, colLevels: undefined };
}

/** A matrix much taller than wide: its rows cut into k blocks laid side by side, left to right. */
function tallFold(r0: number, c0: number, rowAxis: string, colAxis: string): Layout {
  let k = Math.max(2, Math.round(Math.sqrt((TARGET_ASPECT * r0) / c0)));
  const per = Math.ceil(r0 / k);
  k = Math.ceil(r0 / per);
  const rowLabel = (b: number) => t('rows {0}–{1}', b * per, Math.min(r0, (b + 1) * per) - 1);
  return fromFacets('folded', [r0, c0],
    [{ dim: 0, size: per, stride: 1, gap: 0, name: rowAxis }],
    [{ dim: 0, size: k, stride: per, gap: visibleGap(c0), name: t('row block'), band: rowLabel }, { dim: 1, size: c0, stride: 1, gap: 0, name: colAxis }],
    { rowAxis: t('{0}: the block\'s first row + the tick', rowAxis), colAxis, colBandLevel: 0,
      note: t('Folded: the {0} rows are cut into {1} blocks of {2}, laid side by side left to right.', r0, k, per) });
}

/** A matrix much wider than tall: its columns cut into k bands stacked top to bottom. */
function wideFold(r0: number, c0: number, rowAxis: string, colAxis: string): Layout {
  let k = Math.max(2, Math.round(Math.sqrt(c0 / (TARGET_ASPECT * r0))));
  const per = Math.ceil(c0 / k);
  k = Math.ceil(c0 / per);
  const colLabel = (b: number) => t('cols {0}–{1}', b * per, Math.min(c0, (b + 1) * per) - 1);
  return fromFacets('folded', [r0, c0],
    [{ dim: 1, size: k, stride: per, gap: visibleGap(r0), name: t('column block'), band: colLabel }, { dim: 0, size: r0, stride: 1, gap: 0, name: rowAxis }],
    [{ dim: 1, size: per, stride: 1, gap: 0, name: colAxis }],
    { rowAxis, colAxis: t('{0}: the band\'s first column + the tick', colAxis), rowBandLevel: 0,
      note: t('Folded: the {0} columns are cut into {1} bands of {2}, stacked top to bottom.', c0, k, per) });
}

/**
 * How many filters of a Conv2d weight [o, i, kh, kw] go side by side in one row of the picture:
 * the count whose picture comes nearest to TARGET_ASPECT, a little against empty slots in the last row.
 */
export function filtersPerRow(o: number, i: number, kh: number, kw: number): number {
  const filterW = i * (kw + 1) - 1, colGap = i > 1 ? 2 : 1;
  let best = 1, bestScore = Infinity;
  for (let gc = 1; gc <= o; gc++) {
    const gr = Math.ceil(o / gc);
    const w = gc * filterW + (gc - 1) * colGap, hgt = gr * kh + (gr - 1);
    const score = Math.abs(Math.log(w / hgt / TARGET_ASPECT)) + (0.5 * (gr * gc - o)) / o;
    if (score < bestScore - 1e-9) { best = gc; bestScore = score; }
  }
  return best;
}

/** Conv2d weight [o, i, kh, kw]: one kh x kw tile per (out, in), in channels side by side, filters wrapped into rows. */
function kernelLayout(shape: readonly number[]): Layout {
  const [o, i, kh, kw] = shape;
  const gc = filtersPerRow(o, i, kh, kw);
  const inAxis: FacetAxis = { dim: 1, size: i, stride: 1, gap: 1, name: t('input channel'), band: (k) => t('in {0}', k) };
  const khAxis: FacetAxis = { dim: 2, size: kh, stride: 1, gap: 0, name: t('kernel row') };
  const kwAxis: FacetAxis = { dim: 3, size: kw, stride: 1, gap: 0, name: t('kernel column') };
  if (gc === 1) {
    return fromFacets('kernels', shape, [{ dim: 0, size: o, stride: 1, gap: 1, name: t('output channel'), band: (k) => t('out {0}', k) }, khAxis], [inAxis, kwAxis],
      { rowAxis: t('output channel'), colAxis: t('input channel'), rowBandLevel: 0, colBandLevel: 0, ticks: false });
  }
  const gr = Math.ceil(o / gc);
  return fromFacets('kernels', shape,
    [{ dim: 0, size: gr, stride: gc, gap: 1, name: t('output channel'), band: (k) => (Math.min(o, (k + 1) * gc) - 1 > k * gc ? t('out {0}–{1}', k * gc, Math.min(o, (k + 1) * gc) - 1) : t('out {0}', k * gc)) }, khAxis],
    [{ dim: 0, size: gc, stride: 1, gap: i > 1 ? 2 : 1, name: t('output channel') }, inAxis, kwAxis],
    { rowAxis: t('output channel'), colAxis: t('input channel'), rowBandLevel: 0, colBandLevel: i > 1 ? 1 : undefined, ticks: false,
      note: t('{0} filters in rows of {1}, left to right; each filter shows its {2} input channels side by side.', o, gc, i) });
}

/** Cells spanned by nested axes (outermost first) with their gaps. */
function extentOf(axes: readonly FacetAxis[]): number {
  let e = 1;
  for (let i = axes.length - 1; i >= 0; i--) e = axes[i].size * e + (axes[i].size - 1) * axes[i].gap;
  return e;
}

/** Nested axes over dimensions `dims` (outermost first) with treescope's growing gaps, kept visible when blocks are large. */
function nestedAxes(shape: readonly number[], dims: number[], outer?: Omit<FacetAxis, 'gap'>): FacetAxis[] {
  const kept = dims.filter((d) => shape[d] > 1);
  const use = kept.length || outer ? kept : dims.slice(-1);
  const out: FacetAxis[] = [];
  let inner = 1; // cells spanned by one block of the axes inside the one being added
  const add = (a: Omit<FacetAxis, 'gap'>, level: number) => {
    const gap = level === 0 ? 0 : Math.max(nestedGap(level), visibleGap(inner));
    out.unshift({ ...a, gap });
    inner = a.size * inner + (a.size - 1) * gap;
  };
  use.slice().reverse().forEach((d, level) => add({ dim: d, size: shape[d], stride: 1, name: t('dim {0}', d), band: (k) => String(k) }, level));
  if (outer) add(outer, use.length);
  return out;
}

export interface FacetPlan { rows: number[]; cols: number[]; split?: { dim: number; perRow: number } }

/**
 * Which dimensions of a tensor run down and which across, as treescope assigns them: the last
 * dimension across, the one before it down, each other one to whichever side brings the picture
 * nearest TARGET_ASPECT (lower dimensions outside). When no assignment comes near (12 maps of
 * 64 × 64 are a strip either way) one leading dimension is also wrapped into a grid of blocks, as
 * the filters of a Conv2d are.
 */
export function planFacets(shape: readonly number[]): FacetPlan {
  const n = shape.length;
  const lead = Array.from({ length: n - 2 }, (_, d) => d);
  const score = (p: FacetPlan): number => {
    let rowsAx: FacetAxis[], colsAx: FacetAxis[], empty = 0;
    if (p.split) {
      const size = shape[p.split.dim], gc = p.split.perRow, gr = Math.ceil(size / gc);
      rowsAx = nestedAxes(shape, p.rows, { dim: p.split.dim, size: gr, stride: gc, name: '' });
      colsAx = nestedAxes(shape, p.cols, { dim: p.split.dim, size: gc, stride: 1, name: '' });
      empty = (gr * gc - size) / size;
    } else {
      rowsAx = nestedAxes(shape, p.rows);
      colsAx = nestedAxes(shape, p.cols);
    }
    return Math.abs(Math.log(extentOf(colsAx) / extentOf(rowsAx) / TARGET_ASPECT)) + empty + (p.split ? 0.3 : 0);
  };
  let best: FacetPlan | undefined, bestScore = Infinity;
  const consider = (p: FacetPlan) => {
    const sc = score(p);
    if (sc < bestScore - 1e-9) { best = p; bestScore = sc; }
  };
  for (let mask = 0; mask < 1 << lead.length; mask++) {
    const rows = [...lead.filter((d) => !(mask & (1 << d))), n - 2], cols = [...lead.filter((d) => mask & (1 << d)), n - 1];
    consider({ rows, cols });
    for (const d of lead) {
      if (shape[d] < 4) continue;
      const others = (ds: number[]) => ds.filter((x) => x !== d);
      for (let gc = 2; gc < shape[d]; gc++) consider({ rows: others(rows), cols: others(cols), split: { dim: d, perRow: gc } });
    }
  }
  return best!;
}

/** A tensor of 3 or more dimensions as nested facets over its named dimensions (treescope style). */
function facetLayout(shape: readonly number[]): Layout {
  const plan = planFacets(shape);
  let R: FacetAxis[], C: FacetAxis[];
  if (plan.split) {
    const { dim, perRow } = plan.split, size = shape[dim], gr = Math.ceil(size / perRow);
    R = nestedAxes(shape, plan.rows, { dim, size: gr, stride: perRow, name: t('dim {0}', dim), band: (k) => `${k * perRow}–${Math.min(size, (k + 1) * perRow) - 1}` });
    C = nestedAxes(shape, plan.cols, { dim, size: perRow, stride: 1, name: t('dim {0}', dim), band: (k) => `+${k}` });
  } else {
    R = nestedAxes(shape, plan.rows);
    C = nestedAxes(shape, plan.cols);
  }
  const name = (as: FacetAxis[]) => as.map((a) => `${a.name} (${a.size})`).join(' › ');
  const dimsOf = (ds: number[]) => ds.join(', ');
  return fromFacets('facets', shape, R, C, {
    rowAxis: name(R), colAxis: name(C), rowBandLevel: R.length > 1 ? 0 : undefined, colBandLevel: C.length > 1 ? 0 : undefined,
    note: plan.split
      ? t('Facets: dimension {0} is wrapped into rows of {1} blocks; dimensions {2} run down inside a block, {3} across.', plan.split.dim, plan.split.perRow, dimsOf(plan.rows), dimsOf(plan.cols))
      : t('Facets: dimensions {0} run down, {1} across; a lower dimension makes the larger blocks.', dimsOf(plan.rows), dimsOf(plan.cols)),
  });
}

/** Is a 4-D tensor a Conv2d weight? From the model when the file has one, else by its name (a .pth has no model). */
const isConvWeight = (shape: readonly number[], role: TensorRole): boolean =>
  shape.length === 4 && (role.layerType === 'Conv2d' || (role.layerType === undefined && role.local === 'weight'));

/** Choose the layout of a tensor of `shape` playing `role` in its layer. */
export function layoutFor(shape: readonly number[], role: TensorRole): Layout {
  const lstm = isLstmTensor(role);
  if (shape.length === 0) {
    return { kind: 'scalar', rows: 1, cols: 1, at: () => 0, rowBands: [], colBands: [], rowAxis: '', colAxis: '' };
  }
  // An empty tensor (a zero in its shape) has nothing to lay out: an empty picture, no facets.
  if (shape.some((d) => d === 0)) return { kind: 'matrix', rows: 0, cols: 0, at: () => -1, rowBands: [], colBands: [], rowAxis: '', colAxis: '' };
  if (shape.length === 1) {
    const n = shape[0];
    if (lstm && n % 4 === 0 && n > 0) {
      // Four gate strips side by side with a gap cell between them.
      const h = n / 4;
      return {
        kind: 'gates', rows: 1, cols: 4 * h + 3,
        at: (_r, c) => (c % (h + 1) === h ? -1 : Math.floor(c / (h + 1)) * h + (c % (h + 1))),
        rowBands: [], colBands: tiledBands(4, h, (k) => LSTM_GATES[k]),
        rowAxis: '', colAxis: t('hidden unit'),
      };
    }
    if (n > WRAP_MIN) return wrappedLayout(n);
    return { kind: 'strip', rows: 1, cols: n, at: (_r, c) => c, rowBands: [], colBands: [], rowAxis: '', colAxis: t('element') };
  }
  if (shape.length === 2) {
    const [r0, c0] = shape;
    if (lstm && r0 % 4 === 0 && r0 > 0) {
      const h = r0 / 4;
      return {
        kind: 'gates', rows: 4 * h + 3, cols: c0,
        at: (r, c) => (r % (h + 1) === h ? -1 : (Math.floor(r / (h + 1)) * h + (r % (h + 1))) * c0 + c),
        rowBands: tiledBands(4, h, (k) => LSTM_GATES[k]), colBands: [],
        rowAxis: t('hidden unit'), colAxis: role.local.startsWith('weight_hh') ? t('previous hidden unit') : t('input feature'),
      };
    }
    const linear = role.layerType === 'Linear';
    const rowAxis = linear ? t('output neuron') : t('dim {0}', 0), colAxis = linear ? t('input feature') : t('dim {0}', 1);
    if (r0 >= FOLD_MIN && r0 >= FOLD_RATIO * c0) return tallFold(r0, c0, rowAxis, colAxis);
    if (c0 >= FOLD_MIN && c0 >= FOLD_RATIO * FOLD_RATIO * r0) return wideFold(r0, c0, rowAxis, colAxis);
    return { kind: 'matrix', rows: r0, cols: c0, at: (r, c) => r * c0 + c, rowBands: [], colBands: [], rowAxis, colAxis };
  }
  if (isConvWeight(shape, role)) return kernelLayout(shape);
  return facetLayout(shape);
}

/** The multi-index of flat element `flat` in `shape`, as PyTorch prints it: [3, 1]. */
export function multiIndex(flat: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  let rest = flat;
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = rest % shape[d];
    rest = Math.floor(rest / shape[d]);
  }
  return idx;
}

/** The band containing cell `pos`, if any. */
export function bandAt(bands: readonly Band[], pos: number): Band | undefined {
  return bands.find((b) => pos >= b.start && pos < b.end);
}
