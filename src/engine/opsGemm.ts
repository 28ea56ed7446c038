// The hot path: C[M×N] (+)= A[M×K] · B[K×N], with A and B read through strides so that one
// register-blocked kernel serves every transposed variant the forward and backward passes need
// (x·Wᵀ, dy·W, dyᵀ·x, …) without copying. Each 4×4 block of C is kept in 16 locals while the
// k loop streams 4 values of A and 4 of B: 16 multiply-adds per 8 loads instead of 1 per 2.
// Sums are taken in float64 (JS numbers) and stored as float32.

import { wasmGemm } from './opsGemmWasm';

/**
 * Products of at least this many multiply-adds go to the WebAssembly SIMD kernel (opsGemmWasm.ts),
 * whose packing costs more than it saves on tiny ones.
 */
let wasmMinWork = 4096;

/**
 * 'auto' uses SIMD for large products; 'js' and 'simd' force one kernel for every product, so that
 * tests can hold both to the same references.
 */
export function setGemmKernel(kind: 'auto' | 'js' | 'simd'): void {
  wasmMinWork = kind === 'js' ? Infinity : kind === 'simd' ? 0 : 4096;
}

/**
 * C[cOff + i·ldc + j] = (accumulate ? C : 0) + Σ_k A(i,k)·B(k,j) for i < M, j < N, where element
 * (i, k) of A is A[aOff + i·aRow + k·aCol] and element (k, j) of B is B[bOff + k·bRow + j·bCol].
 */
export function gemm(
  M: number, N: number, K: number,
  A: Float32Array, aOff: number, aRow: number, aCol: number,
  B: Float32Array, bOff: number, bRow: number, bCol: number,
  C: Float32Array, cOff: number, ldc: number, accumulate: boolean,
): void {
  if (M * N * K >= wasmMinWork && wasmGemm(M, N, K, A, aOff, aRow, aCol, B, bOff, bRow, bCol, C, cOff, ldc, accumulate)) return;
  const M4 = M - (M % 4), N4 = N - (N % 4);
  for (let i = 0; i < M4; i += 4) {
    const a0 = aOff + i * aRow, a1 = a0 + aRow, a2 = a1 + aRow, a3 = a2 + aRow;
    for (let j = 0; j < N4; j += 4) {
      const b0 = bOff + j * bCol, b1 = b0 + bCol, b2 = b1 + bCol, b3 = b2 + bCol;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let k = 0, pa = 0, pb = 0; k < K; k++, pa += aCol, pb += bRow) {
        const x0 = A[a0 + pa], x1 = A[a1 + pa], x2 = A[a2 + pa], x3 = A[a3 + pa];
        const y0 = B[b0 + pb], y1 = B[b1 + pb], y2 = B[b2 + pb], y3 = B[b3 + pb];
        c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
        c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
        c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
        c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
      }
      let c = cOff + i * ldc + j;
      if (accumulate) {
        C[c] += c00; C[c + 1] += c01; C[c + 2] += c02; C[c + 3] += c03; c += ldc;
        C[c] += c10; C[c + 1] += c11; C[c + 2] += c12; C[c + 3] += c13; c += ldc;
        C[c] += c20; C[c + 1] += c21; C[c + 2] += c22; C[c + 3] += c23; c += ldc;
        C[c] += c30; C[c + 1] += c31; C[c + 2] += c32; C[c + 3] += c33;
      } else {
        C[c] = c00; C[c + 1] = c01; C[c + 2] = c02; C[c + 3] = c03; c += ldc;
        C[c] = c10; C[c + 1] = c11; C[c + 2] = c12; C[c + 3] = c13; c += ldc;
        C[c] = c20; C[c + 1] = c21; C[c + 2] = c22; C[c + 3] = c23; c += ldc;
        C[c] = c30; C[c + 1] = c31; C[c + 2] = c32; C[c + 3] = c33;
      }
    }
    if (N4 < N) edge(i, i + 4, N4, N);
  }
  if (M4 < M) edge(M4, M, 0, N);

  // The ragged right columns and bottom rows, one element at a time.
  function edge(i0: number, i1: number, j0: number, j1: number): void {
    for (let i = i0; i < i1; i++) {
      const ai = aOff + i * aRow;
      for (let j = j0; j < j1; j++) {
        const bj = bOff + j * bCol;
        let s = 0;
        for (let k = 0; k < K; k++) s += A[ai + k * aCol] * B[bj + k * bRow];
        const c = cOff + i * ldc + j;
        C[c] = accumulate ? C[c] + s : s;
      }
    }
  }
}

/** C[M×N] (+)= A[M×K] · B[N×K]ᵀ, all row-major and dense. */
export function matmulNT(M: number, N: number, K: number, A: Float32Array, B: Float32Array, C: Float32Array, accumulate = false): void {
  gemm(M, N, K, A, 0, K, 1, B, 0, 1, K, C, 0, N, accumulate);
}

/** C[M×N] (+)= A[M×K] · B[K×N]. */
export function matmulNN(M: number, N: number, K: number, A: Float32Array, B: Float32Array, C: Float32Array, accumulate = false): void {
  gemm(M, N, K, A, 0, K, 1, B, 0, N, 1, C, 0, N, accumulate);
}

/** C[M×N] (+)= A[K×M]ᵀ · B[K×N]. */
export function matmulTN(M: number, N: number, K: number, A: Float32Array, B: Float32Array, C: Float32Array, accumulate = false): void {
  gemm(M, N, K, A, 0, 1, M, B, 0, N, 1, C, 0, N, accumulate);
}
