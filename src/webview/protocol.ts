// The one typed message protocol between the extension host (src/extension/editor/) and the
// editor's webview (src/webview/). Both sides import this module and nothing else of each other,
// so a message that changes shape breaks the build on both sides at once.
// Pure types and constants: no `vscode`, no DOM.
import type { TensorComparison } from '../actions/compare';
import type { DType } from '../format/types';
import type { TensorStats } from '../format/stats';
import type {
  HistogramOverlayPayload, TrainingEndedPayload, TrainingProgressPayload, TrainingStartedPayload,
} from './training/messages';

/** Statistics of one tensor as the webview shows them: the format's own (null when no value is finite). */
export type StatsView = TensorStats;

/** A histogram of a tensor's finite values: `counts[i]` values fall in [edges[i], edges[i+1]). */
export interface HistogramView {
  edges: number[];
  counts: number[];
}

/** What the layout code needs to know of the layer that owns a tensor (defined in src/view/types.ts). */
export type { TensorRole, ColormapName } from '../view/types';
import type { TensorRole, ColormapName } from '../view/types';

/** A small block-reduced picture of a tensor for the parameter list's thumbnail. */
export interface Thumbnail {
  rows: number;
  cols: number;
  /** rows*cols values, row-major; NaN where the cell is a layout gap. */
  values: number[];
  /** Symmetric range used to colour it: the largest finite |value| of the whole tensor. */
  absMax: number;
}

/** One row of the parameter list: a parameter (or buffer) with its metadata and statistics. */
export interface ParamInfo {
  name: string;
  shape: number[];
  dtype: DType;
  /** The dtype as a read-only file stores it, where it differs from `dtype` (int16 and int8 are
   *  held as int32): the editor shows what the file holds. */
  storedDtype?: string;
  numel: number;
  /** Buffers are shown read-only: they have no lock. */
  kind: 'parameter' | 'buffer';
  requiresGrad: boolean;
  role: TensorRole;
  /** The state_dict prefix of the owning layer, when the file has a model. */
  layerPrefix?: string;
  stats: StatsView;
  histogram: HistogramView;
  thumbnail: Thumbnail;
  /**
   * Set in a lazily opened file (a read-only editor) while the values were not read yet: stats,
   * histogram and thumbnail are empty placeholders until a `paramInfo` message replaces this row.
   */
  pending?: boolean;
}

/** One row of the layer table. */
export interface LayerRow {
  index: number;
  prefix: string;
  type: string;
  /** The layer's arguments as PyTorch would print them: "in_features=2, out_features=16". */
  args: string;
  paramCount: number;
  /** Shape of one sample after this layer; null when the model has no input_shape or it does not fit. */
  outputShape: number[] | null;
  /** True when every parameter of the layer is frozen (and it has some). */
  frozen: boolean;
}

export interface Totals { total: number; trainable: number; frozen: number; bytes: number }

/** Everything the webview renders except tensor values (those travel in `tensorData`). */
export interface EditorState {
  fileName: string;
  modelName?: string;
  hasModel: boolean;
  inputShape?: number[];
  /** Why output shapes could not be computed, if the model's input_shape does not fit. */
  shapeError?: string;
  totals: Totals;
  layers: LayerRow[];
  params: ParamInfo[];
  /** Increases with every edit, so the webview knows its cached tensor values are stale. */
  revision: number;
  /** Training is running on this document: edits from the webview are refused meanwhile. */
  busy?: boolean;
  /**
   * Set for a file shown read-only (.safetensors, .pt/.pth, .npy/.npz): no locks, no layer
   * actions, a banner with the reader's notes and a "Save As .weights.json" button.
   */
  readOnly?: { sourceFormat: string; notes: string[] };
}

/** The values of one tensor, exact or block-reduced (then `reduction` says how). */
export interface TensorDataMessage {
  type: 'tensorData';
  name: string;
  revision: number;
  shape: number[];
  /** Float32 values, row-major. When `reduction` is set: values of the reduced layout grid instead. */
  values: Float32Array;
  /**
   * Set when the tensor was too large to send whole: `values` is the tensor's layout grid reduced by
   * blocks of rowFactor x colFactor cells, each block holding its largest-magnitude value
   * (non-finite first) and `index` the flat tensor index of that element (-1 for an all-gap block).
   * Exact values come through `requestValue`.
   */
  reduction?: { rows: number; cols: number; rowFactor: number; colFactor: number; index: Int32Array };
  /** The reduction was fitted to the plot (a click's first picture): zooming in past it asks for `detail`. */
  fitted?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Host -> webview
export type HostToWebview =
  | { type: 'init'; state: EditorState; l10n: Record<string, string>; settings: WebviewSettings; select?: string }
  | { type: 'update'; state: EditorState }
  | TensorDataMessage
  | { type: 'value'; name: string; revision: number; index: number; value: number }
  /** Host asks to select (and scroll to) a parameter, e.g. from a hover link. */
  | { type: 'select'; name: string }
  /** A lazily read tensor's statistics, histogram and thumbnail: replaces its pending row. */
  | { type: 'paramInfo'; revision: number; info: ParamInfo }
  /** The file could not be read: show the message and the "Open in Text Editor" button. */
  | { type: 'error'; message: string; fileName: string; l10n: Record<string, string> }
  // ---- Reserved for the commands engineer (issue 5): live training. Payloads are theirs to define;
  // ---- the editor's main.ts forwards them to src/webview/training/ when that module exists.
  | ({ type: 'trainingStarted' } & TrainingStartedPayload)
  | ({ type: 'trainingProgress' } & TrainingProgressPayload)
  | ({ type: 'trainingEnded' } & TrainingEndedPayload)
  /** After a reinitialisation: the previous histograms, drawn under the new ones (payload: training/messages.ts). */
  | ({ type: 'histogramOverlay' } & HistogramOverlayPayload);

export interface WebviewSettings {
  colormap: ColormapName;
  /** Percentile of |value| at which the heatmap's colour range is clipped; 100 = no clipping. */
  clipPercentile: number;
}

// ---------------------------------------------------------------------------------------------
// Webview -> host
export type WebviewToHost =
  | { type: 'ready' }
  /**
   * The values for the heatmap. `fit`: the plot's size in device pixels, which the first picture
   * of a big tensor is reduced to (see sendPlan in src/view/limits.ts); `detail`: the finest data
   * the host sends, asked for when the user zooms in past a fitted picture.
   */
  | { type: 'requestTensor'; name: string; fit?: Fit; detail?: boolean }
  | { type: 'requestValue'; name: string; index: number }
  | { type: 'toggleFreeze'; name: string }
  | { type: 'runCommand'; command: 'weightscope.reinitialize' | 'weightscope.freeze' | 'weightscope.unfreeze'; args: { params: string[] } }
  | { type: 'openAsText' }
  /** Read-only editor: a pending row came into view (or was selected); send its `paramInfo`. */
  | { type: 'requestInfo'; name: string }
  /** Read-only editor: a pending row scrolled out of view before its `paramInfo` came; the host may drop the work. */
  | { type: 'cancelInfo'; name: string }
  /** Read-only editor: the banner's "Save As .weights.json" button. */
  | { type: 'saveAsWeightsJson' }
  /** The webview remembers the selection per document so a reload or a second editor starts there. */
  | { type: 'selected'; name: string };

/** How much of a tensor is sent whole (defined in src/view/limits.ts, which the host imports). */
export { MAX_SENT_ELEMENTS, MAX_SENT_SIDE, type Fit } from '../view/limits';
import type { Fit } from '../view/limits';

// ---------------------------------------------------------------------------------------------
// The compare view (issue 15): its own webview (src/webview/compare/), host side in
// src/extension/compare/. A = the first checkpoint, B = the second; Δ = B − A.

/** One row of the compare table: the core's TensorComparison (src/actions/compare.ts, pure), as sent. */
export type CompareRowView = TensorComparison;

/** A tensor not compared yet: what the files' headers say of it (the table lists it at once). */
export type ComparePendingView = Pick<CompareRowView, 'name' | 'shapeA' | 'shapeB' | 'dtypeA' | 'dtypeB'>;

export interface CompareSummary { same: number; changed: number; shape_mismatch: number; only_in_a: number; only_in_b: number }

/**
 * One heatmap of the compare view: a tensor's values, exact or block-reduced as in
 * TensorDataMessage. When A, B and Δ are sent together they share one reduction (the blocks' cells
 * chosen by the largest |Δ|), so the same cell is the same element in all three.
 */
export interface ComparePicture {
  shape: number[];
  values: Float32Array;
  reduction?: TensorDataMessage['reduction'];
  /** Reduced to the pane's size (a selection's first pictures): zooming in past it asks for `detail`. */
  fitted?: boolean;
}

/** A tensor's rows (Linear neurons, Conv2d filters, LSTM units…) ranked by how much they changed. */
export interface UnitChangeView { index: number; relChange: number; maxAbsDiff: number }

export type CompareHostToWebview =
  | { type: 'compareInit'; l10n: Record<string, string>; labelA: string; labelB: string; total: number }
  /** Every row compared so far, most changed first, then the ones still to read; `done` once every tensor was read. */
  | { type: 'compareRows'; rows: CompareRowView[]; pending: ComparePendingView[]; compared: number; total: number; done: boolean; summary: CompareSummary }
  /** The selected tensor's pictures; `delta` only when both sides have it with the same shape. */
  | {
    type: 'comparePair'; name: string; role: TensorRole;
    a?: ComparePicture; b?: ComparePicture; delta?: ComparePicture;
  }
  /** Sent right after the pictures (they paint first): the selected tensor's distributions and units. */
  | {
    type: 'compareStats'; name: string;
    /** Both sides' finite values counted over the same bins, so the two bar sets overlay. */
    histogram?: { edges: number[]; a: number[]; b: number[] };
    /** The most changed units first (at most 32), and what a unit is ("output neuron", "filter"…). */
    units?: { unit: string; ranked: UnitChangeView[]; count: number };
  }
  /** Reading a tensor or a file failed: one line naming the file, the tensor and what was expected. */
  | { type: 'compareError'; message: string; name?: string };

export type CompareWebviewToHost =
  | { type: 'compareReady' }
  /** `fit`: a pane's plot in device pixels, the first pictures' size; `detail`: the finest, after a zoom (sendPlan). */
  | { type: 'compareSelect'; name: string; fit?: Fit; detail?: boolean };
