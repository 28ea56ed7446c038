// The in-memory form of a `.weights.json` checkpoint (see ../../docs/weights-json.md, the format
// contract). Tensors live in typed arrays once loaded, never in nested JS arrays.
import type { ModelSpec } from '../engine/spec';
import { InputError } from '../engine/errors';

export type DType = 'float32' | 'float64' | 'float16' | 'bfloat16' | 'int64' | 'int32' | 'uint8' | 'bool';
export const DTYPES: readonly DType[] = ['float32', 'float64', 'float16', 'bfloat16', 'int64', 'int32', 'uint8', 'bool'];
/** The floating-point dtypes: the ones that can require grad, and whose elements may be any number. */
const FLOAT_DTYPES: readonly DType[] = ['float32', 'float64', 'float16', 'bfloat16'];

export function isFloatDType(dtype: DType): boolean {
  return FLOAT_DTYPES.includes(dtype);
}

/**
 * The typed array that holds each dtype, losslessly:
 * float32 → Float32Array, float64 → Float64Array, float16 / bfloat16 → Uint16Array of raw bits,
 * int64 → BigInt64Array, int32 → Int32Array, uint8 and bool → Uint8Array (bool as 0/1).
 */
export type TensorData = Float32Array | Float64Array | Uint16Array | BigInt64Array | Int32Array | Uint8Array;

export interface TensorRecord {
  shape: number[];
  dtype: DType;
  /** Frozen parameters have false; buffers default to false. */
  requires_grad: boolean;
  data: TensorData;
}

export type OptimizerType = 'SGD' | 'Adam' | 'AdamW';

export interface OptimizerSpec {
  type: OptimizerType;
  lr?: number;
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
  weight_decay?: number;
  betas?: [number, number];
  eps?: number;
  amsgrad?: boolean;
  [extra: string]: unknown;
}

/** PyTorch's per-parameter optimizer state: momentum_buffer, or step / exp_avg / exp_avg_sq / max_exp_avg_sq. */
export type ParamOptimizerState = Record<string, number | TensorRecord>;

export type LossName = 'mse' | 'bce_with_logits' | 'cross_entropy';
export type DatasetRef = string | { csv: string; target: string };

export interface HistoryEntry { epoch: number; loss: number; accuracy?: number; [extra: string]: unknown }

export interface TrainingSpec {
  dataset?: DatasetRef;
  loss?: LossName;
  epochs?: number;
  batch_size?: number;
  shuffle?: boolean;
  seed?: number;
  history?: HistoryEntry[];
  [extra: string]: unknown;
}

export interface Checkpoint {
  format: 'weights.json';
  version: 1;
  model?: ModelSpec;
  /** Key order is the state_dict order and is kept on save. */
  parameters: Map<string, TensorRecord>;
  buffers?: Map<string, TensorRecord>;
  optimizer?: OptimizerSpec;
  optimizer_state?: Map<string, ParamOptimizerState>;
  training?: TrainingSpec;
  metadata?: unknown;
  /** Unknown top-level keys, kept untouched on save. */
  extra: Map<string, unknown>;
  /** Top-level key order as read, so a file written back keeps its layout. */
  keyOrder: string[];
}

/**
 * A user's bad input: a file that is not a valid checkpoint, or an option that does not fit it.
 * `message` is one line naming the file, the parameter and what was expected — shown as is,
 * never with a stack trace.
 */
export class CheckpointError extends InputError {
  declare readonly file: string;
  constructor(file: string, detail: string, param?: string) {
    super(detail, file, param);
    this.name = 'CheckpointError';
  }
}
