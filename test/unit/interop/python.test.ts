// PyTorch → `.weights.json` (python/weightscope.py) → our parseCheckpoint → serializeCheckpoint →
// PyTorch (weightscope.load_into): bit-identical tensors, the same requires_grad, the same Adam
// state. Needs /usr/bin/python3 with torch; without it the test is skipped, saying why (CI may
// lack torch; the committed fixtures still test the TypeScript side, see readers.test.ts).
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseCheckpoint } from '../../../src/format/parse';
import { serializeCheckpoint } from '../../../src/format/serialize';
import { expected, hexIn } from './fixtureBytes';

const PYTHON = process.env.WEIGHTSCOPE_PYTHON ?? '/usr/bin/python3';
const SCRIPT = path.join(__dirname, 'roundtrip.py');

function torchAvailable(): string | undefined {
  const r = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8', timeout: 60000 });
  if (r.error) return `${PYTHON} not found`;
  if (r.status !== 0) return `${PYTHON} cannot import torch`;
  return undefined;
}

const missing = torchAvailable();
if (missing) console.log(`[interop] skipping the PyTorch round trip: ${missing}`);

function run(...args: string[]): string {
  const r = spawnSync(PYTHON, [SCRIPT, ...args], { encoding: 'utf8', timeout: 120000 });
  if (r.status !== 0) throw new Error(`roundtrip.py ${args[0]} failed: ${r.stderr}`);
  return r.stdout;
}

describe('PyTorch round trip through .weights.json', () => {
  (missing ? it.skip : it)('keeps every bit, requires_grad and the Adam state', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-roundtrip-'));
    run('save', dir);
    const a = path.join(dir, 'a.weights.json');
    const ckpt = parseCheckpoint(fs.readFileSync(a, 'utf8'), a);
    // The exporter's file is a real checkpoint: model section, frozen bias, optimizer state by name.
    expect(ckpt.model?.layers.map((l) => l.type)).toEqual(['Conv2d', 'ReLU', 'MaxPool2d', 'Flatten', 'Linear', 'GELU', 'Dropout', 'Linear']);
    expect(ckpt.parameters.get('conv.bias')?.requires_grad).toBe(false);
    expect(ckpt.optimizer).toMatchObject({ type: 'Adam', lr: 0.01, betas: [0.8, 0.99] });
    expect([...ckpt.optimizer_state!.keys()]).toEqual(['conv.weight', 'fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']);
    fs.writeFileSync(path.join(dir, 'b.weights.json'), serializeCheckpoint(ckpt));
    const verdict = JSON.parse(run('check', dir));
    expect(verdict.problems).toEqual([]);
    expect(verdict.ok).toBe(true);
    expect(verdict.checked).toBe(6);
  });
});

describe('the exporter\'s committed output (no torch needed)', () => {
  it('from_pytorch.weights.json has the source values, requires_grad and SGD momentum by name', () => {
    const file = path.join(__dirname, '../../fixtures/interop/from_pytorch.weights.json');
    const ckpt = parseCheckpoint(fs.readFileSync(file, 'utf8'), file);
    const want = expected['from_pytorch.weights.json'] as Record<string, unknown>;
    expect(Object.fromEntries([...ckpt.parameters].map(([n, t]) => [n, t.requires_grad]))).toEqual(want._requires_grad);
    const momentum = want._optimizer_state as Record<string, { hex: string }>;
    expect([...ckpt.optimizer_state!.keys()]).toEqual(Object.keys(momentum));
    for (const [name, e] of Object.entries(momentum)) {
      const buf = ckpt.optimizer_state!.get(name)!.momentum_buffer;
      expect(typeof buf).toBe('object');
      expect(hexIn(buf as never, 'float32'), name).toBe(e.hex);
    }
    expect(ckpt.optimizer).toMatchObject({ type: 'SGD', lr: 0.1, momentum: 0.9 });
    expect(ckpt.model?.layers[0]).toMatchObject({ type: 'Linear', name: 'fc1', in_features: 2, out_features: 4 });
  });
});
