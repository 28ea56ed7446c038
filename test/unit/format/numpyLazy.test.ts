// The lazy `.npy` / `.npz` readers against files written by real NumPy (gen_readers.py):
// stored members read at their offset, deflated ones inflated alone, and a member whose declared
// size is over the memory budget (or that lies about it) refused in one line naming the file and
// the array — never an allocation of what it claims.
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { deflateSync } from 'fflate';
import { openAnyLazy, readAnyCheckpoint } from '../../../src/format/openAny';
import { readNpzArray, readNpzIndex } from '../../../src/format/npz';
import { crc32 } from '../../../src/format/zipDirectory';
import { CheckpointError, type TensorRecord } from '../../../src/format/types';
import { countingSource, expectedOf, hexIn, ourDtype, rx, type ExpectedTensor } from './readerFixtures';

function expectSame(t: TensorRecord, e: ExpectedTensor, name: string) {
  expect(t.shape, name).toEqual(e.shape);
  expect(t.dtype, name).toBe(ourDtype(e.dtype));
  expect(hexIn(t, e.dtype), name).toBe(e.hex);
}

/** A one-member zip whose directory may declare another inflated size than the data has. */
function zipOf(name: string, data: Uint8Array, declaredSize = data.length): Uint8Array {
  const comp = deflateSync(data);
  const nameBytes = new TextEncoder().encode(name);
  const out = new Uint8Array(30 + nameBytes.length + comp.length + 46 + nameBytes.length + 22);
  const v = new DataView(out.buffer);
  const crc = crc32(data);
  v.setUint32(0, 0x04034b50, true); v.setUint16(4, 20, true); v.setUint16(8, 8, true);
  v.setUint32(14, crc, true); v.setUint32(18, comp.length, true); v.setUint32(22, declaredSize, true); v.setUint16(26, nameBytes.length, true);
  out.set(nameBytes, 30); out.set(comp, 30 + nameBytes.length);
  const cd = 30 + nameBytes.length + comp.length;
  v.setUint32(cd, 0x02014b50, true); v.setUint16(cd + 4, 20, true); v.setUint16(cd + 6, 20, true); v.setUint16(cd + 10, 8, true);
  v.setUint32(cd + 16, crc, true); v.setUint32(cd + 20, comp.length, true); v.setUint32(cd + 24, declaredSize, true);
  v.setUint16(cd + 28, nameBytes.length, true); v.setUint32(cd + 42, 0, true);
  out.set(nameBytes, cd + 46);
  const end = cd + 46 + nameBytes.length;
  v.setUint32(end, 0x06054b50, true); v.setUint16(end + 8, 1, true); v.setUint16(end + 10, 1, true);
  v.setUint32(end + 12, 46 + nameBytes.length, true); v.setUint32(end + 16, cd, true);
  return out;
}

/** An `.npy` of float32 zeros with the given shape, its values cut to `keep` bytes. */
function npyBytes(shape: number[], keep: number): Uint8Array {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const out = new Uint8Array(10 + header.length + keep);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  out.set(new TextEncoder().encode(header), 10);
  return out;
}

const tmp = (name: string, bytes: Uint8Array) => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ws-npz-')), name);
  fs.writeFileSync(file, bytes);
  return file;
};

describe('lazy .npz / .npy readers', () => {
  it.each(['stored.npz', 'deflated.npz'])('%s: every array bit-identical, dtype as stored', async (file) => {
    const opened = await openAnyLazy(rx(file));
    expect(opened.sourceFormat).toBe('npz');
    const want = expectedOf(file);
    expect(opened.tensors.map((t) => t.name)).toEqual(want.map(([n]) => n));
    for (const [name, e] of want) {
      const src = opened.tensors.find((t) => t.name === name)!;
      expect(src.sourceDtype).toBe(e.dtype === 'bool' ? 'bool' : e.dtype);
      expect(src.byteOffset >= 0).toBe(file === 'stored.npz');
      expectSame(await src.read(), e, name);
    }
  });

  it('reads a stored member\'s values at their offset, nothing else', async () => {
    const src = countingSource(new Uint8Array(fs.readFileSync(rx('stored.npz'))));
    const index = await readNpzIndex(src, 'stored.npz');
    src.bytesRead = 0;
    const w = index.arrays.find((a) => a.name === 'w')!;
    await readNpzArray(src, w, 'stored.npz');
    expect(src.bytesRead).toBe(12 * 4);
  });

  it('lists a compressed member from its header, and refuses to inflate one declared over the budget', async () => {
    // 1.6 GB of float32 declared; only the header and a few bytes actually inside.
    const file = tmp('bomb.npz', zipOf('huge.npy', npyBytes([400_000_000], 16), 128 + 1_600_000_000));
    const opened = await openAnyLazy(file);
    expect(opened.tensors.map((t) => [t.name, t.shape])).toEqual([['huge', [400_000_000]]]);
    const err = await opened.tensors[0].read().catch((e) => e);
    expect(err).toBeInstanceOf(CheckpointError);
    expect(err.message).toMatch(/bomb\.npz.*huge\.npy inflates to 1600000128 bytes, over the \d+-byte memory budget/);
    expect(err.message).not.toContain('\n');
    const whole = await readAnyCheckpoint(file).catch((e) => e);
    expect(whole).toBeInstanceOf(CheckpointError);
  });

  it('refuses a member that inflates to more than its directory declares (the CRC disagrees)', async () => {
    const data = npyBytes([64], 256);
    const file = tmp('liar.npz', zipOf('w.npy', data, data.length - 128));
    const err = await openAnyLazy(file).then((o) => o.tensors[0].read()).catch((e) => e);
    expect(err).toBeInstanceOf(CheckpointError);
    expect(err.message).toMatch(/liar\.npz|w\.npy/);
  });

  it('refuses a [1000000000, 1000000000] .npy header (written by numpy) naming the file and the array', async () => {
    const err = await openAnyLazy(rx('huge_shape.npy')).catch((e) => e);
    expect(err).toBeInstanceOf(CheckpointError);
    expect(err.message).toMatch(/huge_shape\.npy.*huge_shape.*\[1000000000, 1000000000\].*more than one tensor can hold/);
  });

  it('reads an .npy from its header, values at their offset', async () => {
    const opened = await openAnyLazy(path.resolve(__dirname, '../../fixtures/interop/np_i16.npy'));
    expect(opened.tensors[0].sourceDtype).toBe('int16');
    expect(opened.tensors[0].byteOffset).toBe(128);
  });
});
