import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { expectUsageFailure, load, run, tempDir } from './cliRun';

let dir: string;
beforeAll(async () => { dir = await tempDir('ws-new-'); });
afterAll(async () => { await fs.rm(dir, { recursive: true, force: true }); });

describe('weightscope new', () => {
  it('writes a valid checkpoint with the model and default-initialised parameters', async () => {
    const out = path.join(dir, 'cnn.weights.json');
    const r = await run('new', out, '--layers', 'Conv2d(1,4,3,padding=1) ReLU MaxPool2d(2) Flatten Linear(64,3)', '--input-shape', '1,8,8', '--seed', '4');
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toMatch(/wrote .*cnn\.weights\.json: 5 layers, 4 parameter tensors/);
    const ckpt = await load(out);
    expect(ckpt.model?.name).toBe('cnn');
    expect(ckpt.model?.input_shape).toEqual([1, 8, 8]);
    expect([...ckpt.parameters.keys()]).toEqual(['0.weight', '0.bias', '4.weight', '4.bias']);
    expect(ckpt.parameters.get('0.weight')!.shape).toEqual([4, 1, 3, 3]);
    const w = ckpt.parameters.get('0.weight')!.data as Float32Array;
    expect(w.every((v) => Math.abs(v) <= 1 / 3 && v !== 0)).toBe(true); // U(±1/√9)
    // same seed, same file
    const again = path.join(dir, 'cnn2.weights.json');
    await run('new', again, '--layers', 'Conv2d(1,4,3,padding=1) ReLU MaxPool2d(2) Flatten Linear(64,3)', '--input-shape', '1,8,8', '--seed', '4');
    expect((await load(again)).parameters).toEqual(ckpt.parameters);
  });

  it('takes --init and infers the input shape from a first Linear', async () => {
    const out = path.join(dir, 'mlp.weights.json');
    expect((await run('new', out, '--layers', 'Linear(2,8) ReLU Linear(8,1)', '--init', 'kaiming_normal', '--seed', '1')).code).toBe(0);
    const ckpt = await load(out);
    expect(ckpt.model?.input_shape).toEqual([2]);
    expect(ckpt.parameters.get('0.bias')!.data).toEqual(new Float32Array(8));
  });

  it('refuses bad usage with exit 2 and one line, writing nothing', async () => {
    const out = path.join(dir, 'never.weights.json');
    expectUsageFailure(await run('new', out), /--layers is required/);
    expectUsageFailure(await run('new', '--layers', 'ReLU'), /expected the OUT file/);
    expectUsageFailure(await run('new', out, '--layers', 'Linear(2,8) Linaer(8,1)'), /^weightscope new: --layers "Linear\(2,8\) Linaer\(8,1\)": column 13: unknown layer type "Linaer"/);
    expectUsageFailure(await run('new', out, '--layers', 'Linear(2,8)', '--input-shape', '2,x'), /--input-shape expects whole numbers/);
    expectUsageFailure(await run('new', out, '--layers', 'Linear(2,8)', '--init', 'glorot'), /--init expects one of default, uniform/);
    expectUsageFailure(await run('new', out, '--layers', 'Linear(2,8)', '--seed', '-1.5'), /--seed/);
    expectUsageFailure(await run('new', out, '--layers', 'Conv2d(1,4,3) Flatten Linear(10,2)', '--input-shape', '1,8,8'),
      /never\.weights\.json: with input shape \[1, 8, 8\], layer 2 \(Linear\): expected last dimension 10, got \[144\]/);
    expectUsageFailure(await run('new', out, '--layers', 'Linear(2,8)', '--init', 'constant'), /constant needs a value/);
    await expect(fs.access(out)).rejects.toThrow();
  });
});
