// `weightscope inspect model.pt` and `weightscope convert` on the committed fixtures.
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli';
import { parseCheckpoint } from '../../../src/format/parse';
import { FIXTURES, expectedTensors, hexIn } from './fixtureBytes';

async function cli(...argv: string[]) {
  const out: string[] = [], err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'ws-convert-'));

describe('weightscope inspect on foreign formats', () => {
  it('inspects a .pt training checkpoint, with the note on what it shows', async () => {
    const r = await cli('inspect', path.join(FIXTURES, 'nested.pt'));
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/fc1\.weight\s+\[3, 2\]\s+float32/);
    expect(r.out).toMatch(/note: showing the state_dict under "model"/);
  });

  it('inspect --json on a .safetensors lists every parameter', async () => {
    const r = await cli('inspect', path.join(FIXTURES, 'dtypes.safetensors'), '--json');
    expect(r.code, r.err).toBe(0);
    const json = JSON.parse(r.out);
    // The dtype as the file stores it: only convert widens (with a note).
    expect(json.parameters.i16).toMatchObject({ dtype: 'int16', shape: [4], requires_grad: false });
    expect(json.parameters.i8).toMatchObject({ dtype: 'int8' });
    expect(json.parameters.bf16).toMatchObject({ dtype: 'bfloat16' });
    expect(json.parameters.f32).toMatchObject({ dtype: 'float32', requires_grad: true, nonfinite: 3 });
  });

  it('a malicious .pt is exit 2 with one clear line', async () => {
    const r = await cli('inspect', path.join(FIXTURES, 'malicious.pt'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/malicious\.pt: refuses to load: the pickle names/);
    expect(r.err.split('\n')).toHaveLength(1);
  });
});

describe('weightscope convert', () => {
  it('converts a .pt to an editable .weights.json with every value kept', async () => {
    const out = path.join(tmp(), 'dtypes.weights.json');
    const r = await cli('convert', path.join(FIXTURES, 'dtypes.pt'), out);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/note: .*int32/);
    const ckpt = parseCheckpoint(fs.readFileSync(out, 'utf8'), out);
    for (const [name, e] of expectedTensors('dtypes.pt')) {
      const t = ckpt.parameters.get(name)!;
      expect(t.shape, name).toEqual(e.shape);
      expect(hexIn(t, e.dtype), name).toBe(e.hex);
    }
    expect((ckpt.metadata as { widened_dtypes: object }).widened_dtypes).toEqual({ i16: 'int16', i8: 'int8' });
  });

  it('with --layers, names the layers after the file and writes a trainable model', async () => {
    const out = path.join(tmp(), 'mlp.weights.json');
    const r = await cli('convert', path.join(FIXTURES, 'nested.pt'), out, '--layers', 'Linear(2,3) ReLU Linear(3,1)');
    // nested.pt's model also has a BatchNorm1d, which the --layers grammar has no word for: refused.
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/2 layer\(s\) with parameters.*3 layer\(s\): fc1, fc2, bn/);

    const ok = await cli('convert', path.join(FIXTURES, 'from_pytorch.weights.json'), out, '--layers', 'Linear(2,4) Tanh Linear(4,1)', '--input-shape', '2');
    expect(ok.code, ok.err).toBe(0);
    const ckpt = parseCheckpoint(fs.readFileSync(out, 'utf8'), out);
    expect(ckpt.model?.layers).toEqual([
      { type: 'Linear', in_features: 2, out_features: 4, name: 'fc1' }, { type: 'Tanh' },
      { type: 'Linear', in_features: 4, out_features: 1, name: 'fc2' },
    ]);
    expect(ckpt.model?.input_shape).toEqual([2]);
  });

  it('refuses --layers that do not fit the parameters, naming the parameter and both shapes', async () => {
    const out = path.join(tmp(), 'bad.weights.json');
    const r = await cli('convert', path.join(FIXTURES, 'from_pytorch.weights.json'), out, '--layers', 'Linear(2,5) Tanh Linear(5,1)');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/fc1\.weight.*\[4, 2\].*\[5, 2\]|fc1\.weight.*\[5, 2\].*\[4, 2\]/);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('refuses bad usage', async () => {
    expect((await cli('convert', path.join(FIXTURES, 'dtypes.pt'))).code).toBe(2);
    expect((await cli('convert', path.join(FIXTURES, 'dtypes.pt'), path.join(tmp(), 'x.pt'))).err).toMatch(/OUT must be a \.weights\.json/);
  });
});
