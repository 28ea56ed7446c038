// Block reduction of a laid-out tensor into a grid small enough to draw or to send. A block shows
// its MOST EXTREME element (non-finite first, then largest |value|), never an average: an average
// would hide the single exploding weight a learner is looking for.
// Pure: no DOM, no `vscode`.
import type { Layout } from './layout';

/** A grid of cells ready to colour: value and element index per cell (index -1 = gap). */
export interface Grid {
  rows: number;
  cols: number;
  /** Each cell covers rowFactor x colFactor cells of the layout (1 x 1 = exact). */
  rowFactor: number;
  colFactor: number;
  values: Float32Array;
  /** The flat tensor index of the element a cell shows, -1 for a cell made only of gaps. */
  index: Int32Array;
}

/** Rank of a value for "more extreme": NaN and infinities beat every finite value. */
function extremeness(v: number): number {
  return Number.isFinite(v) ? Math.abs(v) : Infinity;
}

/** Block factors so that a rows x cols layout fits within maxRows x maxCols. */
export function blockFactors(rows: number, cols: number, maxRows: number, maxCols: number): [number, number] {
  return [Math.max(1, Math.ceil(rows / Math.max(1, maxRows))), Math.max(1, Math.ceil(cols / Math.max(1, maxCols)))];
}

/**
 * Elements visited between two yields of the step-wise reductions: a few milliseconds of work even
 * the first time, while the code still runs in the interpreter (~1 µs an element there: a step of
 * 65536 was a 65 ms long task on the first big tensor a webview showed).
 */
export const STEP_ELEMENTS = 1 << 13;

/**
 * The layout's grid, reduced by blocks when it is larger than maxRows x maxCols.
 * `values` is the tensor's flat row-major data (any numeric array-like).
 */
export function reduceToGrid(layout: Layout, values: ArrayLike<number>, maxRows = Infinity, maxCols = Infinity): Grid {
  return drain(reduceToGridSteps(layout, values, maxRows, maxCols));
}

/**
 * reduceToGrid in steps: yields after about STEP_ELEMENTS cells visited, so that a caller on a
 * browser's main thread can give the event loop its turn between steps (a 4M-element tensor is
 * hundreds of milliseconds of work otherwise).
 */
export function* reduceToGridSteps(layout: Layout, values: ArrayLike<number>, maxRows = Infinity, maxCols = Infinity): Generator<void, Grid> {
  const [rf, cf] = blockFactors(layout.rows, layout.cols, maxRows, maxCols);
  const rows = Math.ceil(layout.rows / rf), cols = Math.ceil(layout.cols / cf);
  const out = new Float32Array(rows * cols);
  const index = new Int32Array(rows * cols).fill(-1);
  let visited = 0;
  for (let R = 0; R < rows; R++) {
    const r1 = Math.min(layout.rows, (R + 1) * rf);
    for (let C = 0; C < cols; C++) {
      const c1 = Math.min(layout.cols, (C + 1) * cf);
      let best = -1, bestRank = -1;
      for (let r = R * rf; r < r1; r++) {
        for (let c = C * cf; c < c1; c++) {
          const k = layout.at(r, c);
          if (k < 0) continue;
          const rank = extremeness(values[k]);
          if (rank > bestRank) { bestRank = rank; best = k; }
        }
      }
      const cell = R * cols + C;
      index[cell] = best;
      out[cell] = best >= 0 ? values[best] : NaN;
      visited += (r1 - R * rf) * (c1 - C * cf);
      if (visited >= STEP_ELEMENTS) { visited = 0; yield; }
    }
  }
  return { rows, cols, rowFactor: rf, colFactor: cf, values: out, index };
}

/** Run a step-wise computation to its end at once (the host, tests). */
export function drain<T>(steps: Generator<void, T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** Reduce an already reduced grid further (for a canvas smaller than the grid). */
export function reduceGrid(grid: Grid, maxRows: number, maxCols: number): Grid {
  return drain(reduceGridSteps(grid, maxRows, maxCols));
}

export function* reduceGridSteps(grid: Grid, maxRows: number, maxCols: number): Generator<void, Grid> {
  const [rf, cf] = blockFactors(grid.rows, grid.cols, maxRows, maxCols);
  if (rf === 1 && cf === 1) return grid;
  const asLayout: Layout = {
    kind: 'matrix', rows: grid.rows, cols: grid.cols, rowBands: [], colBands: [], rowAxis: '', colAxis: '',
    at: (r, c) => (grid.index[r * grid.cols + c] < 0 ? -1 : r * grid.cols + c),
  };
  const inner = yield* reduceToGridSteps(asLayout, grid.values, maxRows, maxCols);
  const index = new Int32Array(inner.index.length);
  for (let k = 0; k < index.length; k++) index[k] = inner.index[k] < 0 ? -1 : grid.index[inner.index[k]];
  return { ...inner, rowFactor: rf * grid.rowFactor, colFactor: cf * grid.colFactor, index };
}
