// The histograms of parameters' values before a change, for the webview to draw under the new
// ones (so a reinitialisation shows the new distribution against the previous one).
import type { TensorRecord } from '../../format/types';

const BINS = 40;

/** A histogram of the finite values in `bins` equal bins over [min, max]. */
export function valueHistogram(values: ArrayLike<number>, bins = BINS): { edges: number[]; counts: number[] } {
  let min = Infinity, max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) { if (v < min) min = v; if (v > max) max = v; }
  }
  if (!Number.isFinite(min)) return { edges: [], counts: [] };
  if (min === max) { min -= 0.5; max += 0.5; }
  const width = (max - min) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => min + i * width);
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    counts[Math.min(bins - 1, Math.floor((v - min) / width))]++;
  }
  return { edges, counts };
}

/** Histograms of the float tensors among `names` in `parameters`. */
export function histogramsOf(parameters: Map<string, TensorRecord>, names: Iterable<string>): Record<string, { edges: number[]; counts: number[] }> {
  const out: Record<string, { edges: number[]; counts: number[] }> = {};
  for (const name of names) {
    const t = parameters.get(name);
    if (t && (t.data instanceof Float32Array || t.data instanceof Float64Array)) out[name] = valueHistogram(t.data);
  }
  return out;
}
