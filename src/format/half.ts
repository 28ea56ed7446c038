// 16-bit floats travel as raw bits (Uint16Array) in memory, as PyTorch stores them. These convert
// between those bits and ordinary numbers, rounding to nearest-even like torch's `.half()` /
// `.bfloat16()` casts, so a decimal read from a file lands on the same bits PyTorch would give.

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE binary16 bits → number (exact). */
export function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24; // zero and subnormals
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** number → IEEE binary16 bits, round to nearest even (overflow → ±Infinity, NaN kept as a quiet NaN). */
export function numberToHalf(x: number): number {
  if (Number.isNaN(x)) return 0x7e00;
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  let a = Math.abs(x);
  if (a === Infinity) return sign | 0x7c00;
  if (a < 2 ** -24 / 2) return sign; // rounds to zero (exact half-way 2^-25 ties to even: zero)
  // Work in units of the smallest subnormal (2^-24) below 2^-14, and of the value's own ulp above.
  let exp = Math.floor(Math.log2(a));
  if (2 ** exp > a) exp--; else if (2 ** (exp + 1) <= a) exp++;
  if (exp < -14) {
    const m = roundEven(a / 2 ** -24); // 0..1024; 1024 becomes the smallest normal, which the bits encode naturally
    return sign | m;
  }
  let m = roundEven((a / 2 ** exp - 1) * 1024);
  if (m === 1024) { m = 0; exp++; }
  if (exp > 15) return sign | 0x7c00;
  return sign | ((exp + 15) << 10) | m;
}

/** bfloat16 bits → number (exact): the top half of a float32. */
export function bfloat16ToNumber(h: number): number {
  u32[0] = (h & 0xffff) << 16;
  return f32[0];
}

/** number → bfloat16 bits: float32 first (as torch does from a Python float), then round to nearest even. */
export function numberToBfloat16(x: number): number {
  f32[0] = x;
  const bits = u32[0];
  if ((bits & 0x7f800000) === 0x7f800000 && (bits & 0x7fffff) !== 0) return ((bits >>> 16) | 0x40) & 0xffff; // quiet NaN
  const rounded = bits + 0x7fff + ((bits >>> 16) & 1);
  return (rounded >>> 16) & 0xffff;
}

function roundEven(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}
