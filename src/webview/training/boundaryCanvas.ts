// The decision boundary of a model on a 2-D dataset: the worker's grid of predictions painted as
// pale class colours, the data points on top in full colour. Redrawn whenever a new grid arrives.
import { h } from '../dom';
import { t } from '../l10n';
import type { BoundaryGrid } from './messages';

/** Distinguishable class colours (Tableau 10), readable on light and dark backgrounds. */
const CLASS_COLOURS: [number, number, number][] = [
  [31, 119, 180], [255, 127, 14], [44, 160, 44], [214, 39, 40], [148, 103, 189],
  [140, 86, 75], [227, 119, 194], [127, 127, 127], [188, 189, 34], [23, 190, 207],
];

export const classColour = (k: number): [number, number, number] => CLASS_COLOURS[((k % CLASS_COLOURS.length) + CLASS_COLOURS.length) % CLASS_COLOURS.length];

/** The colour of one grid cell: its class, or a blend of classes 0 and 1 by probability / value. */
export function cellColour(grid: BoundaryGrid, value: number, lo: number, hi: number): [number, number, number] {
  if (grid.kind === 'multiclass') return classColour(Math.round(value));
  const p = grid.kind === 'binary' ? value : hi > lo ? (value - lo) / (hi - lo) : 0.5;
  const a = classColour(0), b = classColour(1), q = Math.max(0, Math.min(1, p));
  return [a[0] + (b[0] - a[0]) * q, a[1] + (b[1] - a[1]) * q, a[2] + (b[2] - a[2]) * q];
}

export class BoundaryCanvas {
  readonly element = h('figure', { class: 'training-boundary' });
  private readonly canvas = h('canvas', { width: 256, height: 256, id: 'training-boundary-canvas', 'aria-label': t('Decision boundary over the data points') });

  constructor() {
    this.element.append(this.canvas, h('figcaption', { class: 'muted' }, t('Decision boundary (model output over the plane) and the data points')));
    this.element.hidden = true;
  }

  hide(): void { this.element.hidden = true; }

  draw(grid: BoundaryGrid): void {
    this.element.hidden = false;
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const size = this.canvas.width, res = grid.resolution;
    let lo = Infinity, hi = -Infinity;
    if (grid.kind === 'regression') for (const v of grid.values) { if (v < lo) lo = v; if (v > hi) hi = v; }
    // The grid, upscaled: rows run from yMin (bottom of the picture) to yMax (top).
    const image = ctx.createImageData(res, res);
    for (let r = 0; r < res; r++) {
      for (let c = 0; c < res; c++) {
        const [red, green, blue] = cellColour(grid, grid.values[r * res + c], lo, hi);
        const k = 4 * ((res - 1 - r) * res + c);
        // Pale: mixed halfway with white, so the points stand out.
        image.data[k] = (red + 255) / 2; image.data[k + 1] = (green + 255) / 2; image.data[k + 2] = (blue + 255) / 2; image.data[k + 3] = 255;
      }
    }
    const small = document.createElement('canvas');
    small.width = res; small.height = res;
    small.getContext('2d')!.putImageData(image, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(small, 0, 0, size, size);
    const sx = size / (grid.xMax - grid.xMin), sy = size / (grid.yMax - grid.yMin);
    const n = grid.pointsY.length;
    for (let i = 0; i < n; i++) {
      const x = (grid.pointsX[2 * i] - grid.xMin) * sx, y = size - (grid.pointsX[2 * i + 1] - grid.yMin) * sy;
      const [red, green, blue] = grid.kind === 'regression' ? [40, 40, 40] : classColour(Math.round(grid.pointsY[i]));
      ctx.beginPath();
      ctx.arc(x, y, 2.5, 0, 2 * Math.PI);
      ctx.fillStyle = `rgb(${red}, ${green}, ${blue})`;
      ctx.fill();
      ctx.lineWidth = 0.75;
      ctx.strokeStyle = 'rgba(255,255,255,0.9)';
      ctx.stroke();
    }
  }
}
