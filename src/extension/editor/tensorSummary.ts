// What the read-only editor computes from one tensor's values — statistics, histogram, the row's
// thumbnail and the heatmap's (possibly block-reduced) values — straight from the stored dtype:
// float32/float64/int32/uint8 are read in place, float16/bfloat16 through a 65,536-entry table,
// so a 40M-element tensor is never widened into a Float64Array (which would be 2–4× its bytes).
// Long loops stop every CHUNK elements at `pause()`, which yields to the event loop (a click
// arriving meanwhile is answered) and throws when the job was cancelled.
// Pure: no `vscode`, no DOM; the same numbers as viewState's whole-array versions.
import { StatsAccumulator, addToHistogram, histogramRange, type TensorStats } from '../../format/stats';
import { bfloat16ToNumber, halfToNumber } from '../../format/half';
import type { TensorRecord } from '../../format/types';
import type { Layout } from '../../webview/heatmap/layout';
import { blockFactors, type Grid } from '../../webview/heatmap/reduce';
import type { HistogramView, Thumbnail } from '../../webview/protocol';

/** Elements processed between two pauses: a few milliseconds of work on a slow machine. */
export const CHUNK = 1 << 18;

export type Pause = () => Promise<void>;
export const noPause: Pause = () => Promise.resolve();

const tables = new Map<string, Float32Array>();
/** Every 16-bit pattern's value, once per dtype (256 KiB): decoding becomes one array read. */
function halfTable(dtype: 'float16' | 'bfloat16'): Float32Array {
  let table = tables.get(dtype);
  if (!table) {
    table = new Float32Array(65536);
    const decode = dtype === 'float16' ? halfToNumber : bfloat16ToNumber;
    for (let h = 0; h < 65536; h++) table[h] = decode(h);
    tables.set(dtype, table);
  }
  return table;
}

/** Element k of a tensor as a number, whatever its dtype (halves decoded, int64 converted). */
export type ValueAt = (k: number) => number;

export function valueAt(t: TensorRecord): ValueAt {
  const d = t.data;
  if (t.dtype === 'float16' || t.dtype === 'bfloat16') {
    const table = halfTable(t.dtype), bits = d as Uint16Array;
    return (k) => table[bits[k]];
  }
  if (d instanceof BigInt64Array) return (k) => Number(d[k]);
  const direct = d as Float32Array | Float64Array | Int32Array | Uint8Array;
  return (k) => direct[k];
}

/**
 * Calls `each(values, from, to)` over the whole tensor in chunks of numbers: the stored array
 * itself where it holds numbers, else a chunk decoded into a small scratch array.
 */
async function forChunks(t: TensorRecord, pause: Pause, each: (v: ArrayLike<number>, from: number, to: number) => void): Promise<void> {
  const d = t.data, n = d.length;
  const direct = !(d instanceof BigInt64Array) && t.dtype !== 'float16' && t.dtype !== 'bfloat16';
  const scratch = direct ? undefined : new Float64Array(Math.min(n, CHUNK));
  const at = valueAt(t);
  for (let from = 0; from < n; from += CHUNK) {
    const to = Math.min(n, from + CHUNK);
    if (scratch) {
      for (let k = from; k < to; k++) scratch[k - from] = at(k);
      each(scratch, 0, to - from);
    } else {
      each(d as ArrayLike<number>, from, to);
    }
    if (to < n) await pause();
  }
}

/** Statistics over the finite values, the same single pass as `tensorStats`. */
export async function statsOf(t: TensorRecord, pause: Pause = noPause): Promise<TensorStats> {
  const acc = new StatsAccumulator();
  await forChunks(t, pause, (v, from, to) => acc.add(v, from, to));
  return acc.result(t.data.length);
}

/** `bins` equal-width bins over the finite min..max, as viewState's histogram. */
export async function histogramOf(t: TensorRecord, stats: TensorStats, bins: number, pause: Pause = noPause): Promise<HistogramView> {
  if (stats.min === null || stats.max === null) return { edges: [], counts: [] };
  const [lo, hi] = histogramRange(stats.min, stats.max);
  const counts = new Uint32Array(bins);
  await forChunks(t, pause, (v, from, to) => addToHistogram(counts, lo, hi, v, from, to));
  const edges: number[] = [];
  for (let b = 0; b <= bins; b++) edges.push(lo + ((hi - lo) * b) / bins);
  return { edges, counts: Array.from(counts) };
}

/**
 * The layout's grid reduced by blocks to at most maxRows × maxCols, each block showing its most
 * extreme element (non-finite first, then largest |value|), as `reduceToGrid` does; it pauses
 * between bands of grid rows.
 */
export async function reduceTensor(layout: Layout, t: TensorRecord, maxRows: number, maxCols: number, pause: Pause = noPause): Promise<Grid> {
  const at = valueAt(t);
  const [rf, cf] = blockFactors(layout.rows, layout.cols, maxRows, maxCols);
  const rows = Math.ceil(layout.rows / rf), cols = Math.ceil(layout.cols / cf);
  const out = new Float32Array(rows * cols);
  const index = new Int32Array(rows * cols).fill(-1);
  let sincePause = 0;
  for (let R = 0; R < rows; R++) {
    const r1 = Math.min(layout.rows, (R + 1) * rf);
    for (let C = 0; C < cols; C++) {
      const c1 = Math.min(layout.cols, (C + 1) * cf);
      let best = -1, bestRank = -1;
      for (let r = R * rf; r < r1; r++) {
        for (let c = C * cf; c < c1; c++) {
          const k = layout.at(r, c);
          if (k < 0) continue;
          const v = at(k);
          const rank = v - v === 0 ? Math.abs(v) : Infinity;
          if (rank > bestRank) { bestRank = rank; best = k; }
        }
      }
      const cell = R * cols + C;
      index[cell] = best;
      out[cell] = best >= 0 ? at(best) : NaN;
    }
    sincePause += (r1 - R * rf) * layout.cols;
    if (sincePause >= CHUNK && R + 1 < rows) { sincePause = 0; await pause(); }
  }
  return { rows, cols, rowFactor: rf, colFactor: cf, values: out, index };
}

/** The row's thumbnail: the layout reduced to thumbRows × thumbCols, coloured by the tensor's largest finite |value|. */
export async function thumbnailOf(layout: Layout, t: TensorRecord, stats: TensorStats, thumbRows: number, thumbCols: number, pause: Pause = noPause): Promise<Thumbnail> {
  const grid = await reduceTensor(layout, t, thumbRows, thumbCols, pause);
  const absMax = stats.min === null || stats.max === null ? 0 : Math.max(Math.abs(stats.min), Math.abs(stats.max));
  return { rows: grid.rows, cols: grid.cols, values: Array.from(grid.values), absMax };
}

/** Every value as float32 (what the webview draws), read in chunks: the tensor is small enough to send whole. */
export async function float32Values(t: TensorRecord, pause: Pause = noPause): Promise<Float32Array> {
  if (t.data instanceof Float32Array) return t.data.slice();
  const out = new Float32Array(t.data.length);
  let at = 0;
  await forChunks(t, pause, (v, from, to) => { for (let k = from; k < to; k++) out[at++] = v[k]; });
  return out;
}
