// The committed examples/ files: valid (strict model agreement), small, named as the brief asks,
// and trained (a history whose loss went down).
import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCheckpoint } from '../../../src/format/parse';

const EXAMPLES: [string, string[], string, string][] = [
  ['mlp-spiral', ['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias', 'fc3.weight', 'fc3.bias'], 'spiral', 'cross_entropy'],
  ['cnn-digits', ['conv1.weight', 'conv1.bias', 'fc.weight', 'fc.bias'], 'digits', 'cross_entropy'],
  ['lstm-sine', ['lstm.weight_ih_l0', 'lstm.weight_hh_l0', 'lstm.bias_ih_l0', 'lstm.bias_hh_l0', 'head.weight', 'head.bias'], 'sine', 'mse'],
];

describe('examples/', () => {
  it.each(EXAMPLES)('%s', (name, params, dataset, loss) => {
    const url = new URL(`../../../examples/${name}.weights.json`, import.meta.url);
    expect(statSync(url).size).toBeLessThan(100 * 1024);
    const ckpt = parseCheckpoint(readFileSync(url, 'utf8'), `${name}.weights.json`);
    expect([...ckpt.parameters.keys()]).toEqual(params);
    expect(ckpt.training).toMatchObject({ dataset, loss });
    expect(ckpt.optimizer).toMatchObject({ type: 'Adam', lr: 0.01 });
    expect(ckpt.optimizer_state?.size).toBe(params.length);
    const h = ckpt.training!.history!;
    expect(h.length).toBeGreaterThan(0);
    expect(h[h.length - 1].loss).toBeLessThan(h[0].loss / 2);
  });
});
