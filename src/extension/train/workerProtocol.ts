// The messages between the extension host and the training worker thread (trainWorker.ts).
// Pure types and constants: imported by both sides and by unit tests, never by the webview.
//
// The worker runs the engine's training loop synchronously, so it cannot read messages while it
// trains. Cancellation therefore travels through a SharedArrayBuffer the host writes and the worker
// reads between batches/epochs (Atomics), not through postMessage.
import type { Checkpoint } from '../../format/types';
import type { TrainRunOptions, TrainingEpochPoint, BoundaryGrid } from './trainTypes';

export type { TrainRunOptions, TrainingEpochPoint, BoundaryGrid };

/** Slots of the shared Int32Array control block. */
export const CONTROL_STOP = 0;
export const CONTROL_SLOTS = 1;

/** Host → worker: the one message that starts a run. */
export interface StartRunMessage {
  type: 'start';
  checkpoint: Checkpoint;
  options: TrainRunOptions;
  /** CSV text, read by the host (the worker does not resolve workspace paths), when the dataset is a CSV file. */
  csvText?: string;
  /** The checkpoint file's path, for error messages. */
  file: string;
  /** Int32Array(CONTROL_SLOTS) over a SharedArrayBuffer: CONTROL_STOP becomes 1 when the user cancels. */
  control: SharedArrayBuffer;
  /** Minimum milliseconds between two parameter snapshots / boundary grids. */
  snapshotIntervalMs: number;
  /** Cells per side of the decision-boundary grid (2-D inputs only). */
  boundaryResolution: number;
}

/** Worker → host. */
export type WorkerMessage =
  | { type: 'epoch'; point: TrainingEpochPoint; epochsDone: number; epochsTotal: number }
  | {
      type: 'snapshot';
      /** Current values of every parameter (float32), for the live heatmap / histogram. */
      parameters: Record<string, Float32Array>;
      boundary?: BoundaryGrid;
    }
  | {
      type: 'done';
      /** The checkpoint after the epochs that completed (all of them, or those before Cancel). */
      checkpoint: Checkpoint;
      history: TrainingEpochPoint[];
      cancelled: boolean;
      /** Set when training stopped on an error (e.g. a non-finite loss) after some epochs completed. */
      error?: string;
    }
  | { type: 'failed'; message: string; userError: boolean };
