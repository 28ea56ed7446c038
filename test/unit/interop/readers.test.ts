// Every committed fixture opens with every value bit-identical to what PyTorch / NumPy wrote,
// for every dtype; the refusals (malicious pickle, legacy, TorchScript) say what happened.
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openAnyLazy, readAnyCheckpoint } from '../../../src/format/openAny';
import { openSafetensors } from '../../../src/format/safetensorsFile';
import { CheckpointError, type Checkpoint, type TensorRecord } from '../../../src/format/types';
import { FIXTURES, expected, expectedTensors, hexIn, ourDtype, type ExpectedTensor } from './fixtureBytes';

const fx = (name: string) => path.join(FIXTURES, name);

function tensorOf(c: Checkpoint, name: string): TensorRecord {
  const t = c.parameters.get(name) ?? c.buffers?.get(name);
  if (!t) throw new Error(`no tensor ${name}; have ${[...c.parameters.keys(), ...(c.buffers?.keys() ?? [])].join(', ')}`);
  return t;
}

function expectSame(t: TensorRecord, e: ExpectedTensor, name: string) {
  expect(t.shape, name).toEqual(e.shape);
  expect(t.dtype, name).toBe(ourDtype(e.dtype));
  expect(hexIn(t, e.dtype), name).toBe(e.hex);
}

describe.each([
  ['dtypes.pt', 'pytorch'],
  ['strided.pt', 'pytorch'],
  ['dtypes.safetensors', 'safetensors'],
  ['arrays.npz', 'npz'],
  ['arrays_compressed.npz', 'npz'],
  ['from_pytorch.weights.json', 'weights.json'],
  ['from_pytorch_big.weights.json', 'weights.json'],
])('%s', (file, format) => {
  it(`opens as ${format} with every value equal to the source`, async () => {
    const any = await readAnyCheckpoint(fx(file));
    expect(any.sourceFormat).toBe(format);
    expect(any.readOnly).toBe(format !== 'weights.json');
    const want = expectedTensors(file);
    expect(want.length).toBeGreaterThan(0);
    for (const [name, e] of want) expectSame(tensorOf(any.checkpoint, name), e, name);
    const count = any.checkpoint.parameters.size + (any.checkpoint.buffers?.size ?? 0);
    expect(count).toBe(want.length);
  });
});

describe('.npy', () => {
  for (const [file, e] of Object.entries(expected.npy as Record<string, ExpectedTensor>)) {
    it(`${file} reads exactly (${e.dtype} [${e.shape.join(', ')}])`, async () => {
      const any = await readAnyCheckpoint(fx(file));
      expect(any.sourceFormat).toBe('npy');
      const name = file.replace(/\.npy$/, '');
      expectSame(tensorOf(any.checkpoint, name), e, name);
    });
  }
  it('says when an int16 array was widened and when a Fortran-order array was transposed', async () => {
    expect((await readAnyCheckpoint(fx('np_i16.npy'))).notes.join(' ')).toMatch(/int32/);
    expect((await readAnyCheckpoint(fx('np_fortran.npy'))).notes.join(' ')).toMatch(/Fortran/);
  });
});

describe('.pt specifics', () => {
  it('a training checkpoint shows the model state_dict under its own names and lists the rest', async () => {
    const any = await readAnyCheckpoint(fx('nested.pt'));
    for (const [name, e] of expectedTensors('nested.pt')) expectSame(tensorOf(any.checkpoint, name), e, name);
    expect(any.notes.join(' ')).toMatch(/"model"/);
    const meta = any.checkpoint.metadata as { state_dict_key: string; other_entries: Record<string, unknown> };
    expect(meta.state_dict_key).toBe('model');
    expect(meta.other_entries.epoch).toBe(5);
    expect(Object.keys(meta.other_entries.optimizer as object)).toEqual(['state', 'param_groups']);
    // BatchNorm statistics are buffers, not trainable parameters.
    expect(any.checkpoint.buffers?.has('bn.running_mean')).toBe(true);
    expect(any.checkpoint.parameters.get('fc1.weight')?.requires_grad).toBe(true);
  });

  it('views of one storage become separate tensors (editing one leaves the others alone)', async () => {
    const c = (await readAnyCheckpoint(fx('strided.pt'))).checkpoint;
    const row = c.parameters.get('row')!.data as Float32Array;
    const before = Array.from(c.parameters.get('transposed')!.data as Float32Array);
    row.fill(42);
    expect(Array.from(c.parameters.get('transposed')!.data as Float32Array)).toEqual(before);
  });

  it('refuses a malicious pickle, naming the global, without running it', async () => {
    const marker = '/tmp/weightscope-malicious-pickle-ran';
    fs.rmSync(marker, { force: true });
    const err = await readAnyCheckpoint(fx('malicious.pt')).catch((e) => e);
    expect(err).toBeInstanceOf(CheckpointError);
    expect(err.message).toMatch(/refuses to load: the pickle names (posix|os)\.system, which a state_dict never needs; nothing was executed/);
    expect(fs.existsSync(marker)).toBe(false);
  });

  it('refuses the legacy format and TorchScript, saying how to re-save', async () => {
    const legacy = await readAnyCheckpoint(fx('legacy.pt')).catch((e) => e);
    expect(legacy).toBeInstanceOf(CheckpointError);
    expect(legacy.message).toMatch(/legacy \(pre-1\.6\).*torch\.save\(model\.state_dict\(\), path\)/);
    const script = await readAnyCheckpoint(fx('torchscript.pt')).catch((e) => e);
    expect(script).toBeInstanceOf(CheckpointError);
    expect(script.message).toMatch(/TorchScript.*torch\.save\(model\.state_dict\(\), path\)/);
  });
});

describe('.safetensors, lazily', () => {
  it('lists tensors from the header and reads one on demand', async () => {
    const opened = await openSafetensors(fx('dtypes.safetensors'));
    expect(opened.metadata).toEqual({ format: 'pt' });
    expect(opened.tensors.map((t) => t.name)).toEqual(expectedTensors('dtypes.safetensors').map(([n]) => n));
    const i8 = opened.tensors.find((t) => t.name === 'i8')!;
    expect(i8.sourceDtype).toBe('int8');
    expect(i8.dtype).toBe('int32');
    const e = expected['dtypes.safetensors'].i8 as ExpectedTensor;
    expectSame(await i8.read(), e, 'i8');
    expect(opened.notes.join(' ')).toMatch(/int32/);
  });

  it('refuses a truncated file with the tensor named', async () => {
    const bytes = fs.readFileSync(fx('dtypes.safetensors'));
    const tmp = path.join(fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'ws-st-')), 'cut.safetensors');
    fs.writeFileSync(tmp, bytes.subarray(0, bytes.length - 10));
    const err = await openSafetensors(tmp).catch((x) => x);
    expect(err).toBeInstanceOf(CheckpointError);
    expect(err.message).toMatch(/truncated/);
  });
});

describe('openAnyLazy', () => {
  it('gives one list of tensor sources for every format, values on read()', async () => {
    const st = await openAnyLazy(fx('dtypes.safetensors'));
    expect(st.sourceFormat).toBe('safetensors');
    expect(st.tensors.find((t) => t.name === 'f32')!.byteOffset).toBeGreaterThan(8);
    const pt = await openAnyLazy(fx('nested.pt'));
    expect(pt.readOnly).toBe(true);
    expect(pt.buffers).toEqual(new Set(['bn.running_mean', 'bn.running_var', 'bn.num_batches_tracked']));
    const npz = await openAnyLazy(fx('arrays.npz'));
    const i8 = npz.tensors.find((t) => t.name === 'i8')!;
    expect(i8.sourceDtype).toBe('int8');
    for (const [src, file] of [[st, 'dtypes.safetensors'], [npz, 'arrays.npz']] as const) {
      for (const [name, e] of expectedTensors(file)) {
        expectSame(await src.tensors.find((t) => t.name === name)!.read(), e, name);
      }
    }
  });
});
