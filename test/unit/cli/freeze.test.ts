import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { expectUsageFailure, load, MLP_JSON, run, tempDir } from './cliRun';

let dir: string, file: string;
beforeAll(async () => { dir = await tempDir('ws-freeze-'); });
beforeEach(async () => { file = path.join(dir, 'm.weights.json'); await fs.writeFile(file, MLP_JSON); });
afterAll(async () => { await fs.rm(dir, { recursive: true, force: true }); });

const flags = async (f: string) => Object.fromEntries([...(await load(f)).parameters].map(([n, t]) => [n, t.requires_grad]));

describe('weightscope freeze / unfreeze', () => {
  it('freeze then the file has requires_grad false on what the patterns select', async () => {
    const r = await run('freeze', file, 'fc1', '*.bias');
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toMatch(/froze 2 parameters \(fc1\.weight, fc1\.bias\)/);
    expect(await flags(file)).toEqual({ 'fc1.weight': false, 'fc1.bias': false, 'fc2.weight': true, 'fc2.bias': false });
    const text = await fs.readFile(file, 'utf8');
    expect(text).toMatch(/"fc1\.weight": \{[^}]*"requires_grad": false/);
  });

  it('unfreeze with -o leaves FILE alone', async () => {
    const out = path.join(dir, 'u.weights.json');
    const before = await fs.readFile(file, 'utf8');
    expect((await run('unfreeze', file, 'fc2.bias', '-o', out)).code).toBe(0);
    expect(await fs.readFile(file, 'utf8')).toBe(before);
    expect((await flags(out))['fc2.bias']).toBe(true);
  });

  it('nothing to change: says so and does not rewrite', async () => {
    const stat = await fs.stat(file);
    const r = await run('unfreeze', file, 'fc1');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/nothing to change/);
    expect((await fs.stat(file)).mtimeMs).toBe(stat.mtimeMs);
  });

  it('exit 2: no pattern, a pattern matching nothing (file untouched), a broken file', async () => {
    const before = await fs.readFile(file, 'utf8');
    expectUsageFailure(await run('freeze', file), /expected at least one PATTERN/);
    expectUsageFailure(await run('freeze'), /expected FILE and at least one PATTERN/);
    expectUsageFailure(await run('freeze', file, 'fc1', 'fc3'), /m\.weights\.json: no parameter matches "fc3"/);
    expect(await fs.readFile(file, 'utf8')).toBe(before);
    const broken = path.join(dir, 'broken.weights.json');
    await fs.writeFile(broken, MLP_JSON.replace('"out_features":2', '"out_features":5'));
    expectUsageFailure(await run('unfreeze', broken, 'fc1'), /broken\.weights\.json: .*fc2\.weight/);
  });
});
