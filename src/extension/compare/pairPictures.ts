// What the compare view shows of one selected tensor: A, B and Δ = B − A laid out as the layer
// uses them (pairMessage, sent first so the pictures paint at once), then one shared histogram
// grid and the units (rows, filters) ranked by their change (pairStats).
// Pure (no `vscode`, no fs), so it is unit-tested; the host calls it with the two records read.
import { rankUnits } from '../../actions/compare';
import { addToHistogram, histogramRange, numericView } from '../../format/stats';
import type { TensorRecord } from '../../format/types';
import { layoutFor } from '../../view/layout';
import { blockFactors, type Grid } from '../../view/reduce';
import type { CompareHostToWebview, ComparePicture, TensorRole } from '../../webview/protocol';
import { sendPlan, type Fit } from '../../view/limits';
import { reduceTensorNow } from '../editor/tensorSummary';
import { histogramBins } from '../editor/viewState';

type PairMessage = Extract<CompareHostToWebview, { type: 'comparePair' }>;
type StatsMessage = Extract<CompareHostToWebview, { type: 'compareStats' }>;

/** How many ranked units travel to the view: enough to read the top of the list. */
export const MAX_UNITS_SENT = 32;

/** What one row of a tensor's picture stands for, for the ranked list's labels (translated by the view). */
export function unitKind(shape: readonly number[], role: TensorRole): 'neuron' | 'filter' | 'gateRow' | 'row' {
  if (shape.length === 4) return 'filter';
  if (role.layerType === 'LSTM') return 'gateRow';
  if (role.layerType === 'Linear') return 'neuron';
  return 'row';
}

/** How much of the selected tensor to send: fitted to a pane for a selection, the finest after a zoom. */
export interface PictureSize { fit?: Fit; detail?: boolean }

/** One picture of a tensor alone (a side without a partner of the same shape). */
function picture(t: TensorRecord, values: ArrayLike<number>, role: TensorRole, size: PictureSize): ComparePicture {
  const shape = [...t.shape];
  const layout = layoutFor(shape, role);
  const plan = sendPlan(layout, values.length, size.fit, size.detail);
  if (plan.whole) return { shape, values: Float32Array.from(values) };
  const g = reduceTensorNow(layout, t, plan.maxRows, plan.maxCols);
  return { shape, values: g.values, reduction: { rows: g.rows, cols: g.cols, rowFactor: g.rowFactor, colFactor: g.colFactor, index: g.index }, ...(plan.fitted ? { fitted: true } : {}) };
}

/**
 * reduceToGrid of Δ = b − a for a plain row-major matrix (the layout of every large 2-D tensor:
 * embeddings, projections), fused: no Δ array, no call per element, so a 50257 × 768 embedding
 * reduces several times faster. Same rule: a block shows its most extreme Δ, non-finite first,
 * the first one on ties.
 */
export function reduceRowMajorByDelta(a: ArrayLike<number>, b: ArrayLike<number>, rows: number, cols: number, maxRows: number, maxCols = maxRows): Grid {
  const [rf, cf] = blockFactors(rows, cols, maxRows, maxCols);
  const gr = Math.ceil(rows / rf), gc = Math.ceil(cols / cf);
  const index = new Int32Array(gr * gc).fill(-1);
  const best = new Float64Array(gr * gc).fill(-1);
  const colCell = new Int32Array(cols);
  for (let c = 0; c < cols; c++) colCell[c] = Math.floor(c / cf);
  for (let r = 0; r < rows; r++) {
    const base = Math.floor(r / rf) * gc, row = r * cols;
    for (let c = 0; c < cols; c++) {
      const d = Math.fround(b[row + c] - a[row + c]);
      const rank = d - d === 0 ? Math.abs(d) : Infinity;
      const k = base + colCell[c];
      if (rank > best[k]) { best[k] = rank; index[k] = row + c; }
    }
  }
  const out = new Float32Array(gr * gc);
  for (let k = 0; k < out.length; k++) out[k] = index[k] >= 0 ? b[index[k]] - a[index[k]] : NaN;
  return { rows: gr, cols: gc, rowFactor: rf, colFactor: cf, values: out, index };
}

/** `values` at the elements a reduced grid shows (NaN for a gap cell). */
function gather(values: ArrayLike<number>, index: Int32Array): Float32Array {
  const out = new Float32Array(index.length);
  for (let k = 0; k < index.length; k++) out[k] = index[k] >= 0 ? values[index[k]] : NaN;
  return out;
}

/** Both sides counted over the same bins (finite values only), spanning both ranges. */
function sharedHistogram(a: ArrayLike<number> | undefined, b: ArrayLike<number> | undefined): StatsMessage['histogram'] {
  let lo = Infinity, hi = -Infinity, n = 0;
  for (const v of [a, b]) {
    if (!v) continue;
    n = Math.max(n, v.length);
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (x < lo) lo = x; // NaN compares false both ways; ±Infinity is excluded below
      if (x > hi) hi = x;
    }
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
    // Infinite values widened the range: take it again over finite values only.
    lo = Infinity; hi = -Infinity;
    for (const v of [a, b]) for (let i = 0; v && i < v.length; i++) if (Number.isFinite(v[i])) { lo = Math.min(lo, v[i]); hi = Math.max(hi, v[i]); }
    if (!Number.isFinite(lo)) return undefined;
  }
  [lo, hi] = histogramRange(lo, hi);
  const bins = histogramBins(n);
  const count = (v: ArrayLike<number> | undefined) => {
    const c = new Uint32Array(bins);
    if (v) addToHistogram(c, lo, hi, v);
    return Array.from(c);
  };
  return { edges: Array.from({ length: bins + 1 }, (_, i) => lo + ((hi - lo) * i) / bins), a: count(a), b: count(b) };
}

/**
 * The comparePair message of tensor `name`: either side may be missing (only in A / only in B).
 * `size`: fitted to a pane for a selection's first pictures, the finest after a zoom (sendPlan).
 */
export function pairMessage(name: string, role: TensorRole, a: TensorRecord | undefined, b: TensorRecord | undefined, size: PictureSize = {}): PairMessage {
  const va = a && numericView(a), vb = b && numericView(b);
  const msg: PairMessage = { type: 'comparePair', name, role };
  if (a && b && va && vb && a.shape.join() === b.shape.join()) {
    const shape = [...a.shape];
    const layout = layoutFor(shape, role);
    const plan = sendPlan(layout, va.length, size.fit, size.detail);
    // Float32 is plenty for a picture; a float64 copy of a 150 MB embedding would be 300 MB more.
    const deltaOf = () => {
      const delta = new Float32Array(va.length);
      for (let i = 0; i < va.length; i++) delta[i] = vb[i] - va[i];
      return delta;
    };
    if (plan.whole) {
      msg.a = { shape, values: Float32Array.from(va) };
      msg.b = { shape, values: Float32Array.from(vb) };
      msg.delta = { shape, values: deltaOf() };
    } else {
      // One reduction for all three, its blocks represented by their largest |Δ|: the cell under the
      // mouse is the same element in A, B and Δ, and the most changed weight is never averaged away.
      const g = layout.kind === 'matrix' || layout.kind === 'strip'
        ? reduceRowMajorByDelta(va, vb, layout.rows, layout.cols, plan.maxRows, plan.maxCols)
        : reduceTensorNow(layout, { shape, dtype: 'float32', requires_grad: false, data: deltaOf() }, plan.maxRows, plan.maxCols);
      const reduction = { rows: g.rows, cols: g.cols, rowFactor: g.rowFactor, colFactor: g.colFactor, index: g.index };
      const fitted = plan.fitted ? { fitted: true } : {};
      msg.a = { shape, values: gather(va, g.index), reduction, ...fitted };
      msg.b = { shape, values: gather(vb, g.index), reduction, ...fitted };
      msg.delta = { shape, values: g.values, reduction, ...fitted };
    }
    return msg;
  }
  if (a && va) msg.a = picture(a, va, role, size);
  if (b && vb) msg.b = picture(b, vb, role, size);
  return msg;
}

/** The compareStats message of tensor `name`: the shared histogram and, for a pair of one shape, the ranked units. */
export function pairStats(name: string, role: TensorRole, a: TensorRecord | undefined, b: TensorRecord | undefined): StatsMessage {
  const va = a && numericView(a), vb = b && numericView(b);
  const msg: StatsMessage = { type: 'compareStats', name, histogram: sharedHistogram(va, vb) };
  if (a && b && va && vb && a.shape.join() === b.shape.join() && a.shape.length >= 1 && va.length > 0) {
    // Dim-0 slices: a Linear layer's output neurons, a Conv2d layer's filters, a vector's elements.
    msg.units = { unit: unitKind(a.shape, role), ranked: rankUnits(va, vb, [...a.shape], MAX_UNITS_SENT), count: a.shape[0] };
  }
  return msg;
}
