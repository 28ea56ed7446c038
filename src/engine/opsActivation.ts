// Element-wise activations and dropout, each backward rule right below its forward loop.
// Formulas are PyTorch's: GELU is the exact erf form (approximate='none').
import type { Tape } from './autograd';
import type { Tensor } from './tensor';
import type { Rng } from './rng';
import { erf } from './opsMath';

export function relu(tape: Tape, x: Tensor): Tensor {
  const y = tape.tensor(x.shape, x.requiresGrad);
  const xd = x.data, yd = y.data;
  for (let i = 0; i < xd.length; i++) yd[i] = xd[i] > 0 ? xd[i] : 0;
  tape.record(() => {
    if (!x.requiresGrad) return;
    const dx = x.grad, dy = y.grad;
    for (let i = 0; i < xd.length; i++) if (xd[i] > 0) dx[i] += dy[i];
  });
  return y;
}

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
