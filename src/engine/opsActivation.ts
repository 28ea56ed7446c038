// Element-wise activations and dropout, each backward rule right below its forward loop.
// Formulas are PyTorch's: GELU is the exact erf form (approximate='none').
import type { Tape } from './autograd';
import type { Tensor } from './tensor';
import type { Rng } from './rng';
import { erf } from './opsMath';

/**
 * max(x, 0) with NaN, −0 and +0 giving +0 (as `x > 0 ? x : 0`), on the float32 bit patterns: x > 0
 * exactly when its bits, read as an int32, lie in (0, +Infinity]. A branch on the sign of
 * half-positive activations mispredicts half the time; the mask costs the same for every element.
 */
export function relu(tape: Tape, x: Tensor): Tensor {
  const y = tape.tensor(x.shape, x.requiresGrad);
  const n = x.size;
  const xi = new Int32Array(x.data.buffer, x.data.byteOffset, n), yi = new Int32Array(y.data.buffer, y.data.byteOffset, n);
  for (let i = 0; i < n; i++) { const v = xi[i]; yi[i] = v & -(+(v > 0) & +(v <= POS_INF_BITS)); }
  tape.record(() => {
    if (!x.requiresGrad) return;
    // dy where y ≠ 0 (i.e. x > 0), else +0, masked into scratch and then added: dx is untouched
    // where x ≤ 0 even when dy there is NaN or infinite, as with a branch.
    const dyi = new Int32Array(y.grad.buffer, y.grad.byteOffset, n);
    const masked = tape.f32(n), mi = new Int32Array(masked.buffer, 0, n);
    // (v | −v) >> 31 is all ones where y's bits are non-zero, i.e. y > 0 (y is never −0)
    for (let i = 0; i < n; i++) { const v = yi[i]; mi[i] = dyi[i] & ((v | -v) >> 31); }
    const dx = x.grad;
    for (let i = 0; i < n; i++) dx[i] += masked[i];
  });
  return y;
}

const POS_INF_BITS = 0x7f800000;

export function leakyRelu(tape: Tape, x: Tensor, slope: number): Tensor {
  const y = tape.tensor(x.shape, x.requiresGrad);
  const xd = x.data, yd = y.data;
  for (let i = 0; i < xd.length; i++) yd[i] = xd[i] > 0 ? xd[i] : xd[i] * slope;
  tape.record(() => {
    if (!x.requiresGrad) return;
    const dx = x.grad, dy = y.grad;
    for (let i = 0; i < xd.length; i++) dx[i] += xd[i] > 0 ? dy[i] : dy[i] * slope;
  });
  return y;
}

export function tanh(tape: Tape, x: Tensor): Tensor {
  const y = tape.tensor(x.shape, x.requiresGrad);
  const xd = x.data, yd = y.data;
  for (let i = 0; i < xd.length; i++) yd[i] = Math.tanh(xd[i]);
  tape.record(() => {
    if (!x.requiresGrad) return;
    const dx = x.grad, dy = y.grad;
    for (let i = 0; i < yd.length; i++) dx[i] += dy[i] * (1 - yd[i] * yd[i]);
  });
  return y;
}

export function sigmoid(tape: Tape, x: Tensor): Tensor {
  const y = tape.tensor(x.shape, x.requiresGrad);
  const xd = x.data, yd = y.data;
  for (let i = 0; i < xd.length; i++) yd[i] = sigmoidScalar(xd[i]);
  tape.record(() => {
    if (!x.requiresGrad) return;
    const dx = x.grad, dy = y.grad;
    for (let i = 0; i < yd.length; i++) dx[i] += dy[i] * yd[i] * (1 - yd[i]);
  });
  return y;
}

/** σ(v) without overflow for large |v|. */
export function sigmoidScalar(v: number): number {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** GELU(x) = x·Φ(x) = x/2·(1 + erf(x/√2)). */
export function gelu(tape: Tape, x: Tensor): Tensor {
  const y = tape.tensor(x.shape, x.requiresGrad);
  const xd = x.data, yd = y.data;
  for (let i = 0; i < xd.length; i++) yd[i] = 0.5 * xd[i] * (1 + erf(xd[i] * SQRT1_2));
  tape.record(() => {
    if (!x.requiresGrad) return;
    const dx = x.grad, dy = y.grad;
    for (let i = 0; i < xd.length; i++) {
      const v = xd[i];
      // d/dx x·Φ(x) = Φ(x) + x·φ(x)
      dx[i] += dy[i] * (0.5 * (1 + erf(v * SQRT1_2)) + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v));
    }
  });
  return y;
}

/**
 * Dropout in training mode: each element is zeroed with probability p and the survivors scaled by
 * 1/(1−p), as torch.nn.Dropout. Identity in evaluation mode or for p = 0.
 */
export function dropout(tape: Tape, x: Tensor, p: number, training: boolean, rng: Rng): Tensor {
  if (!training || p === 0) return x;
  const y = tape.tensor(x.shape, x.requiresGrad);
  const mask = tape.f32(x.size);
  const scale = p >= 1 ? 0 : 1 / (1 - p);
  const xd = x.data, yd = y.data;
  for (let i = 0; i < xd.length; i++) {
    mask[i] = rng.uniform() < p ? 0 : scale;
    yd[i] = xd[i] * mask[i];
  }
  tape.record(() => {
    if (!x.requiresGrad) return;
    const dx = x.grad, dy = y.grad;
    for (let i = 0; i < dy.length; i++) dx[i] += dy[i] * mask[i];
  });
  return y;
}
