// Train a checkpoint (docs/cli.md `train`): the settings come from the options over the file's
// `optimizer` and `training` sections; the result is the new parameters, optimizer section,
// optimizer state and training section (history extended, epochs numbered on). Pure: no fs —
// a CSV dataset is read by the caller through `loadDataset`.
import type { Dataset } from '../engine/dataset';
import { makeBuiltinDataset, builtinDatasetInfo, DatasetError } from '../engine/datasets/index';
import { Sequential } from '../engine/model';
import { SGD, Adam, AdamW, type Optimizer, type ParamState } from '../engine/optim';
import { trainModel, NonFiniteError, TrainSetupError, type EpochResult } from '../engine/train';
import { numel } from '../engine/spec';
import { makeTensor, toFloat64Array } from '../format/tensor';
import {
  CheckpointError, type Checkpoint, type DatasetRef, type HistoryEntry, type LossName, type OptimizerSpec,
  type ParamOptimizerState, type TensorRecord, type TrainingSpec,
} from '../format/types';

export type OptimizerFlag = 'sgd' | 'adam' | 'adamw';

/** Named as the CLI's `train` flags, in camelCase. Unset fields fall back to the file, then PyTorch. */
export interface TrainOptions {
  /** A built-in dataset name or a CSV path (ending in .csv), as the caller wants it stored. */
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

export interface TrainHooks {
  onEpoch?(e: HistoryEntry): void;
  /** Checked between mini-batches: true ends the run at the last whole epoch. */
  shouldStop?(): boolean;
  /** Makes the dataset of a reference; needed for CSV. Built-in names work without it. */
  loadDataset?(ref: DatasetRef, ctx: { inputShape?: number[]; loss: LossName | undefined; seed: number }): Dataset;
  /** Called once before the first epoch with the live model and its data, e.g. for snapshots or a decision boundary during training. */
  onModel?(net: Sequential, data: Dataset, inputShape: number[]): void;
}

export interface TrainResult {
  parameters: Map<string, TensorRecord>;
  optimizer: OptimizerSpec;
  optimizer_state: Map<string, ParamOptimizerState>;
  training: TrainingSpec;
  /** This run's epochs only (the training section holds the whole history). */
  history: HistoryEntry[];
  /** True when shouldStop() ended the run early. */
  stopped: boolean;
  /** The input checkpoint with the four sections above replaced. */
  checkpoint: Checkpoint;
}

/** Training diverged; `partial` holds the state after the last whole epoch (never NaN weights). */
export class TrainDivergedError extends CheckpointError {
  constructor(file: string, readonly reason: NonFiniteError, readonly partial: TrainResult) {
    super(file, reason.message, reason.param);
    this.name = 'TrainDivergedError';
  }
}

const TYPE_OF_FLAG: Record<OptimizerFlag, OptimizerSpec['type']> = { sgd: 'SGD', adam: 'Adam', adamw: 'AdamW' };

export function trainCheckpoint(ckpt: Checkpoint, opts: TrainOptions, hooks: TrainHooks = {}, file = 'checkpoint'): TrainResult {
  const fail = (detail: string, param?: string): never => { throw new CheckpointError(file, detail, param); };
  const model = ckpt.model;
  if (!model) return fail('has no model section: it can be inspected, re-initialised, frozen and decayed, but not trained');

  const { spec: optSpec, keepState } = resolveOptimizer(ckpt.optimizer, opts, fail);
  const training = ckpt.training ?? {};
  const ref = resolveDatasetRef(training.dataset, opts, fail);
  const seed = opts.seed ?? training.seed ?? 0;
  const epochs = opts.epochs ?? training.epochs ?? 100;
  if (!Number.isInteger(epochs) || epochs < 0) fail(`epochs must be a whole number ≥ 0, got ${epochs}`);
  const shuffle = opts.shuffle ?? training.shuffle ?? true;
  const lossGiven = opts.loss ?? training.loss;

  let data: Dataset;
  try {
    data = hooks.loadDataset
      ? hooks.loadDataset(ref, { inputShape: model.input_shape, loss: lossGiven, seed: 0 })
      : typeof ref === 'string'
        ? makeBuiltinDataset(ref, { inputShape: model.input_shape })
        : fail(`dataset ${ref.csv}: reading CSV data needs a loader (the CLI and the extension provide one)`);
  } catch (e) {
    if (e instanceof DatasetError) return fail(e.message);
    throw e;
  }
  const loss: LossName = lossGiven ?? suggestedLoss(data);
  const batchSize = opts.batchSize ?? training.batch_size ?? 32;
  if (!Number.isInteger(batchSize) || batchSize < 1) fail(`batch_size must be a whole number ≥ 1, got ${batchSize}`);

  // Samples take the model's input shape when it is known and holds the same number of values.
  let inputShape = data.inputShape;
  if (model.input_shape) {
    if (numel(model.input_shape) !== numel(data.inputShape)) {
      fail(`dataset ${data.name} has samples of shape [${data.inputShape.join(', ')}] but the model expects input_shape [${model.input_shape.join(', ')}]`);
    }
    inputShape = model.input_shape;
  }

  const net = buildModel(ckpt, fail);
  const optimizer = makeOptimizer(optSpec);
  if (keepState && ckpt.optimizer_state) importState(optimizer, ckpt.optimizer_state, net, optSpec, fail);

  const lastEpoch = training.history?.length ? Number(training.history[training.history.length - 1].epoch) || training.history.length : 0;
  const finish = (run: EpochResult[], stopped: boolean): TrainResult => {
    const history: HistoryEntry[] = run.map((e) => ({ ...e }));
    const newTraining: TrainingSpec = {
      ...training, dataset: ref, loss, epochs, batch_size: batchSize, shuffle, seed,
      history: [...(training.history ?? []), ...history],
    };
    const parameters = exportParameters(ckpt, net);
    const optimizer_state = exportState(optimizer, net);
    const keyOrder = [...ckpt.keyOrder];
    for (const k of ['model', 'parameters', 'optimizer', 'optimizer_state', 'training']) if (!keyOrder.includes(k)) keyOrder.push(k);
    const checkpoint: Checkpoint = { ...ckpt, parameters, optimizer: optSpec, optimizer_state, training: newTraining, keyOrder };
    return { parameters, optimizer: optSpec, optimizer_state, training: newTraining, history, stopped, checkpoint };
  };

  hooks.onModel?.(net, data, inputShape);
  try {
    const run = trainModel(net, optimizer, data, inputShape, {
      loss, epochs, batchSize, shuffle, seed, firstEpoch: lastEpoch + 1,
    }, { onEpoch: hooks.onEpoch, shouldStop: hooks.shouldStop });
    return finish(run.history, run.stopped);
  } catch (e) {
    if (e instanceof TrainSetupError) return fail(e.message);
    if (e instanceof NonFiniteError) throw new TrainDivergedError(file, e, finish(e.history, true));
    throw e;
  }
}

function suggestedLoss(data: Dataset): LossName {
  const info = builtinDatasetInfo(data.name);
  if (info) return info.loss;
  return data.task === 'multiclass' ? 'cross_entropy' : data.task === 'binary' ? 'bce_with_logits' : 'mse';
}

function resolveDatasetRef(fileRef: DatasetRef | undefined, opts: TrainOptions, fail: (d: string, p?: string) => never): DatasetRef {
  if (opts.data !== undefined) {
    if (/\.csv$/i.test(opts.data)) {
      const target = opts.target ?? (typeof fileRef === 'object' && fileRef.csv === opts.data ? fileRef.target : undefined);
      if (!target) return fail(`CSV data ${opts.data} needs a target column (--target COLUMN)`);
      return { csv: opts.data, target };
    }
    if (opts.target !== undefined) fail(`--target applies to CSV data only, not to the built-in dataset ${opts.data}`);
    return opts.data;
  }
  if (fileRef === undefined) return fail('no dataset: the file names none in training.dataset; give one with --data NAME|PATH.csv');
  if (typeof fileRef === 'object' && opts.target !== undefined) return { csv: fileRef.csv, target: opts.target };
  return fileRef;
}

/**
 * The optimizer of the run. The same type as the file's keeps its settings (options override) and
 * its state; another type carries `lr` over, starts the rest at PyTorch's defaults and the state empty.
 */
function resolveOptimizer(fileOpt: OptimizerSpec | undefined, o: TrainOptions, fail: (d: string, p?: string) => never): { spec: OptimizerSpec; keepState: boolean } {
  const type = o.optimizer ? TYPE_OF_FLAG[o.optimizer] : fileOpt?.type ?? 'Adam';
  const same = fileOpt !== undefined && fileOpt.type === type;
  const base: OptimizerSpec = same ? { ...fileOpt } : { type, ...(fileOpt?.lr !== undefined ? { lr: fileOpt.lr } : {}) };
  const positive = (name: string, v: number | undefined, allowZero: boolean) => {
    if (v !== undefined && (!Number.isFinite(v) || v < 0 || (!allowZero && v === 0))) fail(`${name} must be a number ${allowZero ? '≥ 0' : '> 0'}, got ${v}`, 'optimizer');
  };
  if (o.lr !== undefined) base.lr = o.lr;
  if (o.weightDecay !== undefined) base.weight_decay = o.weightDecay;
  if (type === 'SGD') {
    if (o.betas !== undefined || o.eps !== undefined) fail(`--betas and --eps apply to Adam and AdamW, not SGD`, 'optimizer');
    if (o.momentum !== undefined) base.momentum = o.momentum;
    if (o.nesterov !== undefined) base.nesterov = o.nesterov;
    if (base.lr === undefined) fail('SGD needs a learning rate (PyTorch has no default): give --lr', 'optimizer');
    const spec: OptimizerSpec = {
      ...base, type, lr: base.lr, momentum: base.momentum ?? 0, dampening: base.dampening ?? 0,
      nesterov: base.nesterov ?? false, weight_decay: base.weight_decay ?? 0,
    };
    positive('lr', spec.lr, false); positive('momentum', spec.momentum, true); positive('weight_decay', spec.weight_decay, true);
    positive('dampening', spec.dampening, true);
    if (spec.nesterov && (!(spec.momentum! > 0) || spec.dampening !== 0)) fail('Nesterov momentum requires a momentum > 0 and zero dampening', 'optimizer');
    return { spec, keepState: same };
  }
  if (o.momentum !== undefined || o.nesterov !== undefined) fail(`--momentum and --nesterov apply to SGD, not ${type}`, 'optimizer');
  if (o.betas !== undefined) base.betas = o.betas;
  if (o.eps !== undefined) base.eps = o.eps;
  const spec: OptimizerSpec = {
    ...base, type, lr: base.lr ?? 0.001, betas: base.betas ?? [0.9, 0.999], eps: base.eps ?? 1e-8,
    weight_decay: base.weight_decay ?? (type === 'AdamW' ? 0.01 : 0), amsgrad: base.amsgrad ?? false,
  };
  positive('lr', spec.lr, false); positive('eps', spec.eps, true); positive('weight_decay', spec.weight_decay, true);
  const [b1, b2] = spec.betas!;
  if (!(b1 >= 0 && b1 < 1 && b2 >= 0 && b2 < 1)) fail(`betas must be two numbers in [0, 1), got ${b1},${b2}`, 'optimizer');
  return { spec, keepState: same };
}

function makeOptimizer(s: OptimizerSpec): Optimizer {
  if (s.type === 'SGD') return new SGD({ lr: s.lr!, momentum: s.momentum, dampening: s.dampening, nesterov: s.nesterov, weight_decay: s.weight_decay });
  const o = { lr: s.lr, betas: s.betas, eps: s.eps, weight_decay: s.weight_decay, amsgrad: s.amsgrad };
  return s.type === 'AdamW' ? new AdamW(o) : new Adam(o);
}

/** The engine's model with the checkpoint's weights and frozen flags. */
function buildModel(ckpt: Checkpoint, fail: (d: string, p?: string) => never): Sequential {
  let net: Sequential;
  try { net = Sequential.fromSpec(ckpt.model!); } catch (e) { return fail(`model: ${(e as Error).message}`); }
  for (const [name, p] of net.parameters()) {
    const t = ckpt.parameters.get(name);
    if (!t) return fail(`missing parameter ${name} (the model has it)`, name);
    if (numel(t.shape) !== p.data.length) fail(`size mismatch for ${name}: [${t.shape.join(', ')}] in the file, [${p.shape.join(', ')}] in the model`, name);
    if (t.dtype === 'bool' || t.dtype.startsWith('int') || t.dtype === 'uint8') fail(`parameter ${name} has dtype ${t.dtype}; training needs floating-point parameters`, name);
    net.setParameter(name, t.data instanceof Float32Array ? t.data : toFloat64Array(t), t.requires_grad);
  }
  return net;
}

function exportParameters(ckpt: Checkpoint, net: Sequential): Map<string, TensorRecord> {
  const out = new Map<string, TensorRecord>();
  const params = net.parameters();
  // Keep the file's key order; the engine computes in float32 and writes float32.
  for (const [name, t] of ckpt.parameters) {
    const p = params.get(name);
    out.set(name, p ? makeTensor(t.shape, p.data.slice(), t.requires_grad) : t);
  }
  return out;
}

const STATE_KEYS = ['momentum_buffer', 'exp_avg', 'exp_avg_sq', 'max_exp_avg_sq'] as const;

function importState(opt: Optimizer, state: Map<string, ParamOptimizerState>, net: Sequential, spec: OptimizerSpec, fail: (d: string, p?: string) => never): void {
  const params = net.parameters();
  for (const [name, st] of state) {
    const p = params.get(name);
    if (!p) fail(`optimizer_state names ${name}, which is not a parameter of the model`, name);
    const out: ParamState = {};
    for (const [k, v] of Object.entries(st)) {
      if (k === 'step') {
        const n = typeof v === 'number' ? v : Number(toFloat64Array(v)[0]);
        if (!Number.isInteger(n) || n < 0) fail(`optimizer_state ${name}.step must be a whole number ≥ 0, got ${n}`, name);
        out.step = n;
      } else if ((STATE_KEYS as readonly string[]).includes(k)) {
        if (typeof v === 'number') return fail(`optimizer_state ${name}.${k} must be a tensor`, name);
        if (numel(v.shape) !== p!.data.length) fail(`optimizer_state ${name}.${k} has shape [${v.shape.join(', ')}], expected [${p!.shape.join(', ')}]`, name);
        (out as Record<string, Float32Array>)[k] = v.data instanceof Float32Array ? v.data.slice() : Float32Array.from(toFloat64Array(v));
      }
    }
    if (spec.type !== 'SGD' && (out.exp_avg === undefined) !== (out.exp_avg_sq === undefined)) {
      fail(`optimizer_state ${name} has only one of exp_avg and exp_avg_sq`, name);
    }
    if (spec.type !== 'SGD' && out.exp_avg && out.step === undefined) fail(`optimizer_state ${name} has exp_avg but no step`, name);
    if (spec.amsgrad && out.exp_avg && !out.max_exp_avg_sq) out.max_exp_avg_sq = new Float32Array(p!.data.length);
    opt.state.set(name, out);
  }
}

function exportState(opt: Optimizer, net: Sequential): Map<string, ParamOptimizerState> {
  const out = new Map<string, ParamOptimizerState>();
  const params = net.parameters();
  for (const [name, st] of opt.state) {
    const rec: ParamOptimizerState = {};
    if (st.step !== undefined) rec.step = st.step;
    for (const k of STATE_KEYS) {
      const a = st[k];
      if (a) rec[k] = makeTensor(params.get(name)?.shape ?? [a.length], a.slice(), false);
    }
    out.set(name, rec);
  }
  return out;
}
