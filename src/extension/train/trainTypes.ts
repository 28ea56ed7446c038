// The options of one training run, named as the CLI's `train` flags in camelCase (docs/cli.md).
import type { LossName } from '../../format/types';
export type { TrainingEpochPoint, BoundaryGrid } from '../../webview/training/messages';

export type OptimizerFlag = 'sgd' | 'adam' | 'adamw';

export interface TrainRunOptions {
  /** A built-in dataset name or a CSV path (relative to the checkpoint file, or absolute). */
  data?: string;
  target?: string;
  loss?: LossName;
  optimizer?: OptimizerFlag;
  lr?: number;
  momentum?: number;
  nesterov?: boolean;
  weightDecay?: number;
  betas?: [number, number];
  eps?: number;
  epochs?: number;
  batchSize?: number;
  shuffle?: boolean;
  seed?: number;
}
