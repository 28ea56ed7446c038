import { describe, expect, it } from 'vitest';
import { parseCheckpoint } from '../../../src/format/parse';
import { serializeCheckpoint, type SaveOptions } from '../../../src/format/serialize';
import { emptyCheckpoint } from '../../../src/format/tensor';
import { tensorStats } from '../../../src/format/stats';
import { numberToHalf, halfToNumber, numberToBfloat16 } from '../../../src/format/half';
import type { DType, TensorData, TensorRecord } from '../../../src/format/types';
import { FILE } from './helpers';

/** Raw bytes of a typed array, for bit-exact comparison (NaN payloads and -0 included). */
const bytes = (d: TensorData) => Array.from(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));

function roundTrip(t: TensorRecord, opts: SaveOptions): TensorRecord {
  const c = emptyCheckpoint();
  c.parameters.set('t', t);
  const text = serializeCheckpoint(c, opts);
  return parseCheckpoint(text, FILE).parameters.get('t')!;
}

/** A deterministic pseudo-random 32-bit stream, so a failing case can be reproduced. */
function bits32(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
}

function sampleTensor(dtype: DType, n: number): TensorRecord {
  const next = bits32(1234 + n);
  let data: TensorData;
  switch (dtype) {
    case 'float32': {
      const u = new Uint32Array(n);
      for (let i = 0; i < n; i++) {
        let b = next();
        if ((b & 0x7f800000) === 0x7f800000) b &= 0xbfffffff; // random bits: keep NaN/Inf out here (tested apart)
        u[i] = b;
      }
      // Edge values: ±0, smallest subnormal, largest subnormal, smallest normal, max, 0.1, 1/3.
      const edge = new Float32Array([0, -0, 1.4e-45, -1.4e-45, 1.1754942e-38, 1.17549435e-38, 3.4028235e38, -3.4028235e38, 0.1, 1 / 3]);
      data = new Float32Array(u.buffer);
      (data as Float32Array).set(edge.subarray(0, Math.min(n, edge.length)));
      break;
    }
    case 'float64': {
      const f = new Float64Array(n);
      const u = new Uint32Array(f.buffer);
      for (let i = 0; i < u.length; i++) u[i] = next();
      for (let i = 0; i < n; i++) if (!Number.isFinite(f[i])) f[i] = -0;
      data = f;
      break;
    }
    case 'float16': case 'bfloat16': {
      const h = new Uint16Array(n);
      for (let i = 0; i < n; i++) {
        let b = next() & 0xffff;
        const expMask = dtype === 'float16' ? 0x7c00 : 0x7f80;
        if ((b & expMask) === expMask) b &= ~0x4000; // finite only here
        h[i] = b;
      }
      data = h;
      break;
    }
    case 'int64': {
      const a = new BigInt64Array(n);
      for (let i = 0; i < n; i++) a[i] = BigInt((next() % 2000001) - 1000000) * 123456789n;
      data = a;
      break;
    }
    case 'int32': data = Int32Array.from({ length: n }, () => next() | 0); break;
    case 'uint8': data = Uint8Array.from({ length: n }, () => next() & 255); break;
    case 'bool': data = Uint8Array.from({ length: n }, () => next() & 1); break;
  }
  return { shape: [2, 3, n / 6], dtype, requires_grad: dtype === 'float32', data };
}

const DTYPES: DType[] = ['float32', 'float64', 'float16', 'bfloat16', 'int64', 'int32', 'uint8', 'bool'];

describe('round trips are bit-exact', () => {
  for (const dtype of DTYPES) {
    for (const encoding of ['nested', 'base64'] as const) {
      it(`${dtype}, ${encoding}`, () => {
        const t = sampleTensor(dtype, 600);
        const back = roundTrip(t, { encoding });
        expect(back.dtype).toBe(dtype);
        expect(back.shape).toEqual(t.shape);
        expect(back.requires_grad).toBe(t.requires_grad);
        expect(back.data.constructor).toBe(t.data.constructor);
        expect(bytes(back.data)).toEqual(bytes(t.data));
      });
    }
    it(`${dtype}, flat arrays as a reader input`, () => {
      const t = sampleTensor(dtype, 60);
      const c = emptyCheckpoint(); c.parameters.set('t', t);
      // Strip the inner brackets of the written nested data (text surgery keeps -0.0 and the exact digits).
      const text = serializeCheckpoint(c, { encoding: 'nested' });
      const start = text.indexOf('"data": [') + '"data": ['.length, end = text.lastIndexOf(']');
      const flat = text.slice(0, start) + text.slice(start, end).replace(/[[\]]/g, '') + text.slice(end);
      expect(flat).not.toMatch(/"data": \[\s*\[/);
      const back = parseCheckpoint(flat, FILE).parameters.get('t')!;
      expect(bytes(back.data)).toEqual(bytes(t.data));
    });
  }

  it('float32: 20000 random bit patterns write → read identical, with the shortest decimals', () => {
    const next = bits32(99);
    const u = new Uint32Array(20000);
    for (let i = 0; i < u.length; i++) { const b = next(); u[i] = (b & 0x7f800000) === 0x7f800000 ? b & 0x807fffff : b; }
    const t: TensorRecord = { shape: [u.length], dtype: 'float32', requires_grad: true, data: new Float32Array(u.buffer) };
    const back = roundTrip(t, { encoding: 'nested' });
    expect(new Uint32Array(back.data.buffer)).toEqual(u);
  });

  it('float32 decimals are the shortest: 0.1 stays 0.1, -0 stays -0.0', () => {
    const c = emptyCheckpoint();
    c.parameters.set('t', { shape: [4], dtype: 'float32', requires_grad: true, data: new Float32Array([0.1, -0, 1e-45, 3.4028234663852886e38]) });
    const text = serializeCheckpoint(c, { encoding: 'nested' });
    expect(text).toContain('[0.1, -0.0, 1e-45, 3.4028235e+38]');
  });

  it('auto encoding: nested up to the threshold, base64 above', () => {
    const c = emptyCheckpoint();
    c.parameters.set('small', { shape: [4], dtype: 'float32', requires_grad: true, data: new Float32Array(4) });
    c.parameters.set('big', { shape: [5], dtype: 'float32', requires_grad: true, data: new Float32Array(5) });
    const obj = JSON.parse(serializeCheckpoint(c, { base64Threshold: 4 }));
    expect(Array.isArray(obj.parameters.small.data)).toBe(true);
    expect(obj.parameters.big.data.startsWith('base64:')).toBe(true);
  });

  it('int64 beyond ±2^53 goes base64 even in nested mode, and reads back exactly', () => {
    const t: TensorRecord = { shape: [2], dtype: 'int64', requires_grad: false, data: new BigInt64Array([2n ** 60n + 1n, -5n]) };
    const c = emptyCheckpoint(); c.parameters.set('t', t);
    const text = serializeCheckpoint(c, { encoding: 'nested' });
    expect(text).toContain('"base64:');
    expect(Array.from(parseCheckpoint(text, FILE).parameters.get('t')!.data as BigInt64Array)).toEqual([2n ** 60n + 1n, -5n]);
  });

  it('nested output puts one innermost row per line', () => {
    const c = emptyCheckpoint();
    c.parameters.set('w', { shape: [2, 3], dtype: 'float32', requires_grad: true, data: new Float32Array([1, 2, 3, 4, 5, 6]) });
    expect(serializeCheckpoint(c, { encoding: 'nested' })).toContain('"data": [\n        [1.0, 2.0, 3.0],\n        [4.0, 5.0, 6.0]\n      ]');
  });

  it('scalars and empty tensors', () => {
    for (const shape of [[], [0], [2, 0], [0, 3]]) {
      const n = shape.reduce((a, b) => a * b, 1);
      const t: TensorRecord = { shape, dtype: 'float32', requires_grad: true, data: new Float32Array(n).fill(2.5) };
      for (const encoding of ['nested', 'base64'] as const) {
        const back = roundTrip(t, { encoding });
        expect(back.shape).toEqual(shape);
        expect(Array.from(back.data as Float32Array)).toEqual(Array.from(t.data as Float32Array));
      }
    }
  });
});

describe('half precision conversions', () => {
  it('float16 bits ↔ number for every one of the 65536 patterns', () => {
    for (let b = 0; b < 65536; b++) {
      const x = halfToNumber(b);
      if (Number.isNaN(x)) continue;
      expect(numberToHalf(x)).toBe(b);
    }
  });
  it('rounds to nearest even like torch', () => {
    expect(numberToHalf(1 + 2 ** -11)).toBe(0x3c00); // tie → even (1.0)
    expect(numberToHalf(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie → even (up)
    expect(numberToHalf(65520)).toBe(0x7c00); // overflows to +Inf as torch does
    expect(numberToBfloat16(1 + 2 ** -8)).toBe(0x3f80);
  });
});

describe('NaN and Infinity tokens', () => {
  const text = `{"format": "weights.json", "version": 1, "parameters": {
    "w": {"shape": [2, 3], "data": [[NaN, Infinity, -Infinity], [1, -0.0, 2]]},
    "h": {"shape": [2], "dtype": "float16", "data": [NaN, -Infinity]}
  }, "metadata": {"note": "NaN and Infinity inside strings stay text", "best": NaN}}`;
  it('parse as non-finite values and tensorStats counts them apart', () => {
    const c = parseCheckpoint(text, FILE);
    const w = c.parameters.get('w')!;
    const s = tensorStats(w);
    expect(s).toMatchObject({ nonfinite: 3, nan: 1, posinf: 1, neginf: 1, numel: 6, zeros: 1, min: -0, max: 2, mean: 1 });
    expect(Object.is((w.data as Float32Array)[4], -0)).toBe(true);
    expect(tensorStats(c.parameters.get('h')!)).toMatchObject({ nan: 1, neginf: 1, mean: null, std: null, l2: null });
    expect(c.metadata).toEqual({ note: 'NaN and Infinity inside strings stay text', best: NaN });
  });
  it('are written back as bare tokens', () => {
    const out = serializeCheckpoint(parseCheckpoint(text, FILE), { encoding: 'nested' });
    expect(out).toContain('[NaN, Infinity, -Infinity]');
    expect(out).toContain('"best": NaN');
    expect(out).toContain('NaN and Infinity inside strings stay text');
  });
  it('"NaN" inside base64 text is not a token', () => {
    // 'AAAANaN/' is valid base64 containing "NaN".
    const c = parseCheckpoint('{"format":"weights.json","version":1,"parameters":{"b":{"shape":[6],"dtype":"uint8","data":"base64:AAAANaN/"}}}', FILE);
    expect(Array.from(c.parameters.get('b')!.data as Uint8Array)).toEqual([0, 0, 0, 53, 163, 127]);
  });
});

describe('base64 strings outside tensors and unusual spellings', () => {
  it('"base64:…" strings in metadata (values and keys) come back as the same strings', () => {
    const text = '{"format":"weights.json","version":1,"parameters":{},"metadata":{"blob":"base64:AAAA","base64:key":["base64:QUJD"]},"x":"base64:"}';
    const c = parseCheckpoint(text, FILE);
    expect(c.metadata).toEqual({ blob: 'base64:AAAA', 'base64:key': ['base64:QUJD'] });
    expect(c.extra.get('x')).toBe('base64:');
    expect(JSON.parse(serializeCheckpoint(c)).metadata).toEqual(c.metadata);
  });
  it('base64 with an escaped "\\/" (legal JSON) and an escaped quote before "base64:" in a string', () => {
    const bytes = new Uint8Array([0xff, 0xff, 0xff, 0xfe]); // base64 "/////g=="
    const text = '{"format":"weights.json","version":1,"metadata":{"note":"say \\"base64:AAAA\\" here"},"parameters":{"t":{"shape":[4],"dtype":"uint8","data":"base64:\\/\\/\\/\\/\\/g=="}}}';
    const c = parseCheckpoint(text, FILE);
    expect(Array.from(c.parameters.get('t')!.data as Uint8Array)).toEqual(Array.from(bytes));
    expect(c.metadata).toEqual({ note: 'say "base64:AAAA" here' });
  });
});

describe('what the file says is kept', () => {
  it('top-level key order, unknown keys in place, metadata untouched, parameter order', () => {
    const text = `{"version": 1, "x-tool": {"a": [1, 2], "b": null}, "format": "weights.json",
      "parameters": {"z": {"shape": [1], "data": [1]}, "a": {"shape": [1], "data": [2]}, "m": {"shape": [1], "data": [3]}},
      "metadata": {"author": "me", "nested": {"deep": [{"k": 1.5}]}}, "zz": 3}`;
    const c = parseCheckpoint(text, FILE);
    expect(c.keyOrder).toEqual(['version', 'x-tool', 'format', 'parameters', 'metadata', 'zz']);
    expect([...c.extra.keys()]).toEqual(['x-tool', 'zz']);
    const back = JSON.parse(serializeCheckpoint(c));
    expect(Object.keys(back)).toEqual(['version', 'x-tool', 'format', 'parameters', 'metadata', 'zz']);
    expect(Object.keys(back.parameters)).toEqual(['z', 'a', 'm']);
    expect(back.metadata).toEqual({ author: 'me', nested: { deep: [{ k: 1.5 }] } });
    expect(back['x-tool']).toEqual({ a: [1, 2], b: null });
  });
  it('sections added after reading go in the canonical place', () => {
    const c = parseCheckpoint('{"format":"weights.json","version":1,"parameters":{}}', FILE);
    c.training = { loss: 'mse', history: [{ epoch: 1, loss: 0.5 }] };
    c.optimizer = { type: 'SGD', lr: 0.1 };
    expect(Object.keys(JSON.parse(serializeCheckpoint(c)))).toEqual(['format', 'version', 'parameters', 'optimizer', 'training']);
  });
  it('model, optimizer, optimizer_state and training survive a round trip', () => {
    const obj = {
      format: 'weights.json', version: 1,
      model: { name: 'm', layers: [{ type: 'Linear', name: 'fc', in_features: 2, out_features: 1, bias: false }], extra_key: 'kept' },
      parameters: { 'fc.weight': { shape: [1, 2], data: [[1, 2]] } },
      optimizer: { type: 'Adam', lr: 0.01, betas: [0.8, 0.99] },
      optimizer_state: { 'fc.weight': { step: 4, exp_avg: { shape: [1, 2], data: [[0.5, 0.25]] } } },
      training: { dataset: { csv: 'd.csv', target: 'y' }, loss: 'mse', history: [{ epoch: 1, loss: 0.3 }] },
    };
    const c = parseCheckpoint(JSON.stringify(obj), FILE);
    const st = c.optimizer_state!.get('fc.weight')!;
    expect(st.step).toBe(4);
    expect(Array.from((st.exp_avg as TensorRecord).data as Float32Array)).toEqual([0.5, 0.25]);
    expect((st.exp_avg as TensorRecord).requires_grad).toBe(false);
    const back = JSON.parse(serializeCheckpoint(c));
    expect(back.model).toEqual(obj.model);
    expect(back.optimizer).toEqual(obj.optimizer);
    expect(back.training).toEqual(obj.training);
    expect(back.optimizer_state['fc.weight'].step).toBe(4);
    expect(back.optimizer_state['fc.weight'].exp_avg.data).toEqual([[0.5, 0.25]]);
  });
  it('accepts Uint8Array input (UTF-8)', () => {
    const text = '{"format":"weights.json","version":1,"parameters":{"ü":{"shape":[1],"data":[1]}}}';
    expect([...parseCheckpoint(new TextEncoder().encode(text), FILE).parameters.keys()]).toEqual(['ü']);
  });
});
