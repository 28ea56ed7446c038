// The geometry of nested ("faceted") pictures of a tensor, as treescope draws N-dimensional arrays:
// each tensor dimension (or one part of a dimension split in two, to fold a long axis) becomes
// one axis of the picture, nested along the rows or along the columns, outermost first, with
// empty cells between the repetitions of each outer axis so that the nesting stays visible.
// Every layout of layout.ts that is not a plain strip is built from this.
// Pure: no DOM, no `vscode`.

/** One axis of the picture: a tensor dimension, or one part of a dimension split in two. */
export interface FacetAxis {
  /** The tensor dimension this axis walks. */
  dim: number;
  /** Positions along this axis. */
  size: number;
  /** How much one step along this axis adds to the dimension's index (1, or the inner part's size when split). */
  stride: number;
  /** Empty cells between consecutive positions of this axis (0 for the innermost axis). */
  gap: number;
  /** What the axis stands for, for the rulers beside the picture ("dim 2", "kernel column"). */
  name: string;
  /** A label for the block at position k of this axis, when its blocks are labelled. */
  band?: (k: number) => string;
}

/** A labelled run of grid cells along one axis: [start, end) in cells. */
export interface Band { start: number; end: number; label: string }

/** One nesting level along the rows or columns: its name and how many cells one of its repetitions spans. */
export interface Level { name: string; extent: number; size: number }

export interface FacetGrid {
  rows: number;
  cols: number;
  /** The flat (row-major) element index in cell (r, c), or -1 for a gap (between blocks, or past the end of a split dimension). */
  at(r: number, c: number): number;
  rowLevels: Level[];
  colLevels: Level[];
  /** The labelled blocks of the given level of the rows' (or columns') axes, every repetition of it. */
  bands(along: 'rows' | 'cols', level: number): Band[];
  /** The position along the innermost axis of each row / column (-1 in a gap), for tick labels. */
  rowInner(r: number): number;
  colInner(c: number): number;
  /** at() taken apart: cell (r, c) holds rowOffset[r] + colOffset[c], unless either is -1 (a gap)
   *  or rowSplit[r] + colSplit[c] >= splitSize (past the end of a split dimension). A reduction
   *  over 40M cells reads these arrays in a loop instead of calling at() for every cell. */
  separable: SeparableOffsets;
}

export interface SeparableOffsets {
  rowOffset: Float64Array;
  colOffset: Float64Array;
  rowSplit: Float64Array;
  colSplit: Float64Array;
  splitSize: number;
}

/** No more band labels than this are made for one level (a label every few pixels is unreadable anyway). */
const MAX_BANDS = 4096;

interface Direction {
  axes: FacetAxis[];
  /** ext[i]: cells spanned by one repetition of level i (all its positions and gaps); ext[n] = 1. */
  ext: number[];
  /** Flat-index contribution of each cell (-1 = gap), the split dimension's index part, the innermost position. */
  offset: Float64Array;
  split: Float64Array;
  inner: Int32Array;
}

function rowMajorStrides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) { s[d] = acc; acc *= shape[d]; }
  return s;
}

function direction(axes: FacetAxis[], strides: number[], splitDim: number): Direction {
  const n = axes.length;
  const ext = new Array<number>(n + 1);
  ext[n] = 1;
  for (let i = n - 1; i >= 0; i--) ext[i] = Math.max(0, axes[i].size * ext[i + 1] + (axes[i].size - 1) * axes[i].gap);
  const cells = n === 0 ? 1 : ext[0];
  const offset = new Float64Array(cells), split = new Float64Array(cells), inner = new Int32Array(cells);
  // Each cell decoded once, so at() is two array reads: a 40M-element reduction calls it for every element.
  for (let p = 0; p < cells; p++) {
    let rest = p, off = 0, part = 0, last = 0, gap = false;
    for (let i = 0; i < n; i++) {
      const a = axes[i], unit = ext[i + 1] + a.gap;
      const k = Math.floor(rest / unit);
      rest -= k * unit;
      if (rest >= ext[i + 1]) { gap = true; break; }
      off += k * a.stride * strides[a.dim];
      if (a.dim === splitDim) part += k * a.stride;
      last = k;
    }
    offset[p] = gap ? -1 : off;
    split[p] = part;
    inner[p] = gap ? -1 : last;
  }
  return { axes, ext, offset, split, inner };
}

/**
 * The picture of a tensor of `shape` with `rows` and `cols` axes (outermost first). At most one
 * dimension may be split over several axes (its parts' strides add up its index); cells past its
 * end are gaps.
 */
export function facetGrid(shape: readonly number[], rows: FacetAxis[], cols: FacetAxis[]): FacetGrid {
  const strides = rowMajorStrides(shape);
  const count = new Map<number, number>();
  for (const a of [...rows, ...cols]) count.set(a.dim, (count.get(a.dim) ?? 0) + 1);
  const splitDim = [...count].find(([, c]) => c > 1)?.[0] ?? -1;
  const splitSize = splitDim >= 0 ? shape[splitDim] : Infinity;
  const R = direction(rows, strides, splitDim), C = direction(cols, strides, splitDim);
  const levels = (d: Direction): Level[] => d.axes.map((a, i) => ({ name: a.name, extent: d.ext[i], size: a.size }));
  const bands = (d: Direction, level: number): Band[] => {
    const a = d.axes[level];
    if (!a?.band) return [];
    let reps = 1;
    for (let i = 0; i <= level; i++) reps *= d.axes[i].size;
    if (reps > MAX_BANDS) return [];
    const out: Band[] = [];
    // Every combination of positions of the levels 0..level, outermost varying slowest.
    const ks = new Array<number>(level + 1).fill(0);
    for (let rep = 0; rep < reps; rep++) {
      let start = 0;
      for (let i = 0; i <= level; i++) start += ks[i] * (d.ext[i + 1] + d.axes[i].gap);
      out.push({ start, end: start + d.ext[level + 1], label: a.band(ks[level]) });
      for (let i = level; i >= 0; i--) { if (++ks[i] < d.axes[i].size) break; ks[i] = 0; }
    }
    return out;
  };
  return {
    rows: R.offset.length,
    cols: C.offset.length,
    at: (r, c) => {
      const ro = R.offset[r], co = C.offset[c];
      if (ro < 0 || co < 0 || R.split[r] + C.split[c] >= splitSize) return -1;
      return ro + co;
    },
    rowLevels: levels(R),
    colLevels: levels(C),
    bands: (along, level) => bands(along === 'rows' ? R : C, level),
    rowInner: (r) => R.inner[r],
    colInner: (c) => C.inner[c],
    separable: { rowOffset: R.offset, colOffset: C.offset, rowSplit: R.split, colSplit: C.split, splitSize },
  };
}

/** Fibonacci gaps between the repetitions of nested axes (1, 2, 3, 5 …), as treescope spaces them. */
export function nestedGap(levelFromInside: number): number {
  let a = 1, b = 1;
  for (let i = 1; i < levelFromInside; i++) [a, b] = [b, a + b];
  return levelFromInside <= 0 ? 0 : b;
}
