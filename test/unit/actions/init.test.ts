import { describe, expect, it } from 'vitest';
import { applyParameters, reinitialize } from '../../../src/actions/init';
import { initBounds } from '../../../src/engine/init';
import { CheckpointError, type TensorRecord } from '../../../src/format/types';
import { FILE, mlp } from './fixtures';

const values = (t: TensorRecord | undefined) => Array.from(t!.data as Float32Array);

describe('reinitialize', () => {
  it('a fan-based scheme on the whole model: weights drawn within the bound, biases zero', () => {
    const ckpt = mlp();
    const out = reinitialize(ckpt, { scheme: 'xavier_uniform', seed: 1 }, FILE);
    expect([...out.keys()]).toEqual(['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']);
    const bound = (initBounds('xavier_uniform', [3, 4]) as { bound: number }).bound;
    expect(values(out.get('fc1.weight')).every((v) => Math.abs(v) <= bound && v !== 0)).toBe(true);
    expect(values(out.get('fc1.bias'))).toEqual([0, 0, 0]);
    expect(values(out.get('fc2.bias'))).toEqual([0, 0]);
    // nothing changed until applied; frozen stays frozen but is re-initialised
    expect(values(ckpt.parameters.get('fc1.bias'))).toEqual([0.5, -1, 1.5]);
    expect(out.get('fc2.weight')!.requires_grad).toBe(false);
    expect(values(out.get('fc2.weight'))).not.toEqual(values(ckpt.parameters.get('fc2.weight')));
  });

  it('the same seed gives the same values; another seed others', () => {
    const a = reinitialize(mlp(), { scheme: 'kaiming_normal', seed: 5, params: ['fc1'] }, FILE);
    const b = reinitialize(mlp(), { scheme: 'kaiming_normal', seed: 5, params: ['fc1'] }, FILE);
    const c = reinitialize(mlp(), { scheme: 'kaiming_normal', seed: 6, params: ['fc1'] }, FILE);
    expect(values(a.get('fc1.weight'))).toEqual(values(b.get('fc1.weight')));
    expect(values(a.get('fc1.weight'))).not.toEqual(values(c.get('fc1.weight')));
    expect([...a.keys()]).toEqual(['fc1.weight', 'fc1.bias']);
  });

  it('a non-fan scheme applies to every selected parameter, biases included', () => {
    const out = reinitialize(mlp(), { scheme: 'constant', val: 0.5, params: ['fc2'] }, FILE);
    expect(values(out.get('fc2.weight'))).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    expect(values(out.get('fc2.bias'))).toEqual([0.5, 0.5]);
    const u = reinitialize(mlp(), { scheme: 'uniform', low: 2, high: 3, params: ['*.bias'], seed: 0 }, FILE);
    expect(values(u.get('fc1.bias')).every((v) => v >= 2 && v < 3)).toBe(true);
  });

  it('refuses a fan-based scheme on a bias named explicitly, as torch does', () => {
    expect(() => reinitialize(mlp(), { scheme: 'xavier_uniform', params: ['fc1.bias'] }, FILE))
      .toThrow(/^act\.weights\.json: fc1\.bias: Fan in and fan out can not be computed for tensor with fewer than 2 dimensions \(xavier_uniform needs a weight/);
    expect(() => reinitialize(mlp(), { scheme: 'orthogonal', params: ['*.bias'] }, FILE))
      .toThrow(/fc1\.bias: Only tensors with 2 or more dimensions are supported/);
  });

  it('default is each layer\'s reset_parameters: U(±1/√fan_in) for weight and bias alike', () => {
    const out = reinitialize(mlp(), { scheme: 'default', seed: 2 }, FILE);
    const b1 = 1 / Math.sqrt(4), b2 = 1 / Math.sqrt(3);
    expect(values(out.get('fc1.bias')).every((v) => Math.abs(v) <= b1 && v !== 0)).toBe(true);
    expect(values(out.get('fc2.weight')).every((v) => Math.abs(v) <= b2)).toBe(true);
  });

  it('without a model: fans from the shape; default refused plainly', () => {
    const out = reinitialize(mlp(false), { scheme: 'kaiming_uniform', seed: 0 }, FILE);
    expect(values(out.get('fc1.bias'))).toEqual([0, 0, 0]);
    expect(() => reinitialize(mlp(false), { scheme: 'default' }, FILE)).toThrow(/the file has no model, so "default"/);
  });

  it('refuses unknown schemes and options the scheme does not take', () => {
    expect(() => reinitialize(mlp(), { scheme: 'glorot' }, FILE)).toThrow(/unknown scheme "glorot" \(expected one of default, uniform/);
    expect(() => reinitialize(mlp(), { scheme: 'uniform', gain: 2 }, FILE)).toThrow(/uniform takes no gain \(it takes low, high\)/);
    expect(() => reinitialize(mlp(), { scheme: 'constant' }, FILE)).toThrow(CheckpointError);
  });

  it('keeps a float64 parameter in float64', () => {
    const ckpt = mlp();
    const t = ckpt.parameters.get('fc2.bias')!;
    ckpt.parameters.set('fc2.bias', { ...t, dtype: 'float64', data: Float64Array.from(t.data as Float32Array) });
    const out = reinitialize(ckpt, { scheme: 'ones', params: ['fc2.bias'] }, FILE);
    expect(out.get('fc2.bias')!.data).toEqual(new Float64Array([1, 1]));
  });

  it('applyParameters keeps state_dict order and returns what it replaced', () => {
    const ckpt = mlp();
    const before = ckpt.parameters.get('fc1.bias');
    const previous = applyParameters(ckpt, reinitialize(ckpt, { scheme: 'zeros', params: ['fc1.bias'] }, FILE));
    expect([...ckpt.parameters.keys()]).toEqual(['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']);
    expect(values(ckpt.parameters.get('fc1.bias'))).toEqual([0, 0, 0]);
    expect(previous.get('fc1.bias')).toBe(before);
    applyParameters(ckpt, previous);
    expect(ckpt.parameters.get('fc1.bias')).toBe(before);
  });
});
