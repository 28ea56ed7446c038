// Each op of the engine: forward against a plain reference, backward against central finite
// differences (the loss L = Σ y·r for a fixed random r, so dL/dy = r), evaluated in float64 over
// the float32 forward.
import { describe, expect, it } from 'vitest';
import { Tape } from '../../../src/engine/autograd';
import { Tensor } from '../../../src/engine/tensor';
import { Rng } from '../../../src/engine/rng';
import { gemm, matmulNN, matmulNT, matmulTN, setGemmKernel } from '../../../src/engine/opsGemm';
import { wasmGemmAvailable } from '../../../src/engine/opsGemmWasm';
import { linear } from '../../../src/engine/opsLinear';
import { dropout, gelu, leakyRelu, relu, sigmoid, tanh } from '../../../src/engine/opsActivation';
import { conv2d, maxPool2d } from '../../../src/engine/opsConv';
import { lstm } from '../../../src/engine/opsLstm';
import { erf } from '../../../src/engine/opsMath';

const rng = new Rng(42);
function rand(shape: number[], requiresGrad = true, scale = 1, avoidZero = 0): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const d = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let v = rng.normal() * scale;
    while (Math.abs(v) < avoidZero) v = rng.normal() * scale;
    d[i] = v;
  }
  return new Tensor(shape, d, requiresGrad);
}

/** Checks every input's analytic gradient against central differences of L = Σ y·r. */
function gradcheck(inputs: Tensor[], op: (tape: Tape, xs: Tensor[]) => Tensor, h = 1e-2, tol = 2e-3): void {
  const tape = new Tape();
  tape.begin();
  const y = op(tape, inputs);
  const r = rand(y.shape, false).data;
  y.grad.set(r);
  for (const x of inputs) x.grad.fill(0);
  tape.backward();
  const lossAt = (): number => {
    const t = new Tape();
    t.begin(false);
    const out = op(t, inputs);
    let s = 0;
    for (let i = 0; i < out.size; i++) s += out.data[i] * r[i];
    return s;
  };
  inputs.forEach((x, k) => {
    if (!x.requiresGrad) return;
    for (let i = 0; i < x.size; i++) {
      const keep = x.data[i];
      x.data[i] = keep + h; const up = lossAt();
      x.data[i] = keep - h; const down = lossAt();
      x.data[i] = keep;
      const numeric = (up - down) / (2 * h);
      const analytic = x.grad[i];
      if (Math.abs(numeric - analytic) > tol * Math.max(1, Math.abs(numeric))) {
        throw new Error(`input ${k}[${i}]: analytic ${analytic}, numeric ${numeric}`);
      }
    }
  });
}

describe('gemm', () => {
  const naive = (M: number, N: number, K: number, a: (i: number, k: number) => number, b: (k: number, j: number) => number) => {
    const c = new Float64Array(M * N);
    for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) { let s = 0; for (let k = 0; k < K; k++) s += a(i, k) * b(k, j); c[i * N + j] = s; }
    return c;
  };
  for (const [M, N, K] of [[1, 1, 1], [4, 4, 4], [5, 7, 3], [9, 13, 17], [33, 6, 2]]) {
    it(`NN, NT, TN agree with the naive product for ${M}×${K}·${K}×${N}`, () => {
      const A = rand([M * K], false).data, B = rand([K * N], false).data;
      const ref = naive(M, N, K, (i, k) => A[i * K + k], (k, j) => B[k * N + j]);
      const C = new Float32Array(M * N);
      matmulNN(M, N, K, A, B, C);
      Array.from(C).forEach((v, i) => expect(v).toBeCloseTo(ref[i], 4));
      // A·B with B given transposed, and Aᵀ given as [K×M]
      const Bt = new Float32Array(N * K), At = new Float32Array(K * M);
      for (let k = 0; k < K; k++) for (let j = 0; j < N; j++) Bt[j * K + k] = B[k * N + j];
      for (let i = 0; i < M; i++) for (let k = 0; k < K; k++) At[k * M + i] = A[i * K + k];
      const C2 = new Float32Array(M * N), C3 = new Float32Array(M * N).fill(1);
      matmulNT(M, N, K, A, Bt, C2);
      matmulTN(M, N, K, At, B, C3, true); // accumulates onto the ones
      Array.from(C2).forEach((v, i) => expect(v).toBeCloseTo(ref[i], 4));
      Array.from(C3).forEach((v, i) => expect(v).toBeCloseTo(ref[i] + 1, 4));
    });
  }
  it('the WebAssembly SIMD kernel agrees with the JS kernel on large products, every layout', () => {
    expect(wasmGemmAvailable()).toBe(true); // Node 20 has WebAssembly SIMD
    for (const [M, N, K] of [[37, 29, 150], [64, 8, 9], [5, 300, 40], [128, 33, 4]]) {
      const A = rand([M * K], false).data, B = rand([K * N], false).data, C0 = rand([M * N], false).data;
      const layouts: [string, (C: Float32Array) => void][] = [
        ['NN', (C) => matmulNN(M, N, K, A, B, C, true)],
        ['NT', (C) => matmulNT(M, N, K, A, B, C, false)],
        ['TN', (C) => matmulTN(M, N, K, A, B, C, true)],
        ['strided', (C) => gemm(M - 1, N - 1, K - 1, A, 1, K, 1, B, 2, N, 1, C, 3, N, false)],
      ];
      for (const [name, run] of layouts) {
        const js = C0.slice(), simd = C0.slice();
        setGemmKernel('js');
        try { run(js); } finally { setGemmKernel('auto'); }
        run(simd);
        for (let i = 0; i < js.length; i++) {
          if (Math.abs(js[i] - simd[i]) > 1e-4 * (1 + Math.abs(js[i]))) throw new Error(`${name} ${M}×${N}×${K} [${i}]: js ${js[i]}, simd ${simd[i]}`);
        }
      }
    }
  });
  it('respects offsets and the output stride', () => {
    const A = Float32Array.from([9, 1, 2, 3, 4]), B = Float32Array.from([9, 9, 1, 0, 0, 1]);
    const C = new Float32Array(6).fill(-1);
    gemm(2, 2, 2, A, 1, 2, 1, B, 2, 2, 1, C, 1, 3, false); // [[1,2],[3,4]]·I into a row stride of 3
    expect(Array.from(C)).toEqual([-1, 1, 2, -1, 3, 4]);
  });
});

describe('linear', () => {
  it('computes x·Wᵀ + b', () => {
    const tape = new Tape(); tape.begin();
    const x = new Tensor([1, 2], Float32Array.from([1, 2]), false);
    const w = new Tensor([3, 2], Float32Array.from([1, 0, 0, 1, 1, 1]), true);
    const b = new Tensor([3], Float32Array.from([0.5, 0, -1]), true);
    expect(Array.from(linear(tape, x, w, b).data)).toEqual([1.5, 2, 2]);
  });
  it('backward matches finite differences', () => gradcheck([rand([5, 3]), rand([4, 3]), rand([4])], (t, [x, w, b]) => linear(t, x, w, b)));
  it('without bias, on a 3-D input', () => gradcheck([rand([2, 3, 3]), rand([2, 3])], (t, [x, w]) => linear(t, x, w, null)));
});

describe('activations', () => {
  it('forward values', () => {
    const tape = new Tape(); tape.begin(false);
    const x = new Tensor([4], Float32Array.from([-2, -0.5, 0.5, 3]), false);
    const f = (t: Tensor) => Array.from(t.data);
    expect(f(relu(tape, x))).toEqual([0, 0, 0.5, 3]);
    expect(f(leakyRelu(tape, x, 0.1))).toEqual([Math.fround(-0.2), Math.fround(-0.05), 0.5, 3]);
    f(tanh(tape, x)).forEach((v, i) => expect(v).toBeCloseTo(Math.tanh(x.data[i]), 6));
    f(sigmoid(tape, x)).forEach((v, i) => expect(v).toBeCloseTo(1 / (1 + Math.exp(-x.data[i])), 6));
    // torch.nn.functional.gelu(torch.tensor([-2., -0.5, 0.5, 3.]))
    f(gelu(tape, x)).forEach((v, i) => expect(v).toBeCloseTo([-0.04550028, -0.15426877, 0.34573123, 2.99595031][i], 6));
  });
  it('erf to near double precision', () => {
    // Reference values from scipy.special.erf
    const cases: [number, number][] = [[0, 0], [0.1, 0.1124629160182849], [1, 0.8427007929497149], [-2.5, -0.9995930479825550],
      [3.5, 0.9999992569016276], [5, 0.9999999999984626]];
    for (const [x, e] of cases) expect(Math.abs(erf(x) - e)).toBeLessThan(1e-13);
  });
  it('sigmoid does not overflow', () => {
    const tape = new Tape(); tape.begin(false);
    const y = sigmoid(tape, new Tensor([2], Float32Array.from([-1000, 1000]), false));
    expect(Array.from(y.data)).toEqual([0, 1]);
  });
  it('ReLU maps NaN, −0 and −Infinity to +0 and passes no gradient there, even a NaN one', () => {
    const tape = new Tape(); tape.begin();
    const x = new Tensor([6], Float32Array.from([NaN, -0, 0, -Infinity, Infinity, 1e-40]), true);
    const y = relu(tape, x);
    expect(Array.from(y.data).map((v) => Object.is(v, 0) ? '+0' : v)).toEqual(['+0', '+0', '+0', '+0', Infinity, Math.fround(1e-40)]);
    y.grad.set([NaN, NaN, Infinity, NaN, 2, 3]);
    x.grad.fill(1);
    tape.backward();
    expect(Array.from(x.grad)).toEqual([1, 1, 1, 1, 3, 4]);
  });
  it('ReLU backward', () => gradcheck([rand([3, 5], true, 1, 0.05)], (t, [x]) => relu(t, x)));
  it('LeakyReLU backward', () => gradcheck([rand([3, 5], true, 1, 0.05)], (t, [x]) => leakyRelu(t, x, 0.2)));
  it('Tanh backward', () => gradcheck([rand([3, 5])], (t, [x]) => tanh(t, x)));
  it('Sigmoid backward', () => gradcheck([rand([3, 5])], (t, [x]) => sigmoid(t, x)));
  it('GELU backward', () => gradcheck([rand([3, 5], true, 2)], (t, [x]) => gelu(t, x)));
});

describe('dropout', () => {
  it('zeroes about p of the elements and scales the rest by 1/(1−p); backward uses the same mask', () => {
    const tape = new Tape(); tape.begin();
    const x = new Tensor([10000], new Float32Array(10000).fill(1), true);
    const y = dropout(tape, x, 0.25, true, new Rng(1));
    const zeros = Array.from(y.data).filter((v) => v === 0).length;
    expect(zeros / 10000).toBeGreaterThan(0.23); expect(zeros / 10000).toBeLessThan(0.27);
    expect(Array.from(y.data).every((v) => v === 0 || Math.abs(v - 4 / 3) < 1e-6)).toBe(true);
    y.grad.fill(1); tape.backward();
    expect(Array.from(x.grad)).toEqual(Array.from(y.data));
  });
  it('is the identity in evaluation mode and for p = 0', () => {
    const tape = new Tape(); tape.begin();
    const x = rand([5]);
    expect(dropout(tape, x, 0.5, false, new Rng(1))).toBe(x);
    expect(dropout(tape, x, 0, true, new Rng(1))).toBe(x);
  });
});

describe('conv2d', () => {
  it('matches a direct convolution (stride 2, padding 1, rectangular kernel)', () => {
    const x = rand([2, 3, 6, 5], false), w = rand([4, 3, 3, 2], false), b = rand([4], false);
    const g = { kh: 3, kw: 2, sh: 2, sw: 1, ph: 1, pw: 1 };
    const tape = new Tape(); tape.begin(false);
    const y = conv2d(tape, x, w, b, g);
    const [N, C, H, W] = x.shape, OH = Math.floor((H + 2 - 3) / 2) + 1, OW = Math.floor((W + 2 - 2) / 1) + 1;
    expect(y.shape).toEqual([2, 4, OH, OW]);
    for (let n = 0; n < N; n++) for (let o = 0; o < 4; o++) for (let i = 0; i < OH; i++) for (let j = 0; j < OW; j++) {
      let s = b.data[o];
      for (let c = 0; c < C; c++) for (let p = 0; p < 3; p++) for (let q = 0; q < 2; q++) {
        const hh = i * 2 - 1 + p, ww = j - 1 + q;
        if (hh >= 0 && hh < H && ww >= 0 && ww < W) s += x.data[((n * C + c) * H + hh) * W + ww] * w.data[((o * C + c) * 3 + p) * 2 + q];
      }
      expect(y.data[((n * 4 + o) * OH + i) * OW + j]).toBeCloseTo(s, 4);
    }
  });
  it('backward matches finite differences', () =>
    gradcheck([rand([2, 2, 5, 4]), rand([3, 2, 3, 3]), rand([3])], (t, [x, w, b]) => conv2d(t, x, w, b, { kh: 3, kw: 3, sh: 2, sw: 1, ph: 1, pw: 1 })));
  // Without padding im2col and its adjoint take a path without bounds tests (3-wide rows unrolled).
  it('backward matches finite differences without padding (3×3 and 2×3 kernels)', () => {
    // 5 output channels: one block of 4 in the layout copies plus a remainder channel
    gradcheck([rand([2, 2, 6, 5]), rand([5, 2, 3, 3]), rand([5])], (t, [x, w, b]) => conv2d(t, x, w, b, { kh: 3, kw: 3, sh: 1, sw: 1, ph: 0, pw: 0 }));
    gradcheck([rand([2, 2, 6, 5]), rand([3, 2, 3, 2]), rand([3])], (t, [x, w, b]) => conv2d(t, x, w, b, { kh: 3, kw: 2, sh: 2, sw: 1, ph: 0, pw: 0 }));
  });
  it('matches a direct convolution without padding', () => {
    const x = rand([2, 2, 7, 6], false), w = rand([5, 2, 3, 3], false), b = rand([5], false);
    const tape = new Tape(); tape.begin(false);
    const y = conv2d(tape, x, w, b, { kh: 3, kw: 3, sh: 1, sw: 1, ph: 0, pw: 0 });
    for (let n = 0; n < 2; n++) for (let o = 0; o < 5; o++) for (let i = 0; i < 5; i++) for (let j = 0; j < 4; j++) {
      let s = b.data[o];
      for (let c = 0; c < 2; c++) for (let p = 0; p < 3; p++) for (let q = 0; q < 3; q++) s += x.data[((n * 2 + c) * 7 + i + p) * 6 + j + q] * w.data[((o * 2 + c) * 3 + p) * 3 + q];
      expect(y.data[((n * 5 + o) * 5 + i) * 4 + j]).toBeCloseTo(s, 4);
    }
  });
});

describe('maxPool2d', () => {
  it('sends the gradient to the first maximum of a window, as PyTorch', () => {
    const tape = new Tape(); tape.begin();
    const x = new Tensor([1, 1, 2, 2], Float32Array.from([5, 5, 1, 5]), true);
    const y = maxPool2d(tape, x, 2, 2, 2, 2);
    expect(Array.from(y.data)).toEqual([5]);
    y.grad[0] = 1; tape.backward();
    expect(Array.from(x.grad)).toEqual([1, 0, 0, 0]);
  });
  it('2×2 stride 2 (the branch-free path) picks the value and index of the general rule, with ties, NaN and −0', () => {
    const values = [0, -0, 1, 1, -1, NaN, 2, -Infinity];
    const pick = new Rng(5);
    const [N, C, H, W] = [2, 3, 6, 7];
    const x = new Tensor([N, C, H, W], Float32Array.from({ length: N * C * H * W }, () => values[pick.int(values.length)]), true);
    const tape = new Tape(); tape.begin();
    const y = maxPool2d(tape, x, 2, 2, 2, 2);
    const OH = 3, OW = 3;
    expect(y.shape).toEqual([N, C, OH, OW]);
    const expectedGrad = new Float32Array(x.size);
    for (let nc = 0, o = 0; nc < N * C; nc++) for (let i = 0; i < OH; i++) for (let j = 0; j < OW; j++, o++) {
      // PyTorch's rule: scan row-major, take v when v > best or v is NaN (and stop at NaN)
      let best = -Infinity, at = nc * H * W + 2 * i * W + 2 * j;
      scan: for (let p = 0; p < 2; p++) for (let q = 0; q < 2; q++) {
        const k = nc * H * W + (2 * i + p) * W + 2 * j + q, v = x.data[k];
        if (v > best || Number.isNaN(v)) { best = v; at = k; if (Number.isNaN(v)) break scan; }
      }
      expect(Object.is(y.data[o], best)).toBe(true);
      expectedGrad[at] += o + 1;
      y.grad[o] = o + 1;
    }
    tape.backward();
    expect(Array.from(x.grad)).toEqual(Array.from(expectedGrad));
  });
  it('backward matches finite differences (overlapping windows)', () => {
    // Distinct values 0.1 apart, so the finite-difference step never changes which one is the max.
    const x = new Tensor([2, 2, 5, 5], Float32Array.from(new Rng(3).permutation(100), (v) => v * 0.1), true);
    gradcheck([x], (t, [v]) => maxPool2d(t, v, 2, 2, 1, 1), 1e-3);
  });
});

describe('lstm', () => {
  it('backward matches finite differences (2 layers, with biases)', () => {
    const H = 3;
    const params = [rand([4 * H, 2], true, 0.5), rand([4 * H, H], true, 0.5), rand([4 * H], true, 0.5), rand([4 * H], true, 0.5),
      rand([4 * H, H], true, 0.5), rand([4 * H, H], true, 0.5), rand([4 * H], true, 0.5), rand([4 * H], true, 0.5)];
    gradcheck([rand([2, 4, 2]), ...params], (t, [x, a, b, c, d, e, f, g, h]) =>
      lstm(t, x, [{ wih: a, whh: b, bih: c, bhh: d }, { wih: e, whh: f, bih: g, bhh: h }], H));
  });
  it('one step, one unit, equals the gate equations', () => {
    const tape = new Tape(); tape.begin(false);
    // i, f, g, o pre-activations are x·w_ih: with x = 1 and no recurrence at t = 0
    const x = new Tensor([1, 1, 1], Float32Array.from([1]), false);
    const wih = new Tensor([4, 1], Float32Array.from([0.5, -1, 2, 0.25]), false);
    const whh = new Tensor([4, 1], new Float32Array(4), false);
    const y = lstm(tape, x, [{ wih, whh, bih: null, bhh: null }], 1);
    const s = (v: number) => 1 / (1 + Math.exp(-v));
    const c = s(0.5) * Math.tanh(2);
    expect(y.data[0]).toBeCloseTo(s(0.25) * Math.tanh(c), 6);
  });
});
