// Conv2d (im2col + the blocked gemm) and MaxPool2d over NCHW batches, as torch.nn.functional.
import type { Tape } from './autograd';
import type { Tensor } from './tensor';
import { gemm } from './opsGemm';

export interface Conv2dGeometry { kh: number; kw: number; sh: number; sw: number; ph: number; pw: number }

/** x [N, Cin, H, W] ⋆ weight [Cout, Cin, kh, kw] + bias → [N, Cout, OH, OW]. */
export function conv2d(tape: Tape, x: Tensor, weight: Tensor, bias: Tensor | null, g: Conv2dGeometry): Tensor {
  const [N, Cin, H, W] = x.shape;
  const Cout = weight.shape[0];
  const { kh, kw, sh, sw, ph, pw } = g;
  const OH = Math.floor((H + 2 * ph - kh) / sh) + 1, OW = Math.floor((W + 2 * pw - kw) / sw) + 1;
  const P = OH * OW, Q = Cin * kh * kw;
  const y = tape.tensor([N, Cout, OH, OW], x.requiresGrad || weight.requiresGrad || !!bias?.requiresGrad);
  // colsT[(n, p), q]: the input patch under output position p of sample n, one row per position.
  const cols = tape.f32(N * P * Q);
  im2col(x.data, cols, N, Cin, H, W, OH, OW, g);
  // One product for the whole batch: yT[(n, p), co] = colsT[(n, p), :] · W[co, :]
  const yT = tape.f32(N * P * Cout);
  gemm(N * P, Cout, Q, cols, 0, Q, 1, weight.data, 0, 1, Q, yT, 0, Cout, false);
  const yd = y.data, b = bias?.data;
  const C4 = Cout - (Cout % 4);
  for (let n = 0; n < N; n++) {
    // Four channels per sweep of yT: each read of 4 neighbours serves 4 output planes.
    for (let c = 0; c < C4; c += 4) {
      const b0 = b ? b[c] : 0, b1 = b ? b[c + 1] : 0, b2 = b ? b[c + 2] : 0, b3 = b ? b[c + 3] : 0;
      const o0 = (n * Cout + c) * P, o1 = o0 + P, o2 = o1 + P, o3 = o2 + P;
      for (let p = 0, s = n * P * Cout + c; p < P; p++, s += Cout) {
        yd[o0 + p] = yT[s] + b0; yd[o1 + p] = yT[s + 1] + b1; yd[o2 + p] = yT[s + 2] + b2; yd[o3 + p] = yT[s + 3] + b3;
      }
    }
    for (let c = C4; c < Cout; c++) {
      const bc = b ? b[c] : 0, o = (n * Cout + c) * P, src = n * P * Cout + c;
      for (let p = 0; p < P; p++) yd[o + p] = yT[src + p * Cout] + bc;
    }
  }
  tape.record(() => {
    const dy = y.grad;
    if (weight.requiresGrad || bias?.requiresGrad) {
      // dy channel-major, [Cout × (n, p)]: N·Cout contiguous copies, then dW is one product.
      const dyC = tape.f32(Cout * N * P);
      for (let c = 0; c < Cout; c++) for (let n = 0; n < N; n++) {
        dyC.set(dy.subarray((n * Cout + c) * P, (n * Cout + c + 1) * P), (c * N + n) * P);
      }
      // dW[Cout×Q] += dyC · colsT
      if (weight.requiresGrad) gemm(Cout, Q, N * P, dyC, 0, N * P, 1, cols, 0, Q, 1, weight.grad, 0, Q, true);
      if (bias?.requiresGrad) {
        const db = bias.grad;
        for (let c = 0; c < Cout; c++) { let sum = 0; for (let i = c * N * P, e = i + N * P; i < e; i++) sum += dyC[i]; db[c] += sum; }
      }
    }
    if (x.requiresGrad) {
      // dcolsT[(n, p)×Q] = dyT · W with dy in the (n, p) × co layout, then scattered back onto the input
      const dyT = tape.f32(N * P * Cout);
      for (let n = 0; n < N; n++) {
        // Four channels per sweep: each write of 4 neighbours takes one value from 4 planes of dy.
        for (let c = 0; c < C4; c += 4) {
          const o0 = (n * Cout + c) * P, o1 = o0 + P, o2 = o1 + P, o3 = o2 + P;
          for (let p = 0, d = n * P * Cout + c; p < P; p++, d += Cout) {
            dyT[d] = dy[o0 + p]; dyT[d + 1] = dy[o1 + p]; dyT[d + 2] = dy[o2 + p]; dyT[d + 3] = dy[o3 + p];
          }
        }
        for (let c = C4; c < Cout; c++) {
          const o = (n * Cout + c) * P, dst = n * P * Cout + c;
          for (let p = 0; p < P; p++) dyT[dst + p * Cout] = dy[o + p];
        }
      }
      const dcols = tape.f32(N * P * Q);
      gemm(N * P, Q, Cout, dyT, 0, Cout, 1, weight.data, 0, Q, 1, dcols, 0, Q, false);
      for (let n = 0; n < N; n++) col2imAdd(dcols, n * P * Q, x.grad, n, Cin, H, W, OH, OW, g);
    }
  });
  return y;
}

function im2col(x: Float32Array, cols: Float32Array, N: number, C: number, H: number, W: number, OH: number, OW: number, g: Conv2dGeometry): void {
  const { kh, kw, sh, sw, ph, pw } = g;
  if (ph === 0 && pw === 0) { im2colUnpadded(x, cols, N, C, H, W, OH, OW, g); return; }
  let o = 0;
  for (let n = 0; n < N; n++) {
    const xn = n * C * H * W;
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        const h0 = oh * sh - ph, w0 = ow * sw - pw;
        for (let c = 0; c < C; c++) {
          const xc = xn + c * H * W;
          for (let i = 0; i < kh; i++) {
            const h = h0 + i;
            if (h < 0 || h >= H) { for (let j = 0; j < kw; j++) cols[o++] = 0; continue; }
            const row = xc + h * W;
            for (let j = 0; j < kw; j++) { const w = w0 + j; cols[o++] = w >= 0 && w < W ? x[row + w] : 0; }
          }
        }
      }
    }
  }
}

/** im2col without padding: every patch lies inside the input, so rows copy without bounds tests. */
function im2colUnpadded(x: Float32Array, cols: Float32Array, N: number, C: number, H: number, W: number, OH: number, OW: number, g: Conv2dGeometry): void {
  const { kh, kw, sh, sw } = g;
  let o = 0;
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        const at = n * C * H * W + oh * sh * W + ow * sw;
        for (let c = 0; c < C; c++) {
          for (let i = 0, row = at + c * H * W; i < kh; i++, row += W) {
            if (kw === 3) { cols[o] = x[row]; cols[o + 1] = x[row + 1]; cols[o + 2] = x[row + 2]; o += 3; }
            else for (let j = 0; j < kw; j++) cols[o++] = x[row + j];
          }
        }
      }
    }
  }
}

/** Adds sample n's patch gradients (dcolsT[P×Q] from dcolsOff) back onto dx (the adjoint of im2col). */
function col2imAdd(dcols: Float32Array, dcolsOff: number, dx: Float32Array, n: number, C: number, H: number, W: number, OH: number, OW: number, g: Conv2dGeometry): void {
  const { kh, kw, sh, sw, ph, pw } = g;
  const xn = n * C * H * W;
  let o = dcolsOff;
  if (ph === 0 && pw === 0) {
    // Every patch inside the input: no bounds tests.
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        const at = xn + oh * sh * W + ow * sw;
        for (let c = 0; c < C; c++) {
          for (let i = 0, row = at + c * H * W; i < kh; i++, row += W) {
            if (kw === 3) { dx[row] += dcols[o]; dx[row + 1] += dcols[o + 1]; dx[row + 2] += dcols[o + 2]; o += 3; }
            else for (let j = 0; j < kw; j++, o++) dx[row + j] += dcols[o];
          }
        }
      }
    }
    return;
  }
  for (let oh = 0; oh < OH; oh++) {
    for (let ow = 0; ow < OW; ow++) {
      const h0 = oh * sh - ph, w0 = ow * sw - pw;
      for (let c = 0; c < C; c++) {
        const xc = xn + c * H * W;
        for (let i = 0; i < kh; i++) {
          const h = h0 + i;
          if (h < 0 || h >= H) { o += kw; continue; }
          const row = xc + h * W;
          for (let j = 0; j < kw; j++, o++) { const w = w0 + j; if (w >= 0 && w < W) dx[row + w] += dcols[o]; }
        }
      }
    }
  }
}

/**
 * MaxPool2d without padding: the max of each window; its gradient goes to the first maximum
 * in the window (row-major), as PyTorch's kernel picks it (NaN wins, as there).
 */
export function maxPool2d(tape: Tape, x: Tensor, kh: number, kw: number, sh: number, sw: number): Tensor {
  const [N, C, H, W] = x.shape;
  const OH = Math.floor((H - kh) / sh) + 1, OW = Math.floor((W - kw) / sw) + 1;
  const y = tape.tensor([N, C, OH, OW], x.requiresGrad);
  const argmax = tape.i32(y.size);
  const xd = x.data, yd = y.data;
  if (kh === 2 && kw === 2 && sh === 2 && sw === 2) maxPool2x2(xd, yd, argmax, N * C, H, W, OH, OW);
  else maxPoolAny(xd, yd, argmax, N * C, H, W, OH, OW, kh, kw, sh, sw);
  tape.record(() => {
    if (!x.requiresGrad) return;
    const dx = x.grad, dy = y.grad;
    for (let i = 0; i < dy.length; i++) dx[argmax[i]] += dy[i];
  });
  return y;
}

/**
 * The common 2×2, stride 2 window without branching on the data (which mispredicts half the
 * time): Math.max gives the maximum (NaN if any is NaN), a 4-bit mask marks the elements equal to
 * it (or NaN), and its lowest set bit is the first in row-major order, as the general loop picks.
 */
function maxPool2x2(xd: Float32Array, yd: Float32Array, argmax: Int32Array, NC: number, H: number, W: number, OH: number, OW: number): void {
  let o = 0;
  for (let nc = 0; nc < NC; nc++) {
    const base = nc * H * W;
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0, r = base + 2 * oh * W; ow < OW; ow++, o++, r += 2) {
        const a = xd[r], b = xd[r + 1], c = xd[r + W], d = xd[r + W + 1];
        const m = Math.max(Math.max(a, b), Math.max(c, d));
        const hits = (+(a === m) | +(a !== a)) | ((+(b === m) | +(b !== b)) << 1) | ((+(c === m) | +(c !== c)) << 2) | ((+(d === m) | +(d !== d)) << 3);
        const first = 31 - Math.clz32(hits & -hits); // 0…3
        const at = r + (first & 1) + (first >> 1) * W;
        argmax[o] = at;
        yd[o] = xd[at]; // the element itself, so −0 stays −0 as in the general loop
      }
    }
  }
}

function maxPoolAny(xd: Float32Array, yd: Float32Array, argmax: Int32Array, NC: number, H: number, W: number, OH: number, OW: number, kh: number, kw: number, sh: number, sw: number): void {
  let o = 0;
  for (let nc = 0; nc < NC; nc++) {
    const base = nc * H * W;
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++, o++) {
        let best = -Infinity, bestAt = base + oh * sh * W + ow * sw;
        for (let i = 0; i < kh; i++) {
          const row = base + (oh * sh + i) * W + ow * sw;
          for (let j = 0; j < kw; j++) {
            const v = xd[row + j];
            if (v > best || v !== v) { best = v; bestAt = row + j; if (v !== v) break; }
          }
          if (best !== best) break;
        }
        yd[o] = best;
        argmax[o] = bestAt;
      }
    }
  }
}
