// Numbers as the writer spells them: the SHORTEST decimal that reads back to the same value in the
// tensor's own dtype (so float32 values survive a write → read bit for bit), `-0.0` with its sign,
// and NaN / Infinity / -Infinity as the bare tokens Python's json.dump writes.
import { bfloat16ToNumber, halfToNumber, numberToBfloat16, numberToHalf } from './half';

/** Non-finite values and negative zero, or undefined for an ordinary number. */
function specialText(x: number): string | undefined {
  if (x !== x) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  return undefined;
}

/**
 * Shortest decimal of `x` that `back` maps to `x` again. Rounding to more digits never moves
 * further from x (every p-digit decimal is also a (p+1)-digit one), so "round-trips at p" is
 * monotone in p. Typical float32 weights need 8 digits (a third need 7 or fewer), so check 8,
 * then 7, and only then search the short lengths: two checks for most values.
 */
function shortest(x: number, maxDigits: number, back: (s: number) => number): string {
  const ok = (p: number) => back(Number(x.toPrecision(p))) === x;
  let p: number;
  if (maxDigits > 8 && !ok(8)) p = maxDigits;
  else if (!ok(7)) p = 8;
  else {
    let lo = 1, hi = 7; // ok(hi) holds
    while (lo < hi) { const mid = (lo + hi) >> 1; if (ok(mid)) hi = mid; else lo = mid + 1; }
    p = lo;
  }
  return tidy(x.toPrecision(p));
}

/** toPrecision's text without trailing fraction zeros, exponent form only where JS itself uses it. */
function tidy(s: string): string {
  if (s.includes('e')) return withPoint(String(Number(s))); // "1.50e+2" → "150.0"
  if (s.includes('.')) {
    let end = s.length;
    while (s.charCodeAt(end - 1) === 48 /* 0 */) end--;
    if (s.charCodeAt(end - 1) === 46 /* . */) end++; // keep one zero: "2.0"
    return s.slice(0, end);
  }
  return s + '.0';
}

const withPoint = (s: string) => (s.includes('.') || s.includes('e') ? s : s + '.0');

/** float32 value (already a float32, e.g. read from a Float32Array) → shortest decimal. */
export function float32Text(x: number): string {
  return specialText(x) ?? shortest(x, 9, Math.fround);
}

/** float64 → JavaScript's own shortest round-trip decimal, with a ".0" on integers like Python. */
export function float64Text(x: number): string {
  const sp = specialText(x);
  if (sp !== undefined) return sp;
  return withPoint(String(x));
}

/** float16 bits → shortest decimal that reads back to the same bits. */
export function halfText(bits: number): string {
  const x = halfToNumber(bits);
  return specialText(x) ?? shortest(x, 9, (v) => halfToNumber(numberToHalf(v)));
}

/** bfloat16 bits → shortest decimal that reads back to the same bits. */
export function bfloat16Text(bits: number): string {
  const x = bfloat16ToNumber(bits);
  return specialText(x) ?? shortest(x, 9, (v) => bfloat16ToNumber(numberToBfloat16(v)));
}

/** Any JSON number outside a tensor (hyper-parameters, history): JS's shortest form, special tokens kept. */
export function plainNumberText(x: number): string {
  if (x !== x) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (Object.is(x, -0)) return '-0.0';
  return String(x);
}
