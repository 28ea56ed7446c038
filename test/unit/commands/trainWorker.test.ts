// The training worker end to end in a real worker thread: the bundle esbuild makes of
// src/extension/train/trainWorker.ts, driven by the host-side runner the Train command uses.
import { beforeAll, describe, expect, it } from 'vitest';
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { newCheckpoint } from '../../../src/actions/newModel';
import { runTrainingInWorker, TrainingFailedError, type CancelSignal } from '../../../src/extension/train/runner';
import type { Checkpoint } from '../../../src/format/types';

let workerPath = '';

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-worker-'));
  workerPath = path.join(dir, 'trainWorker.js');
  await esbuild.build({ entryPoints: ['src/extension/train/trainWorker.ts'], bundle: true, platform: 'node', format: 'cjs', outfile: workerPath, logLevel: 'error' });
});

const spiralModel = (): Checkpoint => newCheckpoint({ layers: 'Linear(2,16) ReLU Linear(16,3)', seed: 0 });

function manualCancel(): CancelSignal & { cancel(): void } {
  const listeners: (() => void)[] = [];
  const signal = {
    isCancellationRequested: false,
    onCancellationRequested(l: () => void) { listeners.push(l); return { dispose() {} }; },
    cancel() { signal.isCancellationRequested = true; listeners.forEach((l) => l()); },
  };
  return signal;
}

describe('training worker', () => {
  it('trains in the worker, reports each epoch, snapshots with a decision boundary, and returns the trained checkpoint', async () => {
    const ckpt = spiralModel();
    const epochs: number[] = [];
    const snapshots: { names: string[]; boundary?: { resolution: number; values: Float32Array; numClasses: number } }[] = [];
    const outcome = await runTrainingInWorker(workerPath, {
      checkpoint: ckpt, options: { data: 'spiral', epochs: 15, optimizer: 'adam', lr: 0.05, batchSize: 300 }, file: 'm.weights.json',
      snapshotIntervalMs: 0, boundaryResolution: 16,
    }, {
      onEpoch: (p, done, total) => { epochs.push(p.epoch); expect(total).toBe(15); expect(done).toBe(epochs.length); },
      onSnapshot: (params, boundary) => snapshots.push({ names: Object.keys(params), boundary }),
    });
    expect(outcome.cancelled).toBe(false);
    expect(outcome.error).toBeUndefined();
    expect(epochs).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    expect(outcome.history.length).toBe(15);
    expect(outcome.history[14].loss).toBeLessThan(outcome.history[0].loss);
    expect(outcome.history[0].accuracy).toBeGreaterThanOrEqual(0);
    // Weights changed, the file's history and optimizer remembered.
    const before = ckpt.parameters.get('0.weight')!.data as Float32Array;
    const after = outcome.checkpoint.parameters.get('0.weight')!.data as Float32Array;
    expect(Array.from(after)).not.toEqual(Array.from(before));
    expect(outcome.checkpoint.training?.history?.length).toBe(15);
    expect(outcome.checkpoint.optimizer?.type).toBe('Adam');
    // Snapshots: every parameter, and a 16×16 boundary of class indices.
    expect(snapshots.length).toBeGreaterThan(1);
    expect(snapshots[0].names).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    const b = snapshots[snapshots.length - 1].boundary!;
    expect(b.resolution).toBe(16);
    expect(b.values.length).toBe(256);
    expect(b.numClasses).toBe(3);
    expect(new Set(Array.from(b.values)).size).toBeGreaterThan(1);
  });

  it('stops at the last whole epoch on cancel and keeps what was done', async () => {
    const cancel = manualCancel();
    const outcome = await runTrainingInWorker(workerPath, {
      checkpoint: spiralModel(), options: { data: 'spiral', epochs: 100000, lr: 0.01, batchSize: 8 }, file: 'm.weights.json',
      snapshotIntervalMs: 1000, boundaryResolution: 8,
    }, { onEpoch: (_p, done) => { if (done === 3) cancel.cancel(); } }, cancel);
    expect(outcome.cancelled).toBe(true);
    expect(outcome.history.length).toBeGreaterThanOrEqual(3);
    expect(outcome.history.length).toBeLessThan(100);
    expect(outcome.checkpoint.training?.history?.length).toBe(outcome.history.length);
  });

  it('reports a user error (no model) as a TrainingFailedError with userError set', async () => {
    const ckpt = spiralModel();
    delete ckpt.model;
    await expect(runTrainingInWorker(workerPath, {
      checkpoint: ckpt, options: { data: 'spiral', epochs: 1 }, file: 'nomodel.weights.json', snapshotIntervalMs: 0, boundaryResolution: 8,
    })).rejects.toSatisfy((e: unknown) => e instanceof TrainingFailedError && e.userError && /nomodel\.weights\.json.*no model/.test(e.message));
  });

  it('keeps the epochs before a divergence and says which epoch and parameter', async () => {
    const outcome = await runTrainingInWorker(workerPath, {
      checkpoint: spiralModel(), options: { data: 'spiral', epochs: 50, optimizer: 'sgd', lr: 1e30, batchSize: 300 }, file: 'm.weights.json',
      snapshotIntervalMs: 0, boundaryResolution: 8,
    });
    expect(outcome.error).toMatch(/epoch \d+/);
    expect(outcome.cancelled).toBe(false);
    for (const t of outcome.checkpoint.parameters.values()) expect(Array.from(t.data as Float32Array).every(Number.isFinite)).toBe(true);
  });

  it('trains on CSV text the host read', async () => {
    const rows = ['a,b,label'];
    for (let i = 0; i < 40; i++) rows.push(`${i % 2 ? 1 : -1},${(i % 5) / 5},${i % 2}`);
    const ckpt = newCheckpoint({ layers: 'Linear(2,4) Tanh Linear(4,1)', seed: 1 });
    const outcome = await runTrainingInWorker(workerPath, {
      checkpoint: ckpt, options: { data: 'data.csv', target: 'label', loss: 'bce_with_logits', epochs: 5, lr: 0.1 }, csvText: rows.join('\n'),
      file: 'm.weights.json', snapshotIntervalMs: 0, boundaryResolution: 8,
    });
    expect(outcome.history.length).toBe(5);
    expect(outcome.checkpoint.training?.dataset).toEqual({ csv: 'data.csv', target: 'label' });
  });
});

describe('training worker cancellation', () => {
  it('a stop requested before the first batch keeps no epoch and changes no weight', async () => {
    const cancel = manualCancel();
    cancel.cancel();
    const ckpt = spiralModel();
    const outcome = await runTrainingInWorker(workerPath, {
      checkpoint: ckpt, options: { data: 'spiral', epochs: 5, lr: 0.01 }, file: 'm.weights.json', snapshotIntervalMs: 0, boundaryResolution: 8,
    }, {}, cancel);
    expect(outcome.cancelled).toBe(true);
    expect(outcome.history).toEqual([]);
    expect(Array.from(outcome.checkpoint.parameters.get('0.weight')!.data as Float32Array)).toEqual(Array.from(ckpt.parameters.get('0.weight')!.data as Float32Array));
  });
});

describe('training worker cancellation within one epoch', () => {
  it('a cancel sent after epoch 2 stops the run at the end of epoch 2 or 3, never later', async () => {
    // Epochs of many small steps (batch 1 on a wide MLP): each lasts far longer than a message
    // between the threads, so the worker must see the stop flag inside the next epoch.
    const cancel = manualCancel();
    const ckpt = newCheckpoint({ layers: 'Linear(2,128) ReLU Linear(128,128) ReLU Linear(128,3)', seed: 0 });
    const started = Date.now();
    const outcome = await runTrainingInWorker(workerPath, {
      checkpoint: ckpt, options: { data: 'spiral', epochs: 100, batchSize: 1, optimizer: 'sgd', lr: 0.001 }, file: 'm.weights.json',
      snapshotIntervalMs: 1000, boundaryResolution: 8,
    }, { onEpoch: (_p, done) => { if (done === 2) cancel.cancel(); } }, cancel);
    expect(outcome.cancelled).toBe(true);
    expect(outcome.history.length).toBeGreaterThanOrEqual(2);
    expect(outcome.history.length).toBeLessThanOrEqual(3);
    console.log(`cancel after epoch 2: ${outcome.history.length} epochs kept, ${Date.now() - started} ms`);
  });
});
