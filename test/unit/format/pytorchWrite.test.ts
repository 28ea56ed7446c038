// The TypeScript `.pt` writer (tests and benchmarks make real-size checkpoints with it): what it
// writes reads back through our lazy reader bit for bit in every dtype, and — where
// /usr/bin/python3 has torch — through `torch.load(weights_only=True)` too.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openAnyLazy } from '../../../src/format/openAny';
import { writePytorchFile } from '../../../src/format/pytorchFile';
import type { PtWriteTensor } from '../../../src/format/pytorchWrite';
import { hexIn } from './readerFixtures';

const PYTHON = process.env.WEIGHTSCOPE_PYTHON ?? '/usr/bin/python3';
const torchMissing = (() => {
  const r = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8', timeout: 60000 });
  return r.error ? `${PYTHON} not found` : r.status !== 0 ? `${PYTHON} cannot import torch` : undefined;
})();
if (torchMissing) console.log(`[pytorchWrite] skipping the torch.load check: ${torchMissing}`);

const hex = (d: ArrayBufferView) => Buffer.from(d.buffer, d.byteOffset, d.byteLength).toString('hex');

const TENSORS: PtWriteTensor[] = [
  { name: 'f32', dtype: 'float32', shape: [2, 3], data: Float32Array.from([0, -0, 1.5, NaN, Infinity, -1e-3]) },
  { name: 'f64', dtype: 'float64', shape: [2], data: Float64Array.from([0.1, -1 / 3]) },
  { name: 'f16', dtype: 'float16', shape: [2], data: Uint16Array.from([0x3c00, 0x7bff]) },
  { name: 'bf16', dtype: 'bfloat16', shape: [1, 2], data: Uint16Array.from([0x3f80, 0xc000]) },
  { name: 'i64', dtype: 'int64', shape: [2], data: BigInt64Array.from([-(2n ** 63n), 2n ** 53n + 1n]) },
  { name: 'i32', dtype: 'int32', shape: [2], data: Int32Array.from([-1, 2 ** 31 - 1]) },
  { name: 'i16', dtype: 'int16', shape: [3], data: Int16Array.from([-32768, 0, 32767]) },
  { name: 'i8', dtype: 'int8', shape: [2], data: Int8Array.from([-128, 127]) },
  { name: 'u8', dtype: 'uint8', shape: [2], data: Uint8Array.from([0, 255]) },
  { name: 'flag', dtype: 'bool', shape: [3], data: Uint8Array.from([1, 0, 1]) },
  { name: 'scalar', dtype: 'float32', shape: [], data: Float32Array.from([3.5]) },
  { name: 'empty', dtype: 'float32', shape: [0, 4], data: new Float32Array(0) },
  // A shape whose sizes need BININT2 / BININT in the pickle.
  { name: 'wide', dtype: 'uint8', shape: [1, 70000], data: () => new Uint8Array(70000).fill(7) },
];

describe('writePytorchFile', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-ptwrite-'));
  const file = path.join(dir, 'every_dtype.pt');
  const ckpt = path.join(dir, 'training.pth');

  it('writes a state_dict our lazy reader reads back bit for bit, dtypes as given', async () => {
    await writePytorchFile(file, TENSORS);
    const opened = await openAnyLazy(file);
    expect(opened.tensors.map((t) => [t.name, t.sourceDtype, t.shape])).toEqual(TENSORS.map((t) => [t.name, t.dtype, t.shape]));
    for (const t of TENSORS) {
      const data = typeof t.data === 'function' ? t.data() : t.data;
      const rec = await opened.tensors.find((s) => s.name === t.name)!.read();
      expect(hexIn(rec, t.dtype), t.name).toBe(hex(data));
    }
  });

  it('nests the state_dict under a key as a training checkpoint does', async () => {
    await writePytorchFile(ckpt, TENSORS.slice(0, 2), { checkpointKey: 'model', extra: { epoch: 7 } });
    const opened = await openAnyLazy(ckpt);
    expect(opened.tensors.map((t) => t.name)).toEqual(['f32', 'f64']);
    expect((opened.metadata as { other_entries: unknown }).other_entries).toEqual({ epoch: 7 });
  });

  (torchMissing ? it.skip : it)('writes files torch.load(weights_only=True) reads, every value equal', async () => {
    if (!fs.existsSync(file)) await writePytorchFile(file, TENSORS);
    if (!fs.existsSync(ckpt)) await writePytorchFile(ckpt, TENSORS.slice(0, 2), { checkpointKey: 'model', extra: { epoch: 7 } });
    const script = `
import json, sys, torch
def hx(t):
    t = t.contiguous()
    if t.dtype == torch.bfloat16: t = t.view(torch.int16)
    return t.numpy().tobytes().hex()
sd = torch.load(sys.argv[1], weights_only=True)
ck = torch.load(sys.argv[2], weights_only=True)
print(json.dumps({"sd": {k: [str(v.dtype).replace("torch.", ""), list(v.shape), hx(v)] for k, v in sd.items()},
                  "ck": {"keys": list(ck.keys()), "epoch": ck["epoch"], "model": list(ck["model"].keys())}}))`;
    const r = spawnSync(PYTHON, ['-c', script, file, ckpt], { encoding: 'utf8', timeout: 120000 });
    expect(r.stderr).toBe('');
    const got = JSON.parse(r.stdout);
    for (const t of TENSORS) {
      const data = typeof t.data === 'function' ? t.data() : t.data;
      expect(got.sd[t.name], t.name).toEqual([t.dtype === 'float16' ? 'float16' : t.dtype, t.shape, hex(data)]);
    }
    expect(got.ck).toEqual({ keys: ['model', 'epoch'], epoch: 7, model: ['f32', 'f64'] });
  });
});
