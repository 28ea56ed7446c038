// A file written by Python (json.dump of tensor.tolist(), base64 of numpy bytes, bare NaN and
// Infinity tokens) reads back to exactly PyTorch's bytes, for every dtype. The fixture and its
// expected bytes come from test/fixtures/format/make_torch_export.py (committed; no torch needed here).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseCheckpoint } from '../../../src/format/parse';
import { serializeCheckpoint } from '../../../src/format/serialize';
import type { Checkpoint, TensorData } from '../../../src/format/types';

const dir = path.resolve(__dirname, '../../fixtures/format');
const file = path.join(dir, 'torch-export.weights.json');
const expected: Record<string, string> = JSON.parse(readFileSync(path.join(dir, 'torch-export.expected.json'), 'utf8'));
const hex = (d: TensorData) => Buffer.from(d.buffer, d.byteOffset, d.byteLength).toString('hex');

function tensorsByName(c: Checkpoint): Map<string, TensorData> {
  const out = new Map<string, TensorData>();
  for (const [k, t] of c.parameters) out.set(k, t.data);
  for (const [k, t] of c.buffers ?? []) out.set(`buffers.${k}`, t.data);
  return out;
}

describe('a checkpoint exported from PyTorch', () => {
  const ckpt = parseCheckpoint(readFileSync(file), file);
  it('every tensor has PyTorch\'s exact bytes', () => {
    const got = tensorsByName(ckpt);
    expect([...got.keys()].sort()).toEqual(Object.keys(expected).sort());
    for (const [name, bytes] of Object.entries(expected)) expect(`${name}: ${hex(got.get(name)!)}`).toBe(`${name}: ${bytes}`);
  });
  it('writing it again (either encoding) keeps every byte', () => {
    for (const encoding of ['nested', 'base64'] as const) {
      const again = tensorsByName(parseCheckpoint(serializeCheckpoint(ckpt, { encoding }), file));
      for (const [name, bytes] of Object.entries(expected)) expect(`${name}: ${hex(again.get(name)!)}`).toBe(`${name}: ${bytes}`);
    }
  });
  it('keeps metadata, including its NaN', () => {
    expect((ckpt.metadata as { best_loss: number }).best_loss).toBeNaN();
  });
});
