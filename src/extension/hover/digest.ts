// What the hover index keeps of a checkpoint: per parameter its name, shape, flags, statistics
// and a thumbnail-sized picture — never the tensor itself, so a workspace of large checkpoints
// costs kilobytes. Pure (no `fs`, no `vscode`): digestFile.ts feeds it from a file read as a
// stream, tests from parsed checkpoints.
import type { LayerType, ModelSpec } from '../../engine/spec';
import { layerParams, numel } from '../../engine/spec';
import type { Checkpoint, TensorRecord } from '../../format/types';
import type { RawDType } from '../../format/lazy';
import { addToHistogram, histogramRange, numericView, StatsAccumulator } from '../../format/stats';

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

/** A matrix's thumbnail: rows × cols cells, row-major, each the largest-magnitude value of its block; NaN where the block has no finite value. */
export interface HeatmapPicture { kind: 'heatmap'; rows: number; cols: number; values: Float32Array; blockRows: number; blockCols: number }
/** A vector's value distribution over [min, max]. */
export interface HistogramPicture { kind: 'histogram'; counts: number[]; min: number; max: number }
export type Picture = HeatmapPicture | HistogramPicture;

export interface ParamDigest {
  name: string;
  shape: number[];
  /** As the file stores it (bfloat16, int16...): a viewer shows what the file holds. */
  dtype: RawDType;
  requiresGrad: boolean;
  numel: number;
  /** null until the values are read: a foreign file's shapes come from its header at once, its statistics later. */
  stats: ParamStats | null;
  /** The type of the layer that owns it, when the checkpoint's `model` says so. */
  layerType?: LayerType;
  /** A buffer (running statistics...), not a parameter. */
  buffer?: boolean;
  picture: Picture | null;
}

/** A tensor known from a file's header only: shape, dtype and flags, its statistics still to be read. */
export function headerDigest(name: string, shape: number[], dtype: RawDType, requiresGrad: boolean, layerType?: LayerType, buffer = false): ParamDigest {
  return {
    name, shape: [...shape], dtype, requiresGrad, numel: numel(shape), stats: null,
    ...(layerType ? { layerType } : {}), ...(buffer ? { buffer: true } : {}), picture: null,
  };
}

export interface CheckpointDigest {
  params: ParamDigest[];
}

/**
 * The block-reduced heatmap of a matrix-shaped tensor (viewed as [shape[0], rest]), built from
 * its values as they arrive in row-major order: at most HEATMAP_SIDE² cells, each the block's
 * largest-magnitude value, so extremes stay visible. Null for shapes that are no matrix.
 */
class HeatmapAccumulator {
  private readonly colsIn: number;
  private readonly blockRows: number;
  private readonly blockCols: number;
  private readonly rows: number;
  private readonly cols: number;
  /** NaN: no finite value seen in the block yet. A typed array, so storing a value allocates nothing. */
  private readonly cells: Float64Array;
  /** Row and column of the next value, in an array rather than fields for the reason StatsAccumulator gives. */
  private readonly at = new Float64Array(2);

  static forShape(shape: readonly number[], numel: number): HeatmapAccumulator | null {
    if (shape.length < 2 || shape[0] < 2 || numel / shape[0] < 2) return null;
    return new HeatmapAccumulator(shape[0], numel / shape[0]);
  }

  private constructor(rowsIn: number, colsIn: number) {
    this.colsIn = colsIn;
    this.blockRows = Math.ceil(rowsIn / HEATMAP_SIDE);
    this.blockCols = Math.ceil(colsIn / HEATMAP_SIDE);
    this.rows = Math.ceil(rowsIn / this.blockRows);
    this.cols = Math.ceil(colsIn / this.blockCols);
    this.cells = new Float64Array(this.rows * this.cols).fill(NaN);
  }

  add(values: ArrayLike<number>, count: number): void {
    const { cells, colsIn, blockRows, blockCols, cols } = this;
    const at = this.at;
    let r = at[0], c = at[1];
    let cellRow = Math.floor(r / blockRows) * cols;
    for (let i = 0; i < count; i++) {
      const v = values[i];
      if (Number.isFinite(v)) {
        const cell = cellRow + Math.floor(c / blockCols);
        const cur = cells[cell];
        if (cur !== cur || Math.abs(v) > Math.abs(cur)) cells[cell] = v; // cur !== cur: NaN, the block is empty
      }
      if (++c === colsIn) { c = 0; r++; cellRow = Math.floor(r / blockRows) * cols; }
    }
    at[0] = r;
    at[1] = c;
  }

  picture(): HeatmapPicture {
    // Float32 is plenty for a thumbnail, and a quarter of boxed numbers' memory for every digest the index keeps.
    return { kind: 'heatmap', rows: this.rows, cols: this.cols, values: Float32Array.from(this.cells), blockRows: this.blockRows, blockCols: this.blockCols };
  }
}

/** The heatmap thumbnail of a whole tensor's values (see HeatmapAccumulator), or null when it is no matrix. */
export function heatmapOf(values: ArrayLike<number>, shape: number[]): HeatmapPicture | null {
  const heat = HeatmapAccumulator.forShape(shape, values.length);
  heat?.add(values, values.length);
  return heat?.picture() ?? null;
}

/**
 * One tensor's digest, built from its values as they arrive in batches (a whole typed array at
 * once, or a file read chunk by chunk): statistics and a matrix's heatmap in one pass. A
 * vector's histogram needs the min and max first, so when `needsHistogram()` the caller feeds
 * the values once more through `addToHistogram`.
 */
export class TensorDigestBuilder {
  private readonly stats = new StatsAccumulator();
  private readonly heat: HeatmapAccumulator | null;
  private readonly numel: number;
  private histogramCounts: Uint32Array | null = null;
  private histogramRange: [number, number] = [0, 0];

  /** Only the shape and dtype are needed up front: a file read in one pass meets a tensor's values before it knows all of it. */
  constructor(private readonly name: string, private readonly header: { shape: readonly number[]; dtype: RawDType }) {
    this.numel = numel(header.shape as number[]);
    this.heat = header.dtype === 'bool' ? null : HeatmapAccumulator.forShape(header.shape, this.numel);
  }

  /** The next `count` values (row-major). */
  add(values: ArrayLike<number>, count: number): void {
    this.stats.add(values, 0, count);
    this.heat?.add(values, count);
  }

  /** True when the picture is a histogram, which takes a second pass over the values. */
  needsHistogram(): boolean {
    const s = this.stats.result(this.numel);
    if (this.heat || this.header.dtype === 'bool' || this.numel < 2 || s.min === null || s.max === null) return false;
    this.histogramRange = histogramRange(s.min, s.max);
    this.histogramCounts ??= new Uint32Array(HISTOGRAM_BINS);
    return true;
  }

  /** The second pass's values, in batches, after `needsHistogram()` said yes. */
  readonly addToHistogram = (values: ArrayLike<number>, count: number): void => {
    if (this.histogramCounts) addToHistogram(this.histogramCounts, ...this.histogramRange, values, 0, count);
  };

  /** The digest, with what the file says of the tensor besides its values. */
  finish(requiresGrad: boolean, layerType?: LayerType, buffer = false): ParamDigest {
    const s = this.stats.result(this.numel);
    const stats: ParamStats = { mean: s.mean, std: s.std, min: s.min, max: s.max, nonfinite: s.nonfinite };
    let picture: Picture | null = null;
    if (s.min !== null && s.max !== null) {
      if (this.heat) picture = this.heat.picture();
      else if (this.histogramCounts) picture = { kind: 'histogram', counts: Array.from(this.histogramCounts), min: s.min, max: s.max };
    }
    const { shape, dtype } = this.header;
    return {
      name: this.name, shape: [...shape], dtype, requiresGrad, numel: this.numel, stats,
      ...(layerType ? { layerType } : {}), ...(buffer ? { buffer: true } : {}),
      picture,
    };
  }
}

function digestTensor(name: string, t: TensorRecord, layerType: LayerType | undefined, buffer: boolean): ParamDigest {
  const b = new TensorDigestBuilder(name, t);
  const values = numericView(t);
  b.add(values, values.length);
  if (b.needsHistogram()) b.addToHistogram(values, values.length);
  return b.finish(t.requires_grad, layerType, buffer);
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

/**
 * The layer type owning each parameter: from the checkpoint's `model` when it has one, else
 * inferred from the names and shapes (inferLayerType).
 */
export function layerOwners(model: ModelSpec | undefined, shapes: ReadonlyMap<string, number[]>): Map<string, LayerType> {
  const owner = new Map<string, LayerType>();
  if (model) {
    model.layers.forEach((layer, i) => { for (const slot of layerParams(layer, i)) owner.set(slot.name, layer.type); });
  } else {
    for (const n of shapes.keys()) { const type = inferLayerType(n, shapes); if (type) owner.set(n, type); }
  }
  return owner;
}

/** The digest of every parameter (and buffer) of a parsed checkpoint, in state_dict order. */
export function digestCheckpoint(ckpt: Checkpoint): CheckpointDigest {
  const owner = layerOwners(ckpt.model, new Map([...ckpt.parameters].map(([n, t]) => [n, t.shape])));
  const params: ParamDigest[] = [];
  for (const [name, t] of ckpt.parameters) params.push(digestTensor(name, t, owner.get(name), false));
  for (const [name, t] of ckpt.buffers ?? []) params.push(digestTensor(name, t, undefined, true));
  return { params };
}
