// One decoupled weight-decay step (docs/cli.md `decay`): w ← w · (1 − lr · λ) on every trainable
// parameter, as AdamW does before its step; frozen parameters are untouched. Returns the new
// tensors (see applyParameters in init.ts) so the editor can make it one undoable edit.
import { toFloat64Array } from '../format/tensor';
import { CheckpointError, isFloatDType, type Checkpoint, type TensorRecord } from '../format/types';
import { fromNumbers } from './tensorValues';

export interface WeightDecayOptions {
  /** λ, ≥ 0. */
  weightDecay: number;
  /** η, ≥ 0; default 1. */
  lr?: number;
}

/**
 * The factor 1 − lr·λ, refused unless 0 < factor ≤ 1: a negative λ or lr would grow the weights,
 * and lr·λ ≥ 1 would zero them all or flip their signs — never what a decay step means.
 */
export function decayFactor(opts: WeightDecayOptions, file: string): number {
  const { weightDecay, lr = 1 } = opts;
  if (!Number.isFinite(weightDecay) || weightDecay < 0) throw new CheckpointError(file, `weight_decay must be a number ≥ 0, got ${weightDecay}`);
  if (!Number.isFinite(lr) || lr < 0) throw new CheckpointError(file, `lr must be a number ≥ 0, got ${lr}`);
  const factor = 1 - lr * weightDecay;
  if (factor <= 0) {
    throw new CheckpointError(file, `lr · weight_decay = ${lr * weightDecay} would ${factor === 0 ? 'zero every weight' : 'flip the sign of every weight'}; expected lr · weight_decay < 1`);
  }
  return factor;
}

export function applyWeightDecay(ckpt: Checkpoint, opts: WeightDecayOptions, file = ''): Map<string, TensorRecord> {
  const factor = decayFactor(opts, file);
  const f32 = Math.fround(factor);
  const out = new Map<string, TensorRecord>();
  for (const [name, t] of ckpt.parameters) {
    if (!t.requires_grad || !isFloatDType(t.dtype)) continue; // integer tensors cannot require grad in torch
    let data;
    if (t.data instanceof Float32Array) {
      // float32 times the factor rounded to float32, as torch's param.mul_(1 - lr * wd) computes it.
      const src = t.data, dst = new Float32Array(src.length);
      for (let i = 0; i < src.length; i++) dst[i] = src[i] * f32;
      data = dst;
    } else {
      const values = toFloat64Array(t).map((v) => v * factor);
      data = fromNumbers(values, t.dtype, file, name);
    }
    out.set(name, { shape: [...t.shape], dtype: t.dtype, requires_grad: true, data });
  }
  return out;
}
