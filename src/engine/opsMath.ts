// Scalar special functions the ops need and Math lacks.

/**
 * The error function to near double precision: its Maclaurin series for |x| < 3 (the terms
 * peak near e^{x²}, so at most ~4 of 16 digits are lost to cancellation) and a Lentz continued
 * fraction for erfc beyond, where the series would cancel badly.
 */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax >= 6) return x > 0 ? 1 : -1;
  if (ax < 3) {
    const x2 = x * x;
    let term = x, sum = x;
    for (let n = 1; n < 200; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc(x) = e^{-x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …))))), modified Lentz.
  const tiny = 1e-300;
  let f = ax, C = ax, D = 0;
  for (let n = 1; n < 300; n++) {
    const an = n / 2;
    D = ax + an * D; D = D === 0 ? tiny : D; D = 1 / D;
    C = ax + an / C; C = C === 0 ? tiny : C;
    const delta = C * D;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
  return x > 0 ? 1 - erfc : erfc - 1;
}
