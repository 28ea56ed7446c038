// The lazy `.pt` reader against files written by real PyTorch (test/parity/gen_readers.py):
// views of shared storages with offsets, strides and expands in every dtype, training
// checkpoints with buffers, empty state_dicts, a shape no memory could hold; and it reads only
// the zip directory and data.pkl to list a file, then only a tensor's own bytes to read it.
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import { openAnyLazy, readAnyCheckpoint } from '../../../src/format/openAny';
import { readPytorchIndex, readPytorchTensor } from '../../../src/format/pytorch';
import { pytorchArchive } from '../../../src/format/pytorchWrite';
import { CheckpointError, type TensorRecord } from '../../../src/format/types';
import { countingSource, expectedOf, hexIn, ourDtype, readersExpected, rx, type ExpectedTensor } from './readerFixtures';

const concat = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
};

function expectSame(t: TensorRecord, e: ExpectedTensor, name: string) {
  expect(t.shape, name).toEqual(e.shape);
  expect(t.dtype, name).toBe(ourDtype(e.dtype));
  expect(hexIn(t, e.dtype), name).toBe(e.hex);
}

describe('lazy .pt reader, files written by torch.save', () => {
  it.each(['views.pt', 'offsets.pt', 'training.pth', 'state_dict.pth'])('%s: every tensor, in order, bit-identical, dtype as stored', async (file) => {
    const opened = await openAnyLazy(rx(file));
    expect(opened.sourceFormat).toBe('pytorch');
    const want = expectedOf(file);
    expect(opened.tensors.map((t) => t.name)).toEqual(want.map(([n]) => n));
    for (const [name, e] of want) {
      const src = opened.tensors.find((t) => t.name === name)!;
      expect(src.sourceDtype, name).toBe(e.dtype);
      expect(src.shape, name).toEqual(e.shape);
      expectSame(await src.read(), e, name);
    }
  });

  it('views of one storage are separate tensors: changing one leaves the others alone', async () => {
    const opened = await openAnyLazy(rx('views.pt'));
    const get = (n: string) => opened.tensors.find((t) => t.name === n)!.read();
    const base = await get('float32.base');
    const t = await get('float32.t');
    const before = Array.from(t.data as Float32Array);
    (base.data as Float32Array).fill(42);
    expect(Array.from(t.data as Float32Array)).toEqual(before);
    expect(Array.from((await get('float32.base')).data as Float32Array)).not.toContain(42);
  });

  it('a training checkpoint shows its model state_dict, BatchNorm statistics as buffers, the rest in metadata', async () => {
    const opened = await openAnyLazy(rx('training.pth'));
    expect([...opened.buffers]).toEqual(readersExpected['training.pth']._buffers);
    expect(opened.notes.join(' ')).toMatch(/state_dict under "model".*optimizer, epoch, best_acc/);
    const meta = opened.metadata as { state_dict_key: string; other_entries: { epoch: number; optimizer: { param_groups: unknown[] } } };
    expect(meta.state_dict_key).toBe('model');
    expect(meta.other_entries.epoch).toBe(2);
    expect(meta.other_entries.optimizer.param_groups).toHaveLength(1);
    const all = await readAnyCheckpoint(rx('training.pth'));
    expect([...all.checkpoint.buffers!.keys()]).toEqual(readersExpected['training.pth']._buffers);
    expect(all.checkpoint.buffers!.get('bn.num_batches_tracked')!.dtype).toBe('int64');
  });

  it.each(['empty.pth', 'empty_ordered.pth'])('%s (an empty state_dict) opens with no tensors', async (file) => {
    const opened = await openAnyLazy(rx(file));
    expect(opened.tensors).toEqual([]);
    const all = await readAnyCheckpoint(rx(file));
    expect(all.checkpoint.parameters.size).toBe(0);
    expect(all.checkpoint.buffers).toBeUndefined();
  });

  it('refuses a [1000000000, 1000000000] view in one line naming the file and the tensor', async () => {
    const err = await openAnyLazy(rx('huge_shape.pt')).catch((e) => e);
    expect(err).toBeInstanceOf(CheckpointError);
    expect(err.message).toContain('huge_shape.pt');
    expect(err.message).toMatch(/huge.*\[1000000000, 1000000000\].*more than one tensor can hold/);
    expect(err.message).not.toContain('\n');
  });

  it('lists a file from its zip directory and data.pkl, and reads a tensor from its own bytes only', async () => {
    // A 4 MiB file: listing it reads the directory's tail (at most 64 KiB), data.pkl and local headers.
    const big = concat([...pytorchArchive([0, 1, 2, 3].map((i) => ({ name: `layer${i}.weight`, dtype: 'float32' as const, shape: [512, 512], data: new Float32Array(512 * 512).fill(i) })))]);
    const bigSrc = countingSource(big);
    const bigIndex = await readPytorchIndex(bigSrc, 'big.pt');
    expect(bigIndex.tensors.map((t) => t.name)).toEqual(['layer0.weight', 'layer1.weight', 'layer2.weight', 'layer3.weight']);
    expect(bigSrc.bytesRead).toBeLessThan(70 * 1024);
    bigSrc.bytesRead = 0;
    const l2 = await readPytorchTensor(bigSrc, bigIndex.tensors[2], 'big.pt');
    expect(bigSrc.bytesRead).toBe(512 * 512 * 4);
    expect((l2.data as Float32Array).every((x) => x === 2)).toBe(true);

    const bytes = new Uint8Array(fs.readFileSync(rx('views.pt')));
    const src = countingSource(bytes);
    const index = await readPytorchIndex(src, 'views.pt');
    expect(new Set(index.tensors.map((t) => t.storage)).size).toBe(10); // ten dtypes, one storage each, shared by six views
    const slice = index.tensors.find((t) => t.name === 'float64.slice')!;
    expect(slice.offset).toBe(8);
    expect(slice.strides).toEqual([6, 1]);
    src.bytesRead = 0;
    const rec = await readPytorchTensor(src, slice, 'views.pt');
    // Rows 1..2, columns 2..4: elements 8..16 of the storage, 9 float64s, nothing more.
    expect(src.bytesRead).toBe(9 * 8);
    expectSame(rec, readersExpected['views.pt']['float64.slice'] as ExpectedTensor, 'float64.slice');
  });

  it('gives each contiguous tensor its byte position in the file', async () => {
    const bytes = fs.readFileSync(rx('offsets.pt'));
    const opened = await openAnyLazy(rx('offsets.pt'));
    const tail = opened.tensors.find((t) => t.name === 'tail')!;
    expect(tail.byteLength).toBe(40);
    const f = new Float32Array(bytes.buffer.slice(bytes.byteOffset + tail.byteOffset, bytes.byteOffset + tail.byteOffset + 40));
    expect(Array.from(f)).toEqual([90, 91, 92, 93, 94, 95, 96, 97, 98, 99]);
  });
});
