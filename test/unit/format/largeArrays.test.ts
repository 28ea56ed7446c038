// Large flat arrays take their own path (jsonText.ts cuts them out and parses them in chunks, so
// memory stays near the file's size). These tests use arrays big enough to take that path and to
// span several chunks, and check it agrees with the ordinary path in values and in refusals.
import { describe, expect, it } from 'vitest';
import { parseCheckpoint } from '../../../src/format/parse';
import { CheckpointError } from '../../../src/format/types';
import { FILE } from './helpers';
import { parseJsonText } from '../../../src/format/jsonText';

const N = 200_000; // ~1.6 MB of text: above the cut threshold and more than one 1 MiB chunk
const fileWith = (data: string, shape = `[${N}]`, dtype = 'float32', extra = '') =>
  `{"format":"weights.json","version":1,"parameters":{"w":{"shape":${shape},"dtype":"${dtype}","data":[${data}]}}${extra}}`;
const numbers = (f: (i: number) => string) => Array.from({ length: N }, (_, i) => f(i)).join(', ');

describe('large flat arrays', () => {
  it('take the chunked path (several chunks), small ones do not', () => {
    const doc = parseJsonText(fileWith(numbers((i) => String(i / 7))));
    expect(doc.numbers).toHaveLength(1);
    expect(doc.numbers[0].chunks.length).toBeGreaterThan(1);
    expect(doc.numbers[0].length).toBe(N);
    expect(parseJsonText(fileWith('1, 2, 3', '[3]')).numbers).toHaveLength(0);
  });
  it('float32 values, NaN and Infinity tokens, across chunks, reshaped to 2-D', () => {
    const text = fileWith(numbers((i) => (i === 7 ? 'NaN' : i === 150_001 ? '-Infinity' : (i * 0.001 - 3).toFixed(3))), `[400, ${N / 400}]`);
    const d = parseCheckpoint(text, FILE).parameters.get('w')!.data as Float32Array;
    expect(d.length).toBe(N);
    expect(d[0]).toBe(Math.fround(-3));
    expect(d[199_999]).toBe(Math.fround(199_999 * 0.001 - 3));
    expect(d[7]).toBeNaN();
    expect(d[150_001]).toBe(-Infinity);
    for (let i = 1000; i < N; i += 9973) if (i !== 150_001) expect(d[i]).toBe(Math.fround(Number((i * 0.001 - 3).toFixed(3))));
  });
  it('integer dtypes are range-checked element by element', () => {
    const ok = parseCheckpoint(fileWith(numbers((i) => String(i % 256)), `[${N}]`, 'uint8'), FILE).parameters.get('w')!.data as Uint8Array;
    expect(ok[300]).toBe(300 % 256);
    const e = (() => { try { parseCheckpoint(fileWith(numbers((i) => (i === 123_456 ? '300' : '1')), `[${N}]`, 'uint8'), FILE); } catch (x) { return x; } })();
    expect(e).toBeInstanceOf(CheckpointError);
    expect((e as Error).message).toContain('data element [123456] is number 300, expected an integer from 0 to 255');
  });
  it('a non-number element far in is reported with its index', () => {
    const text = fileWith(numbers((i) => (i === 180_000 ? '"x"' : '1.5')));
    expect(() => parseCheckpoint(text, FILE)).toThrow(`${FILE}: w: data element [180000] is the string "x", expected a number`);
  });
  it('a wrong count is reported like a small array\'s', () => {
    expect(() => parseCheckpoint(fileWith(numbers(() => '1'), `[${N + 1}]`), FILE)).toThrow(`data has ${N} elements, expected ${N + 1} for shape [${N + 1}]`);
    expect(() => parseCheckpoint(fileWith(numbers(() => '1'), `[2, ${N}]`), FILE)).toThrow(`data has ${N} elements (a flat array), expected ${2 * N} for shape [2, ${N}]`);
  });
  it('large bool arrays read too', () => {
    const d = parseCheckpoint(fileWith(numbers((i) => (i % 3 === 0 ? 'true' : 'false')), `[${N}]`, 'bool'), FILE).parameters.get('w')!.data;
    expect([d[0], d[1], d[3]]).toEqual([1, 0, 1]);
  });
  it('a large "data" array in metadata comes back as an array', () => {
    const text = fileWith('1', '[1]', 'float32', `,"metadata":{"data":[${numbers((i) => String(i))}]}`);
    const m = parseCheckpoint(text, FILE).metadata as { data: number[] };
    expect(m.data.length).toBe(N);
    expect(m.data[N - 1]).toBe(N - 1);
  });
  it('malformed JSON inside a large array still gives line and column', () => {
    const text = fileWith(numbers((i) => (i === 100 ? '1.2.3' : '1')));
    expect(() => parseCheckpoint(text, FILE)).toThrow(/malformed JSON.*line 1, column \d+/);
  });
});
