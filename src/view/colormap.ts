// Colours for weights. Signed weights use a DIVERGING map centred on zero: ColorBrewer's RdBu,
// reversed so that negative is blue and positive is red, white at zero. We chose it because it is
// colour-blind safe, perceptually balanced on both sides, and its white middle makes near-zero
// (dead or decayed) weights fade out while large weights of either sign stand out. Magnitudes
// (|w|, no sign) use viridis, a perceptually uniform sequential map that stays readable in greyscale.
// Pure: no DOM, no `vscode`.
import { interpolateRdBu, interpolateViridis } from 'd3-scale-chromatic';
import type { ColormapName } from './types';
import { drain, STEP_ELEMENTS } from './reduce';

export const LUT_SIZE = 256;

/** A colour lookup table: LUT_SIZE entries of r, g, b. */
export type Lut = Uint8ClampedArray;

function parseRgb(css: string): [number, number, number] {
  const m = /rgb\((\d+),\s*(\d+),\s*(\d+)\)/.exec(css);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])];
  const h = /^#([0-9a-f]{6})$/i.exec(css);
  if (h) { const n = parseInt(h[1], 16); return [n >> 16, (n >> 8) & 255, n & 255]; }
  throw new Error(`unexpected colour ${css}`);
}

const luts = new Map<ColormapName, Lut>();

/** The lookup table of a colormap; entry 0 is the low end (most negative, or zero magnitude). */
export function lutFor(name: ColormapName): Lut {
  let lut = luts.get(name);
  if (!lut) {
    lut = new Uint8ClampedArray(LUT_SIZE * 3);
    for (let i = 0; i < LUT_SIZE; i++) {
      const t = i / (LUT_SIZE - 1);
      // interpolateRdBu(0) is dark red; reversed so that t = 0 (most negative) is blue.
      const [r, g, b] = parseRgb(name === 'diverging' ? interpolateRdBu(1 - t) : interpolateViridis(t));
      lut.set([r, g, b], i * 3);
    }
    luts.set(name, lut);
  }
  return lut;
}

/** Where a value falls on the colour scale. */
export interface Placement {
  /** Position in [0, 1] along the colour bar. */
  t: number;
  /** |value| exceeded the range and was drawn at the bar's end. */
  clipped: boolean;
  /** NaN or infinite: drawn in the "non-finite" colour, never on the scale. */
  nonfinite: boolean;
}

/**
 * Place value `v` on a colour scale of half-width `range` (the scale spans [-range, range] for the
 * diverging map and [0, range] for magnitudes).
 */
export function place(v: number, range: number, name: ColormapName): Placement {
  if (!Number.isFinite(v)) return { t: 0, clipped: false, nonfinite: true };
  const a = Math.abs(v);
  const clipped = a > range;
  if (range <= 0) return { t: name === 'diverging' ? 0.5 : 0, clipped, nonfinite: false };
  const x = Math.min(a, range) / range;
  return { t: name === 'diverging' ? 0.5 + (v < 0 ? -x : x) / 2 : x, clipped, nonfinite: false };
}

/** The LUT entry (0..LUT_SIZE-1) of a position on the scale. */
export const lutIndex = (t: number): number => Math.max(0, Math.min(LUT_SIZE - 1, Math.round(t * (LUT_SIZE - 1))));

/** The largest finite |value| among `values` (0 when there is none). */
export function absMax(values: ArrayLike<number>): number {
  let m = 0;
  for (let k = 0; k < values.length; k++) {
    const a = Math.abs(values[k]);
    if (a > m && a !== Infinity) m = a;
  }
  return m;
}

/**
 * The p-th percentile (0..100) of the finite |values|, by the nearest-rank method; p = 100 is the
 * maximum. Used to clip the colour range so that one outlier does not wash out every other weight.
 */
export function absPercentile(values: ArrayLike<number>, p: number): number {
  return drain(absPercentileSteps(values, p));
}

const PERCENTILE_BINS = 4096;
/** Values of one bin sorted at once: a few milliseconds. */
const MAX_SORTED = 1 << 16;

/**
 * absPercentile in steps (yields every STEP_ELEMENTS values), and in linear time: the rank is
 * found in a histogram of |values| and only the values of its bin are sorted. Sorting millions of
 * values on the webview's main thread froze it for a second.
 */
export function* absPercentileSteps(values: ArrayLike<number>, p: number): Generator<void, number> {
  const n = values.length;
  let min = Infinity, max = 0, finite = 0;
  for (let k = 0; k < n; k++) {
    const a = Math.abs(values[k]);
    if (a !== Infinity && a === a) { finite++; if (a > max) max = a; if (a < min) min = a; }
    if ((k & (STEP_ELEMENTS - 1)) === STEP_ELEMENTS - 1) yield;
  }
  if (p >= 100 || finite === 0) return max;
  const rank = Math.max(1, Math.ceil((Math.max(0, p) / 100) * finite));
  // Narrow down to the histogram bin that holds the rank, pass by pass, until that bin is small
  // enough to sort at once: sorting millions of values (all equal, say) would be a long task.
  let member = (a: number) => a !== Infinity && a === a;
  let lo = min, hi = max, before = 0;
  for (;;) {
    if (lo === hi) return lo; // every value left is the same
    const l = lo, width = hi - lo, inPass = member;
    const binOf = (a: number) => Math.max(0, Math.min(PERCENTILE_BINS - 1, Math.floor(((a - l) / width) * PERCENTILE_BINS)));
    const counts = new Float64Array(PERCENTILE_BINS);
    const binMin = new Float64Array(PERCENTILE_BINS).fill(Infinity), binMax = new Float64Array(PERCENTILE_BINS).fill(-Infinity);
    for (let k = 0; k < n; k++) {
      const a = Math.abs(values[k]);
      if (inPass(a)) {
        const b = binOf(a);
        counts[b]++;
        if (a < binMin[b]) binMin[b] = a;
        if (a > binMax[b]) binMax[b] = a;
      }
      if ((k & (STEP_ELEMENTS - 1)) === STEP_ELEMENTS - 1) yield;
    }
    let bin = 0;
    while (before + counts[bin] < rank) before += counts[bin++];
    member = (a: number) => inPass(a) && binOf(a) === bin;
    [lo, hi] = [binMin[bin], binMax[bin]];
    if (counts[bin] > MAX_SORTED && lo !== hi) continue;
    if (lo === hi) return lo;
    const inBin = new Float64Array(counts[bin]);
    let m = 0;
    for (let k = 0; k < n; k++) {
      const a = Math.abs(values[k]);
      if (member(a)) inBin[m++] = a;
      if ((k & (STEP_ELEMENTS - 1)) === STEP_ELEMENTS - 1) yield;
    }
    inBin.sort();
    return inBin[rank - before - 1];
  }
}

/** Tick values for a colour bar of half-width `range`: ends, middle, and the halves. */
export function colourBarTicks(range: number, name: ColormapName): number[] {
  return name === 'diverging' ? [-range, -range / 2, 0, range / 2, range] : [0, range / 4, range / 2, (3 * range) / 4, range];
}

/** An inner tick of a colour bar (a half or a quarter of the range): 3 significant digits, so a
 *  half of a float32 range reads 0.08, not 0.07999; the ends keep formatNumber's exact 4 digits. */
export function formatTick(v: number): string {
  return formatNumber(Number.isFinite(v) ? Number(v.toPrecision(3)) : v);
}

/** A compact number for labels: 4 significant digits, exponent for the very large or small. */
export function formatNumber(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(3);
  return String(Number(v.toPrecision(4)));
}
