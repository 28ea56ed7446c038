// How a tensor is laid out as a 2-D picture: which element sits in which grid cell, which cells
// are gaps between tiles, and how the axes and blocks are labelled. The layout follows what the
// tensor MEANS for its layer (a Linear weight's rows are output neurons, a Conv2d weight is a grid
// of kernels, an LSTM weight is four gate blocks), so the picture reads like the layer.
// Pure: no DOM, no `vscode`; the host uses it too when it reduces big tensors before sending
// (for the geometry only). Labels go through the webview's t(), translated like every other string.
import { t } from './l10n';
import type { TensorRole } from './types';

export type LayoutKind = 'scalar' | 'strip' | 'matrix' | 'kernels' | 'gates' | 'stack';

/** A labelled run of grid cells along one axis: [start, end) in cells. */
export interface Band { start: number; end: number; label: string }

export interface Layout {
  kind: LayoutKind;
  rows: number;
  cols: number;
  /** The flat (row-major) element index shown in grid cell (r, c), or -1 for a gap between tiles. */
  at(r: number, c: number): number;
  /** Labelled blocks along the rows (gates, output channels) and the columns (input channels, bias gates). */
  rowBands: Band[];
  colBands: Band[];
  /** What a row and a column of the picture stand for; message keys for t(). */
  rowAxis: string;
  colAxis: string;
}

/** PyTorch's LSTM gate order in weight_ih/weight_hh/bias_*: input, forget, cell (g), output. */
export const LSTM_GATES = ['i', 'f', 'g', 'o'] as const;

const isLstmTensor = (role: TensorRole): boolean =>
  role.layerType === 'LSTM' && /^(weight_ih|weight_hh|bias_ih|bias_hh)_l\d+$/.test(role.local);

/** Bands of `count` tiles of `size` cells with a one-cell gap between them. */
function tiledBands(count: number, size: number, label: (k: number) => string): Band[] {
  const bands: Band[] = [];
  for (let k = 0; k < count; k++) bands.push({ start: k * (size + 1), end: k * (size + 1) + size, label: label(k) });
  return bands;
}

/** Choose the layout of a tensor of `shape` playing `role` in its layer. */
export function layoutFor(shape: readonly number[], role: TensorRole): Layout {
  const lstm = isLstmTensor(role);
  if (shape.length === 0) {
    return { kind: 'scalar', rows: 1, cols: 1, at: () => 0, rowBands: [], colBands: [], rowAxis: '', colAxis: '' };
  }
  if (shape.length === 1) {
    const n = shape[0];
    if (lstm && n % 4 === 0 && n > 0) {
      // Four gate strips side by side with a gap cell between them.
      const h = n / 4;
      return {
        kind: 'gates', rows: 1, cols: 4 * h + 3,
        at: (_r, c) => (c % (h + 1) === h ? -1 : Math.floor(c / (h + 1)) * h + (c % (h + 1))),
        rowBands: [], colBands: tiledBands(4, h, (k) => LSTM_GATES[k]),
        rowAxis: '', colAxis: t('hidden unit'),
      };
    }
    return { kind: 'strip', rows: 1, cols: n, at: (_r, c) => c, rowBands: [], colBands: [], rowAxis: '', colAxis: t('element') };
  }
  if (shape.length === 2) {
    const [r0, c0] = shape;
    if (lstm && r0 % 4 === 0 && r0 > 0) {
      const h = r0 / 4;
      return {
        kind: 'gates', rows: 4 * h + 3, cols: c0,
        at: (r, c) => (r % (h + 1) === h ? -1 : (Math.floor(r / (h + 1)) * h + (r % (h + 1))) * c0 + c),
        rowBands: tiledBands(4, h, (k) => LSTM_GATES[k]), colBands: [],
        rowAxis: t('hidden unit'), colAxis: role.local.startsWith('weight_hh') ? t('previous hidden unit') : t('input feature'),
      };
    }
    const linear = role.layerType === 'Linear';
    return {
      kind: 'matrix', rows: r0, cols: c0, at: (r, c) => r * c0 + c, rowBands: [], colBands: [],
      rowAxis: linear ? t('output neuron') : t('dim {0}', 0), colAxis: linear ? t('input feature') : t('dim {0}', 1),
    };
  }
  if (shape.length === 4) {
    // Conv2d weight [out, in, kh, kw]: one kh x kw tile per (out, in), tiles separated by a gap cell.
    const [o, i, kh, kw] = shape;
    const per = i * kh * kw;
    return {
      kind: 'kernels', rows: Math.max(0, o * (kh + 1) - 1), cols: Math.max(0, i * (kw + 1) - 1),
      at: (r, c) => {
        const dy = r % (kh + 1), dx = c % (kw + 1);
        if (dy === kh || dx === kw) return -1;
        return Math.floor(r / (kh + 1)) * per + Math.floor(c / (kw + 1)) * kh * kw + dy * kw + dx;
      },
      rowBands: tiledBands(o, kh, (k) => t('out {0}', k)), colBands: tiledBands(i, kw, (k) => t('in {0}', k)),
      rowAxis: t('output channel'), colAxis: t('input channel'),
    };
  }
  if (shape.length === 3) {
    // [a, b, c]: a tiles of b x c stacked vertically.
    const [a, b, c0] = shape;
    return {
      kind: 'stack', rows: Math.max(0, a * (b + 1) - 1), cols: c0,
      at: (r, c) => (r % (b + 1) === b ? -1 : (Math.floor(r / (b + 1)) * b + (r % (b + 1))) * c0 + c),
      rowBands: tiledBands(a, b, (k) => `[${k}]`), colBands: [], rowAxis: t('dim {0}', 1), colAxis: t('dim {0}', 2),
    };
  }
  // Five or more dimensions: leading dimensions folded into rows, the last one across.
  const last = shape[shape.length - 1];
  const lead = shape.slice(0, -1).reduce((x, y) => x * y, 1);
  return { kind: 'matrix', rows: lead, cols: last, at: (r, c) => r * last + c, rowBands: [], colBands: [], rowAxis: 'leading dims', colAxis: 'last dim' };
}

/** The multi-index of flat element `flat` in `shape`, as PyTorch prints it: [3, 1]. */
export function multiIndex(flat: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  let rest = flat;
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = rest % shape[d];
    rest = Math.floor(rest / shape[d]);
  }
  return idx;
}

/** The band containing cell `pos`, if any. */
export function bandAt(bands: readonly Band[], pos: number): Band | undefined {
  return bands.find((b) => pos >= b.start && pos < b.end);
}
