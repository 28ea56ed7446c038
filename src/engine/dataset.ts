// A dataset in the shape the training loop consumes: all samples in one typed array, row-major,
// each sample reshaped to `inputShape` (no batch dimension).

export type TaskKind = 'regression' | 'binary' | 'multiclass';

export interface Dataset {
  name: string;
  /** Number of samples. */
  n: number;
  /** Shape of one sample, e.g. [2] or [1, 8, 8] or [time, features]. */
  inputShape: number[];
  /** n × prod(inputShape) features, row-major. */
  x: Float32Array;
  /**
   * Targets: for 'multiclass' class indices 0…C−1 (stored as floats), for 'binary' 0/1, for
   * 'regression' n × targetSize values.
   */
  y: Float32Array;
  /** Values per target (1 for classification and scalar regression). */
  targetSize: number;
  task: TaskKind;
  /** Number of classes for classification (2 for binary). */
  numClasses?: number;
  /** Class names in index order, when labels were strings (CSV). */
  classNames?: string[];
  /** Feature column names (CSV) for display. */
  featureNames?: string[];
}
