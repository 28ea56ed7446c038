// The options of one training run, named as the CLI's `train` flags in camelCase (docs/cli.md).
import type { TrainOptions } from '../../actions/train';
export type { TrainingEpochPoint, BoundaryGrid } from '../../webview/training/messages';

export type { OptimizerFlag } from '../../actions/train';

/**
 * The options of one run: exactly the train action's (the CLI's flags in camelCase). Here `data`
 * is a built-in name or a CSV path relative to the checkpoint file (or absolute).
 */
export type TrainRunOptions = TrainOptions;
