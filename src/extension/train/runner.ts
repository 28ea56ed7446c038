// The host side of a training run: starts dist/trainWorker.js in a worker thread, relays its
// progress, and turns its last message into the result. The extension host's event loop stays
// free while the worker trains. No `vscode` import, so unit tests can drive a real worker.
import { Worker } from 'node:worker_threads';
import { CONTROL_SLOTS, CONTROL_STOP, type StartRunMessage, type WorkerMessage } from './workerProtocol';
import type { Checkpoint } from '../../format/types';
import type { BoundaryGrid, TrainingEpochPoint } from './trainTypes';

export interface TrainRunCallbacks {
  onEpoch?(point: TrainingEpochPoint, epochsDone: number, epochsTotal: number): void;
  onSnapshot?(parameters: Record<string, Float32Array>, boundary?: BoundaryGrid): void;
}

/** What a run ended with: the checkpoint after the completed epochs, and this run's history. */
export interface TrainRunOutcome {
  checkpoint: Checkpoint;
  history: TrainingEpochPoint[];
  cancelled: boolean;
  /** Why training stopped before its last epoch (e.g. a non-finite loss), when it did. */
  error?: string;
}

/** The run failed before any result: bad options or data (`userError`), or a crash. */
export class TrainingFailedError extends Error {
  constructor(message: string, readonly userError: boolean) { super(message); this.name = 'TrainingFailedError'; }
}

/** Anything that can ask for cancellation: a vscode.CancellationToken fits. */
export interface CancelSignal {
  isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): { dispose(): void };
}

export type StartRequest = Omit<StartRunMessage, 'type' | 'control'>;

export function runTrainingInWorker(workerPath: string, request: StartRequest, callbacks: TrainRunCallbacks = {}, cancel?: CancelSignal): Promise<TrainRunOutcome> {
  const control = new SharedArrayBuffer(CONTROL_SLOTS * Int32Array.BYTES_PER_ELEMENT);
  const flags = new Int32Array(control);
  const requestStop = () => Atomics.store(flags, CONTROL_STOP, 1);
  if (cancel?.isCancellationRequested) requestStop();
  const subscription = cancel?.onCancellationRequested(requestStop);

  return new Promise<TrainRunOutcome>((resolve, reject) => {
    const worker = new Worker(workerPath);
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      subscription?.dispose();
      void worker.terminate();
      fn();
    };
    worker.on('message', (msg: WorkerMessage) => {
      switch (msg.type) {
        case 'epoch': callbacks.onEpoch?.(msg.point, msg.epochsDone, msg.epochsTotal); break;
        case 'snapshot': callbacks.onSnapshot?.(msg.parameters, msg.boundary); break;
        case 'done': finish(() => resolve({ checkpoint: msg.checkpoint, history: msg.history, cancelled: msg.cancelled, error: msg.error })); break;
        case 'failed': finish(() => reject(new TrainingFailedError(msg.message, msg.userError))); break;
      }
    });
    worker.on('error', (e) => finish(() => reject(new TrainingFailedError(`training worker crashed: ${e.message}`, false))));
    worker.on('exit', (code) => finish(() => reject(new TrainingFailedError(`training worker exited (code ${code}) before finishing`, false))));
    const start: StartRunMessage = { type: 'start', control, ...request };
    worker.postMessage(start);
  });
}
