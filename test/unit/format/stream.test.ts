// The streaming reader (streamScan.ts + streamValues.ts) against the whole-file parser: the same
// values bit for bit, in every dtype and data form, whatever the chunk boundaries; and the same
// refusals, with the same messages for everything about a tensor.
import { describe, expect, it } from 'vitest';
import { memorySource, type ByteSource } from '../../../src/format/byteSource';
import { parseCheckpoint } from '../../../src/format/parse';
import { serializeCheckpoint } from '../../../src/format/serialize';
import { scanCheckpoint } from '../../../src/format/streamScan';
import { jsonNumberAt, readTensorValues, readValuesAt } from '../../../src/format/streamValues';
import { allocData, toFloat64Array } from '../../../src/format/tensor';
import { CheckpointError, DTYPES, type Checkpoint, type DType, type TensorRecord } from '../../../src/format/types';
import { baseFile, FILE } from './helpers';

/** A source that hands out at most a few bytes per read, so every token meets a chunk's edge somewhere. */
function dribble(bytes: Uint8Array, seed: number): ByteSource {
  const mem = memorySource(bytes);
  let s = seed;
  return {
    size: bytes.length,
    read(into, position) {
      s = (s * 1103515245 + 12345) >>> 0;
      return mem.read(into.subarray(0, 1 + (s % 13)), position);
    },
  };
}

const encode = (text: string) => new TextEncoder().encode(text);

/** Every tensor's values as the streaming reader gives them, by label. */
async function streamValues(text: string, src: ByteSource = memorySource(encode(text))): Promise<Map<string, number[]>> {
  const outline = await scanCheckpoint(src, FILE);
  const out = new Map<string, number[]>();
  for (const t of outline.tensors) {
    const values: number[] = [];
    await readTensorValues(src, FILE, t, (v, n) => { for (let i = 0; i < n; i++) values.push(v[i]); });
    out.set(t.label, values);
  }
  return out;
}

/** The same from the whole-file parser: each tensor's stored values as numbers. */
function parsedValues(text: string): Map<string, number[]> {
  const ckpt = parseCheckpoint(text, FILE);
  const out = new Map<string, number[]>();
  for (const [n, t] of ckpt.parameters) out.set(n, Array.from(toFloat64Array(t)));
  for (const [n, t] of ckpt.buffers ?? []) out.set(`buffers.${n}`, Array.from(toFloat64Array(t)));
  return out;
}

/** Bitwise equality of two value lists (NaN equals NaN, -0 differs from 0). */
function expectSameValues(a: Map<string, number[]>, b: Map<string, number[]>, ordered = true): void {
  // (JSON.parse puts integer-like keys such as "1" first; the stream keeps the file's order.)
  if (ordered) expect([...a.keys()]).toEqual([...b.keys()]); else expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
  for (const [k, va] of a) {
    const vb = b.get(k)!;
    expect(va.length, k).toBe(vb.length);
    for (let i = 0; i < va.length; i++) if (!Object.is(va[i], vb[i])) expect(`${k}[${i}] = ${va[i]}`).toBe(`${k}[${i}] = ${vb[i]}`);
  }
}

let seed = 7;
const rnd = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);

/** A tensor of `dtype` with awkward values: signs, -0, tiny and huge magnitudes, NaN and ±Infinity where the dtype has them. */
function tensorOf(dtype: DType, shape: number[]): TensorRecord {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = allocData(dtype, n);
  const specials = [0, -0, NaN, Infinity, -Infinity, 1e-30, 3.4e38, 65504, 1 / 3];
  for (let i = 0; i < n; i++) {
    const x = i < specials.length && rnd() < 0.5 ? specials[i] : (rnd() - 0.5) * 10 ** Math.floor(rnd() * 8 - 4);
    if (data instanceof BigInt64Array) data[i] = BigInt(Math.round((rnd() - 0.5) * 2 ** 62));
    else if (dtype === 'float16' || dtype === 'bfloat16') data[i] = Math.floor(rnd() * 65536);
    else if (dtype === 'bool') data[i] = rnd() < 0.5 ? 1 : 0;
    else if (dtype === 'uint8') data[i] = Math.floor(rnd() * 256);
    else if (dtype === 'int32') data[i] = Math.floor((rnd() - 0.5) * 2 ** 32);
    else data[i] = x;
  }
  return { shape, dtype, requires_grad: rnd() < 0.5, data };
}

function checkpointOf(tensors: [string, TensorRecord][], buffers: [string, TensorRecord][] = []): Checkpoint {
  return {
    format: 'weights.json', version: 1, parameters: new Map(tensors), ...(buffers.length ? { buffers: new Map(buffers) } : {}),
    extra: new Map(), keyOrder: ['format', 'version', 'parameters', ...(buffers.length ? ['buffers'] : [])],
  };
}

describe('streaming reader: the same values as the whole-file parser', () => {
  const shapes = [[], [0], [1], [7], [3, 5], [2, 0, 3], [2, 3, 2, 2], [40, 30]];
  for (const encoding of ['nested', 'base64'] as const) {
    it(`every dtype and shape, ${encoding}, read a few bytes at a time`, async () => {
      const tensors: [string, TensorRecord][] = [];
      for (const dtype of DTYPES) for (const shape of shapes) tensors.push([`${dtype}.${shape.join('x') || 'scalar'}`, tensorOf(dtype, shape)]);
      const text = serializeCheckpoint(checkpointOf(tensors, [['running_mean', tensorOf('float32', [4])]]), { encoding });
      const expected = parsedValues(text);
      expectSameValues(await streamValues(text), expected);
      expectSameValues(await streamValues(text, dribble(encode(text), 3)), expected);
    });
  }
  it('flat arrays, a scalar without brackets, odd spacing, escaped "/" in base64, data before shape', async () => {
    const slash = Buffer.from(new Float32Array([1.5, -2, 0.25]).buffer).toString('base64'); // has no "/": add one by hand
    const withSlash = Buffer.from(new Uint8Array([0xff, 0xff, 0x7f, 0x3f])).toString('base64'); // "//9/Pw=="
    expect(withSlash).toContain('/');
    const text = `{ "format" : "weights.json" , "version":1,
      "parameters": {
        "flat": {"shape": [2,3], "data": [ 1 , 2.5e0,-3E-2,
          4.0000001 , 1e400 , -0.0 ]},
        "scalar": {"data": 2.75, "shape": [], "dtype": "float64"},
        "b64": {"dtype":"float32","shape":[3],"data":"base64:${slash}"},
        "esc": {"shape":[1],"data":"base64:${withSlash.replace(/\//g, '\\/')}"},
        "nan": {"shape":[3],"data":[NaN, -Infinity, Infinity]},
        "ints": {"shape":[2],"dtype":"int64","data":[9007199254740991, -9007199254740991]}
      },
      "optimizer_state": {"flat": {"momentum_buffer": {"shape":[2,3],"data":"base64:${Buffer.alloc(24).toString('base64')}"}}},
      "metadata": {"note": "a ] and a } and a \\" inside a string"}
    }`;
    const expected = parsedValues(text);
    expectSameValues(await streamValues(text), expected);
    expectSameValues(await streamValues(text, dribble(encode(text), 11)), expected);
  });
  it('skips strings with every run of backslashes before a quote, wherever the chunks cut them', async () => {
    const tricky = ['\\', '\"', '\\\"]', 'a\\\\"}', '\\"\\\\', '"]}[{', 'base64:AAAA'];
    const meta = Object.fromEntries(tricky.map((t, i) => [`k${i}${t}`, [t, { [t]: t }]]));
    const text = JSON.stringify({ format: 'weights.json', version: 1, metadata: meta, parameters: { w: { shape: [2], data: [1, 2] } }, training: { note: tricky } });
    const expected = parsedValues(text);
    for (let seedN = 1; seedN <= 25; seedN++) expectSameValues(await streamValues(text, dribble(encode(text), seedN)), expected);
  });
  it('base64 with the url-safe "-" and "_" reads as with "+" and "/", in every reader', async () => {
    const bytes = new Uint8Array(48).map((_, i) => (i * 37 + 251) & 0xff);
    const standard = Buffer.from(bytes).toString('base64');
    expect(standard).toMatch(/[+/]/);
    const file = (b64: string) => `{"format":"weights.json","version":1,"parameters":{"w":{"shape":[12],"data":"base64:${b64}"}}}`;
    const expected = parsedValues(file(standard));
    const urlSafe = file(standard.replace(/\+/g, '-').replace(/\//g, '_'));
    expectSameValues(parsedValues(urlSafe), expected);
    expectSameValues(await streamValues(urlSafe, dribble(encode(urlSafe), 4)), expected);
  });
  it('a file starting with a UTF-8 byte order mark reads as without it', async () => {
    const plain = JSON.stringify(baseFile()), text = '\ufeff' + plain;
    expectSameValues(await streamValues(text, dribble(encode(text), 2)), parsedValues(plain));
  });
  it('the outline has names, shapes, dtypes, flags and the model', async () => {
    const text = JSON.stringify(baseFile());
    const o = await scanCheckpoint(memorySource(encode(text)), FILE);
    expect(o.model?.layers.map((l) => l.type)).toEqual(['Linear', 'ReLU', 'Linear']);
    expect(o.tensors.map((t) => [t.name, t.shape, t.dtype, t.requires_grad])).toEqual([
      ['fc1.weight', [3, 2], 'float32', true], ['fc1.bias', [3], 'float32', true],
      ['fc2.weight', [1, 3], 'float32', true], ['fc2.bias', [1], 'float32', true],
    ]);
    const w = o.tensors[0];
    expect(text.slice(w.data.start, w.data.end)).toBe('[[0.5,-1],[0.25,2],[0,1.5]]');
  });
  it('long decimals into float32 (as Python writes a float32 tensor.tolist()): the same float32 as JSON.parse + fround, even next to a rounding midpoint', async () => {
    const f32 = new Float32Array(1), u32 = new Uint32Array(f32.buffer);
    const texts: string[] = [];
    for (let i = 0; i < 3000; i++) {
      f32[0] = (rnd() - 0.5) * 10 ** Math.floor(rnd() * 12 - 6);
      texts.push(String(f32[0])); // the float64 repr of a float32: up to 17 digits
      // A midpoint between two float32 neighbours, written with 17–21 digits and nudged by a last-digit step either way.
      const f = f32[0];
      u32[0] += 1;
      const mid = (f + f32[0]) / 2;
      const digits = 17 + (i % 5);
      const t = mid.toPrecision(Math.min(21, digits));
      texts.push(t, t.replace(/(\d)(e|$)/, (_, d: string, rest: string) => `${d}1${rest}`));
    }
    const text = `{"format":"weights.json","version":1,"parameters":{"w":{"shape":[${texts.length}],"data":[${texts.join(',')}]}}}`;
    expectSameValues(await streamValues(text), parsedValues(text));
  });
  it('reads numbers exactly as JSON.parse does', () => {
    const cases = ['0', '-0', '1', '-1.5', '0.1', '0.30000000000000004', '1e22', '1e23', '1e-22', '1e-23', '123456789012345',
      '1234567890123456789', '0.000001234', '1.7976931348623157e308', '5e-324', '2.5E+3', '-3.4028235e38', '1e99999', '0.0000000000000000000000001'];
    for (const c of cases) expect(Object.is(jsonNumberAt(encode(c), 0, c.length), JSON.parse(c)), c).toBe(true);
    for (let i = 0; i < 2000; i++) {
      const x = Math.fround((rnd() - 0.5) * 10 ** Math.floor(rnd() * 20 - 10));
      for (const c of [String(x), x.toPrecision(9), x.toExponential(6)]) expect(jsonNumberAt(encode(c), 0, c.length), c).toBe(JSON.parse(c));
    }
    for (const bad of ['01', '1.', '.5', '-', '1e', '1e+', '+1', '1.2.3', '--1']) expect(jsonNumberAt(encode(bad), 0, bad.length), bad).toBeUndefined();
  });
});

/** The CheckpointError each reader throws for `input`, or null when it reads it. */
async function refusals(input: Record<string, any> | string): Promise<{ parsed: CheckpointError | null; streamed: CheckpointError | null }> {
  const text = typeof input === 'string' ? input : JSON.stringify(input);
  const caught = async (f: () => unknown): Promise<CheckpointError | null> => {
    try { await f(); return null; } catch (e) { if (e instanceof CheckpointError) return e; throw e; }
  };
  return {
    parsed: await caught(() => parseCheckpoint(text, FILE)),
    streamed: await caught(() => streamValues(text, dribble(encode(text), 5))),
  };
}

const withTensor = (t: unknown) => { const f = baseFile(); delete f.model; f.parameters = { w: t }; return f; };

describe('streaming reader: long base64 strings', () => {
  const big = (data: string, fields = '"shape":[2000,100],"dtype":"float32",') =>
    `{"format":"weights.json","version":1,"parameters":{"w":{${fields}"data":"base64:${data}"},"b":{"shape":[1],"data":[1]}}}`;
  const b64 = Buffer.from(new Float32Array(200_000).map((_, i) => Math.sin(i)).buffer).toString('base64');

  it('data before its shape, an escaped "/" or no padding: the outline spans the string quote to quote, the values read alike', async () => {
    const dataFirst = `{"format":"weights.json","version":1,"parameters":{"w":{"data":"base64:${b64}","shape":[2000,100]},"b":{"shape":[1],"data":[1]}}}`;
    for (const text of [dataFirst, big(b64.replace(/\//g, '\\/')), big(b64.replace(/=+$/, ''))]) {
      const bytes = encode(text);
      const outline = await scanCheckpoint(memorySource(bytes), FILE);
      expect(outline.tensors.map((t) => t.name)).toEqual(['w', 'b']);
      expect(bytes[outline.tensors[0].data.start]).toBe(0x22);
      expect(bytes[outline.tensors[0].data.end - 1]).toBe(0x22); // from its opening quote to its closing one
      expectSameValues(await streamValues(text), parsedValues(text));
    }
  });
  it('a stray quote inside, with a quote where the length says: refused as the whole-file parser refuses it, in one pass too', async () => {
    const broken = b64.slice(0, 100) + '"' + b64.slice(101);
    const { parsed, streamed } = await refusals(big(broken));
    expect(parsed).not.toBeNull();
    expect(streamed).not.toBeNull(); // the outline alone: a syntax error where the string seems to end, as JSON.parse says
    await expect(onePass(big(broken), 4)).rejects.toThrow(`${FILE}: w: `); // read in one pass: the values reader names the tensor
  });
  it('an escaped quote at the very end, where the closing one should be: refused too, in one pass too', async () => {
    const broken = b64.slice(0, -2) + '\\"';
    const { parsed, streamed } = await refusals(big(broken));
    expect(parsed).not.toBeNull();
    expect(streamed).not.toBeNull();
    await expect(onePass(big(broken), 4)).rejects.toThrow(`${FILE}: `);
  });
});

/** Every tensor's values as a scan with a data hook gives them, and how many bytes the source served. */
async function onePass(text: string, seedN?: number): Promise<{ values: Map<string, number[]>; served: number }> {
  const bytes = encode(text);
  const inner = seedN === undefined ? memorySource(bytes) : dribble(bytes, seedN);
  let served = 0;
  const src: ByteSource = { size: bytes.length, async read(into, position) { const n = await inner.read(into, position); served += n; return n; } };
  const values = new Map<string, number[]>();
  const outline = await scanCheckpoint(src, FILE, undefined, async (t, r) => {
    const got: number[] = [];
    await readValuesAt(r, FILE, t, (v, n) => { for (let i = 0; i < n; i++) got.push(v[i]); });
    values.set(t.label, got);
  });
  // Tensors the hook did not get (data before its shape or dtype) are read by their range, as before.
  for (const t of outline.tensors) {
    if (values.has(t.label)) continue;
    const got: number[] = [];
    await readTensorValues(src, FILE, t, (v, n) => { for (let i = 0; i < n; i++) got.push(v[i]); });
    values.set(t.label, got);
  }
  return { values: new Map(outline.tensors.map((t) => [t.label, values.get(t.label)!])), served };
}

describe('streaming reader: values read during the scan (one pass)', () => {
  it('every dtype and form, a few bytes at a time: the parser\'s values, the file read once', async () => {
    const tensors: [string, TensorRecord][] = [];
    for (const dtype of DTYPES) for (const shape of [[], [0], [7], [3, 5], [40, 30]]) tensors.push([`${dtype}.${shape.join('x') || 'scalar'}`, tensorOf(dtype, shape)]);
    for (const encoding of ['nested', 'base64'] as const) {
      const text = serializeCheckpoint(checkpointOf(tensors, [['running_mean', tensorOf('float32', [4])]]), { encoding });
      const expected = parsedValues(text);
      const { values, served } = await onePass(text);
      expectSameValues(values, expected);
      expect(served, encoding).toBe(encode(text).length);
      expectSameValues((await onePass(text, 9)).values, expected);
    }
  });
  it('data before its shape or dtype, or with no dtype: read by its range after the scan, to the same values', async () => {
    const text = `{"format":"weights.json","version":1,"parameters":{
      "late": {"data": [[1, 2.5], [3, -4]], "shape": [2, 2], "dtype": "float32"},
      "nodtype": {"shape": [3], "data": [0.5, 1e-3, -7]},
      "first": {"shape": [2], "dtype": "float64", "data": [1.25, NaN]}}}`;
    const { values } = await onePass(text, 3);
    expectSameValues(values, parsedValues(text));
  });
  it('a tensor\'s bad values are refused during the scan, naming it', async () => {
    const text = JSON.stringify(withTensor({ shape: [2, 3], dtype: 'float32', data: [[1, 2, 3], [4, 5]] }));
    await expect(onePass(text, 2)).rejects.toThrow(`${FILE}: w: data does not match shape [2, 3]: data[1] has 2 elements, expected 3`);
  });
});

describe('streaming reader: the same refusals', () => {
  // Everything about a tensor: both readers say the same words.
  const sameMessage: [string, unknown][] = [
    ['not an object', [1, 2]],
    ['bad shape', { shape: [2, -1], data: [] }],
    ['unknown dtype', { shape: [1], dtype: 'float8', data: [1] }],
    ['flat count', { shape: [2, 3], data: [1, 2, 3, 4, 5] }],
    ['1-D count', { shape: [4], data: [1, 2, 3] }],
    ['inner count', { shape: [2, 3], data: [[1, 2, 3], [4, 5]] }],
    ['outer count', { shape: [3, 2], data: [[1, 2], [3, 4]] }],
    ['number where an array belongs', { shape: [2, 2], data: [[1, 2], 3] }],
    ['string element', { shape: [2, 2], data: [[1, 2], [3, 'x']] }],
    ['null element', { shape: [3], data: [1, null, 3] }],
    ['array element in a flat array', { shape: [2], data: [1, [2]] }],
    ['array too deep', { shape: [1, 2], data: [[1, [2]]] }],
    ['object element', { shape: [2], data: [1, {}] }],
    ['bool takes booleans', { shape: [2], dtype: 'bool', data: [true, 1] }],
    ['float takes numbers', { shape: [2], dtype: 'float32', data: [1, true] }],
    ['int32', { shape: [1], dtype: 'int32', data: [1.5] }],
    ['uint8', { shape: [1], dtype: 'uint8', data: [256] }],
    ['int64 beyond 2^53', { shape: [1], dtype: 'int64', data: [2 ** 60] }],
    ['base64 length', { shape: [3], data: 'base64:AAAAAAAAAAA=' }],
    ['base64 alphabet', { shape: [1], data: 'base64:AAA!AA==' }],
    ['base64 not valid length', { shape: [1], data: 'base64:A' }],
    ['bool byte', { shape: [2], dtype: 'bool', data: 'base64:AQI=' }],
    ['string not base64', { shape: [1], data: 'hello' }],
    ['scalar for a vector', { shape: [2], data: 5 }],
    ['requires_grad', { shape: [1], requires_grad: 'yes', data: [1] }],
    ['no data', { shape: [1] }],
  ];
  for (const [what, t] of sameMessage) {
    it(what, async () => {
      const { parsed, streamed } = await refusals(withTensor(t));
      expect(parsed).not.toBeNull();
      expect(streamed?.message).toBe(parsed!.message);
      expect(streamed?.param).toBe(parsed!.param);
    });
  }
  it('the file, the model and the sections: refused too, naming the same parameter', async () => {
    const cases: (Record<string, any> | string)[] = [];
    const f1 = baseFile(); f1.format = 'state_dict'; cases.push(f1);
    const f2 = baseFile(); f2.version = 2; cases.push(f2);
    const f3 = baseFile(); delete f3.parameters; delete f3.model; cases.push(f3);
    const f4 = baseFile(); f4.parameters = []; delete f4.model; cases.push(f4);
    const f5 = baseFile(); f5.model.layers[1] = { type: 'Softmax' }; cases.push(f5);
    const f6 = baseFile(); f6.parameters['fc1.weight'].shape = [2, 3]; f6.parameters['fc1.weight'].data = [[1, 2, 3], [4, 5, 6]]; cases.push(f6);
    const f7 = baseFile(); f7.buffers = { running_mean: { shape: [2], data: [1] } }; cases.push(f7);
    cases.push('[1, 2]');
    for (const c of cases) {
      const { parsed, streamed } = await refusals(c);
      expect(parsed, JSON.stringify(c)).not.toBeNull();
      expect(streamed?.param, JSON.stringify(c)).toBe(parsed!.param);
      expect(streamed?.message.startsWith(`${FILE}: `)).toBe(true);
    }
  });
  it('broken JSON: refused with the byte where it broke', async () => {
    const good = JSON.stringify(baseFile());
    for (const bad of [good.slice(0, -1), good.slice(0, good.length / 2), good.replace('"version":1,', '"version":1,,'),
      good.replace('[[0.5,-1]', '[[0.5,,-1]'), good.replace('[[0.5,-1]', '[[0.5 -1]'), good + 'x', '', '{"format": "weights.json", "version": 1, "parameters": {"w": {"shape": [1], "data": [1}}}']) {
      const { parsed, streamed } = await refusals(bad);
      expect(parsed, bad).not.toBeNull();
      expect(streamed, bad).not.toBeNull();
      expect(streamed!.message).not.toContain('\n');
    }
  });
});

describe('streaming reader: damaged files', () => {
  it('never crashes, and reads whatever the whole-file parser reads, to the same values (3,000 random mutations)', async () => {
    const base = serializeCheckpoint(checkpointOf([
      ['w', tensorOf('float32', [3, 4])], ['b', tensorOf('float32', [4])], ['h', tensorOf('float16', [2, 2])],
    ], [['n', tensorOf('int64', [3])]]), { encoding: 'nested' });
    const big = serializeCheckpoint(checkpointOf([['w', tensorOf('float32', [40])]]), { encoding: 'base64' });
    const alphabet = '[]{},:"\\ 0123456789.-eE+NaInfityruls/A=';
    let agreed = 0;
    for (let i = 0; i < 3000; i++) {
      const src = i % 2 ? base : big;
      const chars = [...src];
      for (let m = 1 + Math.floor(rnd() * 3); m > 0; m--) {
        const at = Math.floor(rnd() * chars.length), kind = rnd();
        if (kind < 0.33) chars.splice(at, 1);
        else if (kind < 0.66) chars.splice(at, 0, alphabet[Math.floor(rnd() * alphabet.length)]);
        else chars[at] = alphabet[Math.floor(rnd() * alphabet.length)];
      }
      const text = chars.join('');
      let parsed: Map<string, number[]> | undefined;
      try { parsed = parsedValues(text); } catch (e) { if (!(e instanceof CheckpointError)) throw e; }
      let single: Map<string, number[]> | undefined; // the same file read in one pass
      try { single = (await onePass(text, i)).values; } catch (e) { if (!(e instanceof CheckpointError)) throw new Error(`mutation ${i}, one pass: ${String(e)}\n${text}`); }
      if (parsed) { expect(single, `mutation ${i} parses whole but not in one pass:\n${text}`).toBeDefined(); expectSameValues(single!, parsed, false); }
      let streamed: Map<string, number[]> | undefined;
      try { streamed = await streamValues(text, dribble(encode(text), i)); } catch (e) {
        if (!(e instanceof CheckpointError)) throw new Error(`mutation ${i}: ${String(e)}\n${text}`);
        expect(e.message.startsWith(`${FILE}: `)).toBe(true);
      }
      // The stream only skips the sections the hover does not show, so it may read a file the
      // parser refuses there; never the other way round.
      if (parsed) {
        expect(streamed, `mutation ${i} parses whole but not as a stream:\n${text}`).toBeDefined();
        expectSameValues(streamed!, parsed, false);
        agreed++;
      }
    }
    expect(agreed).toBeGreaterThan(20); // some mutations keep the file valid (a changed digit…)
  });
});
