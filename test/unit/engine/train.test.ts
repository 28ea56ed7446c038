// The training loop: learning, seeded shuffling, the divergence guard, stopping, shape checks,
// and no memory growth over many epochs.
import { describe, expect, it } from 'vitest';
import v8 from 'node:v8';
import vm from 'node:vm';
import { Sequential } from '../../../src/engine/model';
import { Adam, SGD } from '../../../src/engine/optim';
import { trainModel, NonFiniteError, TrainSetupError, type TrainConfig } from '../../../src/engine/train';
import type { Dataset } from '../../../src/engine/dataset';
import type { ModelSpec } from '../../../src/engine/spec';
import { Rng } from '../../../src/engine/rng';

const spec: ModelSpec = { input_shape: [2], layers: [
  { type: 'Linear', in_features: 2, out_features: 8 }, { type: 'Tanh' }, { type: 'Dropout', p: 0.1 }, { type: 'Linear', in_features: 8, out_features: 1 },
] };

function xorData(n = 64): Dataset {
  const rng = new Rng(7);
  const x = new Float32Array(n * 2), y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x[2 * i] = rng.uniformRange(-1, 1); x[2 * i + 1] = rng.uniformRange(-1, 1);
    y[i] = x[2 * i] * x[2 * i + 1] > 0 ? 1 : 0;
  }
  return { name: 'xor-test', n, inputShape: [2], x, y, targetSize: 1, task: 'binary', numClasses: 2 };
}

function model(seed = 1): Sequential {
  const m = Sequential.fromSpec(spec);
  const rng = new Rng(seed);
  for (const p of m.parameters().values()) for (let i = 0; i < p.data.length; i++) p.data[i] = rng.normal() * 0.8;
  return m;
}

const config = (o: Partial<TrainConfig> = {}): TrainConfig => ({ loss: 'bce_with_logits', epochs: 200, batchSize: 16, shuffle: true, seed: 3, firstEpoch: 1, ...o });
const weights = (m: Sequential) => [...m.parameters().values()].flatMap((p) => Array.from(p.data));

describe('trainModel', () => {
  it('lowers the loss and reports accuracy, epochs numbered from firstEpoch', () => {
    const m = model();
    const run = trainModel(m, new Adam({ lr: 0.05 }), xorData(), [2], config({ firstEpoch: 5 }));
    expect(run.history[0].epoch).toBe(5);
    expect(run.history.at(-1)!.epoch).toBe(204);
    expect(run.history.at(-1)!.loss).toBeLessThan(run.history[0].loss * 0.5);
    expect(run.history.at(-1)!.accuracy).toBeGreaterThan(0.85);
  });

  it('the same seed gives the same run; another seed another', () => {
    const go = (seed: number) => { const m = model(); trainModel(m, new SGD({ lr: 0.1 }), xorData(), [2], config({ epochs: 5, seed })); return weights(m); };
    expect(go(3)).toEqual(go(3));
    expect(go(3)).not.toEqual(go(4));
  });

  it('shuffled runs resume exactly: 3 + 2 epochs equal 5', () => {
    const a = model(), b = model();
    const optA = new Adam({ lr: 0.05 }), optB = new Adam({ lr: 0.05 });
    trainModel(a, optA, xorData(), [2], config({ epochs: 5 }));
    trainModel(b, optB, xorData(), [2], config({ epochs: 3 }));
    trainModel(b, optB, xorData(), [2], config({ epochs: 2, firstEpoch: 4 }));
    expect(weights(b)).toEqual(weights(a));
  });

  it('a diverging run stops naming the epoch and the parameter, keeping the last whole epoch', () => {
    const m = model();
    let caught: unknown;
    const seen: number[] = [];
    try {
      trainModel(m, new SGD({ lr: 1e38 }), xorData(), [2], config({ epochs: 50 }), { onEpoch: (e) => seen.push(e.epoch) });
    } catch (e) { caught = e; }
    expect(caught).toBeInstanceOf(NonFiniteError);
    const err = caught as NonFiniteError;
    expect(err.message).toMatch(/^training stopped at epoch \d+: /);
    expect(err.message).toMatch(/parameter \S+ became non-finite|the loss became/);
    expect(err.epoch).toBe(seen.length + 1);
    expect(weights(m).every(Number.isFinite)).toBe(true);
    // The kept weights are those after the completed epochs.
    const again = model();
    trainModel(again, new SGD({ lr: 1e38 }), xorData(), [2], config({ epochs: seen.length }));
    expect(weights(m)).toEqual(weights(again));
  });

  it('shouldStop ends at the last whole epoch', () => {
    const m = model();
    let batches = 0;
    const run = trainModel(m, new SGD({ lr: 0.1 }), xorData(), [2], config({ epochs: 10 }), { shouldStop: () => ++batches > 10 });
    expect(run.stopped).toBe(true);
    expect(run.history.length).toBe(2); // 4 batches per epoch; stopped in the third
    const ref = model();
    trainModel(ref, new SGD({ lr: 0.1 }), xorData(), [2], config({ epochs: 2 }));
    expect(weights(m)).toEqual(weights(ref));
  });

  it('refuses data that does not fit the model, plainly', () => {
    const data = { ...xorData(), inputShape: [3], x: new Float32Array(64 * 3) };
    expect(() => trainModel(model(), new SGD({ lr: 0.1 }), data, [3], config())).toThrow(TrainSetupError);
    expect(() => trainModel(model(), new SGD({ lr: 0.1 }), data, [3], config())).toThrow(/dataset xor-test \(samples of shape \[3\]\) does not fit the model: layer 0 \(Linear\): expected last dimension 2, got \[3\]/);
    expect(() => trainModel(model(), new SGD({ lr: 0.1 }), xorData(), [2], config({ loss: 'cross_entropy' }))).toThrow(/label 1 but the model outputs 1 classes/);
  });

  it('does not grow memory over 10,000 epochs', () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const m = model();
    const opt = new Adam({ lr: 0.01 });
    const data = xorData(32);
    trainModel(m, opt, data, [2], config({ epochs: 1000, batchSize: 8 }));
    gc();
    const before = process.memoryUsage().heapUsed;
    trainModel(m, opt, data, [2], config({ epochs: 10000, batchSize: 8, firstEpoch: 1001 }));
    gc();
    const grown = process.memoryUsage().heapUsed - before;
    // 10,000 history entries of ~100 bytes are expected; a leak per step would be far beyond.
    expect(grown).toBeLessThan(4 * 1024 * 1024);
  }, 60000);
});
