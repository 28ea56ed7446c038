import { describe, expect, it } from 'vitest';
import { completeTrainOptions, readTrainSettings, suggestDataset, trainDefaults, BUILTIN_TRAIN_SETTINGS } from '../../../src/extension/commands/trainDefaults';
import { newCheckpoint } from '../../../src/actions/newModel';
import type { Checkpoint } from '../../../src/format/types';

const settings = { optimizer: 'sgd' as const, lr: 0.1, epochs: 7, batchSize: 16 };

describe('training option resolution', () => {
  it('takes the file\'s optimizer and training sections first', () => {
    const ckpt: Checkpoint = newCheckpoint({ layers: 'Linear(2,8) ReLU Linear(8,3)', seed: 0 });
    ckpt.optimizer = { type: 'AdamW', lr: 0.003, weight_decay: 0.02 };
    ckpt.training = { dataset: 'circles', loss: 'bce_with_logits', epochs: 40, batch_size: 64 };
    expect(trainDefaults(ckpt, settings)).toEqual({
      data: 'circles', target: undefined, loss: 'bce_with_logits', optimizer: 'adamw', lr: 0.003, weightDecay: 0.02, epochs: 40, batchSize: 64,
    });
  });

  it('falls back to the settings, and to a dataset that fits the model', () => {
    const ckpt = newCheckpoint({ layers: 'Linear(2,8) ReLU Linear(8,3)', seed: 0 });
    expect(trainDefaults(ckpt, settings)).toEqual({
      data: 'spiral', target: undefined, loss: 'cross_entropy', optimizer: 'sgd', lr: 0.1, weightDecay: 0, epochs: 7, batchSize: 16,
    });
  });

  it('reads a CSV dataset reference as data + target', () => {
    const ckpt = newCheckpoint({ layers: 'Linear(3,1)', seed: 0 });
    ckpt.training = { dataset: { csv: 'data/iris.csv', target: 'label' } };
    const d = trainDefaults(ckpt, settings);
    expect([d.data, d.target]).toEqual(['data/iris.csv', 'label']);
  });

  it('lets the given options win, and drops the file\'s target and loss when another dataset is given', () => {
    const ckpt = newCheckpoint({ layers: 'Linear(2,8) ReLU Linear(8,1)', seed: 0 });
    ckpt.training = { dataset: { csv: 'a.csv', target: 'y' }, loss: 'mse' };
    const d = trainDefaults(ckpt, settings);
    const run = completeTrainOptions({ data: 'moons', epochs: 3, lr: 0.5 }, d);
    expect(run).toMatchObject({ data: 'moons', target: undefined, loss: 'bce_with_logits', epochs: 3, lr: 0.5, optimizer: 'sgd', batchSize: 16 });
    expect(completeTrainOptions({}, d)).toMatchObject({ data: 'a.csv', target: 'y', loss: 'mse' });
  });

  it('suggests a dataset from the model\'s shapes', () => {
    expect(suggestDataset(newCheckpoint({ layers: 'Linear(2,4) ReLU Linear(4,3)', seed: 0 }).model)).toBe('spiral');
    expect(suggestDataset(newCheckpoint({ layers: 'Linear(2,4) Tanh Linear(4,1)', seed: 0 }).model)).toBe('moons');
    expect(suggestDataset(newCheckpoint({ layers: 'Conv2d(1,2,3,padding=1) ReLU Flatten Linear(128,10)', inputShape: [1, 8, 8], seed: 0 }).model)).toBe('digits');
    expect(suggestDataset(newCheckpoint({ layers: 'LSTM(1,4) Linear(4,1)', inputShape: [20, 1], seed: 0 }).model)).toBe('sine');
    expect(suggestDataset(undefined)).toBeUndefined();
  });

  it('reads settings, ignoring values out of range', () => {
    const config = (values: Record<string, unknown>) => ({ get: <T>(k: string) => values[k] as T | undefined });
    expect(readTrainSettings(config({ 'train.optimizer': 'adamw', 'train.lr': 0.5, 'train.epochs': 3, 'train.batchSize': 8 })))
      .toEqual({ optimizer: 'adamw', lr: 0.5, epochs: 3, batchSize: 8 });
    expect(readTrainSettings(config({ 'train.optimizer': 'rmsprop', 'train.lr': -1, 'train.epochs': 2.5, 'train.batchSize': 0 })))
      .toEqual(BUILTIN_TRAIN_SETTINGS);
  });
});
