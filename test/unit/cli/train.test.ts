// `weightscope train`: learning on a built-in dataset, CSV data, the --json line, resuming with
// optimizer state, refusals with exit 2 and one plain line, and the file left whole on failure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli';
import type { CliIO } from '../../../src/cli/common';

interface Run { code: number; out: string[]; err: string }
async function run(...argv: string[]): Promise<Run> {
  const out: string[] = [], err: string[] = [];
  const io: CliIO = { out: (t) => out.push(t), err: (t) => err.push(t) };
  const code = await main(argv, io);
  return { code, out, err: err.join('\n') };
}

let dir: string;
const p = (name: string) => path.join(dir, name);

/** A 2→8→1 MLP with fixed small weights, for xor-like binary data. */
function mlp(extra: Record<string, unknown> = {}) {
  const w1 = Array.from({ length: 16 }, (_, i) => Math.sin(i + 1) * 0.7);
  const w2 = Array.from({ length: 8 }, (_, i) => Math.cos(i + 1) * 0.5);
  return {
    format: 'weights.json', version: 1,
    model: { input_shape: [2], layers: [{ type: 'Linear', in_features: 2, out_features: 8 }, { type: 'Tanh' }, { type: 'Linear', in_features: 8, out_features: 1 }] },
    parameters: {
      '0.weight': { shape: [8, 2], data: w1 }, '0.bias': { shape: [8], data: new Array(8).fill(0) },
      '2.weight': { shape: [1, 8], data: w2 }, '2.bias': { shape: [1], data: [0] },
    },
    ...extra,
  };
}
const write = (name: string, obj: unknown) => fs.writeFile(p(name), JSON.stringify(obj));
const readJson = async (name: string) => JSON.parse(await fs.readFile(p(name), 'utf8'));

beforeAll(async () => { dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ws-train-')); });
afterAll(async () => { await fs.rm(dir, { recursive: true, force: true }); });

describe('weightscope train', () => {
  it('trains on a built-in dataset, lowering the loss, a line per epoch, and writes the history back', async () => {
    await write('a.weights.json', mlp());
    const r = await run('train', p('a.weights.json'), '--data', 'moons', '--optimizer', 'adam', '--lr', '0.05', '--epochs', '30', '--seed', '1');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/^epoch 1 {2}loss \d+\.\d{4} {2}accuracy \d\.\d{3}$/);
    const losses = r.out.filter((l) => l.startsWith('epoch')).map((l) => Number(/loss (\S+)/.exec(l)![1]));
    expect(losses.length).toBe(30);
    expect(losses[29]).toBeLessThan(losses[0] * 0.7);
    const saved = await readJson('a.weights.json');
    expect(saved.training).toMatchObject({ dataset: 'moons', loss: 'bce_with_logits', epochs: 30, seed: 1 });
    expect(saved.training.history.length).toBe(30);
    expect(saved.optimizer).toMatchObject({ type: 'Adam', lr: 0.05 });
    expect(Object.keys(saved.optimizer_state)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    expect(saved.optimizer_state['0.weight'].step).toBe(30 * Math.ceil(200 / 32));
  });

  it('--json prints, last, this run\'s epochs numbered on from the file\'s history', async () => {
    const r = await run('train', p('a.weights.json'), '--epochs', '3', '--json', '-o', p('b.weights.json'));
    expect(r.code).toBe(0);
    const last = JSON.parse(r.out[r.out.length - 1]);
    expect(last.epochs).toBe(3);
    expect(last.history.map((h: { epoch: number }) => h.epoch)).toEqual([31, 32, 33]);
    expect(Object.keys(last.history[0]).sort()).toEqual(['accuracy', 'epoch', 'loss']);
    expect((await readJson('b.weights.json')).training.history.length).toBe(33);
    expect((await readJson('a.weights.json')).training.history.length).toBe(30); // -o leaves FILE alone
  });

  it('another optimizer type carries lr over and starts the state afresh', async () => {
    const r = await run('train', p('b.weights.json'), '--optimizer', 'sgd', '--momentum', '0.9', '--epochs', '1', '-o', p('c.weights.json'));
    expect(r.code).toBe(0);
    const c = await readJson('c.weights.json');
    expect(c.optimizer).toEqual({ type: 'SGD', lr: 0.05, momentum: 0.9, dampening: 0, nesterov: false, weight_decay: 0 });
    expect(Object.keys(c.optimizer_state['0.weight'])).toEqual(['momentum_buffer']);
  });

  it('trains on CSV data, relative to the current folder, stored relative to the checkpoint', async () => {
    await fs.mkdir(p('data'), { recursive: true });
    const rows = ['a,b,label'];
    for (let i = 0; i < 40; i++) { const a = Math.sin(i), b = Math.cos(3 * i); rows.push(`${a},${b},${a * b > 0 ? 1 : 0}`); }
    await fs.writeFile(p('data/points.csv'), rows.join('\n'));
    await write('csv.weights.json', mlp());
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const r = await run('train', 'csv.weights.json', '--data', 'data/points.csv', '--target', 'label', '--loss', 'cross_entropy', '--epochs', '2');
      // 1 output cannot hold 2 classes: a plain refusal
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/csv\.weights\.json: loss cross_entropy: dataset .*points\.csv has label 1 but the model outputs 1 classes/);
      const ok = await run('train', 'csv.weights.json', '--data', 'data/points.csv', '--target', 'label', '--loss', 'bce_with_logits', '--epochs', '2', '--lr', '0.01', '--optimizer', 'sgd');
      expect(ok.err).toBe('');
      expect(ok.code).toBe(0);
    } finally { process.chdir(cwd); }
    const saved = await readJson('csv.weights.json');
    expect(saved.training.dataset).toEqual({ csv: 'data/points.csv', target: 'label' });
    // Trained again with the file's own reference, from elsewhere: found relative to the file.
    const again = await run('train', p('csv.weights.json'), '--epochs', '1');
    expect(again.err).toBe('');
    expect(again.out[0]).toMatch(/^epoch 3 /);
  });

  it('a file without a model: exit 2, plain message', async () => {
    await write('nomodel.weights.json', { format: 'weights.json', version: 1, parameters: { w: { shape: [1], data: [1] } } });
    const r = await run('train', p('nomodel.weights.json'), '--data', 'xor');
    expect(r.code).toBe(2);
    expect(r.err).toBe(`weightscope train: ${p('nomodel.weights.json')}: has no model section: it can be inspected, re-initialised, frozen and decayed, but not trained`);
  });

  it('bad options: exit 2, one line naming the option', async () => {
    for (const [args, msg] of [
      [['--optimizer', 'rmsprop'], /--optimizer expects one of sgd, adam, adamw, got "rmsprop"/],
      [['--lr', 'fast'], /--lr expects a number, got "fast"/],
      [['--betas', '0.9'], /--betas expects two numbers/],
      [['--epochs', '-1'], /--epochs expects a whole number ≥ 0/],
      [['--frobnicate'], /unknown option --frobnicate/],
      [['--data', 'nosuch'], /unknown dataset "nosuch"/],
      [['--momentum', '0.9', '--optimizer', 'adam'], /--momentum and --nesterov apply to SGD, not Adam/],
    ] as [string[], RegExp][]) {
      const r = await run('train', p('a.weights.json'), ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(msg);
      expect(r.err.split('\n').length).toBe(1);
    }
  });

  it('a model that does not fit the data: exit 2, naming the shapes', async () => {
    const r = await run('train', p('a.weights.json'), '--data', 'digits');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/a\.weights\.json: .*\[2\]/);
  });

  it('a diverging run stops naming the epoch and parameter; the file is untouched', async () => {
    await write('d.weights.json', mlp({ optimizer: { type: 'SGD', lr: 1e38 }, training: { dataset: 'xor', loss: 'mse', history: [] } }));
    const before = await fs.readFile(p('d.weights.json'), 'utf8');
    const r = await run('train', p('d.weights.json'), '--epochs', '20');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/d\.weights\.json: .*training stopped at epoch \d+: (parameter \S+ became non-finite|the loss became)/);
    expect(r.err).toMatch(/parameter \d\.(weight|bias)/);
    expect(await fs.readFile(p('d.weights.json'), 'utf8')).toBe(before);
  });
});
