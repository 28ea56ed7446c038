// Two histograms with different bins brought onto one grid, so they can be drawn over each other.
// Pure (no DOM): unit-tested.
import type { HistogramData } from './messages';

/** Both histograms re-binned onto one grid of bin centres, so they share the x axis. */
export function alignHistograms(a: HistogramData, b: HistogramData, bins = 60): { x: number[]; before: number[]; after: number[] } {
  const lo = Math.min(a.edges[0] ?? Infinity, b.edges[0] ?? Infinity);
  const hi = Math.max(a.edges[a.edges.length - 1] ?? -Infinity, b.edges[b.edges.length - 1] ?? -Infinity);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { x: [], before: [], after: [] };
  const width = hi > lo ? (hi - lo) / bins : 1;
  const x = Array.from({ length: bins }, (_, i) => lo + (i + 0.5) * width);
  const rebin = (hd: HistogramData) => {
    const out = new Array<number>(bins).fill(0);
    hd.counts.forEach((c, i) => {
      const centre = (hd.edges[i] + hd.edges[i + 1]) / 2;
      out[Math.max(0, Math.min(bins - 1, Math.floor((centre - lo) / width)))] += c;
    });
    return out;
  };
  return { x, before: rebin(a), after: rebin(b) };
}
