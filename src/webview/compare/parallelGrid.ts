// A, B and Δ drawn over the same cells: one grid of element indices chosen by |Δ| (the block's most
// changed element), with A's and B's values gathered at those same elements. Reducing further for
// a small canvas keeps the three aligned the same way. Pure: no DOM.
import type { Layout } from '../../view/layout';
import { reduceToGrid, type Grid } from '../../view/reduce';

/** Three grids over identical cells: `lead` (Δ) decides which element a cell shows. */
export interface ParallelGrids { lead: Grid; others: Float32Array[] }

/** Values of `values` (a whole tensor, flat) at the elements the grid's cells show. */
export function gatherAt(values: ArrayLike<number>, index: Int32Array): Float32Array {
  const out = new Float32Array(index.length);
  for (let k = 0; k < index.length; k++) out[k] = index[k] >= 0 ? values[index[k]] : NaN;
  return out;
}

/** Whole tensors laid out and reduced to at most maxSide cells a side, led by `lead`'s extremes. */
export function parallelFromValues(layout: Layout, lead: ArrayLike<number>, others: ArrayLike<number>[], maxSide: number): ParallelGrids {
  const grid = reduceToGrid(layout, lead, maxSide, maxSide);
  return { lead: grid, others: others.map((v) => gatherAt(v, grid.index)) };
}

/** Reduce already aligned grids further (cells smaller than a device pixel), keeping them aligned. */
export function reduceParallel(p: ParallelGrids, maxRows: number, maxCols: number): ParallelGrids {
  const g = p.lead;
  // Reduce the grid's own cells (as a plain matrix), then map back: positions first, tensor indices after.
  const asLayout: Layout = {
    kind: 'matrix', rows: g.rows, cols: g.cols, rowBands: [], colBands: [], rowAxis: '', colAxis: '',
    at: (r, c) => (g.index[r * g.cols + c] < 0 ? -1 : r * g.cols + c),
  };
  const inner = reduceToGrid(asLayout, g.values, maxRows, maxCols);
  if (inner.rowFactor === 1 && inner.colFactor === 1) return p;
  const index = new Int32Array(inner.index.length);
  for (let k = 0; k < index.length; k++) index[k] = inner.index[k] < 0 ? -1 : g.index[inner.index[k]];
  return {
    lead: { ...inner, rowFactor: inner.rowFactor * g.rowFactor, colFactor: inner.colFactor * g.colFactor, index },
    others: p.others.map((v) => gatherAt(v, inner.index)),
  };
}
