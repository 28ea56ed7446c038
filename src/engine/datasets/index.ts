// The built-in datasets by name, as a checkpoint's `training.dataset` and the CLI's `--data`
// spell them, with what the UI and `new` need to know about each.
import type { Dataset, TaskKind } from '../dataset';
import { Rng } from '../rng';
import { InputError } from '../errors';
import { numel } from '../spec';
import { makeCircles, makeMoons, makeSine, makeSpiral, makeXor } from './synthetic';
import { makeDigits } from './digits';
import { DIGITS_COUNT } from './digits.data';

/** A dataset request that cannot be met (unknown name, a shape that does not fit, a bad count). */
export class DatasetError extends InputError {
  constructor(message: string) { super(message); this.name = 'DatasetError'; }
}

/** The loss a dataset suggests (the format's `training.loss` names). */
export type SuggestedLoss = 'mse' | 'bce_with_logits' | 'cross_entropy';

export interface BuiltinDatasetInfo {
  name: string;
  /** One line of English; the UI localises it. */
  description: string;
  task: TaskKind;
  /** Shape of one sample when the model does not ask for another. */
  inputShape: number[];
  /** Input shapes the dataset can also take (same values, reshaped, or a variant; see each maker). */
  accepts: string;
  loss: SuggestedLoss;
  numClasses?: number;
  defaultN: number;
}

export const BUILTIN_DATASETS: readonly BuiltinDatasetInfo[] = [
  { name: 'xor', description: 'Noisy points in the four quadrants; label 1 where x and y differ in sign',
    task: 'binary', inputShape: [2], accepts: '[2]', loss: 'bce_with_logits', numClasses: 2, defaultN: 200 },
  { name: 'circles', description: 'A small circle inside a large one (binary)',
    task: 'binary', inputShape: [2], accepts: '[2]', loss: 'bce_with_logits', numClasses: 2, defaultN: 200 },
  { name: 'moons', description: 'Two interleaved half moons (binary)',
    task: 'binary', inputShape: [2], accepts: '[2]', loss: 'bce_with_logits', numClasses: 2, defaultN: 200 },
  { name: 'spiral', description: 'The CS231n spiral: k interleaved arms, one class each (default 3)',
    task: 'multiclass', inputShape: [2], accepts: '[2]', loss: 'cross_entropy', numClasses: 3, defaultN: 300 },
  { name: 'sine', description: 'Predict the next value of a sine wave from the previous ones ([time, 1]), or sin(x) from x ([1])',
    task: 'regression', inputShape: [20, 1], accepts: '[time, 1] or [1]', loss: 'mse', defaultN: 200 },
  { name: 'digits', description: 'The real 8×8 handwritten digits (UCI, 1,797 images, 10 classes), pixels scaled to 0…1',
    task: 'multiclass', inputShape: [1, 8, 8], accepts: 'any shape of 64 values: [1, 8, 8], [64], [8, 8]', loss: 'cross_entropy', numClasses: 10, defaultN: DIGITS_COUNT },
];

export function builtinDatasetInfo(name: string): BuiltinDatasetInfo | undefined {
  return BUILTIN_DATASETS.find((d) => d.name === name);
}

export interface BuiltinDatasetOptions {
  seed?: number;
  /** Number of samples (spiral: rounded down to a multiple of the class count; digits: at most 1,797). */
  n?: number;
  /** spiral: number of arms (default 3); digits: keep only labels below this (default 10). */
  classes?: number;
  /** The model's input shape, when it decides the sample shape (sine, digits). */
  inputShape?: number[];
}

/** A built-in dataset, generated from `seed` (default 0). */
export function makeBuiltinDataset(name: string, opts: BuiltinDatasetOptions = {}): Dataset {
  const info = builtinDatasetInfo(name);
  if (!info) throw new DatasetError(`unknown dataset "${name}" (expected one of ${BUILTIN_DATASETS.map((d) => d.name).join(', ')}, or a .csv file)`);
  const n = opts.n ?? info.defaultN;
  if (!Number.isInteger(n) || n < 1) throw new DatasetError(`${name}: the number of samples must be a whole number ≥ 1, got ${n}`);
  if (opts.classes !== undefined && name !== 'spiral' && name !== 'digits') {
    throw new DatasetError(`${name}: only spiral and digits take a number of classes`);
  }
  const rng = new Rng(opts.seed ?? 0);
  const shape = opts.inputShape;
  const refuseShape = (): never => {
    throw new DatasetError(`${name}: the model's input shape [${shape?.join(', ')}] does not fit; expected ${info.accepts}`);
  };
  switch (name) {
    case 'xor': case 'circles': case 'moons': {
      if (shape && !(shape.length === 1 && shape[0] === 2)) refuseShape();
      return name === 'xor' ? makeXor(n, rng) : name === 'circles' ? makeCircles(n, rng) : makeMoons(n, rng);
    }
    case 'spiral': {
      if (shape && !(shape.length === 1 && shape[0] === 2)) refuseShape();
      const classes = opts.classes ?? 3;
      if (!Number.isInteger(classes) || classes < 2) throw new DatasetError(`spiral: classes must be a whole number ≥ 2, got ${classes}`);
      if (n < classes) throw new DatasetError(`spiral: ${n} samples cannot cover ${classes} classes`);
      return makeSpiral(n, classes, rng);
    }
    case 'sine': {
      const s = shape ?? info.inputShape;
      const ok = (s.length === 1 && s[0] === 1) || (s.length === 2 && s[1] === 1 && Number.isInteger(s[0]) && s[0] >= 1);
      if (!ok) refuseShape();
      return makeSine(n, s, rng);
    }
    case 'digits': {
      const s = shape ?? info.inputShape;
      if (numel(s) !== 64) refuseShape();
      const classes = opts.classes ?? 10;
      if (!Number.isInteger(classes) || classes < 2 || classes > 10) throw new DatasetError(`digits: classes must be a whole number from 2 to 10, got ${classes}`);
      return makeDigits(Math.min(n, DIGITS_COUNT), classes, s);
    }
    default:
      throw new DatasetError(`unknown dataset "${name}"`);
  }
}
