// The lazy `.pt` reader against files written by real PyTorch (test/parity/gen_readers.py):
// views of shared storages with offsets, strides and expands in every dtype, training
// checkpoints with buffers, empty state_dicts, a shape no memory could hold; and it reads only
// the zip directory and data.pkl to list a file, then only a tensor's own bytes to read it.
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import { openAnyLazy, readAnyCheckpoint } from '../../../src/format/openAny';
import { readPytorchIndex, readPytorchTensor } from '../../../src/format/pytorch';
import { pytorchArchive } from '../../../src/format/pytorchWrite';
import { withFileSource } from '../../../src/format/fileByteSource';
import { growingScratch } from '../../../src/format/lazy';
import { CheckpointError, type TensorRecord } from '../../../src/format/types';
import { countingSource, expectedOf, hexIn, ourDtype, readersExpected, rx, type ExpectedTensor } from './readerFixtures';

const concat = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
};

/**
 * The same archive with a zip64 central directory: every entry's sizes and offset moved into a
 * zip64 extra field (the 32-bit fields set to 0xFFFFFFFF), a zip64 end record and its locator,
 * and the classic end record's counts and offsets saturated — the layout of an archive past 4 GiB.
 */
function toZip64(zip: Uint8Array): Uint8Array {
  const v = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const eocd = zip.length - 22;
  const count = v.getUint16(eocd + 10, true), cdOffset = v.getUint32(eocd + 16, true);
  const entries: Uint8Array[] = [];
  for (let p = cdOffset, i = 0; i < count; i++) {
    const nameLen = v.getUint16(p + 28, true);
    const e = new Uint8Array(46 + nameLen + 28);
    e.set(zip.subarray(p, p + 46 + nameLen));
    const ev = new DataView(e.buffer);
    const [size, csize, off] = [v.getUint32(p + 24, true), v.getUint32(p + 20, true), v.getUint32(p + 42, true)];
    ev.setUint32(20, 0xffffffff, true); ev.setUint32(24, 0xffffffff, true); ev.setUint32(42, 0xffffffff, true);
    ev.setUint16(30, 28, true); // extra length
    const x = 46 + nameLen;
    ev.setUint16(x, 1, true); ev.setUint16(x + 2, 24, true);
    ev.setBigUint64(x + 4, BigInt(size), true); ev.setBigUint64(x + 12, BigInt(csize), true); ev.setBigUint64(x + 20, BigInt(off), true);
    entries.push(e);
    p += 46 + nameLen;
  }
  const cd = concat(entries);
  const rec = new Uint8Array(56), rv = new DataView(rec.buffer);
  const recAt = cdOffset + cd.length;
  rv.setUint32(0, 0x06064b50, true); rv.setBigUint64(4, 44n, true); rv.setUint16(12, 45, true); rv.setUint16(14, 45, true);
  rv.setBigUint64(24, BigInt(count), true); rv.setBigUint64(32, BigInt(count), true);
  rv.setBigUint64(40, BigInt(cd.length), true); rv.setBigUint64(48, BigInt(cdOffset), true);
  const loc = new Uint8Array(20), lv = new DataView(loc.buffer);
  lv.setUint32(0, 0x07064b50, true); lv.setBigUint64(8, BigInt(recAt), true); lv.setUint32(16, 1, true);
  const end = new Uint8Array(22), dv = new DataView(end.buffer);
  dv.setUint32(0, 0x06054b50, true); dv.setUint16(8, 0xffff, true); dv.setUint16(10, 0xffff, true);
  dv.setUint32(12, 0xffffffff, true); dv.setUint32(16, 0xffffffff, true);
  return concat([zip.subarray(0, cdOffset), cd, rec, loc, end]);
}

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

  it('readFrom with one open source and a reused scratch buffer reads the same values, every view and dtype', async () => {
    const opened = await openAnyLazy(rx('views.pt'));
    const scratch = growingScratch();
    let lent = 0;
    const counting = (n: number) => { lent = Math.max(lent, n); return scratch(n); };
    await withFileSource(rx('views.pt'), async (src) => {
      for (const [name, e] of expectedOf('views.pt')) {
        const t = opened.tensors.find((x) => x.name === name)!;
        expectSame(await t.readFrom!(src, counting), e, name); // checked before the next read reuses the buffer
      }
    });
    expect(lent).toBe(24 * 8); // the largest storage span read: a [4, 6] float64/int64 base
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

  it('reads a zip64 archive (as torch.save writes past 4 GiB): sizes and offsets from the zip64 fields', async () => {
    const tensors = [0, 1].map((i) => ({ name: `w${i}`, dtype: 'float32' as const, shape: [3], data: Float32Array.of(i, i + 0.5, -i) }));
    const zip64 = toZip64(concat([...pytorchArchive(tensors)]));
    const index = await readPytorchIndex(countingSource(zip64), 'big.pt');
    expect(index.tensors.map((t) => t.name)).toEqual(['w0', 'w1']);
    const w1 = await readPytorchTensor(countingSource(zip64), index.tensors[1], 'big.pt');
    expect(Array.from(w1.data as Float32Array)).toEqual([1, 1.5, -1]);
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
