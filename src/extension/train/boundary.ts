// The decision boundary of a model on a 2-D dataset: the model's outputs over a coarse grid that
// covers the data points (with a margin), computed in the worker and drawn by the webview.
// Pure: the model is a `predict` function, so this runs anywhere and is unit-tested alone.
import type { Dataset } from '../../engine/dataset';
import type { BoundaryGrid } from './trainTypes';

/** Runs the model on `count` inputs (count × 2, row-major); returns count × outputs, row-major. */
export type Predict = (inputs: Float32Array, count: number) => Float32Array;

/** True when the dataset's samples are points in the plane, so a boundary can be drawn. */
export function hasPlanarInputs(data: Pick<Dataset, 'inputShape'>): boolean {
  return data.inputShape.length === 1 && data.inputShape[0] === 2;
}

/** The grid's extent: the points' bounding box, widened by 10% on each side (never empty). */
export function boundaryExtent(x: Float32Array, n: number): { xMin: number; xMax: number; yMin: number; yMax: number } {
  let xMin = Infinity, xMax = -Infinity, yMin = Infinity, yMax = -Infinity;
  for (let i = 0; i < n; i++) {
    const a = x[2 * i], b = x[2 * i + 1];
    if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
    if (a < xMin) xMin = a; if (a > xMax) xMax = a;
    if (b < yMin) yMin = b; if (b > yMax) yMax = b;
  }
  if (!Number.isFinite(xMin)) { xMin = -1; xMax = 1; yMin = -1; yMax = 1; }
  const padX = Math.max((xMax - xMin) * 0.1, 1e-3), padY = Math.max((yMax - yMin) * 0.1, 1e-3);
  return { xMin: xMin - padX, xMax: xMax + padX, yMin: yMin - padY, yMax: yMax + padY };
}

/** Grid cell centres, row-major from (xMin, yMin): resolution² × 2 values. */
export function gridInputs(ext: { xMin: number; xMax: number; yMin: number; yMax: number }, resolution: number): Float32Array {
  const out = new Float32Array(resolution * resolution * 2);
  const dx = (ext.xMax - ext.xMin) / resolution, dy = (ext.yMax - ext.yMin) / resolution;
  for (let r = 0; r < resolution; r++) {
    for (let c = 0; c < resolution; c++) {
      const k = 2 * (r * resolution + c);
      out[k] = ext.xMin + (c + 0.5) * dx;
      out[k + 1] = ext.yMin + (r + 0.5) * dy;
    }
  }
  return out;
}

/**
 * Evaluates the model over the grid. Multiclass: the argmax class per cell; binary (one logit):
 * the sigmoid probability of class 1; regression: the first output.
 */
export function computeBoundary(data: Dataset, predict: Predict, resolution = 64): BoundaryGrid {
  const ext = boundaryExtent(data.x, data.n);
  const cells = resolution * resolution;
  const outputs = predict(gridInputs(ext, resolution), cells);
  const width = outputs.length / cells;
  const values = new Float32Array(cells);
  const kind: BoundaryGrid['kind'] = data.task === 'multiclass' ? 'multiclass' : data.task === 'binary' ? 'binary' : 'regression';
  for (let i = 0; i < cells; i++) {
    if (kind === 'multiclass' && width > 1) {
      let best = 0;
      for (let j = 1; j < width; j++) if (outputs[i * width + j] > outputs[i * width + best]) best = j;
      values[i] = best;
    } else if (kind === 'binary') {
      values[i] = 1 / (1 + Math.exp(-outputs[i * width]));
    } else {
      values[i] = outputs[i * width];
    }
  }
  return {
    resolution, ...ext, kind,
    numClasses: data.numClasses ?? (kind === 'binary' ? 2 : width),
    values,
    pointsX: data.x.slice(0, data.n * 2),
    pointsY: data.y.slice(0, data.n),
  };
}
