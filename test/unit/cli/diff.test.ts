// `weightscope diff` against expectations computed by NumPy in float64 (test/parity/gen_diff.py)
// from checkpoints made by real PyTorch: a base and a fine-tuned copy across .pth, .safetensors
// and .weights.json, float16 and bfloat16 against float32, model surgery (missing and extra
// keys, a resized head), NaN, ±Infinity and −0.0.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { expectUsageFailure, run, tempDir } from './cliRun';
import type { CompareStatus } from '../../../src/actions/compare';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'diff');
const fx = (name: string) => path.join(FIXTURES, name);

interface TensorJson {
  status: CompareStatus; shape_a: number[] | null; shape_b: number[] | null; dtype_a: string | null; dtype_b: string | null;
  max_abs_diff: number | null; rel_l2: number | null; cosine: number | null; changed_fraction: number | null;
}
interface Case { a: string; b: string; atol: number; tensors: Record<string, TensorJson>; summary: Record<CompareStatus, number> }
const CASES: Case[] = JSON.parse(readFileSync(fx('expected.json'), 'utf8')).cases;

/** Float64 sums in another order (NumPy's pairwise summation) differ in the last bits only. */
function expectClose(actual: number | null, expected: number | null, what: string): void {
  if (expected === null || actual === null) { expect(actual, what).toBe(expected); return; }
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));
}

const STATUS_ORDER: CompareStatus[] = ['shape_mismatch', 'only_in_a', 'only_in_b', 'changed', 'same'];

let dir: string;
beforeAll(async () => { dir = await tempDir('ws-diff-'); });
afterAll(async () => { await fs.rm(dir, { recursive: true, force: true }); });

describe('weightscope diff --json matches NumPy float64 on PyTorch-made fixtures', () => {
  for (const c of CASES) {
    it(`${c.a} vs ${c.b}${c.atol ? ` --atol ${c.atol}` : ''}`, async () => {
      const r = await run('diff', fx(c.a), fx(c.b), '--json', ...(c.atol ? ['--atol', String(c.atol)] : []));
      expect(r.err).toBe('');
      expect(r.code).toBe(0); // without --exit-code, differences are not a failure
      const got = JSON.parse(r.out);
      expect(Object.keys(got)).toEqual(['a', 'b', 'tensors', 'summary']);
      expect(got.a).toBe(fx(c.a));
      expect(got.b).toBe(fx(c.b));
      expect(got.summary).toEqual(c.summary);
      expect(Object.keys(got.tensors).sort()).toEqual(Object.keys(c.tensors).sort());
      for (const [name, want] of Object.entries(c.tensors)) {
        const t: TensorJson = got.tensors[name];
        expect(Object.keys(t)).toEqual(Object.keys(want));
        expect({ status: t.status, shape_a: t.shape_a, shape_b: t.shape_b, dtype_a: t.dtype_a, dtype_b: t.dtype_b }, name)
          .toEqual({ status: want.status, shape_a: want.shape_a, shape_b: want.shape_b, dtype_a: want.dtype_a, dtype_b: want.dtype_b });
        for (const k of ['max_abs_diff', 'rel_l2', 'cosine', 'changed_fraction'] as const) expectClose(t[k], want[k], `${name}.${k}`);
      }
      // Most changed first: by status group, the changed ones by rel_l2 descending.
      const rows = Object.values(got.tensors) as TensorJson[];
      const groups = rows.map((t) => STATUS_ORDER.indexOf(t.status));
      expect(groups).toEqual([...groups].sort((p, q) => p - q));
      const rels = rows.filter((t) => t.status === 'changed').map((t) => t.rel_l2 ?? Infinity);
      expect(rels).toEqual([...rels].sort((p, q) => q - p));
    });
  }

  it('the fixtures cover what the contract names', () => {
    const all = CASES.flatMap((c) => Object.values(c.tensors));
    for (const s of STATUS_ORDER) expect(all.some((t) => t.status === s), s).toBe(true);
    expect(all.some((t) => t.dtype_a === 'float32' && t.dtype_b === 'float16')).toBe(true);
    expect(all.some((t) => t.dtype_a === 'bfloat16' && t.dtype_b === 'float32')).toBe(true);
    expect(all.some((t) => t.dtype_a === 'int64' && t.status === 'changed')).toBe(true); // num_batches_tracked, a buffer
    expect(all.some((t) => t.status === 'changed' && t.max_abs_diff === null)).toBe(true); // no finite pair
    const special = CASES.find((c) => c.b === 'edited.safetensors')!;
    expect(special.tensors['bn.bias'].status).toBe('same'); // +0 against −0
  });
});

describe('weightscope diff', () => {
  it('prints a table most changed first, with shapes and dtypes as "A → B", and a summary', async () => {
    const r = await run('diff', fx('specials.weights.json'), fx('edited.safetensors'));
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const lines = r.out.split('\n');
    expect(lines[0]).toBe(`A: ${fx('specials.weights.json')}`);
    expect(lines[1]).toBe(`B: ${fx('edited.safetensors')}`);
    const header = lines[3];
    expect(header.split(/\s+/)).toEqual(['tensor', 'status', 'shape', 'dtype', 'max_abs_diff', 'rel_l2', 'cosine', 'changed']);
    const body = lines.slice(4, lines.indexOf('', 4));
    expect(body.map((l) => l.split(/\s+/)[0])).toEqual([
      'head.weight', 'head.bias', 'fc1.bias', 'lora.A', 'conv.bias', 'fc1.weight',
      'conv.weight', 'bn.weight', 'bn.bias', 'bn.running_mean', 'bn.running_var', 'bn.num_batches_tracked',
    ]);
    expect(body[0].split(/\s{2,}/)).toEqual(['head.weight', 'shape_mismatch', '[3, 8] → [5, 8]', 'float32']);
    expect(body[2].split(/\s{2,}/)).toEqual(['fc1.bias', 'only_in_a', '[8]', 'float32']);
    expect(body[4].split(/\s{2,}/)).toEqual(['conv.bias', 'changed', '[4]', 'float32', '-', '-', '-', '100%']);
    const fc1 = body[5].split(/\s{2,}/);
    expect(fc1.slice(0, 5)).toEqual(['fc1.weight', 'changed', '[8, 64]', 'float32', '0.25']);
    expect(fc1[7]).toBe('0.5859%'); // 3 of 512 elements
    // Numbers line up under their right-aligned headers.
    expect(body[5].length).toBe(header.length);
    expect(lines.at(-1)).toBe('summary: 12 tensor(s): 6 same, 2 changed, 2 shape mismatch, 1 only in A, 1 only in B');
  });

  it('shows a dtype change as "float32 → float16"', async () => {
    const r = await run('diff', fx('tuned.safetensors'), fx('tuned_f16.pth'));
    expect(r.out).toMatch(/^fc1\.weight\s+changed\s+\[8, 64\]\s+float32 → float16\s/m);
    expect(r.out).toMatch(/^bn\.num_batches_tracked\s+same\s+\[\]\s+int64\s/m);
  });

  it('--exit-code: 1 when any tensor is not the same, 0 when all are', async () => {
    expect((await run('diff', fx('base.pth'), fx('tuned.safetensors'), '--exit-code')).code).toBe(1);
    expect((await run('diff', fx('base.pth'), fx('tuned.safetensors'))).code).toBe(0);
    const same = await run('diff', fx('tuned.weights.json'), fx('tuned.safetensors'), '--exit-code');
    expect(same.code).toBe(0);
    expect(same.out).toContain('11 same, 0 changed');
    // float16 rounding is within 1e-3 everywhere: the same with --atol, changed without.
    expect((await run('diff', fx('tuned.safetensors'), fx('tuned_f16.pth'), '--exit-code', '--atol', '1e-3')).code).toBe(0);
    expect((await run('diff', fx('tuned.safetensors'), fx('tuned_f16.pth'), '--exit-code')).code).toBe(1);
  });

  it('bad usage and bad files: exit 2, one line naming the file, no stack trace', async () => {
    expectUsageFailure(await run('diff', fx('base.pth')), /weightscope diff: expected two files A and B to compare, got 1/);
    expectUsageFailure(await run('diff', fx('base.pth'), fx('base.pth'), '--atol', '-1'), /--atol expects a number ≥ 0, got -1/);
    expectUsageFailure(await run('diff', fx('base.pth'), fx('base.pth'), '--atol', 'x'), /--atol expects a number, got "x"/);
    expectUsageFailure(await run('diff', fx('base.pth'), fx('base.pth'), '--color'), /unknown option --color/);
    const missing = path.join(dir, 'nope.safetensors');
    expectUsageFailure(await run('diff', fx('base.pth'), missing), new RegExp(`${escape(missing)}: file not found`));
    expectUsageFailure(await run('diff', path.join(dir, 'nope.pth'), fx('base.pth')), /nope\.pth: file not found/);
    // A .safetensors whose data was cut short: named when its tensor is read.
    const bytes = await fs.readFile(fx('tuned.safetensors'));
    const cut = path.join(dir, 'cut.safetensors');
    await fs.writeFile(cut, bytes.subarray(0, bytes.length - 100));
    expectUsageFailure(await run('diff', fx('base.pth'), cut), new RegExp(escape(cut)));
    const notJson = path.join(dir, 'broken.weights.json');
    await fs.writeFile(notJson, '{"format": "weights.json", "version": 1, "parameters": {"w": {"shape": [2], "data": [1]}}}');
    expectUsageFailure(await run('diff', notJson, fx('base.pth')), new RegExp(`${escape(notJson)}.*w`));
  });

  it('any tensor name is a key of --json, even __proto__', async () => {
    const doc = (v: number) => JSON.stringify({ format: 'weights.json', version: 1, parameters: { ['__proto__']: { shape: [1], data: [v] }, w: { shape: [1], data: [1] } } });
    const a = path.join(dir, 'proto-a.weights.json'), b = path.join(dir, 'proto-b.weights.json');
    await fs.writeFile(a, doc(1));
    await fs.writeFile(b, doc(2));
    const r = await run('diff', a, b, '--json');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('"__proto__": {');
    expect(JSON.parse(r.out).summary).toEqual({ same: 1, changed: 1, shape_mismatch: 0, only_in_a: 0, only_in_b: 0 });
  });

  it('--help describes the statistics and options', async () => {
    const r = await run('diff', '--help');
    expect(r.code).toBe(0);
    for (const s of ['--json', '--exit-code', '--atol', 'max_abs_diff', 'rel_l2', 'cosine', 'only_in_a']) expect(r.out).toContain(s);
    expect((await run('--help')).out).toMatch(/^ {2}diff\s+A B/m);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
