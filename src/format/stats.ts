// Tensor statistics for the CLI's inspect, the editor's summaries and the hover: single passes
// over the typed array, statistics over the finite values only (non-finite ones are counted
// apart, never folded into a mean), as docs/cli.md specifies.
import type { Checkpoint, TensorRecord } from './types';
import { dtypeBytes, tensorNumel, toFloat64Array } from './tensor';

export interface TensorStats {
  numel: number;
  mean: number | null;
  /** Population standard deviation (divide by n), over finite values. */
  std: number | null;
  min: number | null;
  max: number | null;
  /** Euclidean norm of the finite values. */
  l2: number | null;
  /** Count of exact zeros (either sign). */
  zeros: number;
  nonfinite: number;
  nan: number;
  posinf: number;
  neginf: number;
}

type Numeric = ArrayLike<number>;

/** The values as plain numbers without copying where the typed array already holds them. */
function numericView(t: TensorRecord): Numeric {
  const d = t.data;
  if (d instanceof Float32Array || d instanceof Float64Array || d instanceof Int32Array) return d;
  if (d instanceof Uint8Array) return d; // uint8 and bool (0/1)
  return toFloat64Array(t); // halves and int64 need decoding
}

export function tensorStats(t: TensorRecord): TensorStats {
  const v = numericView(t);
  const n = v.length;
  // Welford's update keeps the variance accurate for large n and large means, in one pass.
  let count = 0, mean = 0, m2 = 0, sumSq = 0;
  let min = Infinity, max = -Infinity;
  let zeros = 0, nan = 0, posinf = 0, neginf = 0;
  for (let i = 0; i < n; i++) {
    const x = v[i];
    if (x - x !== 0) { // NaN or ±Infinity
      if (x !== x) nan++; else if (x > 0) posinf++; else neginf++;
      continue;
    }
    count++;
    const delta = x - mean;
    mean += delta / count;
    m2 += delta * (x - mean);
    sumSq += x * x;
    if (x < min) min = x;
    if (x > max) max = x;
    if (x === 0) zeros++;
  }
  const has = count > 0;
  return {
    numel: tensorNumel(t),
    mean: has ? mean : null,
    std: has ? Math.sqrt(m2 / count) : null,
    min: has ? min : null,
    max: has ? max : null,
    l2: has ? Math.sqrt(sumSq) : null,
    zeros, nonfinite: nan + posinf + neginf, nan, posinf, neginf,
  };
}

export interface Histogram { edges: Float64Array; counts: Uint32Array }

/**
 * `bins` equal-width bins over `range` (default: the finite min..max), finite values only; the
 * last bin includes its right edge, as numpy.histogram does. Values outside `range` are skipped.
 */
export function histogram(t: TensorRecord, bins: number, range?: [number, number]): Histogram {
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`histogram: bins must be a positive integer, got ${bins}`);
  const v = numericView(t);
  let lo: number, hi: number;
  if (range) [lo, hi] = range;
  else {
    const s = tensorStats(t);
    lo = s.min ?? 0; hi = s.max ?? 0;
  }
  if (hi <= lo) { lo -= 0.5; hi += 0.5; } // a constant tensor still gets a visible bin around its value
  const edges = new Float64Array(bins + 1);
  for (let b = 0; b <= bins; b++) edges[b] = lo + ((hi - lo) * b) / bins;
  const counts = new Uint32Array(bins);
  const scale = bins / (hi - lo);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (!(x >= lo && x <= hi)) continue; // also skips NaN
    let b = Math.floor((x - lo) * scale);
    if (b >= bins) b = bins - 1;
    counts[b]++;
  }
  return { edges, counts };
}

export interface CheckpointTotals {
  /** Elements over all parameters. */
  total: number;
  trainable: number;
  frozen: number;
  /** numel × dtype size over parameters and buffers. */
  bytes: number;
}

export function checkpointTotals(ckpt: Checkpoint): CheckpointTotals {
  let total = 0, trainable = 0, bytes = 0;
  for (const t of ckpt.parameters.values()) {
    const n = tensorNumel(t);
    total += n;
    if (t.requires_grad) trainable += n;
    bytes += n * dtypeBytes(t.dtype);
  }
  for (const t of ckpt.buffers?.values() ?? []) bytes += tensorNumel(t) * dtypeBytes(t.dtype);
  return { total, trainable, frozen: total - trainable, bytes };
}
