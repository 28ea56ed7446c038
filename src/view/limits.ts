// How much of a tensor travels to the webview: shared by the host (which reduces) and the webview
// (which knows what it received). Re-exported by src/webview/protocol.ts.
//
// Why so careful: a webview message crosses from the extension host to the browser and into the
// webview's frame at ~15 MB/s in code-server (measured: 7 MB of GPT-2's reduced wte.weight took
// ~440 ms, a 9.4 MB [768, 3072] matrix sent whole ~600 ms), so the bytes sent decide how soon a
// clicked heatmap paints. A click therefore gets a picture fitted to the plot's device pixels;
// the finer data (whole values, or a 1024-cell grid) only when the user zooms in past it.

/** Tensors with more elements than this are never sent whole (exact values on hover). */
export const MAX_SENT_ELEMENTS = 1 << 22;
/** The largest side of a reduced grid the host sends for a big tensor. */
export const MAX_SENT_SIDE = 1024;
/** Tensors up to this many elements (1 MiB as float32) are sent whole even for a first picture. */
export const SMALL_SENT_ELEMENTS = 1 << 18;
/** A fitted grid is at least this many cells a side, whatever the plot says. */
const MIN_FIT_SIDE = 64;

/** The plot's size in device pixels, which a first picture need not exceed. */
export interface Fit { rows: number; cols: number }

/** Send the tensor's values whole, or its layout reduced by blocks to at most maxRows × maxCols. */
export type SendPlan = { whole: true } | { whole: false; maxRows: number; maxCols: number; fitted: boolean };

/**
 * What to send for a tensor of `numel` elements whose layout is `layout.rows` × `layout.cols`:
 * for a click's first picture (`fit` given), no more cells than the plot has pixels; for `detail`
 * (the user zoomed in past the first picture) or without a fit, as much as the limits allow.
 */
export function sendPlan(layout: { rows: number; cols: number }, numel: number, fit?: Fit, detail = false): SendPlan {
  const finest: SendPlan = numel <= MAX_SENT_ELEMENTS ? { whole: true } : { whole: false, maxRows: MAX_SENT_SIDE, maxCols: MAX_SENT_SIDE, fitted: false };
  if (detail || !fit || numel <= SMALL_SENT_ELEMENTS) return finest;
  const clamp = (n: number) => Math.max(MIN_FIT_SIDE, Math.min(MAX_SENT_SIDE, Math.ceil(Number.isFinite(n) ? n : MAX_SENT_SIDE)));
  const maxRows = clamp(fit.rows), maxCols = clamp(fit.cols);
  // Nothing to reduce: the whole tensor is no bigger than the fitted grid (and smaller without its index).
  if (layout.rows <= maxRows && layout.cols <= maxCols) return finest;
  return { whole: false, maxRows, maxCols, fitted: true };
}
