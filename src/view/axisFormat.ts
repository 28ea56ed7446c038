// Labels for chart axes that stay short at every magnitude: counts as 950, 35k, 1.2M, 3.4B; values
// with just enough digits to tell neighbouring ticks apart, in exponent form when tiny or huge.
// Pure: no DOM, no `vscode`.

const UNITS: [number, string][] = [[1e12, 'T'], [1e9, 'B'], [1e6, 'M'], [1e3, 'k']];

/** A count as at most 3 significant digits and a suffix: 0, 950, 1.2k, 35k, 1.2M, 45M, 3.4B. */
export function compactCount(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const a = Math.abs(n);
  if (a < 1000) return String(Math.round(n));
  for (const [scale, unit] of UNITS) {
    if (a >= scale * 0.9995) {
      const x = n / scale;
      const digits = Math.abs(x) >= 100 ? 0 : Math.abs(x) >= 10 ? (Number.isInteger(Math.round(x * 10) / 10) ? 0 : 1) : 1;
      return `${Number(x.toFixed(digits))}${unit}`;
    }
  }
  return String(n);
}

/** Trailing zeros of a fixed or exponent spelling removed: "1.500e-5" -> "1.5e-5", "2.000" -> "2". */
function trim(s: string): string {
  const [mant, exp] = s.split('e');
  const m = mant.includes('.') ? mant.replace(/0+$/, '').replace(/\.$/, '') : mant;
  return exp === undefined ? m : `${m}e${exp.replace(/^\+/, '')}`;
}

/**
 * Labels for a run of evenly spaced tick values: the fewest digits that say each tick to a
 * thousandth of the spacing between ticks, exponent form when the largest is ≥ 1e5 or all are below 1e-3 (zero stays "0").
 */
export function tickLabels(ticks: readonly number[]): string[] {
  const finite = ticks.filter(Number.isFinite);
  if (finite.length === 0) return ticks.map(String);
  const big = Math.max(...finite.map(Math.abs));
  const exponent = big >= 1e5 || (big > 0 && big < 1e-3);
  // A label may be off by a thousandth of the spacing between ticks, no more.
  const sorted = [...new Set(finite)].sort((a, b) => a - b);
  let step = Infinity;
  for (let k = 1; k < sorted.length; k++) step = Math.min(step, sorted[k] - sorted[k - 1]);
  const tolerance = Number.isFinite(step) ? step * 1e-3 : big * 1e-9;
  for (let digits = 0; digits <= 12; digits++) {
    const labels = ticks.map((v) => (v === 0 ? '0' : !Number.isFinite(v) ? String(v) : trim(exponent ? v.toExponential(digits) : v.toFixed(digits))));
    if (ticks.every((v, k) => !Number.isFinite(v) || Math.abs(Number(labels[k]) - v) <= tolerance)) return labels.map((l) => (l === '-0' ? '0' : l));
  }
  return ticks.map((v) => String(v));
}
