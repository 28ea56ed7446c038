// Linear: y = x·Wᵀ + b over the last dimension, as torch.nn.functional.linear.
import type { Tape } from './autograd';
import type { Tensor } from './tensor';
import { gemm } from './opsGemm';

/** x [..., in] · weight [out, in]ᵀ + bias [out] → [..., out]. */
export function linear(tape: Tape, x: Tensor, weight: Tensor, bias: Tensor | null): Tensor {
  const inF = weight.shape[1], outF = weight.shape[0];
  const rows = x.size / inF;
  const y = tape.tensor([...x.shape.slice(0, -1), outF], x.requiresGrad || weight.requiresGrad || !!bias?.requiresGrad);
  // y[rows×out] = x[rows×in] · Wᵀ : W read with (k=in index, j=out index) → W[j·in + k]
  gemm(rows, outF, inF, x.data, 0, inF, 1, weight.data, 0, 1, inF, y.data, 0, outF, false);
  if (bias) {
    const b = bias.data, yd = y.data;
    for (let r = 0, o = 0; r < rows; r++) for (let j = 0; j < outF; j++, o++) yd[o] += b[j];
  }
  tape.record(() => {
    const dy = y.grad;
    // dx[rows×in] += dy[rows×out] · W[out×in]
    if (x.requiresGrad) gemm(rows, inF, outF, dy, 0, outF, 1, weight.data, 0, inF, 1, x.grad, 0, inF, true);
    // dW[out×in] += dyᵀ · x
    if (weight.requiresGrad) gemm(outF, inF, rows, dy, 0, 1, outF, x.data, 0, inF, 1, weight.grad, 0, inF, true);
    if (bias?.requiresGrad) {
      const db = bias.grad;
      for (let r = 0, o = 0; r < rows; r++) for (let j = 0; j < outF; j++, o++) db[j] += dy[o];
    }
  });
  return y;
}
