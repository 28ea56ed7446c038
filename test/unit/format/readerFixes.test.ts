// Issue 14's reader behaviours, through `weightscope inspect` / `convert` as a user meets them,
// on files written by real torch/numpy (gen_readers.py) or crafted here where no library would
// write them: every refusal is exit 2 with one line naming the file and the tensor.
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli';
import { parseCheckpoint } from '../../../src/format/parse';
import { expectedOf, hexIn, rx } from './readerFixtures';

async function cli(...argv: string[]) {
  const out: string[] = [], err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const tmpDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'ws-fixes-'));

async function expectRefused(file: string, message: RegExp) {
  const r = await cli('inspect', file);
  expect(r.code, r.err).toBe(2);
  expect(r.out).toBe('');
  expect(r.err).toMatch(message);
  expect(r.err).toContain(path.basename(file));
  expect(r.err).not.toMatch(/RangeError|internal error|\n|\bat .*\.ts:\d+/);
}

describe('a shape no memory could hold, in every encoding and format', () => {
  const HUGE = '[1000000000, 1000000000]';
  const weightsJson = (data: string) => `{"format":"weights.json","version":1,"parameters":{"fc.weight":{"shape":${HUGE},"data":${data}}}}`;
  it.each([
    ['nested', '[[1, 2], [3, 4]]'],
    ['flat', '[1, 2, 3, 4]'],
    ['base64', '"base64:AAAAAAAAAAA="'],
  ])('.weights.json, %s data: refused by name, not a RangeError', async (kind, data) => {
    const file = path.join(tmpDir(), `huge-${kind}.weights.json`);
    fs.writeFileSync(file, weightsJson(data));
    await expectRefused(file, /fc\.weight.*\[1000000000, 1000000000\].*more than one tensor can hold in memory/);
    expect(() => parseCheckpoint(fs.readFileSync(file, 'utf8'), file)).toThrow(/fc\.weight.*more than one tensor can hold/);
  });

  it.each(['huge_shape.pt', 'huge_shape.npy', 'huge_shape.safetensors'])('%s (written by torch / numpy / the published layout): refused by name', async (file) => {
    await expectRefused(rx(file), /huge.*\[1000000000, 1000000000\].*more than one tensor can hold in memory/);
  });
});

describe('.safetensors data_offsets must tile the data buffer, as the reference library requires', () => {
  it.each([
    ['overlap.safetensors', /overlap\.safetensors.*b.*data_offsets \[8, 24\] overlap those of a \[0, 16\]/],
    ['gap.safetensors', /gap\.safetensors.*b.*leave bytes \[8, 16\] of the data buffer unclaimed/],
    ['short.safetensors', /short\.safetensors.*cover 16 bytes of a 32-byte data buffer/],
  ])('%s is refused', async (file, message) => {
    await expectRefused(rx(file), message);
  });

  it('tensors listed out of offset order but tiling the buffer are read', async () => {
    const r = await cli('inspect', rx('unordered.safetensors'), '--json');
    expect(r.code, r.err).toBe(0);
    const json = JSON.parse(r.out);
    expect(Object.keys(json.parameters)).toEqual(['b', 'a']);
    expect(json.parameters.b).toMatchObject({ min: 4, max: 7 });
  });
});

describe('inspect shows what the file holds', () => {
  it('--json lists BatchNorm buffers under "buffers" with the same fields as parameters', async () => {
    const r = await cli('inspect', rx('state_dict.pth'), '--json');
    expect(r.code, r.err).toBe(0);
    const json = JSON.parse(r.out);
    expect(Object.keys(json.buffers)).toEqual(['bn.running_mean', 'bn.running_var', 'bn.num_batches_tracked']);
    expect(Object.keys(json.buffers['bn.running_var']).sort()).toEqual(Object.keys(json.parameters['fc.weight']).sort());
    expect(json.buffers['bn.num_batches_tracked']).toMatchObject({ dtype: 'int64', shape: [], numel: 1, requires_grad: false, mean: 2 });
    expect(json.parameters['bn.weight']).toMatchObject({ dtype: 'float32', requires_grad: true });
    expect(json.total).toBe(Object.values(json.parameters as Record<string, { numel: number }>).reduce((a, p) => a + p.numel, 0));
  });

  it('every dtype as stored, in the table and in --json (int16 and int8 are not int32)', async () => {
    const text = await cli('inspect', rx('views.pt'));
    expect(text.code, text.err).toBe(0);
    for (const dtype of ['float32', 'float64', 'float16', 'bfloat16', 'int64', 'int32', 'int16', 'int8', 'uint8', 'bool']) {
      expect(text.out).toMatch(new RegExp(`^${dtype}\\.base\\s+\\[4, 6\\]\\s+${dtype}\\s+24\\s`, 'm'));
    }
    const json = JSON.parse((await cli('inspect', rx('views.pt'), '--json')).out);
    expect(json.parameters['int16.t']).toMatchObject({ dtype: 'int16', shape: [6, 4] });
    expect(json.parameters['int8.step']).toMatchObject({ dtype: 'int8', shape: [2, 3] });
    // Size as stored: 24 elements of 2 bytes for int16, not 4.
    expect(text.out).toMatch(/^size: \d+ bytes/m);
    const npy = JSON.parse((await cli('inspect', path.resolve(__dirname, '../../fixtures/interop/np_i8.npy'), '--json')).out);
    expect(npy.parameters.np_i8.dtype).toBe('int8');
  });

  it('an empty state_dict (torch.save({}, f)) inspects as a file with no tensors', async () => {
    for (const file of ['empty.pth', 'empty_ordered.pth']) {
      const r = await cli('inspect', rx(file));
      expect(r.code, r.err).toBe(0);
      expect(r.out).toMatch(/no parameters/);
      expect(r.out).toMatch(/parameters: 0 total/);
      const json = JSON.parse((await cli('inspect', rx(file), '--json')).out);
      expect(json).toEqual({ parameters: {}, buffers: {}, total: 0, trainable: 0, frozen: 0 });
    }
  });

  it('only convert widens, and says so; an empty state_dict converts to an empty .weights.json', async () => {
    const dir = tmpDir();
    const out = path.join(dir, 'views.weights.json');
    const r = await cli('convert', rx('views.pt'), out);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/note: 12 tensor\(s\) stored as int16\/int8 are shown as int32/);
    const ckpt = parseCheckpoint(fs.readFileSync(out, 'utf8'), out);
    expect(ckpt.parameters.get('int16.t')!.dtype).toBe('int32');
    const want = Object.fromEntries(expectedOf('views.pt'));
    expect(hexIn(ckpt.parameters.get('int16.t')!, 'int16')).toBe(want['int16.t'].hex);
    const empty = path.join(dir, 'empty.weights.json');
    const e = await cli('convert', rx('empty.pth'), empty);
    expect(e.code, e.err).toBe(0);
    expect(parseCheckpoint(fs.readFileSync(empty, 'utf8'), empty).parameters.size).toBe(0);
  });
});
