import { describe, expect, it } from 'vitest';
import { CHUNK, float32Values, histogramOf, reduceTensor, statsOf, thumbnailOf } from '../../../src/extension/editor/tensorSummary';
import { buildEditorState, histogramBins } from '../../../src/extension/editor/viewState';
import { numberToBfloat16, numberToHalf } from '../../../src/format/half';
import { tensorStats } from '../../../src/format/stats';
import { emptyCheckpoint, toFloat64Array } from '../../../src/format/tensor';
import type { TensorRecord } from '../../../src/format/types';
import { layoutFor } from '../../../src/view/layout';
import { reduceToGrid } from '../../../src/view/reduce';

/** Deterministic values with a NaN, an infinity and zeros in them. */
function values(n: number): number[] {
  const out: number[] = [];
  let s = 12345;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    out.push(((s / 2 ** 31) - 0.5) * 4);
  }
  out[3] = NaN; out[7] = Infinity; out[11] = 0; out[n - 1] = -7.5;
  return out;
}

function tensors(shape: number[]): TensorRecord[] {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = values(n);
  return [
    { shape, dtype: 'float32', requires_grad: true, data: Float32Array.from(v) },
    { shape, dtype: 'float64', requires_grad: true, data: Float64Array.from(v) },
    { shape, dtype: 'bfloat16', requires_grad: true, data: Uint16Array.from(v, numberToBfloat16) },
    { shape, dtype: 'float16', requires_grad: true, data: Uint16Array.from(v, numberToHalf) },
    { shape, dtype: 'int64', requires_grad: false, data: BigInt64Array.from(v, (x) => BigInt(Number.isFinite(x) ? Math.round(x * 100) : 0)) },
  ];
}

describe('tensorSummary: the same numbers as the whole-array code, without a Float64Array copy', () => {
  // More than one chunk, so the chunked passes are exercised.
  const shape = [3, CHUNK / 4 + 5, 5];
  for (const t of tensors(shape)) {
    it(`${t.dtype}: statistics, histogram, thumbnail`, async () => {
      let pauses = 0;
      const pause = async () => { pauses++; };
      const stats = await statsOf(t, pause);
      expect(stats).toEqual(tensorStats(t));
      expect(pauses).toBeGreaterThan(0);
      const ckpt = emptyCheckpoint();
      ckpt.parameters.set('w', t);
      const reference = buildEditorState(ckpt, 'x.weights.json', 0).params[0];
      expect(await histogramOf(t, stats, histogramBins(stats.numel), pause)).toEqual(reference.histogram);
      expect(await thumbnailOf(layoutFor(t.shape, reference.role), t, stats, 16, 32, pause)).toEqual(reference.thumbnail);
    });
  }

  it('block reduction keeps the most extreme element of each block, as reduceToGrid', async () => {
    // A Conv2d grid (gaps between tiles: one call per cell) and plain matrices (scanned in memory order).
    for (const t of [...tensors([64, 3, 7, 7]), ...tensors([300, 701]), ...tensors([5000])]) {
      const layout = layoutFor(t.shape, { layerType: t.shape.length === 4 ? 'Conv2d' : 'Linear', local: 'weight' });
      const mine = await reduceTensor(layout, t, 50, 40);
      const theirs = reduceToGrid(layout, toFloat64Array(t), 50, 40);
      expect(Array.from(mine.index)).toEqual(Array.from(theirs.index));
      expect(Array.from(mine.values)).toEqual(Array.from(theirs.values));
    }
  });

  it('ties go to the first element met, every non-finite value outranks every finite one', async () => {
    // Blocks of 4 x 4 (and of 1 x 4, and single columns): equal magnitudes of both signs, an
    // infinity before a NaN and after one, a NaN before a huge finite value.
    const rows = 16, cols = 16, data = new Float32Array(rows * cols).fill(0.5);
    const put = (r: number, c: number, v: number) => { data[r * cols + c] = v; };
    put(0, 1, -2); put(1, 0, 2); put(0, 5, Infinity); put(2, 6, NaN); put(4, 1, NaN); put(5, 2, -Infinity);
    put(4, 9, NaN); put(4, 10, 3e38); put(9, 9, -1); put(9, 10, 1); put(12, 12, 0.5);
    const f32: TensorRecord = { shape: [rows, cols], dtype: 'float32', requires_grad: true, data };
    // Halves are compared as their bits: the same choices as comparing the decoded values.
    const bf16: TensorRecord = { ...f32, dtype: 'bfloat16', data: Uint16Array.from(data, numberToBfloat16) };
    const f16: TensorRecord = { ...f32, dtype: 'float16', data: Uint16Array.from(data, numberToHalf) };
    const layout = layoutFor(f32.shape, { layerType: 'Linear', local: 'weight' });
    for (const t of [f32, bf16, f16]) {
      for (const [maxR, maxC] of [[4, 4], [16, 4], [4, 16], [16, 16]]) {
        const mine = await reduceTensor(layout, t, maxR, maxC);
        const theirs = reduceToGrid(layout, toFloat64Array(t), maxR, maxC);
        expect(Array.from(mine.index), `${t.dtype} ${maxR} x ${maxC}`).toEqual(Array.from(theirs.index));
      }
    }
  });

  it('float32Values decodes halves and copies float32', async () => {
    const [f32, , bf16] = tensors([10]);
    const a = await float32Values(f32);
    expect(a).not.toBe(f32.data);
    expect(Array.from(a)).toEqual(Array.from(f32.data as Float32Array));
    expect(Array.from(await float32Values(bf16))).toEqual(Array.from(Float32Array.from(toFloat64Array(bf16))));
  });

  it('a cancelled job stops at a pause', async () => {
    const [t] = tensors([CHUNK * 3]);
    await expect(statsOf(t, async () => { throw new Error('cancelled'); })).rejects.toThrow('cancelled');
  });
});

describe('reduceTensor over facet layouts (folded, wrapped, faceted): the offsets fast path', () => {
  const f32 = (shape: number[], seed: number): TensorRecord => {
    const n = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = Math.sin(i * 0.37 + seed) * (i % 11 === 0 ? 3 : 1);
    if (n > 5) { data[3] = NaN; data[n - 2] = -Infinity; }
    return { shape, dtype: 'float32', data, requires_grad: true };
  };
  // The same layout with at() only: reduceTensor then takes the generic per-cell path.
  const withoutOffsets = (l: ReturnType<typeof layoutFor>) => ({ ...l, separable: undefined });
  const cases: [string, number[], string][] = [
    ['a tall matrix folded into row blocks', [5000, 24], 'weight'],
    ['a wide matrix folded into column bands', [12, 6000], 'weight'],
    ['a long vector wrapped into rows', [3000], 'bias'],
    ['a 4-D tensor as facets', [3, 5, 7, 9], 'rel_pos_bias'],
    ['a 3-D tensor wrapped over its leading dimension', [12, 64, 64], 'buffer'],
  ];
  for (const [what, shape, local] of cases) {
    it(`${what} ${JSON.stringify(shape)}: the same cells as the per-cell path, at every size, float32, bfloat16 and float64`, async () => {
      const layout = layoutFor(shape, { local });
      expect(layout.separable, `${layout.kind} exposes its offsets`).toBeDefined();
      const t32 = f32(shape, shape.length);
      const v = t32.data as Float32Array;
      for (const [t, [maxR, maxC]] of [t32, { ...t32, dtype: 'bfloat16', data: Uint16Array.from(v, numberToBfloat16) } as TensorRecord, { ...t32, dtype: 'float64', data: Float64Array.from(v) } as TensorRecord]
        .flatMap((t) => [[4096, 4096], [64, 64], [7, 5]].map((size) => [t, size] as const))) {
        const fast = await reduceTensor(layout, t, maxR, maxC);
        const slow = await reduceTensor(withoutOffsets(layout), t, maxR, maxC);
        expect(Array.from(fast.index)).toEqual(Array.from(slow.index));
        expect(Array.from(fast.values)).toEqual(Array.from(slow.values));
      }
    });
  }
});
