import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { expectUsageFailure, load, MLP_JSON, run, tempDir } from './cliRun';

let dir: string, file: string;
beforeAll(async () => { dir = await tempDir('ws-decay-'); });
beforeEach(async () => { file = path.join(dir, 'm.weights.json'); await fs.writeFile(file, MLP_JSON); });
afterAll(async () => { await fs.rm(dir, { recursive: true, force: true }); });

const l2 = (d: ArrayLike<number>) => Math.sqrt(Array.from(d).reduce((s, v) => s + v * v, 0));

describe('weightscope decay', () => {
  it('shrinks each trainable parameter\'s L2 norm by exactly (1 − lr·λ); frozen untouched', async () => {
    const before = await load(file);
    const r = await run('decay', file, '--weight-decay', '0.1', '--lr', '2');
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toMatch(/decayed 3 trainable parameters by × 0\.8 \(1 frozen or non-float left untouched\)/);
    const after = await load(file);
    for (const [name, t] of after.parameters) {
      const old = before.parameters.get(name)!.data as Float32Array;
      const now = t.data as Float32Array;
      if (name === 'fc2.bias') { expect(now).toEqual(old); continue; }
      now.forEach((v, i) => expect(v).toBe(Math.fround(old[i] * Math.fround(0.8))));
      expect(l2(now) / l2(old)).toBeCloseTo(0.8, 6);
    }
  });

  it('lr defaults to 1; -o writes elsewhere', async () => {
    const out = path.join(dir, 'd.weights.json');
    const before = await fs.readFile(file, 'utf8');
    expect((await run('decay', file, '--weight-decay', '0.5', '-o', out)).code).toBe(0);
    expect(await fs.readFile(file, 'utf8')).toBe(before);
    expect((await load(out)).parameters.get('fc1.bias')!.data).toEqual(new Float32Array([0.1, 0.2, 0.3, 0.4].map((v) => Math.fround(v) * 0.5)));
  });

  it('exit 2 with one line; file untouched', async () => {
    const before = await fs.readFile(file, 'utf8');
    expectUsageFailure(await run('decay', file), /--weight-decay L is required/);
    expectUsageFailure(await run('decay', file, '--weight-decay', '-0.1'), /--weight-decay expects a number ≥ 0, got -0.1/);
    expectUsageFailure(await run('decay', file, '--weight-decay', 'abc'), /--weight-decay expects a number, got "abc"/);
    expectUsageFailure(await run('decay', file, '--weight-decay', '0.5', '--lr', '3'), /would flip the sign of every weight/);
    expectUsageFailure(await run('decay', file, '--weight-decay', '1'), /would zero every weight/);
    expectUsageFailure(await run('decay', file, '--weight-decay', '0.1', '--momentum', '0.9'), /unknown option --momentum/);
    expect(await fs.readFile(file, 'utf8')).toBe(before);
  });
});
