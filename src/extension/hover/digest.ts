// What the hover index keeps of a checkpoint: per parameter its name, shape, flags, statistics
// and a thumbnail-sized picture — never the tensor itself, so a workspace of large checkpoints
// costs kilobytes. Pure (no `fs`, no `vscode`): it runs in the index's worker thread and in tests.
import type { LayerType } from '../../engine/spec';
import { layerParams } from '../../engine/spec';
import type { Checkpoint, DType, TensorRecord } from '../../format/types';
import { histogram, tensorStats } from '../../format/stats';
import { toFloat64Array } from '../../format/tensor';

/** Side of the block-reduced heatmap thumbnail, in cells. */
export const HEATMAP_SIDE = 16;
export const HISTOGRAM_BINS = 20;

export interface ParamStats {
  mean: number | null;
  std: number | null;
  min: number | null;
  max: number | null;
  nonfinite: number;
}

/** A matrix-shaped tensor, block-reduced: `values` is rows × cols, row-major; null cells had no finite value. */
export interface HeatmapPicture { kind: 'heatmap'; rows: number; cols: number; values: (number | null)[]; blockRows: number; blockCols: number }
/** A vector's value distribution over [min, max]. */
export interface HistogramPicture { kind: 'histogram'; counts: number[]; min: number; max: number }
export type Picture = HeatmapPicture | HistogramPicture;

export interface ParamDigest {
  name: string;
  shape: number[];
  dtype: DType;
  requiresGrad: boolean;
  numel: number;
  stats: ParamStats;
  /** The type of the layer that owns it, when the checkpoint's `model` says so. */
  layerType?: LayerType;
  /** A buffer (running statistics...), not a parameter. */
  buffer?: boolean;
  picture: Picture | null;
}

export interface CheckpointDigest {
  params: ParamDigest[];
}

/** Block-reduces the tensor viewed as [shape[0], rest] to at most HEATMAP_SIDE² cells, each the block's largest-magnitude value, so extremes stay visible. */
export function heatmapOf(values: ArrayLike<number>, shape: number[]): HeatmapPicture | null {
  if (shape.length < 2 || shape[0] < 2 || values.length / shape[0] < 2) return null;
  const rowsIn = shape[0], colsIn = values.length / rowsIn;
  const blockRows = Math.ceil(rowsIn / HEATMAP_SIDE), blockCols = Math.ceil(colsIn / HEATMAP_SIDE);
  const rows = Math.ceil(rowsIn / blockRows), cols = Math.ceil(colsIn / blockCols);
  const cells: (number | null)[] = new Array(rows * cols).fill(null);
  for (let r = 0; r < rowsIn; r++) {
    const base = r * colsIn, cellRow = Math.floor(r / blockRows) * cols;
    for (let c = 0; c < colsIn; c++) {
      const v = values[base + c];
      if (!Number.isFinite(v)) continue;
      const cell = cellRow + Math.floor(c / blockCols);
      const cur = cells[cell];
      if (cur === null || Math.abs(v) > Math.abs(cur)) cells[cell] = v;
    }
  }
  return { kind: 'heatmap', rows, cols, values: cells, blockRows, blockCols };
}

function pictureOf(t: TensorRecord, min: number | null, max: number | null): Picture | null {
  if (t.dtype === 'bool' || min === null || max === null) return null;
  // float32/float64/int32/uint8 data is read in place; halves and int64 need decoding first.
  const d = t.data;
  const values = d instanceof Float32Array || d instanceof Float64Array || d instanceof Int32Array || d instanceof Uint8Array ? d : toFloat64Array(t);
  const heat = heatmapOf(values, t.shape);
  if (heat) return heat;
  if (t.data.length < 2) return null;
  const h = histogram(t, HISTOGRAM_BINS);
  return { kind: 'histogram', counts: Array.from(h.counts), min, max };
}

function digestTensor(name: string, t: TensorRecord, layerType: LayerType | undefined, buffer: boolean): ParamDigest {
  const s = tensorStats(t);
  const stats: ParamStats = { mean: s.mean, std: s.std, min: s.min, max: s.max, nonfinite: s.nonfinite };
  return {
    name, shape: [...t.shape], dtype: t.dtype, requiresGrad: t.requires_grad, numel: s.numel, stats,
    ...(layerType ? { layerType } : {}), ...(buffer ? { buffer } : {}),
    picture: pictureOf(t, s.min, s.max),
  };
}

/**
 * The layer type a parameter most likely belongs to when the file has no `model`: LSTM by its
 * name, else by the rank of its layer's weight (2-D: Linear, 4-D: Conv2d). A guess only where the
 * state_dict leaves no doubt; anything else (a norm layer's 1-D weight, say) stays unknown.
 */
export function inferLayerType(name: string, shapes: ReadonlyMap<string, number[]>): LayerType | undefined {
  const dot = name.lastIndexOf('.');
  const prefix = dot >= 0 ? name.slice(0, dot + 1) : '', leaf = name.slice(dot + 1);
  if (/^(weight|bias)_(ih|hh)_l\d+$/.test(leaf)) return 'LSTM';
  if (leaf !== 'weight' && leaf !== 'bias') return undefined;
  const weight = shapes.get(`${prefix}weight`);
  if (weight?.length === 2) return 'Linear';
  if (weight?.length === 4) return 'Conv2d';
  return undefined;
}

/** The digest of every parameter (and buffer) of a parsed checkpoint, in state_dict order. */
export function digestCheckpoint(ckpt: Checkpoint): CheckpointDigest {
  const owner = new Map<string, LayerType>();
  ckpt.model?.layers.forEach((layer, i) => { for (const slot of layerParams(layer, i)) owner.set(slot.name, layer.type); });
  if (!ckpt.model) {
    const shapes = new Map([...ckpt.parameters].map(([n, t]) => [n, t.shape]));
    for (const n of shapes.keys()) { const type = inferLayerType(n, shapes); if (type) owner.set(n, type); }
  }
  const params: ParamDigest[] = [];
  for (const [name, t] of ckpt.parameters) params.push(digestTensor(name, t, owner.get(name), false));
  for (const [name, t] of ckpt.buffers ?? []) params.push(digestTensor(name, t, undefined, true));
  return { params };
}
