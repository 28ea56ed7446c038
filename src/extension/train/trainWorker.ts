// The training worker thread (bundled to dist/trainWorker.js). It receives one `start` message,
// trains synchronously with the actions' trainCheckpoint, and posts epochs, throttled parameter
// snapshots (with the decision boundary for 2-D data) and the result. Cancellation arrives through
// the shared control block, which the loop reads between mini-batches.
import { parentPort } from 'node:worker_threads';
import { trainCheckpoint, TrainDivergedError, type TrainResult } from '../../actions/train';
import { parseCsvDataset } from '../../engine/datasets/csv';
import { makeBuiltinDataset } from '../../engine/datasets/index';
import { InputError } from '../../engine/errors';
import type { Dataset } from '../../engine/dataset';
import type { Sequential } from '../../engine/model';
import { computeBoundary, hasPlanarInputs } from './boundary';
import { SnapshotClock } from './snapshotClock';
import { CONTROL_STOP, type StartRunMessage, type WorkerMessage } from './workerProtocol';
import type { TrainingEpochPoint } from './trainTypes';

const port = parentPort;
if (!port) throw new Error('trainWorker.js runs as a worker thread only');

const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

port.once('message', (msg: StartRunMessage) => {
  try {
    run(msg);
  } catch (e) {
    const userError = e instanceof InputError;
    post({ type: 'failed', message: e instanceof Error ? (userError ? e.message : e.stack ?? e.message) : String(e), userError });
  }
});

function run(msg: StartRunMessage): void {
  const control = new Int32Array(msg.control);
  const clock = new SnapshotClock(msg.snapshotIntervalMs);
  const history: TrainingEpochPoint[] = [];
  const epochsTotal = msg.options.epochs ?? msg.checkpoint.training?.epochs ?? 100;
  let net: Sequential | undefined;
  let data: Dataset | undefined;
  let inputShape: number[] = [];

  const snapshot = () => {
    if (!net) return;
    const parameters: Record<string, Float32Array> = {};
    const buffers: ArrayBuffer[] = [];
    for (const [name, p] of net.parameters()) {
      const copy = p.data.slice();
      parameters[name] = copy;
      buffers.push(copy.buffer);
    }
    const boundary = data && hasPlanarInputs({ inputShape })
      ? computeBoundary(data, (x, count) => net!.forward(x, count, inputShape, false).data.slice(), msg.boundaryResolution)
      : undefined;
    if (boundary) buffers.push(boundary.values.buffer as ArrayBuffer);
    post({ type: 'snapshot', parameters, ...(boundary ? { boundary } : {}) }, buffers);
  };

  let result: TrainResult;
  let error: string | undefined;
  try {
    result = trainCheckpoint(msg.checkpoint, msg.options, {
      loadDataset: (ref, ctx) => {
        if (typeof ref === 'string') return makeBuiltinDataset(ref, { inputShape: ctx.inputShape });
        if (msg.csvText === undefined) throw new InputError(`dataset ${ref.csv}: the CSV text was not read`, msg.file);
        return parseCsvDataset(msg.csvText, { file: ref.csv, target: ref.target, inputShape: ctx.inputShape, loss: ctx.loss ?? 'mse' });
      },
      onModel: (model, dataset, shape) => {
        net = model; data = dataset; inputShape = shape;
        clock.due(true);
        snapshot(); // the starting point: the boundary before the first step
      },
      onEpoch: (e) => {
        const point: TrainingEpochPoint = { epoch: e.epoch, loss: e.loss, ...(e.accuracy !== undefined ? { accuracy: e.accuracy } : {}) };
        history.push(point);
        post({ type: 'epoch', point, epochsDone: history.length, epochsTotal });
        if (clock.due(history.length === epochsTotal)) snapshot();
      },
      shouldStop: () => Atomics.load(control, CONTROL_STOP) === 1,
    }, msg.file);
  } catch (e) {
    if (!(e instanceof TrainDivergedError)) throw e;
    // The engine kept the last whole epoch's weights: keep what was done, and say why it stopped.
    result = e.partial;
    error = e.message;
  }
  if (net) snapshot();
  post({ type: 'done', checkpoint: result.checkpoint, history, cancelled: result.stopped && !error, ...(error ? { error } : {}) });
}
