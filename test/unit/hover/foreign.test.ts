// The hover reads the checkpoints PyTorch, Hugging Face and NumPy users have: names, shapes and
// dtypes (as stored) from the headers, then statistics streamed one tensor at a time — the numbers
// NumPy computes, and the editor's, for files written by real PyTorch and NumPy
// (fixtures/make_foreign.py) and by the project's own writers (bench/foreignWorkspace.mjs).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { digestCheckpoint } from '../../../src/extension/hover/digest';
import { digestCheckpointFile, outlineCheckpointFile } from '../../../src/extension/hover/digestFile';
import { digestForeign } from '../../../src/extension/hover/digestForeign';
import { memorySource, CHUNK_BYTES, type ByteSource } from '../../../src/format/byteSource';
import { readAnyCheckpoint } from '../../../src/format/openAny';
import { CheckpointError } from '../../../src/format/types';
import { fillValues, gpt2Shapes, ptBytes, resnet18Shapes, withValues, writeSafetensors } from '../../../bench/foreignWorkspace.mjs';

const FIX = path.join(__dirname, 'fixtures');
const expected = JSON.parse(fs.readFileSync(path.join(FIX, 'expected.json'), 'utf8')) as Record<string, Record<string, { shape: number[]; dtype: string; stats: { mean: number; std: number; min: number; max: number } | null }>>;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hover-foreign-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('foreign checkpoints written by PyTorch and NumPy', () => {
  for (const [name, tensors] of Object.entries(expected)) {
    it(`${name}: shapes and dtypes from the header, statistics as NumPy computes them`, async () => {
      const file = path.join(FIX, name);
      const outline = (await outlineCheckpointFile(file))!;
      expect(outline.params.map((p) => p.name).sort()).toEqual(Object.keys(tensors).sort());
      for (const p of outline.params) {
        expect(p.stats).toBeNull();
        expect({ shape: p.shape, dtype: p.dtype }).toEqual({ shape: tensors[p.name].shape, dtype: tensors[p.name].dtype });
      }
      const seen: string[] = [];
      const digest = await digestCheckpointFile(file, (p) => seen.push(p.name));
      expect(seen).toEqual(outline.params.map((p) => p.name));
      for (const p of digest.params) {
        const want = tensors[p.name].stats;
        if (!want) { expect(p.stats?.mean ?? null).toBeNull(); continue; }
        expect(p.stats!.mean).toBeCloseTo(want.mean, 6);
        expect(p.stats!.std).toBeCloseTo(want.std, 6);
        expect(p.stats!.min).toBe(want.min);
        expect(p.stats!.max).toBe(want.max);
      }
    });
  }

  it('statistics and pictures equal the editor\'s (the whole-file readers and the shared StatsAccumulator)', async () => {
    for (const name of ['tiny.pth', 'train_ckpt.pt', 'views.pt', 'arrays.npz', 'arrays_compressed.npz', 'fortran.npy', 'bigendian.npy', 'small.safetensors']) {
      const file = path.join(FIX, name);
      const editor = new Map(digestCheckpoint((await readAnyCheckpoint(file)).checkpoint).params.map((p) => [p.name, p]));
      for (const p of (await digestCheckpointFile(file)).params) {
        const e = editor.get(p.name)!;
        expect({ name: p.name, stats: p.stats, picture: p.picture }).toEqual({ name: p.name, stats: e.stats, picture: e.picture });
      }
    }
  });

  it('a training checkpoint {"model": …, "optimizer": …, "epoch"} answers for its model\'s tensors under their own names', async () => {
    const d = (await outlineCheckpointFile(path.join(FIX, 'train_ckpt.pt')))!;
    expect(d.params.map((p) => p.name)).toContain('fc.weight');
    expect(d.params.some((p) => /optimizer|exp_avg|^model\./.test(p.name))).toBe(false);
  });

  it('flags: a frozen nn.Parameter, BatchNorm buffers, layer types from the shapes', async () => {
    const views = new Map((await outlineCheckpointFile(path.join(FIX, 'views.pt')))!.params.map((p) => [p.name, p]));
    expect(views.get('frozen')!.requiresGrad).toBe(false);
    expect(views.get('i16')!.dtype).toBe('int16');
    expect(views.get('bf')!.dtype).toBe('bfloat16');
    const tiny = new Map((await outlineCheckpointFile(path.join(FIX, 'tiny.pth')))!.params.map((p) => [p.name, p]));
    expect(tiny.get('bn1.running_mean')).toMatchObject({ buffer: true, requiresGrad: false });
    expect(tiny.get('bn1.num_batches_tracked')).toMatchObject({ buffer: true, dtype: 'int64', shape: [] });
    expect(tiny.get('conv1.weight')).toMatchObject({ layerType: 'Conv2d', requiresGrad: true });
    expect(tiny.get('fc.bias')).toMatchObject({ layerType: 'Linear' });
  });

  it('a .weights.json has no outline: it is digested in one pass', async () => {
    expect(await outlineCheckpointFile(path.join(__dirname, '../../../examples/xor.weights.json'))).toBeNull();
  });
});

describe('files written by the project\'s own writers', () => {
  it('a ResNet-18-shaped .pth and a training checkpoint wrapping it', async () => {
    const sd = withValues(resnet18Shapes(), 3).map((t) => ({ ...t, values: t.values() }));
    for (const wrap of [undefined, 'model']) {
      const file = path.join(tmp, `resnet18-${wrap ?? 'sd'}.pth`);
      fs.writeFileSync(file, ptBytes(sd, wrap ? { wrap } : {}));
      const d = await digestCheckpointFile(file);
      expect(d.params.map((p) => p.name)).toEqual(sd.map((t) => t.name));
      const conv = d.params.find((p) => p.name === 'layer1.0.conv1.weight')!;
      expect(conv).toMatchObject({ shape: [64, 64, 3, 3], dtype: 'float32', layerType: 'Conv2d' });
      expect(conv.picture?.kind).toBe('heatmap');
      expect(d.params.find((p) => p.name === 'bn1.num_batches_tracked')).toMatchObject({ dtype: 'int64', stats: { mean: 7 } });
    }
  });

  it('a GPT-2-shaped .safetensors: the header answers before any value is read', async () => {
    const file = path.join(tmp, 'gpt2-small.safetensors');
    writeSafetensors(file, withValues(gpt2Shapes({ layers: 2, d: 64, vocab: 300, ctx: 32 }), 2));
    const d = (await outlineCheckpointFile(file))!;
    expect(d.params.find((p) => p.name === 'h.0.attn.c_attn.weight')).toMatchObject({ shape: [64, 192], dtype: 'float32', stats: null, layerType: 'Linear' });
  });

  it('reads one chunk at a time: no read is larger than a chunk, whatever the tensor\'s size', async () => {
    const n = 3 * CHUNK_BYTES; // a 3 MiB float32 tensor: 12 chunks
    const file = path.join(tmp, 'big.safetensors');
    const values = fillValues(n, 9);
    writeSafetensors(file, [{ name: 'big.weight', shape: [n / 64, 64], values: () => values }]);
    const bytes = new Uint8Array(fs.readFileSync(file));
    const mem = memorySource(bytes);
    let largest = 0;
    const spy: ByteSource = { size: mem.size, read: (into, pos) => { largest = Math.max(largest, into.length); return mem.read(into, pos); } };
    const d = await digestForeign(spy, file);
    expect(largest).toBeLessThanOrEqual(CHUNK_BYTES);
    const whole = digestCheckpoint((await readAnyCheckpoint(file)).checkpoint).params[0];
    expect(d.params[0].stats).toEqual(whole.stats);
  });
});

describe('malformed foreign files: one line naming the file', () => {
  const cases: [string, Uint8Array | string][] = [
    ['truncated.safetensors', (() => { const b = fs.readFileSync(path.join(FIX, 'small.safetensors')); return b.subarray(0, b.length - 10); })()],
    ['garbage.pt', 'this is not a zip archive at all'],
    ['legacy.pt', new Uint8Array([0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc])],
    ['noheader.npy', 'NUMPY?'],
    ['broken.pth', (() => { const b = fs.readFileSync(path.join(FIX, 'tiny.pth')); return b.subarray(0, b.length - 40); })()],
  ];
  for (const [name, bytes] of cases) {
    it(name, async () => {
      const file = path.join(tmp, name);
      fs.writeFileSync(file, bytes);
      const err = await outlineCheckpointFile(file).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(CheckpointError);
      expect((err as Error).message).toContain(file);
      expect((err as Error).message).not.toContain('\n');
    });
  }
});

describe('pacing the statistics pass', () => {
  it('waits on the pace between chunks and gives the same digest', async () => {
    const n = 2 * CHUNK_BYTES / 4 + 100; // three chunks of float32
    const file = path.join(tmp, 'paced.safetensors');
    const values = fillValues(n, 4);
    writeSafetensors(file, [{ name: 'w', shape: [n], values: () => values }]);
    let rests = 0;
    const paced = await digestCheckpointFile(file, undefined, () => { rests++; return new Promise((r) => setTimeout(r, 1)); });
    expect(rests).toBe(6); // three chunks, read twice (a vector's histogram is a second pass)
    expect(paced).toEqual(await digestCheckpointFile(file));
  });
});
