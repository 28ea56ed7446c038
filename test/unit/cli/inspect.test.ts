import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli';
import type { CliIO } from '../../../src/cli/common';

interface Run { code: number; out: string; err: string }

async function run(...argv: string[]): Promise<Run> {
  const out: string[] = [], err: string[] = [];
  const io: CliIO = { out: (t) => out.push(t), err: (t) => err.push(t) };
  const code = await main(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

let dir: string;
let good: string, bad: string;
const GOOD = {
  format: 'weights.json', version: 1,
  model: { name: 'tiny', layers: [{ type: 'Linear', name: 'fc1', in_features: 2, out_features: 2 }, { type: 'ReLU' }] },
  parameters: {
    'fc1.weight': { shape: [2, 2], data: [[1, 2], [3, 'NAN_HERE']] },
    'fc1.bias': { shape: [2], requires_grad: false, data: [0.5, -0.5] },
  },
  buffers: { steps: { shape: [], dtype: 'int64', data: 7 } },
};
const BAD = '{"format":"weights.json","version":1,"parameters":{"fc1.weight":{"shape":[2,2],"data":[[1,2],[3]]}}}';

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ws-inspect-'));
  good = path.join(dir, 'good.weights.json');
  bad = path.join(dir, 'bad.weights.json');
  await fs.writeFile(good, JSON.stringify(GOOD).replace('"NAN_HERE"', 'NaN'));
  await fs.writeFile(bad, BAD);
});
afterAll(async () => { await fs.rm(dir, { recursive: true, force: true }); });

describe('weightscope inspect', () => {
  it('prints an aligned table with statistics, buffers, totals and a loud non-finite line', async () => {
    const r = await run('inspect', good);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const lines = r.out.split('\n');
    const header = lines.find((l) => l.startsWith('parameter'))!;
    expect(header.split(/\s+/)).toEqual(['parameter', 'shape', 'dtype', 'numel', 'trainable', 'mean', 'std', 'min', 'max']);
    const w = lines.find((l) => l.startsWith('fc1.weight'))!;
    // finite values 1, 2, 3: mean 2, population std 0.8165
    expect(w.split(/\s{2,}/)).toEqual(['fc1.weight', '[2, 2]', 'float32', '4', 'yes', '2', '0.8165', '1', '3']);
    const b = lines.find((l) => l.startsWith('fc1.bias'))!;
    expect(b.split(/\s{2,}/)).toEqual(['fc1.bias', '[2]', 'float32', '2', 'no', '0', '0.5', '-0.5', '0.5']);
    // Columns line up: every row's "dtype" starts where the header's does.
    expect(w.indexOf('float32')).toBe(header.indexOf('dtype'));
    expect(r.out).toMatch(/^buffer\s+shape/m);
    expect(r.out).toMatch(/^steps\s+\[\]\s+int64\s+1\s+-\s+7/m);
    expect(r.out).toContain('parameters: 6 total, 4 trainable, 2 frozen');
    expect(r.out).toContain('size: 32 bytes (32 B)');
    expect(r.out).toContain('NON-FINITE VALUES: fc1.weight (1 NaN)');
  });

  it('--json prints exactly the spec object', async () => {
    const r = await run('inspect', good, '--json');
    expect(r.code).toBe(0);
    const obj = JSON.parse(r.out);
    expect(Object.keys(obj)).toEqual(['parameters', 'buffers', 'total', 'trainable', 'frozen']);
    expect(Object.keys(obj.parameters)).toEqual(['fc1.weight', 'fc1.bias']);
    expect(obj.parameters['fc1.weight']).toEqual({
      shape: [2, 2], numel: 4, dtype: 'float32', requires_grad: true,
      mean: 2, std: Math.sqrt(2 / 3), min: 1, max: 3, l2: Math.sqrt(14), nonfinite: 1,
    });
    expect(obj.parameters['fc1.bias'].requires_grad).toBe(false);
    expect([obj.total, obj.trainable, obj.frozen]).toEqual([6, 4, 2]);
    // Buffers too, with the same fields (the text output lists them as well).
    expect(obj.buffers).toEqual({ steps: { shape: [], numel: 1, dtype: 'int64', requires_grad: false, mean: 7, std: 0, min: 7, max: 7, l2: 7, nonfinite: 0 } });
  });

  it('a bad file: exit 2, one stderr line naming file and parameter, the file untouched', async () => {
    const r = await run('inspect', bad);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.split('\n')).toHaveLength(1);
    expect(r.err).toContain(bad);
    expect(r.err).toContain('fc1.weight');
    expect(r.err).toContain('data[1] has 1 elements, expected 2');
    expect(await fs.readFile(bad, 'utf8')).toBe(BAD);
  });

  it('a missing file: exit 2 naming the file', async () => {
    const missing = path.join(dir, 'missing.weights.json');
    const r = await run('inspect', missing);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`weightscope inspect: ${missing}: file not found`);
  });

  it('bad usage: exit 2', async () => {
    expect((await run('inspect')).code).toBe(2);
    expect((await run('inspect', good, '--wat')).err).toContain('unknown option --wat');
  });

  it('the built binary works (node dist/cli.js)', () => {
    const root = path.resolve(__dirname, '../../..');
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'pipe' });
    const ok = spawnSync(process.execPath, ['dist/cli.js', 'inspect', good, '--json'], { cwd: root, encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout).total).toBe(6);
    const missing = spawnSync(process.execPath, ['dist/cli.js', 'inspect', path.join(dir, 'nope.weights.json')], { cwd: root, encoding: 'utf8' });
    expect(missing.status).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toContain('nope.weights.json: file not found');
  });
});
