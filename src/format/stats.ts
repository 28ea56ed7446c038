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
export function numericView(t: TensorRecord): Numeric {
  const d = t.data;
  if (d instanceof Float32Array || d instanceof Float64Array || d instanceof Int32Array) return d;
  if (d instanceof Uint8Array) return d; // uint8 and bool (0/1)
  return toFloat64Array(t); // halves and int64 need decoding
}

// The running state's slots in StatsAccumulator.state.
const COUNT = 0, MEAN = 1, M2 = 2, SUM_SQ = 3, MIN = 4, MAX = 5, ZEROS = 6, NAN = 7, POSINF = 8, NEGINF = 9;

/**
 * Statistics accumulated over values that arrive in batches (a whole tensor at once, or a file
 * read chunk by chunk): the same single pass, so both give the same numbers bit for bit.
 */
export class StatsAccumulator {
  /**
   * Welford's update keeps the variance accurate for large n and large means, in one pass. The
   * state lives in a Float64Array, not in fields: a field that first holds 0 and then a fraction
   * changes the object's shape, and a hot loop compiled before its first exit then deoptimises at
   * the stores after it, again and again — each time running unoptimised, boxing every number
   * (garbage that grows V8's young generation while the hover index streams a file in).
   */
  private readonly state = Float64Array.of(0, 0, 0, 0, Infinity, -Infinity, 0, 0, 0, 0);

  /** Adds v[from, to). The state is copied into locals for the loop: this is the hot path of every summary. */
  add(v: ArrayLike<number>, from = 0, to = v.length): void {
    const s = this.state;
    let count = s[COUNT], mean = s[MEAN], m2 = s[M2], sumSq = s[SUM_SQ], min = s[MIN], max = s[MAX];
    let zeros = s[ZEROS], nan = s[NAN], posinf = s[POSINF], neginf = s[NEGINF];
    for (let i = from; i < to; i++) {
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
    s[COUNT] = count; s[MEAN] = mean; s[M2] = m2; s[SUM_SQ] = sumSq; s[MIN] = min; s[MAX] = max;
    s[ZEROS] = zeros; s[NAN] = nan; s[POSINF] = posinf; s[NEGINF] = neginf;
  }

  /** The statistics so far, for a tensor of `numel` elements. */
  result(numel: number): TensorStats {
    const s = this.state, count = s[COUNT], has = count > 0;
    const nan = s[NAN], posinf = s[POSINF], neginf = s[NEGINF];
    return {
      numel,
      mean: has ? s[MEAN] : null,
      std: has ? Math.sqrt(s[M2] / count) : null,
      min: has ? s[MIN] : null,
      max: has ? s[MAX] : null,
      l2: has ? Math.sqrt(s[SUM_SQ]) : null,
      zeros: s[ZEROS], nonfinite: nan + posinf + neginf, nan, posinf, neginf,
    };
  }
}

/** Elements decoded per step where a dtype needs decoding (halves, int64): 512 KiB of float64. */
const DECODE_CHUNK = 65536;

export function tensorStats(t: TensorRecord): TensorStats {
  const acc = new StatsAccumulator();
  const d = t.data;
  if (d instanceof Uint16Array || d instanceof BigInt64Array) {
    // Decoded a chunk at a time, not into a float64 copy of the whole tensor (4× a bfloat16
    // tensor's own size): the same values in the same order, so the same numbers.
    for (let from = 0; from < d.length; from += DECODE_CHUNK) {
      acc.add(toFloat64Array({ ...t, data: d.subarray(from, Math.min(d.length, from + DECODE_CHUNK)) } as TensorRecord));
    }
  } else {
    acc.add(numericView(t));
  }
  return acc.result(tensorNumel(t));
}

/** The histogram's range: [lo, hi], or a unit-wide one around a constant tensor's value so it still gets a visible bin. */
export function histogramRange(lo: number, hi: number): [number, number] {
  return hi <= lo ? [lo - 0.5, hi + 0.5] : [lo, hi];
}

/** Counts v[from, to) into `counts`, equal-width bins over [lo, hi] (from histogramRange); see `histogram`. */
export function addToHistogram(counts: Uint32Array, lo: number, hi: number, v: ArrayLike<number>, from = 0, to = v.length): void {
  const bins = counts.length;
  const scale = bins / (hi - lo);
  for (let i = from; i < to; i++) {
    const x = v[i];
    if (!(x >= lo && x <= hi)) continue; // also skips NaN
    let b = Math.floor((x - lo) * scale);
    if (b >= bins) b = bins - 1;
    counts[b]++;
  }
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
  [lo, hi] = histogramRange(lo, hi);
  const edges = new Float64Array(bins + 1);
  for (let b = 0; b <= bins; b++) edges[b] = lo + ((hi - lo) * b) / bins;
  const counts = new Uint32Array(bins);
  addToHistogram(counts, lo, hi, v);
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
