// torch.optim.SGD, Adam and AdamW, step for step as PyTorch's single-tensor implementations
// (1.13+). Frozen parameters (requiresGrad false) are skipped entirely: no decay, no state.
// State is kept per parameter name with PyTorch's keys, so it can be saved and resumed exactly.
import type { Param } from './tensor';

export interface SgdOptions { lr: number; momentum?: number; dampening?: number; nesterov?: boolean; weight_decay?: number }
export interface AdamOptions { lr?: number; betas?: [number, number]; eps?: number; weight_decay?: number; amsgrad?: boolean }

/** One parameter's state, PyTorch's names: momentum_buffer (SGD); step, exp_avg, exp_avg_sq, max_exp_avg_sq (Adam). */
export interface ParamState {
  momentum_buffer?: Float32Array;
  step?: number;
  exp_avg?: Float32Array;
  exp_avg_sq?: Float32Array;
  max_exp_avg_sq?: Float32Array;
}

export interface Optimizer {
  step(params: Iterable<Param>): void;
  /** Live state per parameter name (the arrays are the optimizer's own; copy to keep). */
  readonly state: Map<string, ParamState>;
}

export class SGD implements Optimizer {
  readonly state = new Map<string, ParamState>();
  readonly lr: number; readonly momentum: number; readonly dampening: number; readonly nesterov: boolean; readonly weightDecay: number;
  constructor(o: SgdOptions) {
    this.lr = o.lr; this.momentum = o.momentum ?? 0; this.dampening = o.dampening ?? 0;
    this.nesterov = o.nesterov ?? false; this.weightDecay = o.weight_decay ?? 0;
    if (this.nesterov && (this.momentum <= 0 || this.dampening !== 0)) {
      throw new RangeError('Nesterov momentum requires a momentum and zero dampening');
    }
  }

  step(params: Iterable<Param>): void {
    const { lr, momentum, dampening, nesterov, weightDecay: wd } = this;
    for (const p of params) {
      if (!p.requiresGrad) continue;
      const w = p.data, g = p.grad;
      if (momentum === 0) {
        for (let i = 0; i < w.length; i++) w[i] -= lr * (g[i] + wd * w[i]);
        continue;
      }
      let st = this.state.get(p.name);
      if (!st) { st = {}; this.state.set(p.name, st); }
      let buf = st.momentum_buffer;
      // The first step's buffer is the gradient itself, without dampening (torch.clone(d_p)).
      const first = !buf;
      if (!buf) { buf = new Float32Array(w.length); st.momentum_buffer = buf; }
      for (let i = 0; i < w.length; i++) {
        const d = g[i] + wd * w[i];
        const b = first ? d : momentum * buf[i] + (1 - dampening) * d;
        buf[i] = b;
        w[i] -= lr * (nesterov ? d + momentum * b : b);
      }
    }
  }
}

/** Adam, or AdamW (decoupled weight decay: w ← w·(1 − lr·λ) before the Adam step) when `decoupled`. */
export class Adam implements Optimizer {
  readonly state = new Map<string, ParamState>();
  readonly lr: number; readonly beta1: number; readonly beta2: number; readonly eps: number; readonly weightDecay: number; readonly amsgrad: boolean;
  constructor(o: AdamOptions, readonly decoupled = false) {
    this.lr = o.lr ?? 0.001;
    [this.beta1, this.beta2] = o.betas ?? [0.9, 0.999];
    this.eps = o.eps ?? 1e-8;
    this.weightDecay = o.weight_decay ?? (decoupled ? 0.01 : 0);
    this.amsgrad = o.amsgrad ?? false;
  }

  step(params: Iterable<Param>): void {
    const { lr, beta1, beta2, eps, weightDecay: wd, amsgrad, decoupled } = this;
    for (const p of params) {
      if (!p.requiresGrad) continue;
      const w = p.data, g = p.grad, n = w.length;
      let st = this.state.get(p.name);
      if (!st) { st = {}; this.state.set(p.name, st); }
      const m = (st.exp_avg ??= new Float32Array(n));
      const v = (st.exp_avg_sq ??= new Float32Array(n));
      const vmax = amsgrad ? (st.max_exp_avg_sq ??= new Float32Array(n)) : null;
      const step = (st.step = (st.step ?? 0) + 1);
      const bc1 = 1 - Math.pow(beta1, step);
      const bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
      const stepSize = lr / bc1;
      const decay = decoupled ? 1 - lr * wd : 1;
      const l2 = decoupled ? 0 : wd;
      for (let i = 0; i < n; i++) {
        if (decoupled) w[i] *= decay;
        const gi = g[i] + l2 * w[i];
        m[i] = beta1 * m[i] + (1 - beta1) * gi;
        v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
        let second = v[i];
        if (vmax) { if (v[i] > vmax[i] || v[i] !== v[i]) vmax[i] = v[i]; second = vmax[i]; }
        w[i] -= (stepSize * m[i]) / (Math.sqrt(second) / bc2Sqrt + eps);
      }
    }
  }
}

export class AdamW extends Adam {
  constructor(o: AdamOptions) { super(o, true); }
}
