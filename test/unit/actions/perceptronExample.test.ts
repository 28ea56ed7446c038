// examples/perceptron.weights.json: the glossary's first model, nn.Linear(2, 1) — two weights and
// one bias — on logical AND, shipped untrained; 20 epochs of its own SGD learn AND.
import { promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCheckpoint } from '../../../src/format/parse';
import { load, run, tempDir } from '../cli/cliRun';

const EXAMPLES = path.resolve(__dirname, '../../../examples');
let dir: string;
beforeAll(async () => { dir = await tempDir('ws-perceptron-'); });
afterAll(async () => { await fs.rm(dir, { recursive: true, force: true }); });

describe('examples/perceptron.weights.json', () => {
  it('is nn.Linear(2, 1): weight [1, 2] and bias [1], untrained, with its AND data beside it', () => {
    const ckpt = parseCheckpoint(readFileSync(path.join(EXAMPLES, 'perceptron.weights.json'), 'utf8'), 'perceptron.weights.json');
    expect([...ckpt.parameters].map(([n, t]) => [n, t.shape])).toEqual([['fc.weight', [1, 2]], ['fc.bias', [1]]]);
    expect(ckpt.model?.layers).toEqual([{ type: 'Linear', name: 'fc', in_features: 2, out_features: 1 }]);
    expect(ckpt.training).toMatchObject({ dataset: { csv: 'perceptron-and.csv', target: 'y' }, loss: 'bce_with_logits', epochs: 20, history: [] });
    expect(readFileSync(path.join(EXAMPLES, 'perceptron-and.csv'), 'utf8')).toBe('x1,x2,y\n0,0,0\n0,1,0\n1,0,0\n1,1,1\n');
  });

  it('learns AND in the 20 epochs its training section asks for', async () => {
    for (const f of ['perceptron.weights.json', 'perceptron-and.csv']) await fs.copyFile(path.join(EXAMPLES, f), path.join(dir, f));
    const file = path.join(dir, 'perceptron.weights.json');
    const r = await run('train', file);
    expect(r).toMatchObject({ code: 0, err: '' });
    const h = (await load(file)).training!.history!;
    expect(h).toHaveLength(20);
    expect(h[19].loss).toBeLessThan(h[0].loss / 2);
    expect(h[19].accuracy).toBe(1);
  });
});
