import { describe, expect, it } from 'vitest';
import { globToRegExp, matchParameters, matchParametersDetailed } from '../../../src/actions/patterns';
import { CheckpointError } from '../../../src/format/types';
import { FILE, mlp } from './fixtures';

describe('matchParameters', () => {
  const ckpt = mlp();
  it('names, layers, globs; state_dict order, each once', () => {
    expect(matchParameters(ckpt, ['fc2.bias'], FILE)).toEqual(['fc2.bias']);
    expect(matchParameters(ckpt, ['fc2'], FILE)).toEqual(['fc2.weight', 'fc2.bias']);
    expect(matchParameters(ckpt, ['*.bias'], FILE)).toEqual(['fc1.bias', 'fc2.bias']);
    expect(matchParameters(ckpt, ['fc?.weight'], FILE)).toEqual(['fc1.weight', 'fc2.weight']);
    expect(matchParameters(ckpt, ['fc2.bias', 'fc1', '*.bias'], FILE)).toEqual(['fc1.weight', 'fc1.bias', 'fc2.bias']);
    expect(matchParameters(ckpt, ['fc[!1].*'], FILE)).toEqual(['fc2.weight', 'fc2.bias']);
  });
  it('a layer prefix is a whole name segment: "fc" is not "fc1"', () => {
    expect(() => matchParameters(ckpt, ['fc'], FILE)).toThrow(CheckpointError);
  });
  it('tells explicit selections from whole layers', () => {
    expect(matchParametersDetailed(ckpt, ['fc1', 'fc2.bias'], FILE)).toEqual([
      { name: 'fc1.weight', explicit: false }, { name: 'fc1.bias', explicit: false }, { name: 'fc2.bias', explicit: true },
    ]);
  });
  it('a pattern matching nothing lists what there is', () => {
    expect(() => matchParameters(ckpt, ['fc1', 'conv*'], FILE))
      .toThrow(`${FILE}: no parameter matches "conv*" (available: fc1.weight, fc1.bias, fc2.weight, fc2.bias)`);
  });
  it('shortens long lists', () => {
    const big = mlp();
    for (let i = 0; i < 20; i++) big.parameters.set(`p${i}`, big.parameters.get('fc2.bias')!);
    expect(() => matchParameters(big, ['zzz'], FILE)).toThrow(/fc2\.bias, p0, p1, p2, p3, … and 16 more\)$/);
  });
  it('globs escape regex characters', () => {
    expect(globToRegExp('a.b*').test('a.bc')).toBe(true);
    expect(globToRegExp('a.b*').test('axbc')).toBe(false);
    expect(globToRegExp('0.(x)?').test('0.(x)y')).toBe(true);
  });
});
