// The training loop: epochs over mini-batches (seeded shuffle, or in order), the loss taken before
// each step, PyTorch's zero_grad → backward → step. It guards the weights: a loss or parameter that
// turns non-finite stops training and leaves the weights (and optimizer state) of the last whole
// epoch, never NaNs; so does a stop request in the middle of an epoch.
import type { Dataset } from './dataset';
import type { Sequential } from './model';
import type { Optimizer, ParamState } from './optim';
import { computeLoss, countCorrect, type LossName } from './losses';
import { numel } from './spec';
import { Rng } from './rng';
import { InputError } from './errors';

export interface TrainConfig {
  loss: LossName;
  epochs: number;
  batchSize: number;
  shuffle: boolean;
  seed: number;
  /** The number of the first epoch of this run (1 + the last one in the file's history). */
  firstEpoch: number;
}

export interface EpochResult { epoch: number; loss: number; accuracy?: number }
export interface BatchProgress { epoch: number; batch: number; batches: number; loss: number }

export interface TrainHooks {
  onEpoch?(e: EpochResult): void;
  onBatch?(b: BatchProgress): void;
  /** Checked between mini-batches; true stops training at the last whole epoch. */
  shouldStop?(): boolean;
}

export interface TrainRun { history: EpochResult[]; stopped: boolean }

/** A setup problem: the data does not fit the model or the loss. `message` is one plain line. */
export class TrainSetupError extends InputError {
  constructor(message: string) { super(message); this.name = 'TrainSetupError'; }
}

/** Training diverged. The model and optimizer hold the last whole epoch's state; `history` its epochs. */
export class NonFiniteError extends Error {
  /**
   * `param`: the first parameter (state_dict order) that went non-finite, or — when the loss
   * overflowed while every weight was still finite — the one of largest magnitude, `largest`.
   */
  constructor(readonly epoch: number, readonly param: string | undefined, readonly lossValue: number, readonly history: EpochResult[], largest?: { name: string; value: number }) {
    super(param !== undefined && !largest
      ? `training stopped at epoch ${epoch}: parameter ${param} became non-finite${Number.isFinite(lossValue) ? '' : ` (loss ${lossValue})`}; the weights of the last whole epoch are kept — try a smaller learning rate`
      : `training stopped at epoch ${epoch}: the loss became ${lossValue}${largest ? ` (parameter ${largest.name} had grown to ${largest.value.toPrecision(3)})` : ''}; the weights of the last whole epoch are kept — try a smaller learning rate`);
    this.name = 'NonFiniteError';
  }
}

/** Checks that the dataset fits the model and loss; returns the model's output size per sample. */
export function checkDataFits(model: Sequential, data: Dataset, inputShape: number[], loss: LossName): number {
  const out = model.outputShape(inputShape);
  if ('error' in out) throw new TrainSetupError(`dataset ${data.name} (samples of shape [${data.inputShape.join(', ')}]) does not fit the model: ${out.error}`);
  const outSize = numel(out.shape);
  if (data.n === 0) throw new TrainSetupError(`dataset ${data.name} has no samples`);
  if (loss === 'cross_entropy') {
    if (data.targetSize !== 1) throw new TrainSetupError(`loss cross_entropy expects one class index per sample, dataset ${data.name} has ${data.targetSize} target values`);
    for (let i = 0; i < data.n; i++) {
      const c = data.y[i];
      if (!Number.isInteger(c) || c < 0 || c >= outSize) {
        throw new TrainSetupError(`loss cross_entropy: dataset ${data.name} has label ${c} but the model outputs ${outSize} classes (labels must be 0…${outSize - 1})`);
      }
    }
  } else if (outSize !== data.targetSize) {
    throw new TrainSetupError(`loss ${loss}: the model outputs ${outSize} value(s) per sample but dataset ${data.name} has ${data.targetSize} target value(s)`);
  }
  return outSize;
}

export function trainModel(model: Sequential, optimizer: Optimizer, data: Dataset, inputShape: number[], config: TrainConfig, hooks: TrainHooks = {}): TrainRun {
  checkDataFits(model, data, inputShape, config.loss);
  const params = [...model.parameters().values()];
  const sampleSize = numel(inputShape), ts = data.targetSize;
  const batchSize = Math.max(1, Math.min(config.batchSize, data.n));
  const batches = Math.ceil(data.n / batchSize);
  const order = new Int32Array(data.n);
  // Batch buffers: one pair for full batches, one for the smaller last batch.
  const buffers = new Map<number, { x: Float32Array; y: Float32Array }>();
  const bufferFor = (rows: number) => {
    let b = buffers.get(rows);
    if (!b) { b = { x: new Float32Array(rows * sampleSize), y: new Float32Array(rows * ts) }; buffers.set(rows, b); }
    return b;
  };
  const snapshot = new Snapshot();
  const history: EpochResult[] = [];
  const classify = config.loss !== 'mse';

  for (let e = 0; e < config.epochs; e++) {
    const epoch = config.firstEpoch + e;
    snapshot.take(params, optimizer.state);
    if (config.shuffle) new Rng(streamSeed(config.seed, epoch, 0)).permutation(data.n, order);
    else for (let i = 0; i < data.n; i++) order[i] = i;
    model.rng = new Rng(streamSeed(config.seed, epoch, 1));
    let lossSum = 0, correct = 0;
    for (let b = 0; b < batches; b++) {
      if (hooks.shouldStop?.()) { snapshot.restore(params, optimizer.state); return { history, stopped: true }; }
      const start = b * batchSize, rows = Math.min(batchSize, data.n - start);
      const buf = bufferFor(rows);
      for (let r = 0; r < rows; r++) {
        const s = order[start + r];
        buf.x.set(data.x.subarray(s * sampleSize, (s + 1) * sampleSize), r * sampleSize);
        if (ts === 1) buf.y[r] = data.y[s];
        else buf.y.set(data.y.subarray(s * ts, (s + 1) * ts), r * ts);
      }
      const out = model.forward(buf.x, rows, inputShape, true);
      const loss = computeLoss(config.loss, out.data, buf.y, rows, out.grad);
      if (!Number.isFinite(loss)) {
        const bad = firstNonFinite(params);
        const largest = bad === undefined ? largestParam(params) : undefined;
        snapshot.restore(params, optimizer.state);
        throw new NonFiniteError(epoch, bad ?? largest?.name, loss, history, largest);
      }
      if (classify) correct += countCorrect(config.loss, out.data, buf.y, rows);
      model.zeroGrad();
      model.backward();
      optimizer.step(params);
      const bad = firstNonFinite(params);
      if (bad !== undefined) {
        snapshot.restore(params, optimizer.state);
        throw new NonFiniteError(epoch, bad, loss, history);
      }
      lossSum += loss;
      hooks.onBatch?.({ epoch, batch: b + 1, batches, loss });
    }
    const entry: EpochResult = { epoch, loss: lossSum / batches };
    if (classify) entry.accuracy = correct / data.n;
    history.push(entry);
    hooks.onEpoch?.(entry);
  }
  return { history, stopped: false };
}

/** Distinct generator seeds per (seed, epoch, stream), so a resumed run draws what one long run would. */
function streamSeed(seed: number, epoch: number, stream: number): number {
  return seed * 2 ** 21 + epoch * 2 + stream;
}

function firstNonFinite(params: { name: string; data: Float32Array }[]): string | undefined {
  for (const p of params) {
    const d = p.data;
    for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i])) return p.name;
  }
  return undefined;
}

/** The parameter holding the value of largest magnitude (what overflowed the loss, most likely). */
function largestParam(params: { name: string; data: Float32Array }[]): { name: string; value: number } | undefined {
  let best: { name: string; value: number } | undefined;
  for (const p of params) {
    const d = p.data;
    for (let i = 0; i < d.length; i++) if (!best || Math.abs(d[i]) > Math.abs(best.value)) best = { name: p.name, value: d[i] };
  }
  return best;
}

/** A copy of the weights and optimizer state at an epoch's start, in buffers reused every epoch. */
class Snapshot {
  private weights = new Map<string, Float32Array>();
  private state = new Map<string, { step?: number; arrays: Map<string, Float32Array> }>();

  take(params: { name: string; data: Float32Array }[], optState: Map<string, ParamState>): void {
    for (const p of params) copyInto(this.weights, p.name, p.data);
    for (const key of [...this.state.keys()]) if (!optState.has(key)) this.state.delete(key);
    for (const [name, st] of optState) {
      let s = this.state.get(name);
      if (!s) { s = { arrays: new Map() }; this.state.set(name, s); }
      s.step = st.step;
      for (const k of [...s.arrays.keys()]) if (!(st as Record<string, unknown>)[k]) s.arrays.delete(k);
      for (const [k, v] of Object.entries(st)) if (v instanceof Float32Array) copyInto(s.arrays, k, v);
    }
  }

  restore(params: { name: string; data: Float32Array }[], optState: Map<string, ParamState>): void {
    for (const p of params) p.data.set(this.weights.get(p.name)!);
    for (const name of [...optState.keys()]) if (!this.state.has(name)) optState.delete(name);
    for (const [name, s] of this.state) {
      const st: ParamState = {};
      if (s.step !== undefined) st.step = s.step;
      for (const [k, v] of s.arrays) (st as Record<string, Float32Array>)[k] = v.slice();
      optState.set(name, st);
    }
  }
}

function copyInto(map: Map<string, Float32Array>, key: string, src: Float32Array): void {
  let dst = map.get(key);
  if (!dst || dst.length !== src.length) { dst = new Float32Array(src.length); map.set(key, dst); }
  dst.set(src);
}
