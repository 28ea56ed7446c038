// Buffers travel: a PyTorch state_dict (and a training checkpoint) with BatchNorm running
// statistics → `weightscope convert` → `.weights.json` with a `buffers` section →
// python/weightscope.py load_into a fresh model: every parameter and buffer bit-identical, and
// tensors convert widened (int16/int8) come back in their own dtype. Needs /usr/bin/python3 with
// torch (skipped without, saying why); the committed fixtures check the TypeScript half alone.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli';
import { parseCheckpoint } from '../../../src/format/parse';

const PYTHON = process.env.WEIGHTSCOPE_PYTHON ?? '/usr/bin/python3';
const SCRIPT = path.join(__dirname, 'buffers_roundtrip.py');
const READERS = path.resolve(__dirname, '../../fixtures/readers');

const torchMissing = (() => {
  const r = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8', timeout: 60000 });
  return r.error ? `${PYTHON} not found` : r.status !== 0 ? `${PYTHON} cannot import torch` : undefined;
})();
if (torchMissing) console.log(`[interop] skipping the buffers round trip: ${torchMissing}`);

async function convert(input: string, out: string) {
  const lines: string[] = [], errs: string[] = [];
  const code = await main(['convert', input, out], { out: (t) => lines.push(t), err: (t) => errs.push(t) });
  expect(code, errs.join('\n')).toBe(0);
  return lines.join('\n');
}

function py(...args: string[]): string {
  const r = spawnSync(PYTHON, [SCRIPT, ...args], { encoding: 'utf8', timeout: 180000 });
  if (r.status !== 0) throw new Error(`buffers_roundtrip.py ${args[0]} failed: ${r.stderr}`);
  return r.stdout;
}

describe('buffers travel from .pt through .weights.json back into PyTorch', () => {
  it('convert puts BatchNorm statistics in the buffers section (committed fixture, no torch needed)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-buffers-'));
    for (const src of ['state_dict.pth', 'training.pth']) {
      const out = path.join(dir, src.replace('.pth', '.weights.json'));
      await convert(path.join(READERS, src), out);
      const ckpt = parseCheckpoint(fs.readFileSync(out, 'utf8'), out);
      expect([...ckpt.buffers!.keys()]).toEqual(['bn.running_mean', 'bn.running_var', 'bn.num_batches_tracked']);
      expect(ckpt.buffers!.get('bn.num_batches_tracked')).toMatchObject({ dtype: 'int64', shape: [], requires_grad: false });
      expect([...ckpt.parameters.keys()]).not.toContain('bn.running_mean');
    }
  });

  (torchMissing ? it.skip : it)('weightscope.load_into restores every parameter and buffer bit for bit; widened tensors come back narrowed', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-buffers-'));
    py('save', dir);
    for (const name of ['model', 'train', 'extra']) await convert(path.join(dir, `${name}.pth`), path.join(dir, `${name}.weights.json`));
    const verdict = JSON.parse(py('check', dir));
    expect(verdict.problems).toEqual([]);
    expect(verdict.ok).toBe(true);
    expect(verdict.buffers).toEqual(['bn.running_mean', 'bn.running_var', 'bn.num_batches_tracked', 'bn2.running_mean', 'bn2.running_var', 'bn2.num_batches_tracked']);
    expect(verdict.checked).toBe(13 + 13 + 15); // conv, bn ×5, fc ×2, bn2 ×5 twice; then those and the int16 and int8 tensors
  });
});
