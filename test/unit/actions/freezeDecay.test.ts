import { describe, expect, it } from 'vitest';
import { planRequiresGrad, setRequiresGrad } from '../../../src/actions/freeze';
import { applyWeightDecay, decayFactor } from '../../../src/actions/decay';
import { CheckpointError } from '../../../src/format/types';
import { FILE, mlp } from './fixtures';

describe('freeze / unfreeze', () => {
  it('sets requires_grad on what the patterns select and returns what changed', () => {
    const ckpt = mlp();
    expect(planRequiresGrad(ckpt, ['fc1', 'fc2.weight'], false, FILE)).toEqual(['fc1.weight', 'fc1.bias']);
    expect(ckpt.parameters.get('fc1.weight')!.requires_grad).toBe(true); // plan changes nothing
    expect(setRequiresGrad(ckpt, ['fc1', 'fc2.weight'], false, FILE)).toEqual(['fc1.weight', 'fc1.bias']);
    expect([...ckpt.parameters.values()].map((t) => t.requires_grad)).toEqual([false, false, false, true]);
    expect(setRequiresGrad(ckpt, ['*'], true, FILE)).toEqual(['fc1.weight', 'fc1.bias', 'fc2.weight']);
    expect([...ckpt.parameters.values()].every((t) => t.requires_grad)).toBe(true);
  });
  it('changes nothing when one pattern matches nothing', () => {
    const ckpt = mlp();
    expect(() => setRequiresGrad(ckpt, ['fc1', 'nope'], false, FILE)).toThrow(CheckpointError);
    expect(ckpt.parameters.get('fc1.weight')!.requires_grad).toBe(true);
  });
});

describe('applyWeightDecay', () => {
  const l2 = (d: ArrayLike<number>) => Math.sqrt(Array.from(d).reduce((s, v) => s + v * v, 0));

  it('multiplies every trainable parameter by 1 − lr·λ; frozen untouched', () => {
    const ckpt = mlp();
    const out = applyWeightDecay(ckpt, { weightDecay: 0.1, lr: 0.5 }, FILE);
    expect([...out.keys()]).toEqual(['fc1.weight', 'fc1.bias', 'fc2.bias']);
    for (const [name, t] of out) {
      const old = ckpt.parameters.get(name)!.data as Float32Array;
      const fresh = t.data as Float32Array;
      fresh.forEach((v, i) => expect(v).toBe(Math.fround(old[i] * Math.fround(0.95))));
      expect(l2(fresh) / l2(old)).toBeCloseTo(0.95, 6);
    }
    expect(applyWeightDecay(ckpt, { weightDecay: 0.3 }).get('fc2.bias')!.data).toEqual(new Float32Array([0.25 * 0.7, -0.75 * 0.7]));
  });
  it('refuses negative values and lr·λ ≥ 1', () => {
    expect(() => decayFactor({ weightDecay: -0.1 }, FILE)).toThrow(/weight_decay must be a number ≥ 0, got -0.1/);
    expect(() => decayFactor({ weightDecay: 0.1, lr: -1 }, FILE)).toThrow(/lr must be a number ≥ 0/);
    expect(() => decayFactor({ weightDecay: 1 }, FILE)).toThrow(/would zero every weight/);
    expect(() => decayFactor({ weightDecay: 0.5, lr: 4 }, FILE)).toThrow(/would flip the sign/);
    expect(decayFactor({ weightDecay: 0 }, FILE)).toBe(1);
  });
});
