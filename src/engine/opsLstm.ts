// A stacked LSTM as one fused op over time (forward and backpropagation through time), rather
// than hundreds of small graph nodes: per layer, the input projection of all time steps is one
// gemm, each step one gemm with the recurrent weights, and the weight gradients again one gemm
// over all steps. Gates i, f, g, o in PyTorch's order; batch first in and out; the output is the
// top layer's hidden state at the last step (output[:, -1, :]).
import type { Tape } from './autograd';
import type { Tensor } from './tensor';
import { gemm } from './opsGemm';
import { sigmoidScalar } from './opsActivation';

export interface LstmLayerParams { wih: Tensor; whh: Tensor; bih: Tensor | null; bhh: Tensor | null }

/** x [N, T, in] → top layer's h_T [N, hidden]. */
export function lstm(tape: Tape, x: Tensor, layers: LstmLayerParams[], hidden: number): Tensor {
  const [N, T, inSize] = x.shape;
  const H = hidden, G = 4 * H;
  const anyGrad = x.requiresGrad || layers.some((l) => l.wih.requiresGrad || l.whh.requiresGrad || !!l.bih?.requiresGrad || !!l.bhh?.requiresGrad);
  const y = tape.tensor([N, H], anyGrad);

  // Time-major copy of the input: row (t, n), so one step's rows are contiguous.
  const x0 = tape.f32(T * N * inSize);
  for (let n = 0; n < N; n++) for (let t = 0; t < T; t++) {
    x0.set(x.data.subarray((n * T + t) * inSize, (n * T + t + 1) * inSize), (t * N + n) * inSize);
  }

  interface Saved { input: Float32Array; inSize: number; gates: Float32Array; hs: Float32Array; cs: Float32Array; tc: Float32Array }
  const saved: Saved[] = [];
  let input = x0, inL = inSize;
  for (const p of layers) {
    const gates = tape.f32(T * N * G);     // activated gates per step, row (t, n): [i f g o]
    const hs = tape.f32((T + 1) * N * H);  // h_0 = 0, then h_1 … h_T
    const cs = tape.f32((T + 1) * N * H);  // c_0 = 0, then c_1 … c_T
    const tc = tape.f32(T * N * H);        // tanh(c_t)
    hs.fill(0, 0, N * H); cs.fill(0, 0, N * H);
    // Input projection of every step at once: gates = input · W_ihᵀ (+ both biases)
    gemm(T * N, G, inL, input, 0, inL, 1, p.wih.data, 0, 1, inL, gates, 0, G, false);
    if (p.bih || p.bhh) {
      for (let r = 0, o = 0; r < T * N; r++) for (let k = 0; k < G; k++, o++) {
        gates[o] += (p.bih ? p.bih.data[k] : 0) + (p.bhh ? p.bhh.data[k] : 0);
      }
    }
    for (let t = 0; t < T; t++) {
      const gOff = t * N * G;
      gemm(N, G, H, hs, t * N * H, H, 1, p.whh.data, 0, 1, H, gates, gOff, G, true);
      for (let n = 0; n < N; n++) {
        const gr = gOff + n * G, prev = (t * N + n) * H, cur = prev + N * H, tco = (t * N + n) * H;
        for (let j = 0; j < H; j++) {
          const gi = sigmoidScalar(gates[gr + j]);
          const gf = sigmoidScalar(gates[gr + H + j]);
          const gg = Math.tanh(gates[gr + 2 * H + j]);
          const go = sigmoidScalar(gates[gr + 3 * H + j]);
          gates[gr + j] = gi; gates[gr + H + j] = gf; gates[gr + 2 * H + j] = gg; gates[gr + 3 * H + j] = go;
          const c = gf * cs[prev + j] + gi * gg;
          cs[cur + j] = c;
          const th = Math.tanh(c);
          tc[tco + j] = th;
          hs[cur + j] = go * th;
        }
      }
    }
    saved.push({ input, inSize: inL, gates, hs, cs, tc });
    input = hs.subarray(N * H); // h_1 … h_T, row (t, n): the next layer's input
    inL = H;
  }
  y.data.set(saved[saved.length - 1].hs.subarray(T * N * H));

  tape.record(() => {
    let dOut: Float32Array | null = null; // gradient w.r.t. this layer's output sequence (lower layers)
    for (let l = layers.length - 1; l >= 0; l--) {
      const p = layers[l], s = saved[l];
      const dG = tape.f32(T * N * G);
      const dh = tape.f32(N * H), dc = tape.f32(N * H);
      const dhPrev = tape.f32(N * H);
      if (l === layers.length - 1) dh.set(y.grad); else dh.fill(0);
      dc.fill(0);
      for (let t = T - 1; t >= 0; t--) {
        const gOff = t * N * G;
        for (let n = 0; n < N; n++) {
          const gr = gOff + n * G, prev = (t * N + n) * H, tco = prev, nh = n * H;
          for (let j = 0; j < H; j++) {
            const dht = dh[nh + j] + (dOut ? dOut[tco + j] : 0);
            const gi = s.gates[gr + j], gf = s.gates[gr + H + j], gg = s.gates[gr + 2 * H + j], go = s.gates[gr + 3 * H + j];
            const th = s.tc[tco + j];
            const dct = dc[nh + j] + dht * go * (1 - th * th);
            dG[gr + j] = dct * gg * gi * (1 - gi);
            dG[gr + H + j] = dct * s.cs[prev + j] * gf * (1 - gf);
            dG[gr + 2 * H + j] = dct * gi * (1 - gg * gg);
            dG[gr + 3 * H + j] = dht * th * go * (1 - go);
            dc[nh + j] = dct * gf;
          }
        }
        // dh_{t-1} = dG_t · W_hh
        gemm(N, H, G, dG, gOff, G, 1, p.whh.data, 0, H, 1, dhPrev, 0, H, false);
        dh.set(dhPrev);
      }
      const rows = T * N;
      // Weight gradients over all steps at once: dW_hh += dGᵀ · h_{t-1}, dW_ih += dGᵀ · input
      if (p.whh.requiresGrad) gemm(G, H, rows, dG, 0, 1, G, s.hs, 0, H, 1, p.whh.grad, 0, H, true);
      if (p.wih.requiresGrad) gemm(G, s.inSize, rows, dG, 0, 1, G, s.input, 0, s.inSize, 1, p.wih.grad, 0, s.inSize, true);
      for (const b of [p.bih, p.bhh]) {
        if (!b?.requiresGrad) continue;
        const db = b.grad;
        for (let r = 0, o = 0; r < rows; r++) for (let k = 0; k < G; k++, o++) db[k] += dG[o];
      }
      if (l === 0 && !x.requiresGrad) break;
      const dIn = tape.f32(rows * s.inSize);
      gemm(rows, s.inSize, G, dG, 0, G, 1, p.wih.data, 0, s.inSize, 1, dIn, 0, s.inSize, false);
      if (l > 0) { dOut = dIn; continue; }
      const dx = x.grad;
      for (let n = 0; n < N; n++) for (let t = 0; t < T; t++) {
        const src = (t * N + n) * inSize, dst = (n * T + t) * inSize;
        for (let k = 0; k < inSize; k++) dx[dst + k] += dIn[src + k];
      }
    }
  });
  return y;
}
