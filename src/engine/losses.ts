// Loss functions with PyTorch's definitions and mean reduction. Each returns the loss and writes
// d(loss)/d(output) into `grad`: the loss is the root of the backward pass.
import { sigmoidScalar } from './opsActivation';

export type LossName = 'mse' | 'bce_with_logits' | 'cross_entropy';
export const LOSS_NAMES: readonly LossName[] = ['mse', 'bce_with_logits', 'cross_entropy'];

/** MSELoss: mean over every element of (out − y)². */
export function mse(out: Float32Array, y: Float32Array, grad: Float32Array): number {
  const n = out.length;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const d = out[i] - y[i];
    sum += d * d;
    grad[i] = (2 * d) / n;
  }
  return sum / n;
}

/** BCEWithLogitsLoss, in its stable form max(x,0) − x·y + log(1 + e^{−|x|}), mean over elements. */
export function bceWithLogits(out: Float32Array, y: Float32Array, grad: Float32Array): number {
  const n = out.length;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const x = out[i], t = y[i];
    sum += Math.max(x, 0) - x * t + Math.log1p(Math.exp(-Math.abs(x)));
    grad[i] = (sigmoidScalar(x) - t) / n;
  }
  return sum / n;
}

/** CrossEntropyLoss on logits [rows × classes] against class indices, mean over rows. */
export function crossEntropy(out: Float32Array, labels: Float32Array, rows: number, grad: Float32Array): number {
  const C = out.length / rows;
  let sum = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * C;
    let max = -Infinity;
    for (let c = 0; c < C; c++) if (out[o + c] > max) max = out[o + c];
    let z = 0;
    for (let c = 0; c < C; c++) z += Math.exp(out[o + c] - max);
    const lse = max + Math.log(z);
    const label = labels[r];
    sum += lse - out[o + label];
    for (let c = 0; c < C; c++) grad[o + c] = Math.exp(out[o + c] - lse) / rows;
    grad[o + label] -= 1 / rows;
  }
  return sum / rows;
}

/** The loss of a batch by name; `y` holds the batch's targets in the Dataset's layout. */
export function computeLoss(name: LossName, out: Float32Array, y: Float32Array, rows: number, grad: Float32Array): number {
  switch (name) {
    case 'mse': return mse(out, y, grad);
    case 'bce_with_logits': return bceWithLogits(out, y, grad);
    case 'cross_entropy': return crossEntropy(out, y, rows, grad);
  }
}

/** How many of the batch's predictions are right: argmax for cross_entropy, logit > 0 for bce. */
export function countCorrect(name: LossName, out: Float32Array, y: Float32Array, rows: number): number {
  let right = 0;
  if (name === 'cross_entropy') {
    const C = out.length / rows;
    for (let r = 0; r < rows; r++) {
      let best = 0;
      for (let c = 1; c < C; c++) if (out[r * C + c] > out[r * C + best]) best = c;
      if (best === y[r]) right++;
    }
  } else if (name === 'bce_with_logits') {
    for (let i = 0; i < out.length; i++) if ((out[i] > 0 ? 1 : 0) === y[i]) right++;
  }
  return right;
}
