// Colouring a grid: one RGBA pixel per grid cell, later scaled onto the canvas without smoothing.
// Pure (works on arrays), so the colours of known weights are unit-testable.
import type { ColormapName } from '../../view/types';
import { lutFor, lutIndex, place } from '../../view/colormap';
import { drain, STEP_ELEMENTS, type Grid } from '../../view/reduce';

/** Non-finite values (NaN, ±Infinity) are painted in a colour neither colormap uses. */
export const NONFINITE_RGB: readonly [number, number, number] = [255, 0, 255];

export interface PaintResult {
  /** RGBA, grid.rows x grid.cols pixels; gaps are transparent. */
  rgba: Uint8ClampedArray<ArrayBuffer>;
  /** 1 where a cell's |value| exceeded the range (drawn at the bar's end and marked). */
  clippedMask: Uint8Array;
  clippedCount: number;
  nonfiniteCount: number;
}

export function paintGrid(grid: Grid, range: number, name: ColormapName): PaintResult {
  return drain(paintGridSteps(grid, range, name));
}

/** paintGrid in steps of STEP_ELEMENTS cells, for the webview's main thread (see reduceToGridSteps). */
export function* paintGridSteps(grid: Grid, range: number, name: ColormapName): Generator<void, PaintResult> {
  const lut = lutFor(name);
  const n = grid.rows * grid.cols;
  const rgba = new Uint8ClampedArray(n * 4);
  const clippedMask = new Uint8Array(n);
  let clippedCount = 0, nonfiniteCount = 0;
  for (let k = 0; k < n; k++) {
    if ((k & (STEP_ELEMENTS - 1)) === STEP_ELEMENTS - 1) yield;
    if (grid.index[k] < 0) continue; // gap: transparent
    const p = place(grid.values[k], range, name);
    const o = k * 4;
    if (p.nonfinite) {
      rgba[o] = NONFINITE_RGB[0]; rgba[o + 1] = NONFINITE_RGB[1]; rgba[o + 2] = NONFINITE_RGB[2];
      nonfiniteCount++;
    } else {
      const li = lutIndex(p.t) * 3;
      rgba[o] = lut[li]; rgba[o + 1] = lut[li + 1]; rgba[o + 2] = lut[li + 2];
      if (p.clipped) { clippedMask[k] = 1; clippedCount++; }
    }
    rgba[o + 3] = 255;
  }
  return { rgba, clippedMask, clippedCount, nonfiniteCount };
}

/** The CSS colour of a value, for colour bars and thumbnails drawn cell by cell. */
export function cssColour(v: number, range: number, name: ColormapName): string {
  const p = place(v, range, name);
  if (p.nonfinite) return `rgb(${NONFINITE_RGB.join(',')})`;
  const lut = lutFor(name), li = lutIndex(p.t) * 3;
  return `rgb(${lut[li]},${lut[li + 1]},${lut[li + 2]})`;
}

/**
 * Draw a painted grid into a plot area at a viewport: clears the canvas, clips to the area and
 * scales the picture without smoothing (a cell stays a crisp block). Leaves the clip saved, so
 * the caller draws its overlays inside it and then calls `ctx.restore()`.
 */
export function drawGridImage(
  canvas: HTMLCanvasElement, dpr: number, image: CanvasImageSource, grid: Grid,
  v: { x: number; y: number; cellW: number; cellH: number },
  area: { left: number; top: number; width: number; height: number },
): CanvasRenderingContext2D {
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, area.left + area.width, area.top + area.height);
  ctx.save();
  ctx.beginPath();
  ctx.rect(area.left, area.top, area.width, area.height);
  ctx.clip();
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(image, area.left + v.x, area.top + v.y, grid.cols * grid.colFactor * v.cellW, grid.rows * grid.rowFactor * v.cellH);
  return ctx;
}
