// The optimizers' update rules, step by step, against values worked out by hand from
// torch.optim's single-tensor implementations.
import { describe, expect, it } from 'vitest';
import { Param } from '../../../src/engine/tensor';
import { Adam, AdamW, SGD } from '../../../src/engine/optim';

function param(name: string, values: number[], grad: number[], requiresGrad = true): Param {
  const p = new Param(name, [values.length], requiresGrad);
  p.data.set(values); p.grad.set(grad);
  return p;
}
const f = Math.fround;

describe('SGD', () => {
  it('plain: w −= lr·(g + λw)', () => {
    const p = param('w', [1, -2], [0.5, 0.25]);
    new SGD({ lr: 0.1, weight_decay: 0.1 }).step([p]);
    expect(Array.from(p.data)).toEqual([f(1 - 0.1 * (0.5 + 0.1)), f(-2 - 0.1 * (0.25 - 0.2))]);
  });
  it('momentum: the first buffer is the gradient without dampening, later ones are dampened', () => {
    const p = param('w', [1], [1]);
    const opt = new SGD({ lr: 0.1, momentum: 0.9, dampening: 0.5 });
    opt.step([p]);
    expect(opt.state.get('w')!.momentum_buffer![0]).toBe(1);
    expect(p.data[0]).toBe(f(0.9));
    p.grad[0] = 2;
    opt.step([p]);
    expect(opt.state.get('w')!.momentum_buffer![0]).toBe(f(0.9 * 1 + 0.5 * 2));
    expect(p.data[0]).toBeCloseTo(0.9 - 0.1 * 1.9, 6);
  });
  it('nesterov: the step is g + μ·buf', () => {
    const p = param('w', [0], [1]);
    const opt = new SGD({ lr: 1, momentum: 0.5, nesterov: true });
    opt.step([p]); // buf = 1, step = 1 + 0.5
    expect(p.data[0]).toBe(-1.5);
    opt.step([p]); // buf = 0.5 + 1 = 1.5, step = 1 + 0.75
    expect(p.data[0]).toBe(-3.25);
  });
  it('refuses nesterov without momentum', () => expect(() => new SGD({ lr: 1, nesterov: true })).toThrow(/Nesterov/));
});

describe('Adam and AdamW', () => {
  it('Adam: bias-corrected step, L2 decay added to the gradient, step counted', () => {
    const p = param('w', [1], [0.5]);
    const opt = new Adam({ lr: 0.1, weight_decay: 0.2 });
    opt.step([p]);
    const g = 0.5 + 0.2 * 1;
    const m = 0.1 * g, v = 0.001 * g * g;
    const expected = 1 - (0.1 / 0.1) * m / (Math.sqrt(v) / Math.sqrt(0.001) + 1e-8);
    expect(p.data[0]).toBeCloseTo(expected, 6);
    expect(opt.state.get('w')!.step).toBe(1);
    expect(opt.state.get('w')!.exp_avg![0]).toBeCloseTo(m, 7);
  });
  it('amsgrad keeps the running maximum of exp_avg_sq', () => {
    const p = param('w', [0], [10]);
    const opt = new Adam({ lr: 0.01, amsgrad: true });
    opt.step([p]);
    p.grad[0] = 0;
    opt.step([p]);
    const st = opt.state.get('w')!;
    expect(st.max_exp_avg_sq![0]).toBeCloseTo(0.001 * 100, 5);
    expect(st.exp_avg_sq![0]).toBeLessThan(st.max_exp_avg_sq![0]);
  });
  it('AdamW: w ← w·(1 − lr·λ) first, no decay in the moments; default λ = 0.01', () => {
    const a = param('w', [2], [0]);
    const opt = new AdamW({ lr: 0.5 });
    opt.step([a]);
    expect(a.data[0]).toBe(f(2 * (1 - 0.5 * 0.01)));
    expect(opt.state.get('w')!.exp_avg![0]).toBe(0);
  });
  it('frozen parameters: untouched, no state (weight decay included)', () => {
    for (const opt of [new SGD({ lr: 1, momentum: 0.9, weight_decay: 0.5 }), new Adam({ weight_decay: 0.5 }), new AdamW({ weight_decay: 0.5 })]) {
      const p = param('frozen', [3], [1], false);
      opt.step([p]);
      expect(p.data[0]).toBe(3);
      expect(opt.state.has('frozen')).toBe(false);
    }
  });
});
