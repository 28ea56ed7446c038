// What the webview is told about a checkpoint: summary, layer table, and per-parameter metadata,
// statistics, histogram and thumbnail. Tensor values travel separately (tensorMessage), on demand.
// No `vscode` here, so it is unit-testable.
import { layerOutputShapes, layerParams, layerPrefix, type LayerSpec } from '../../engine/spec';
import { checkpointTotals, histogram, numericView, tensorStats } from '../../format/stats';
import { toFloat64Array } from '../../format/tensor';
import type { Checkpoint, TensorRecord } from '../../format/types';
import { layoutFor } from '../../view/layout';
import { reduceTensorNow } from './tensorSummary';
import { absMax } from '../../view/colormap';
import { sendPlan, type Fit } from '../../view/limits';
import type { EditorState, HistogramView, LayerRow, ParamInfo, TensorDataMessage, TensorRole } from '../../webview/protocol';

/** Histogram bins: about 2·√n (so a bias of 12 values is not 40 mostly empty bins), 8 to 40. */
export const histogramBins = (n: number): number => Math.max(8, Math.min(40, Math.ceil(2 * Math.sqrt(n))));
export const THUMB_ROWS = 16, THUMB_COLS = 32;

/** "in_features=2, out_features=16, bias=True", PyTorch's repr of a layer's arguments. */
export function layerArgs(layer: LayerSpec): string {
  return Object.entries(layer)
    .filter(([k]) => k !== 'type' && k !== 'name')
    .map(([k, v]) => `${k}=${typeof v === 'boolean' ? (v ? 'True' : 'False') : Array.isArray(v) ? `(${v.join(', ')})` : String(v)}`)
    .join(', ');
}

/** Which layer owns each parameter name (from the model, when the file has one). */
function roles(ckpt: Checkpoint): Map<string, { role: TensorRole; prefix: string }> {
  const out = new Map<string, { role: TensorRole; prefix: string }>();
  ckpt.model?.layers.forEach((layer, i) => {
    for (const slot of layerParams(layer, i)) out.set(slot.name, { role: { layerType: layer.type, local: slot.local }, prefix: slot.layerPrefix });
  });
  return out;
}

function histogramView(t: TensorRecord, stats: { numel: number; min: number | null; max: number | null }): HistogramView {
  if (stats.min === null || stats.max === null) return { edges: [], counts: [] };
  const h = histogram(t, histogramBins(stats.numel), [stats.min, stats.max]);
  return { edges: Array.from(h.edges), counts: Array.from(h.counts) };
}

function paramInfo(name: string, t: TensorRecord, kind: ParamInfo['kind'], owner?: { role: TensorRole; prefix: string }): ParamInfo {
  // The stored array itself where it holds numbers (float32 stays float32, no widened copy).
  const values = numericView(t);
  const stats = tensorStats(t);
  const role = owner?.role ?? { local: name.slice(name.lastIndexOf('.') + 1) };
  const grid = reduceTensorNow(layoutFor(t.shape, role), t, THUMB_ROWS, THUMB_COLS);
  return {
    name, shape: [...t.shape], dtype: t.dtype, numel: values.length, kind,
    requiresGrad: kind === 'parameter' ? t.requires_grad : false,
    role, layerPrefix: owner?.prefix, stats,
    histogram: histogramView(t, stats),
    thumbnail: { rows: grid.rows, cols: grid.cols, values: Array.from(grid.values), absMax: absMax(values) },
  };
}

/** The whole state the webview renders for `ckpt`. */
export function buildEditorState(ckpt: Checkpoint, fileName: string, revision: number): EditorState {
  const owners = roles(ckpt);
  const params: ParamInfo[] = [];
  for (const [name, t] of ckpt.parameters) params.push(paramInfo(name, t, 'parameter', owners.get(name)));
  for (const [name, t] of ckpt.buffers ?? []) params.push(paramInfo(name, t, 'buffer', owners.get(name)));
  const layers: LayerRow[] = [];
  let shapeError: string | undefined;
  if (ckpt.model) {
    const shapes = layerOutputShapes(ckpt.model);
    shapeError = shapes.error;
    ckpt.model.layers.forEach((layer, i) => {
      const slots = layerParams(layer, i);
      const tensors = slots.map((s) => ckpt.parameters.get(s.name)).filter((t): t is TensorRecord => t !== undefined);
      layers.push({
        index: i, prefix: layerPrefix(layer, i), type: layer.type, args: layerArgs(layer),
        paramCount: tensors.reduce((a, t) => a + t.data.length, 0),
        outputShape: shapes.shapes[i] ?? null,
        frozen: tensors.length > 0 && tensors.every((t) => !t.requires_grad),
      });
    });
  }
  return {
    fileName, modelName: ckpt.model?.name, hasModel: ckpt.model !== undefined, inputShape: ckpt.model?.input_shape,
    shapeError, totals: checkpointTotals(ckpt), layers, params, revision,
  };
}

/**
 * The values of tensor `name` for the webview: exact when small enough, else block-reduced; fitted
 * to the plot (`fit`) for a click's first picture, the finest the limits allow for `detail` (sendPlan).
 */
export function tensorMessage(ckpt: Checkpoint, name: string, revision: number, opts: { role?: TensorRole; fit?: Fit; detail?: boolean } = {}): TensorDataMessage | undefined {
  const t = ckpt.parameters.get(name) ?? ckpt.buffers?.get(name);
  if (!t) return undefined;
  const values = numericView(t);
  const owner = opts.role ?? roles(ckpt).get(name)?.role ?? { local: name.slice(name.lastIndexOf('.') + 1) };
  const layout = layoutFor(t.shape, owner);
  const plan = sendPlan(layout, values.length, opts.fit, opts.detail);
  if (plan.whole) return { type: 'tensorData', name, revision, shape: [...t.shape], values: Float32Array.from(values) };
  const grid = reduceTensorNow(layout, t, plan.maxRows, plan.maxCols);
  return {
    type: 'tensorData', name, revision, shape: [...t.shape], values: grid.values,
    reduction: { rows: grid.rows, cols: grid.cols, rowFactor: grid.rowFactor, colFactor: grid.colFactor, index: grid.index },
    ...(plan.fitted ? { fitted: true } : {}),
  };
}

/** One exact element of a tensor, for hover read-outs of reduced or non-float32 tensors. */
export function tensorValue(ckpt: Checkpoint, name: string, index: number): number | undefined {
  const t = ckpt.parameters.get(name) ?? ckpt.buffers?.get(name);
  if (!t || index < 0 || index >= t.data.length) return undefined;
  const v = t.data[index];
  if (typeof v === 'bigint') return Number(v);
  if (t.dtype === 'float16' || t.dtype === 'bfloat16') return toFloat64Array({ ...t, data: t.data.subarray(index, index + 1) as Uint16Array })[0];
  return v;
}
