// Payloads of the training messages the host posts to the editor's webview (trainingStarted /
// trainingProgress / trainingEnded, declared in ../protocol.ts) and of the reinitialise overlay.
// Pure types: shared by the host (src/extension/train, src/extension/commands) and the webview.

/** One completed epoch, as in the file's `training.history`. */
export interface TrainingEpochPoint { epoch: number; loss: number; accuracy?: number }

/**
 * Model outputs over a coarse grid covering a 2-D dataset's points, row-major from (xMin, yMin):
 * `values[row * resolution + col]` is the predicted class index (multiclass), the probability of
 * class 1 (binary), or the raw output (regression).
 */
export interface BoundaryGrid {
  resolution: number;
  xMin: number; xMax: number; yMin: number; yMax: number;
  kind: 'multiclass' | 'binary' | 'regression';
  numClasses: number;
  values: Float32Array;
  /** The data points, n × 2 row-major, and their labels (class index, 0/1 or value). */
  pointsX: Float32Array;
  pointsY: Float32Array;
}

export interface TrainingStartedPayload {
  /** The file's history before this run (the curve continues it). */
  history: TrainingEpochPoint[];
  epochs: number;
  dataset: string;
  loss: string;
  optimizer: string;
  lr: number;
}

export interface TrainingProgressPayload {
  /** Epochs completed since the last progress message (usually one). */
  points: TrainingEpochPoint[];
  /** Epochs of this run completed so far, and planned (a view opened mid-run starts from these). */
  epochsDone: number;
  epochsTotal: number;
  /** Current values of the parameters (float32 copies), for the live heatmap and histogram. */
  parameters?: Record<string, Float32Array>;
  boundary?: BoundaryGrid;
}

export interface TrainingEndedPayload {
  cancelled: boolean;
  /** Why it stopped early, when it did (e.g. a non-finite loss). */
  error?: string;
  epochsDone: number;
}

export interface HistogramData { edges: number[]; counts: number[] }

/** After a reinitialisation: the values' histograms before and after, drawn over each other. */
export interface HistogramOverlayPayload {
  /** Parameter name → histogram of its values before the change. */
  previous: Record<string, HistogramData>;
  /** Parameter name → histogram of its new values. */
  current: Record<string, HistogramData>;
  /** What happened, e.g. "xavier_uniform: U(−0.54, 0.54)". */
  label: string;
}
