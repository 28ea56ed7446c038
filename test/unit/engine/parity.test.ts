// PyTorch parity: each fixture under test/fixtures/parity/training/ was trained by PyTorch
// (test/parity/gen_training.py); the same start weights, data and settings trained here through
// trainCheckpoint must end at PyTorch's weights, losses and optimizer state.
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { parseCheckpoint } from '../../../src/format/parse';
import { serializeCheckpoint } from '../../../src/format/serialize';
import { trainCheckpoint, type TrainOptions } from '../../../src/actions/train';
import type { Dataset, TaskKind } from '../../../src/engine/dataset';
import type { Checkpoint, TensorRecord } from '../../../src/format/types';
import { setGemmKernel } from '../../../src/engine/opsGemm';

const ROOT = path.join(__dirname, '../../fixtures/parity/training');
const RTOL = 1e-4, ATOL = 1e-5;

interface Expected {
  losses: number[];
  parameters: Record<string, number[]>;
  optimizer_state: Record<string, Record<string, number | number[]>>;
  frozen: string[];
  after_first?: { epochs: number; losses: number[]; parameters: Record<string, number[]>; optimizer_state: Record<string, Record<string, number | number[]>> };
}

function load(name: string) {
  const dir = path.join(ROOT, name);
  const read = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8');
  const start = parseCheckpoint(read('start.weights.json'), `${name}/start.weights.json`);
  const d = JSON.parse(read('data.json'));
  const data: Dataset = {
    name: 'parity', n: d.y.length / d.target_size, inputShape: d.input_shape, x: Float32Array.from(d.x), y: Float32Array.from(d.y),
    targetSize: d.target_size, task: d.task as TaskKind, numClasses: d.classes ?? undefined,
  };
  return { start, data, options: JSON.parse(read('options.json')) as TrainOptions, expected: JSON.parse(read('expected.json')) as Expected };
}

function expectClose(actual: ArrayLike<number>, expected: number[], what: string): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i], e = expected[i];
    if (!(Math.abs(a - e) <= ATOL + RTOL * Math.abs(e))) {
      throw new Error(`${what}[${i}]: got ${a}, PyTorch ${e} (|diff| ${Math.abs(a - e)} > atol ${ATOL} + rtol ${RTOL}·|e|)`);
    }
  }
}

function compareState(ckpt: Pick<Checkpoint, 'parameters' | 'optimizer_state'>, exp: { parameters: Record<string, number[]>; optimizer_state: Expected['optimizer_state'] }, start: Checkpoint, frozen: string[]) {
  for (const [name, values] of Object.entries(exp.parameters)) {
    const t = ckpt.parameters.get(name)!;
    if (frozen.includes(name)) {
      expect(Array.from(t.data as Float32Array), `${name} frozen: bit-identical`).toEqual(Array.from(start.parameters.get(name)!.data as Float32Array));
      expect(t.requires_grad).toBe(false);
    } else {
      expectClose(t.data as Float32Array, values, name);
    }
  }
  const state = ckpt.optimizer_state!;
  expect([...state.keys()].sort()).toEqual(Object.keys(exp.optimizer_state).sort());
  for (const [name, st] of Object.entries(exp.optimizer_state)) {
    const mine = state.get(name)!;
    expect(Object.keys(mine).sort(), `${name} state keys`).toEqual(Object.keys(st).sort());
    for (const [k, v] of Object.entries(st)) {
      if (typeof v === 'number') expect(mine[k], `${name}.${k}`).toBe(v);
      else expectClose((mine[k] as TensorRecord).data as Float32Array, v, `${name}.${k}`);
    }
  }
}

const cases = fs.readdirSync(ROOT).filter((d) => fs.statSync(path.join(ROOT, d)).isDirectory()).sort();

describe('training parity with PyTorch', () => {
  it('has the fixtures', () => expect(cases.length).toBeGreaterThanOrEqual(11));

  for (const [name, kernel] of cases.flatMap((c) => (['js', 'simd'] as const).map((k) => [c, k] as const))) {
    it(`${name} (${kernel} gemm)`, () => {
      setGemmKernel(kernel);
      try { runCase(name); } finally { setGemmKernel('auto'); }
    });
  }
});

/** Trains one fixture as PyTorch did and compares weights, losses and optimizer state. */
function runCase(name: string): void {
  const { start, data, options, expected } = load(name);
  const loadDataset = () => data;
  if (!expected.after_first) {
    const r = trainCheckpoint(start, options, { loadDataset }, name);
    expectClose(r.history.map((h) => h.loss), expected.losses, 'epoch losses');
    expect(r.history.map((h) => h.epoch)).toEqual(expected.losses.map((_, i) => i + 1));
    compareState(r, expected, start, expected.frozen);
    return;
  }
  // Save after the first part (through the real serializer and parser), resume for the rest.
  const first = trainCheckpoint(start, { ...options, epochs: expected.after_first.epochs }, { loadDataset }, name);
  compareState(first, expected.after_first, start, []);
  const saved = parseCheckpoint(serializeCheckpoint(first.checkpoint), `${name}/saved.weights.json`);
  const second = trainCheckpoint(saved, { ...options, epochs: options.epochs! - expected.after_first.epochs }, { loadDataset }, name);
  expect(second.training.history!.map((h) => h.epoch)).toEqual(expected.losses.map((_, i) => i + 1));
  expectClose(second.training.history!.map((h) => h.loss), expected.losses, 'epoch losses (6 + 6)');
  compareState(second, expected, start, []);
}
