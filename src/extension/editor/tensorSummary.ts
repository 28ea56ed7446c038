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
import type { Layout } from '../../view/layout';
import { blockFactors, drain, type Grid } from '../../view/reduce';
import type { SeparableOffsets } from '../../view/facets';
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

/** The stored numbers and, for halves, the table that decodes them; undefined for int64 (decoded per element). */
function rawView(t: TensorRecord): { values: ArrayLike<number>; table?: Float32Array } | undefined {
  if (t.data instanceof BigInt64Array) return undefined;
  if (t.dtype === 'float16' || t.dtype === 'bfloat16') return { values: t.data as Uint16Array, table: halfTable(t.dtype) };
  return { values: t.data as ArrayLike<number> };
}

/** Whether the layout puts element r·cols + c in cell (r, c), every cell used: a row of cells is a run of the array. */
function isRowMajor(layout: Layout, n: number): boolean {
  if (layout.rows * layout.cols !== n || n === 0) return false;
  const probes: [number, number][] = [[0, 0], [0, layout.cols - 1], [layout.rows - 1, 0], [layout.rows - 1, layout.cols - 1], [layout.rows >> 1, layout.cols >> 1]];
  return probes.every(([r, c]) => layout.at(r, c) === r * layout.cols + c);
}

/**
 * Folds decoded values (row[0 … len−1], elements k0 … k0+len−1, shown in columns c0 … c0+len−1 of
 * one layout row) into their blocks' running most extreme element: the loop of scanRunF32 over a
 * float64 buffer. Two copies of one loop, each seeing a single array type, which V8 compiles to a
 * tight loop (one shared copy would be polymorphic and several times slower).
 */
function scanRun64(row: Float64Array, c0: number, len: number, cf: number, bestRank: Float64Array, best: Int32Array, k0: number): void {
  if (cf === 1) {
    for (let i = 0; i < len; i++) {
      const a = Math.abs(row[i]);
      if (!(a <= bestRank[c0 + i])) {
        const rank = a === a ? a : Infinity;
        if (rank > bestRank[c0 + i]) { bestRank[c0 + i] = rank; best[c0 + i] = k0 + i; }
      }
    }
    return;
  }
  let C = Math.floor(c0 / cf), end = (C + 1) * cf - c0, i = 0;
  while (i < len) {
    const stop = end < len ? end : len;
    let top = bestRank[C], at = -1;
    for (; i < stop; i++) {
      const a = Math.abs(row[i]);
      if (!(a <= top)) {
        const rank = a === a ? a : Infinity;
        if (rank > top) { top = rank; at = i; }
      }
    }
    if (at >= 0) { bestRank[C] = top; best[C] = k0 + at; }
    C++;
    end += cf;
  }
}

/**
 * scanRunF32 over the stored bits of bfloat16 / float16 values, without decoding them: for IEEE
 * formats |x| orders as the bits without the sign, and every bit pattern from `infBits` up is
 * ±Infinity or NaN, ranked alike above every finite value — the same choice per block as
 * comparing the decoded values (ties, ±0 and the first met included), at a fraction of the cost.
 */
function scanRunHalf(bits: Uint16Array, infBits: number, c0: number, len: number, cf: number, bestRank: Float64Array, best: Int32Array, k0: number): void {
  let C = Math.floor(c0 / cf), end = (C + 1) * cf - c0, i = 0;
  while (i < len) {
    const stop = end < len ? end : len;
    let top = bestRank[C], at = -1;
    for (; i < stop; i++) {
      let m = bits[k0 + i] & 0x7fff;
      if (m >= infBits) m = 0x8000;
      if (m > top) { top = m; at = i; }
    }
    if (at >= 0) { bestRank[C] = top; best[C] = k0 + at; }
    C++;
    end += cf;
  }
}

/** Where a half format's exponent is all ones (±Infinity and NaN from there up, sign aside). */
const INF_BITS = { bfloat16: 0x7f80, float16: 0x7c00 } as const;

/** Elements k0 … k0+len−1 as float64 in row[0 … len−1] (any stored type but halves, which scanRunHalf reads as bits). */
function copyInto(row: Float64Array, values: ArrayLike<number>, k0: number, len: number): void {
  row.set((values as Float64Array).subarray(k0, k0 + len));
}

/**
 * A separable (facet) layout's columns cut into runs over which the column offset counts up by
 * one and the split index stays put: in one layout row, each run is a slice of the array in memory
 * order, scanned by the same tight loop as a row-major matrix. (GPT-2's folded wte.weight is
 * 11 runs of 768 per row; reading the offset arrays per cell took ~0.27 s, the runs ~0.13 s.)
 */
interface ColumnRun { c0: number; len: number; offset: number; split: number }

function columnRuns(sep: SeparableOffsets, width: number): ColumnRun[] {
  const runs: ColumnRun[] = [];
  let run: ColumnRun | undefined;
  for (let c = 0; c < width; c++) {
    const co = sep.colOffset[c], split = sep.colSplit[c];
    if (co < 0) { run = undefined; continue; }
    if (run && co === run.offset + run.len && split === run.split) { run.len++; continue; }
    run = { c0: c, len: 1, offset: co, split };
    runs.push(run);
  }
  return runs;
}

/**
 * Elements k0 … k0+len−1, shown in columns c0 … c0+len−1 of one layout row, into their blocks.
 * Block by block, the running best kept in locals and stored once per block.
 */
function scanRunF32(values: Float32Array, c0: number, len: number, cf: number, bestRank: Float64Array, best: Int32Array, k0: number): void {
  if (cf === 1) {
    // A column per block (a matrix no wider than the grid): compare with the block's best directly.
    for (let i = 0; i < len; i++) {
      const a = Math.abs(values[k0 + i]);
      if (!(a <= bestRank[c0 + i])) {
        const rank = a === a ? a : Infinity;
        if (rank > bestRank[c0 + i]) { bestRank[c0 + i] = rank; best[c0 + i] = k0 + i; }
      }
    }
    return;
  }
  let C = Math.floor(c0 / cf), end = (C + 1) * cf - c0, i = 0;
  while (i < len) {
    const stop = end < len ? end : len;
    let top = bestRank[C], at = -1;
    for (; i < stop; i++) {
      // |x| ranks itself, NaN ranks as Infinity: tested only when |x| is not below the best so far
      // (rare), which keeps the common path to one comparison (2× faster than ranking every x).
      const a = Math.abs(values[k0 + i]);
      if (!(a <= top)) {
        const rank = a === a ? a : Infinity;
        if (rank > top) { top = rank; at = i; }
      }
    }
    if (at >= 0) { bestRank[C] = top; best[C] = k0 + at; }
    C++;
    end += cf;
  }
}

/** One layout row of a separable layout over float32 values: the same choice per block as the
 *  generic loop (non-finite first, then the largest |value|, the first met on a tie). */
function scanSeparableF32(values: Float32Array, sep: SeparableOffsets, runs: ColumnRun[], r: number, cf: number, bestRank: Float64Array, best: Int32Array): void {
  const ro = sep.rowOffset[r];
  if (ro < 0) return;
  const room = sep.splitSize - sep.rowSplit[r];
  for (const run of runs) if (run.split < room) scanRunF32(values, run.c0, run.len, cf, bestRank, best, ro + run.offset);
}

/** scanSeparableF32 for every other stored type: halves scanned as bits, the rest copied into `row` as float64, then scanned. */
function scanSeparable64(raw: { values: ArrayLike<number>; table?: Float32Array }, sep: SeparableOffsets, runs: ColumnRun[], r: number, cf: number, bestRank: Float64Array, best: Int32Array, row: Float64Array, infBits: number): void {
  const ro = sep.rowOffset[r];
  if (ro < 0) return;
  const room = sep.splitSize - sep.rowSplit[r];
  for (const run of runs) {
    if (run.split >= room) continue;
    if (infBits) {
      scanRunHalf(raw.values as Uint16Array, infBits, run.c0, run.len, cf, bestRank, best, ro + run.offset);
    } else {
      copyInto(row, raw.values, ro + run.offset, run.len);
      scanRun64(row, run.c0, run.len, cf, bestRank, best, ro + run.offset);
    }
  }
}

/**
 * The layout's grid reduced by blocks to at most maxRows × maxCols, each block showing its most
 * extreme element (non-finite first, then largest |value|; the first one met on a tie), as
 * `reduceToGrid` does. The layout is scanned one row of cells at a time, in memory order where
 * the layout is row-major (a 40M-element matrix in ~0.1 s, not one call per element), pausing
 * between bands of rows.
 */
export async function reduceTensor(layout: Layout, t: TensorRecord, maxRows: number, maxCols: number, pause: Pause = noPause): Promise<Grid> {
  const steps = reduceTensorSteps(layout, t, maxRows, maxCols);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await pause();
  }
}

/** reduceTensor at once, for the editable editor's thumbnails and pictures (its tensors are in memory). */
export function reduceTensorNow(layout: Layout, t: TensorRecord, maxRows: number, maxCols: number): Grid {
  return drain(reduceTensorSteps(layout, t, maxRows, maxCols));
}

/** reduceTensor as steps: yields between bands of rows, where the async form pauses. */
function* reduceTensorSteps(layout: Layout, t: TensorRecord, maxRows: number, maxCols: number): Generator<void, Grid> {
  const at = valueAt(t);
  const [rf, cf] = blockFactors(layout.rows, layout.cols, maxRows, maxCols);
  const rows = Math.ceil(layout.rows / rf), cols = Math.ceil(layout.cols / cf);
  const out = new Float32Array(rows * cols);
  const index = new Int32Array(rows * cols).fill(-1);
  const bestRank = new Float64Array(cols);
  const raw = rawView(t);
  const rowMajor = raw !== undefined && isRowMajor(layout, t.data.length);
  const width = layout.cols;
  // A facet layout (folded, wrapped, faceted) is at() = row offset + column offset: read the two
  // arrays (as column runs) instead of calling at() per cell (GPT-2's folded wte.weight: ~0.6 s → ~0.13 s).
  const sep = rowMajor ? undefined : layout.separable;
  const runs = sep && raw ? columnRuns(sep, width) : undefined;
  // Halves are compared as their bits (scanRunHalf), never decoded.
  const infBits = raw?.table ? INF_BITS[t.dtype as keyof typeof INF_BITS] : 0;
  // One row (or run) of the layout as float64: the scan below then sees one array type only (fast in V8).
  const row = new Float64Array(rowMajor ? width : runs ? runs.reduce((m, run) => Math.max(m, run.len), 0) : 0);
  let sincePause = 0;
  for (let R = 0; R < rows; R++) {
    bestRank.fill(-1);
    const best = index.subarray(R * cols, (R + 1) * cols);
    const r1 = Math.min(layout.rows, (R + 1) * rf);
    for (let r = R * rf; r < r1; r++) {
      if (rowMajor) {
        const base = r * width;
        if (raw.values instanceof Float32Array) {
          scanRunF32(raw.values, 0, width, cf, bestRank, best, base);
        } else if (infBits) {
          scanRunHalf(raw.values as Uint16Array, infBits, 0, width, cf, bestRank, best, base);
        } else {
          copyInto(row, raw.values, base, width);
          scanRun64(row, 0, width, cf, bestRank, best, base);
        }
      } else if (sep && runs) {
        if (raw!.values instanceof Float32Array) scanSeparableF32(raw!.values, sep, runs, r, cf, bestRank, best);
        else scanSeparable64(raw!, sep, runs, r, cf, bestRank, best, row, infBits);
      } else {
        for (let c = 0; c < width; c++) {
          const k = layout.at(r, c);
          if (k < 0) continue;
          const x = at(k);
          const rank = x - x === 0 ? Math.abs(x) : Infinity;
          const C = (c / cf) | 0;
          if (rank > bestRank[C]) { bestRank[C] = rank; best[C] = k; }
        }
      }
    }
    for (let C = 0; C < cols; C++) out[R * cols + C] = best[C] >= 0 ? at(best[C]) : NaN;
    sincePause += (r1 - R * rf) * width;
    if (sincePause >= CHUNK && R + 1 < rows) { sincePause = 0; yield; }
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
  if (t.dtype === 'float16' || t.dtype === 'bfloat16') {
    // One table read per element, straight into the result.
    const bits = t.data as Uint16Array, table = halfTable(t.dtype);
    for (let from = 0; from < bits.length; from += CHUNK) {
      const to = Math.min(bits.length, from + CHUNK);
      for (let k = from; k < to; k++) out[k] = table[bits[k]];
      if (to < bits.length) await pause();
    }
    return out;
  }
  let at = 0;
  await forChunks(t, pause, (v, from, to) => { for (let k = from; k < to; k++) out[at++] = v[k]; });
  return out;
}
