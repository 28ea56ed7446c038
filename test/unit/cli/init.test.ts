import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { expectUsageFailure, load, MLP_JSON, run, tempDir } from './cliRun';

let dir: string, file: string;
beforeAll(async () => { dir = await tempDir('ws-init-'); });
beforeEach(async () => { file = path.join(dir, 'm.weights.json'); await fs.writeFile(file, MLP_JSON); });
afterAll(async () => { await fs.rm(dir, { recursive: true, force: true }); });

describe('weightscope init', () => {
  it('rewrites FILE in place: a fan-based scheme on a layer sets the weight and zeroes the bias', async () => {
    const r = await run('init', file, '--scheme', 'xavier_uniform', '--params', 'fc1', '--gain', '2', '--seed', '3');
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toMatch(/re-initialised 2 parameters \(fc1\.weight, fc1\.bias\)/);
    const ckpt = await load(file);
    const bound = 2 * Math.sqrt(6 / (3 + 4));
    const w = ckpt.parameters.get('fc1.weight')!.data as Float32Array;
    expect(w.every((v) => Math.abs(v) <= bound)).toBe(true);
    expect(Array.from(w)).not.toEqual([1, -2, 3, 0.5, 0.25, -0.125, 2, 2, 2, -1, 0, 1]);
    expect(ckpt.parameters.get('fc1.bias')!.data).toEqual(new Float32Array(4));
    expect(ckpt.parameters.get('fc2.weight')!.data).toEqual(new Float32Array([1, 1, 1, 1, -1, -1, -1, -1])); // untouched
    expect(ckpt.optimizer).toEqual({ type: 'Adam', lr: 0.01 });
    expect(ckpt.metadata).toEqual({ note: 'kept' });
  });

  it('-o writes elsewhere and leaves FILE alone; several --params; a frozen parameter is noted', async () => {
    const out = path.join(dir, 'o.weights.json');
    const before = await fs.readFile(file, 'utf8');
    const r = await run('init', file, '--scheme', 'normal', '--mean', '3', '--std', '0', '--params', 'fc2.bias', '--params', 'fc1.bias', '-o', out);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/fc2\.bias is frozen and stays frozen/);
    expect(await fs.readFile(file, 'utf8')).toBe(before);
    const ckpt = await load(out);
    expect(ckpt.parameters.get('fc1.bias')!.data).toEqual(new Float32Array([3, 3, 3, 3]));
    expect(ckpt.parameters.get('fc2.bias')!.data).toEqual(new Float32Array([3, 3]));
    expect(ckpt.parameters.get('fc2.bias')!.requires_grad).toBe(false);
  });

  it('default re-draws every parameter from its layer\'s reset_parameters()', async () => {
    expect((await run('init', file, '--scheme', 'default', '--seed', '0')).code).toBe(0);
    const ckpt = await load(file);
    const b = ckpt.parameters.get('fc2.bias')!.data as Float32Array;
    expect(Array.from(b).every((v) => Math.abs(v) <= 0.5)).toBe(true);
  });

  it('exit 2 with one clear line, file untouched', async () => {
    const before = await fs.readFile(file, 'utf8');
    expectUsageFailure(await run('init', file), /--scheme is required/);
    expectUsageFailure(await run('init', file, '--scheme', 'glorot'), /--scheme expects one of/);
    expectUsageFailure(await run('init', file, '--scheme', 'xavier_uniform', '--params', 'fc1.bias'),
      /m\.weights\.json: fc1\.bias: Fan in and fan out can not be computed for tensor with fewer than 2 dimensions/);
    expectUsageFailure(await run('init', file, '--scheme', 'kaiming_uniform', '--mode', 'fan_avg'), /--mode expects fan_in or fan_out, got "fan_avg"/);
    expectUsageFailure(await run('init', file, '--scheme', 'kaiming_uniform', '--nonlinearity', 'swish'), /--nonlinearity expects one of/);
    expectUsageFailure(await run('init', file, '--scheme', 'uniform', '--gain', '2'), /uniform takes no gain/);
    expectUsageFailure(await run('init', file, '--scheme', 'uniform', '--low', '2', '--high', '1'), /--low must not exceed --high/);
    expectUsageFailure(await run('init', file, '--scheme', 'normal', '--std', '-1'), /--std expects a number ≥ 0/);
    expectUsageFailure(await run('init', file, '--scheme', 'constant'), /needs --val/);
    expectUsageFailure(await run('init', file, '--scheme', 'zeros', '--params', 'conv1'), /no parameter matches "conv1" \(available: fc1\.weight/);
    expectUsageFailure(await run('init', path.join(dir, 'missing.weights.json'), '--scheme', 'zeros'), /missing\.weights\.json: file not found/);
    expect(await fs.readFile(file, 'utf8')).toBe(before);
  });
});
