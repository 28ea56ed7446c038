import { describe, expect, it } from 'vitest';
import {
  normalizeModelFileName, parseBetas, parseInputShape, validateInputShape, validateModelFileName, validateNumber, type Translate,
} from '../../../src/extension/commands/validate';

const t: Translate = (message, ...args) => message.replace(/\{(\d+)\}/g, (_, i) => String(args[Number(i)]));

describe('input box validation', () => {
  it('accepts numbers inside the rule and explains the rest', () => {
    expect(validateNumber('0.01', { above: 0 }, t)).toBeUndefined();
    expect(validateNumber('0', { above: 0 }, t)).toBe('Expected a number > 0, got 0');
    expect(validateNumber('abc', { above: 0 }, t)).toBe('Expected a number, got "abc"');
    expect(validateNumber('', { above: 0 }, t)).toBe('Expected a number, got ""');
    expect(validateNumber('Infinity', {}, t)).toMatch(/Expected a number/);
    expect(validateNumber('2.5', { integer: true, min: 1 }, t)).toBe('Expected a whole number, got 2.5');
    expect(validateNumber('0', { integer: true, min: 1 }, t)).toBe('Expected a number ≥ 1, got 0');
    expect(validateNumber('1.5', { min: 0, max: 1 }, t)).toBe('Expected a number ≤ 1, got 1.5');
  });

  it('parses input shapes', () => {
    expect(parseInputShape('2')).toEqual([2]);
    expect(parseInputShape('1, 8,8')).toEqual([1, 8, 8]);
    expect(parseInputShape('1,0')).toBeUndefined();
    expect(parseInputShape('a')).toBeUndefined();
    expect(validateInputShape('', t)).toBeUndefined();
    expect(validateInputShape('', t, false)).toMatch(/Expected positive whole numbers/);
    expect(validateInputShape('2,a', t)).toMatch(/got "2,a"/);
    expect(parseInputShape('1x8x8')).toEqual([1, 8, 8]);
  });

  it('parses betas', () => {
    expect(parseBetas('0.9, 0.999')).toEqual([0.9, 0.999]);
    expect(parseBetas('0.9')).toBeUndefined();
    expect(parseBetas('1, 0.5')).toBeUndefined();
  });

  it('checks new model file names', () => {
    expect(validateModelFileName('model', t)).toBeUndefined();
    expect(normalizeModelFileName('model')).toBe('model.weights.json');
    expect(normalizeModelFileName('a/model.json')).toBe('a/model.weights.json');
    expect(normalizeModelFileName('m.weights.json')).toBe('m.weights.json');
    expect(validateModelFileName('  ', t)).toMatch(/Expected a file name/);
    expect(validateModelFileName('/etc/x.weights.json', t)).toMatch(/absolute path/);
    expect(validateModelFileName('../x', t)).toMatch(/without ".."/);
    expect(validateModelFileName('a//b', t)).toMatch(/Expected a file name/);
    expect(validateModelFileName('a?b', t)).toMatch(/cannot contain/);
    expect(validateModelFileName('taken', t, (n) => n === 'taken.weights.json')).toBe('taken.weights.json already exists: choose another name');
  });
});
