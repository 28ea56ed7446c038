// Comparing two checkpoints tensor by tensor (issue 15; the contract is `diff` in docs/cli.md):
// the statistics of one pair of value arrays, which output units changed most, the order the
// CLI table and the compare view share, and a driver that reads one pair of tensors at a time.
// Pure: no `fs`, no `vscode` — the CLI, the extension host and the webview all use it.
import type { LazyTensorSource } from '../format/lazy';
import type { TensorRecord } from '../format/types';
import { bfloat16ToNumber, halfToNumber } from '../format/half';

export type CompareStatus = 'same' | 'changed' | 'shape_mismatch' | 'only_in_a' | 'only_in_b';

export const COMPARE_STATUSES: readonly CompareStatus[] = ['same', 'changed', 'shape_mismatch', 'only_in_a', 'only_in_b'];

export interface TensorComparison {
  name: string;
  status: CompareStatus;
  shapeA: number[] | null;
  shapeB: number[] | null;
  /** The dtype as each file stores it (`int16`, `float16`, …), null where the tensor is absent. */
  dtypeA: string | null;
  dtypeB: string | null;
  /** The four statistics: null unless the status is `same` or `changed` (and see ValueComparison). */
  maxAbsDiff: number | null;
  relL2: number | null;
  cosine: number | null;
  changedFraction: number | null;
}

export interface ValueComparison {
  /** max |b − a| over the pairs where both are finite; null when there is no such pair. */
  maxAbsDiff: number | null;
  /** ‖b − a‖₂ / ‖a‖₂ over the finite pairs; null when ‖a‖₂ = 0. */
  relL2: number | null;
  /** a·b / (‖a‖₂‖b‖₂) over the finite pairs; null when either norm is 0. */
  cosine: number | null;
  /** Share of elements not equal (NaN = NaN, +0 = −0, |b − a| ≤ atol); 0 for an empty tensor. */
  changedFraction: number;
  /** Every element equal, in the same sense. */
  same: boolean;
}

export type CompareSummary = Record<CompareStatus, number>;

/**
 * The running sums behind ValueComparison, so a pair of large tensors can be fed in chunks
 * (decoded a slice at a time, with the event loop free between slices) and still give the same
 * numbers as one pass. Everything is float64.
 */
export class ValueComparer {
  private n = 0;
  private changed = 0;
  private pairs = 0;
  private maxAbs = 0;
  private sumD2 = 0;
  private sumA2 = 0;
  private sumB2 = 0;
  private dot = 0;

  constructor(private readonly atol = 0) {}

  /** Adds the pairs (a[i], b[i]) for i in [from, to). */
  add(a: ArrayLike<number>, b: ArrayLike<number>, from = 0, to = a.length): void {
    const atol = this.atol;
    let changed = this.changed, pairs = this.pairs, maxAbs = this.maxAbs;
    let sumD2 = this.sumD2, sumA2 = this.sumA2, sumB2 = this.sumB2, dot = this.dot;
    for (let i = from; i < to; i++) {
      const x = +a[i], y = +b[i];
      const d = y - x;
      // `x === y` makes +0 equal −0 and ∞ equal ∞; NaN equals NaN by the contract; then atol.
      if (!(x === y || (x !== x && y !== y) || Math.abs(d) <= atol)) changed++;
      if (x - x === 0 && y - y === 0) { // both finite
        pairs++;
        const ad = Math.abs(d);
        if (ad > maxAbs) maxAbs = ad;
        sumD2 += d * d;
        sumA2 += x * x;
        sumB2 += y * y;
        dot += x * y;
      }
    }
    this.n += to - from;
    this.changed = changed; this.pairs = pairs; this.maxAbs = maxAbs;
    this.sumD2 = sumD2; this.sumA2 = sumA2; this.sumB2 = sumB2; this.dot = dot;
  }

  result(): ValueComparison {
    const normA = Math.sqrt(this.sumA2), normB = Math.sqrt(this.sumB2);
    // Rounding can push a·b/(‖a‖‖b‖) a hair past ±1; the cosine of real vectors cannot be.
    const cosine = normA === 0 || normB === 0 ? null : Math.min(1, Math.max(-1, this.dot / (normA * normB)));
    return {
      maxAbsDiff: this.pairs === 0 ? null : this.maxAbs,
      relL2: normA === 0 ? null : Math.sqrt(this.sumD2) / normA,
      cosine,
      changedFraction: this.n === 0 ? 0 : this.changed / this.n,
      same: this.changed === 0,
    };
  }
}

/**
 * The contract's statistics of two equally long value arrays, in float64. `atol` (default 0)
 * counts |b − a| ≤ atol as equal for `same` and `changedFraction` only; the norms are exact.
 */
export function compareValues(a: ArrayLike<number>, b: ArrayLike<number>, atol = 0): ValueComparison {
  if (a.length !== b.length) throw new RangeError(`compareValues: ${a.length} values against ${b.length}`);
  const c = new ValueComparer(atol);
  c.add(a, b);
  return c.result();
}

export interface UnitChange {
  /** Index along dimension 0: the output neuron of a Linear weight, the filter of a Conv weight. */
  index: number;
  /**
   * ‖b_i − a_i‖₂ / ‖a_i‖₂ over the slice's finite pairs; `Infinity` when the slice of A is all
   * zeros but B's is not (a zero-initialised row that training moved: the most changed of all),
   * 0 when both are zero.
   */
  relChange: number;
  /** max |b − a| over the slice's finite pairs (0 when there is none). */
  maxAbsDiff: number;
}

/**
 * Which dim-0 slices changed most, most changed first: by relChange, then maxAbsDiff, then index.
 * A 0-D tensor is one unit; a 1-D tensor's units are its elements. `limit` keeps the first N.
 */
export function rankUnits(a: ArrayLike<number>, b: ArrayLike<number>, shape: number[], limit?: number): UnitChange[] {
  const total = shape.reduce((p, d) => p * d, 1);
  if (a.length !== total || b.length !== total) {
    throw new RangeError(`rankUnits: shape [${shape.join(', ')}] holds ${total} values, got ${a.length} and ${b.length}`);
  }
  const units = shape.length === 0 ? 1 : shape[0];
  const per = units === 0 ? 0 : total / units;
  const out: UnitChange[] = [];
  for (let u = 0; u < units; u++) {
    let sumD2 = 0, sumA2 = 0, maxAbs = 0;
    for (let i = u * per, end = i + per; i < end; i++) {
      const x = +a[i], y = +b[i];
      if (x - x !== 0 || y - y !== 0) continue;
      const d = y - x;
      sumD2 += d * d;
      sumA2 += x * x;
      const ad = Math.abs(d);
      if (ad > maxAbs) maxAbs = ad;
    }
    const relChange = sumA2 === 0 ? (sumD2 === 0 ? 0 : Infinity) : Math.sqrt(sumD2) / Math.sqrt(sumA2);
    out.push({ index: u, relChange, maxAbsDiff: maxAbs });
  }
  out.sort((p, q) => q.relChange - p.relChange || q.maxAbsDiff - p.maxAbsDiff || p.index - q.index);
  return limit === undefined ? out : out.slice(0, limit);
}

/** Rank of each status in the "most changed first" order. */
const STATUS_RANK: Record<CompareStatus, number> = { shape_mismatch: 0, only_in_a: 1, only_in_b: 2, changed: 3, same: 4 };

/**
 * "Most changed first", the order the CLI's table, its --json and the compare view share:
 * first what cannot be compared value by value — shape mismatches, then tensors only in A, then
 * only in B (a structural change is news before any number is) — then changed tensors by
 * relative change (rel_l2) descending, a null rel_l2 (A all zeros, or no finite pair) counting
 * as the largest, ties by max |Δ| then by changed share, descending; the same tensors last.
 * Ties otherwise keep the input order (state_dict order): the sort is stable.
 */
export function orderByChange(rows: TensorComparison[]): TensorComparison[] {
  const key = (x: number | null) => (x === null ? Infinity : x);
  return rows
    .map((row, i) => ({ row, i }))
    .sort((p, q) => {
      const a = p.row, b = q.row;
      return STATUS_RANK[a.status] - STATUS_RANK[b.status]
        || (a.status === 'changed' ? cmpDesc(key(a.relL2), key(b.relL2)) || cmpDesc(a.maxAbsDiff ?? 0, b.maxAbsDiff ?? 0)
          || cmpDesc(a.changedFraction ?? 0, b.changedFraction ?? 0) : 0)
        || p.i - q.i;
    })
    .map((x) => x.row);
}

function cmpDesc(x: number, y: number): number {
  return x === y ? 0 : x > y ? -1 : 1;
}

export function emptySummary(): CompareSummary {
  return { same: 0, changed: 0, shape_mismatch: 0, only_in_a: 0, only_in_b: 0 };
}

export function summarize(rows: Iterable<TensorComparison>): CompareSummary {
  const s = emptySummary();
  for (const r of rows) s[r.status]++;
  return s;
}

export interface CompareOptions {
  /** |b − a| ≤ atol counts as equal for status and changedFraction (default 0). */
  atol?: number;
  /** Called with each row as soon as it is known; rows decided from the headers alone come first. */
  onResult?: (r: TensorComparison) => void;
  /** Stops between tensors and between chunks; the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
  /**
   * Awaited between chunks of CHUNK elements, so a caller on an event loop that must stay
   * responsive (the extension host) can pass `() => new Promise((r) => setTimeout(r, 0))`.
   * Default: no pause (the CLI).
   */
  pause?: () => Promise<void>;
}

export interface CompareResult {
  /** One row per name in either file: A's order, then the names only in B in B's order. */
  rows: TensorComparison[];
  summary: CompareSummary;
}

/**
 * What to compare, for two opened files. A single `.npy` holds one nameless array, which its reader
 * names after the file (`before.npy` → `before`); two of them are compared with each other, under
 * A's name, as anyone diffing two arrays means. Every other pair is matched by name as it is.
 */
export function sourcesToCompare(
  a: { sourceFormat: string; tensors: LazyTensorSource[] },
  b: { sourceFormat: string; tensors: LazyTensorSource[] },
): [LazyTensorSource[], LazyTensorSource[]] {
  if (a.sourceFormat === 'npy' && b.sourceFormat === 'npy' && a.tensors.length === 1 && b.tensors.length === 1) {
    return [a.tensors, [{ ...b.tensors[0], name: a.tensors[0].name }]];
  }
  return [a.tensors, b.tensors];
}

/** Elements decoded and compared per step: 1 Mi elements = 8 MiB of float64 scratch per side. */
export const CHUNK = 1 << 20;

/**
 * Compare two files' tensors, matched by name (parameters and buffers alike). Rows that the
 * headers decide — only in A, only in B, shape mismatch — are reported first, without reading a
 * value; then each common tensor's pair is read (`LazyTensorSource.read()`), compared in chunks
 * and released before the next pair is read, so two large files never sit in memory whole
 * (where the format's reader is lazy, as .safetensors's is; a reader that read its file whole holds it).
 */
export async function compareSources(a: LazyTensorSource[], b: LazyTensorSource[], opts: CompareOptions = {}): Promise<CompareResult> {
  const atol = opts.atol ?? 0;
  const byNameB = new Map<string, LazyTensorSource>();
  for (const t of b) if (!byNameB.has(t.name)) byNameB.set(t.name, t);
  const namesA = new Set(a.map((t) => t.name));
  const rows = new Map<string, TensorComparison>();
  const emit = (r: TensorComparison) => { rows.set(r.name, r); opts.onResult?.(r); };
  const checkAbort = () => { if (opts.signal?.aborted) throw opts.signal.reason ?? new Error('aborted'); };

  const toRead: [LazyTensorSource, LazyTensorSource][] = [];
  const seenA = new Set<string>();
  for (const ta of a) {
    if (seenA.has(ta.name)) continue;
    seenA.add(ta.name);
    const tb = byNameB.get(ta.name);
    if (!tb) emit(headerRow(ta, undefined, 'only_in_a'));
    else if (!sameShape(ta.shape, tb.shape)) emit(headerRow(ta, tb, 'shape_mismatch'));
    else toRead.push([ta, tb]);
  }
  for (const tb of byNameB.values()) if (!namesA.has(tb.name)) emit(headerRow(undefined, tb, 'only_in_b'));

  for (const [ta, tb] of toRead) {
    checkAbort();
    const stats = await comparePair(await ta.read(), await tb.read(), atol, opts, checkAbort);
    emit({
      ...headerRow(ta, tb, stats.same ? 'same' : 'changed'),
      maxAbsDiff: stats.maxAbsDiff, relL2: stats.relL2, cosine: stats.cosine, changedFraction: stats.changedFraction,
    });
  }

  // A's order, then B's extra names, whatever order the rows were found in.
  const ordered: TensorComparison[] = [];
  for (const name of seenA) ordered.push(rows.get(name)!);
  for (const tb of byNameB.values()) if (!namesA.has(tb.name)) ordered.push(rows.get(tb.name)!);
  return { rows: ordered, summary: summarize(ordered) };
}

async function comparePair(ra: TensorRecord, rb: TensorRecord, atol: number, opts: CompareOptions, checkAbort: () => void): Promise<ValueComparison> {
  const n = ra.data.length;
  if (rb.data.length !== n) throw new RangeError(`compareSources: ${n} values against ${rb.data.length}`);
  const c = new ValueComparer(atol);
  const scratchA = needsDecoding(ra) ? new Float64Array(Math.min(n, CHUNK)) : undefined;
  const scratchB = needsDecoding(rb) ? new Float64Array(Math.min(n, CHUNK)) : undefined;
  for (let from = 0; from < n; from += CHUNK) {
    const to = Math.min(n, from + CHUNK);
    c.add(numberSlice(ra, from, to, scratchA), numberSlice(rb, from, to, scratchB), 0, to - from);
    if (to < n) {
      if (opts.pause) await opts.pause();
      checkAbort();
    }
  }
  return c.result();
}

function needsDecoding(t: TensorRecord): boolean {
  return t.dtype === 'float16' || t.dtype === 'bfloat16' || t.data instanceof BigInt64Array;
}

/** Elements [from, to) of a tensor as numbers: a view where the typed array holds numbers, else decoded into `scratch`. */
export function numberSlice(t: TensorRecord, from: number, to: number, scratch?: Float64Array): ArrayLike<number> {
  const d = t.data;
  if (!needsDecoding(t)) return (d as Float32Array).subarray(from, to);
  const out = scratch && scratch.length >= to - from ? scratch : new Float64Array(to - from);
  if (t.dtype === 'float16') for (let i = from; i < to; i++) out[i - from] = halfToNumber((d as Uint16Array)[i]);
  else if (t.dtype === 'bfloat16') for (let i = from; i < to; i++) out[i - from] = bfloat16ToNumber((d as Uint16Array)[i]);
  else for (let i = from; i < to; i++) out[i - from] = Number((d as BigInt64Array)[i]);
  return out;
}

function sameShape(p: number[], q: number[]): boolean {
  return p.length === q.length && p.every((d, i) => d === q[i]);
}

function headerRow(ta: LazyTensorSource | undefined, tb: LazyTensorSource | undefined, status: CompareStatus): TensorComparison {
  return {
    name: (ta ?? tb)!.name, status,
    shapeA: ta ? [...ta.shape] : null, shapeB: tb ? [...tb.shape] : null,
    dtypeA: ta ? ta.sourceDtype : null, dtypeB: tb ? tb.sourceDtype : null,
    maxAbsDiff: null, relL2: null, cosine: null, changedFraction: null,
  };
}
