// Where a training run's settings come from, in order: the command's options, the file's own
// `optimizer` and `training` sections, the user's settings (weightscope.train.*), and finally what
// fits the model (a dataset whose samples match its input). Pure (no `vscode`): unit-tested.
import type { Checkpoint, LossName, OptimizerSpec } from '../../format/types';
import { BUILTIN_DATASETS, builtinDatasetInfo } from '../../engine/datasets/index';
import { layerOutputShapes, numel, type ModelSpec } from '../../engine/spec';
import type { OptimizerFlag, TrainRunOptions } from '../train/trainTypes';

export interface TrainSettings { optimizer: OptimizerFlag; lr: number; epochs: number; batchSize: number }

export const BUILTIN_TRAIN_SETTINGS: TrainSettings = { optimizer: 'adam', lr: 0.01, epochs: 100, batchSize: 32 };

/** Anything with VS Code's WorkspaceConfiguration.get shape. */
export interface ConfigLike { get<T>(key: string): T | undefined }

export function readTrainSettings(config: ConfigLike): TrainSettings {
  const pick = <T>(key: string, ok: (v: unknown) => boolean, fallback: T): T => {
    const v = config.get<T>(key);
    return v !== undefined && ok(v) ? v : fallback;
  };
  const positive = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v > 0;
  const count = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 1;
  return {
    optimizer: pick('train.optimizer', (v) => v === 'sgd' || v === 'adam' || v === 'adamw', BUILTIN_TRAIN_SETTINGS.optimizer),
    lr: pick('train.lr', positive, BUILTIN_TRAIN_SETTINGS.lr),
    epochs: pick('train.epochs', count, BUILTIN_TRAIN_SETTINGS.epochs),
    batchSize: pick('train.batchSize', count, BUILTIN_TRAIN_SETTINGS.batchSize),
  };
}

export const OPTIMIZER_TYPES: Record<OptimizerFlag, OptimizerSpec['type']> = { sgd: 'SGD', adam: 'Adam', adamw: 'AdamW' };

export function optimizerFlag(type: OptimizerSpec['type']): OptimizerFlag {
  return type === 'SGD' ? 'sgd' : type === 'AdamW' ? 'adamw' : 'adam';
}

/** The optimizer section a file without one gets, from the settings. */
export function defaultOptimizerSpec(config: ConfigLike): OptimizerSpec {
  const s = readTrainSettings(config);
  return { type: OPTIMIZER_TYPES[s.optimizer], lr: s.lr };
}

/** A built-in dataset whose samples fit the model's input and output, or undefined. */
export function suggestDataset(model: ModelSpec | undefined): string | undefined {
  if (!model) return undefined;
  const input = model.input_shape;
  const { shapes } = layerOutputShapes(model);
  const out = shapes.length > 0 ? shapes[shapes.length - 1] : null;
  const outSize = out ? numel(out) : undefined;
  if (input && input.length === 1 && input[0] === 2) return outSize === 1 ? 'moons' : 'spiral';
  if (input && numel(input) === 64) return 'digits';
  if (model.layers.some((l) => l.type === 'LSTM') || (input && input.length === 2 && input[1] === 1)) return 'sine';
  return undefined;
}

/** The run's settings before the user or the options change them. */
export interface TrainDefaults {
  data?: string; target?: string; loss?: LossName;
  optimizer: OptimizerFlag; lr: number; weightDecay: number;
  epochs: number; batchSize: number;
}

export function trainDefaults(ckpt: Checkpoint, settings: TrainSettings): TrainDefaults {
  const ref = ckpt.training?.dataset;
  const data = typeof ref === 'string' ? ref : ref ? ref.csv : suggestDataset(ckpt.model);
  const target = typeof ref === 'object' && ref ? ref.target : undefined;
  return {
    data, target,
    loss: ckpt.training?.loss ?? (data ? builtinDatasetInfo(data)?.loss : undefined),
    optimizer: ckpt.optimizer ? optimizerFlag(ckpt.optimizer.type) : settings.optimizer,
    lr: ckpt.optimizer?.lr ?? settings.lr,
    weightDecay: ckpt.optimizer?.weight_decay ?? 0,
    epochs: ckpt.training?.epochs ?? settings.epochs,
    batchSize: ckpt.training?.batch_size ?? settings.batchSize,
  };
}

/**
 * The options for the run: the given ones over the defaults. When `given.optimizer` names another
 * type than the file's and no lr is given, lr carries over (the CLI's rule).
 */
export function completeTrainOptions(given: TrainRunOptions, defaults: TrainDefaults): TrainRunOptions {
  return {
    ...given,
    data: given.data ?? defaults.data,
    target: given.target ?? (given.data === undefined || given.data === defaults.data ? defaults.target : undefined),
    loss: given.loss ?? (given.data === undefined || given.data === defaults.data ? defaults.loss : builtinDatasetInfo(given.data)?.loss),
    optimizer: given.optimizer ?? defaults.optimizer,
    lr: given.lr ?? defaults.lr,
    weightDecay: given.weightDecay ?? defaults.weightDecay,
    epochs: given.epochs ?? defaults.epochs,
    batchSize: given.batchSize ?? defaults.batchSize,
  };
}

export const BUILTIN_DATASET_NAMES: readonly string[] = BUILTIN_DATASETS.map((d) => d.name);
