// The heatmap's zoom and pan: which part of the grid is on screen and how large a cell is.
// Pure arithmetic, no DOM.

export interface Viewport {
  /** Screen position (CSS px, inside the plot area) of the grid's top-left corner. */
  x: number;
  y: number;
  /** Size of one layout cell on screen, CSS px. */
  cellW: number;
  cellH: number;
}

/** Smallest on-screen extent of a picture along an axis, so a 1 x 4096 strip is still visible. */
const MIN_EXTENT = 36;

/**
 * The viewport that shows a rows x cols layout whole inside width x height, at the top left (next
 * to its index labels). Cells are
 * square when possible; a very thin picture (a strip) is stretched to MIN_EXTENT across.
 */
export function fitViewport(rows: number, cols: number, width: number, height: number): Viewport {
  const sx = width / Math.max(1, cols), sy = height / Math.max(1, rows);
  const s = Math.min(sx, sy);
  const cellW = Math.min(sx, Math.max(s, MIN_EXTENT / Math.max(1, cols)));
  const cellH = Math.min(sy, Math.max(s, MIN_EXTENT / Math.max(1, rows)));
  return { x: 0, y: Math.max(0, (height - cellH * rows) / 2), cellW, cellH };
}

/** Zoom by `factor` keeping the point (px, py) fixed on screen. */
export function zoomAt(v: Viewport, factor: number, px: number, py: number): Viewport {
  return { x: px - (px - v.x) * factor, y: py - (py - v.y) * factor, cellW: v.cellW * factor, cellH: v.cellH * factor };
}

export function pan(v: Viewport, dx: number, dy: number): Viewport {
  return { ...v, x: v.x + dx, y: v.y + dy };
}

/** The layout cell under screen point (px, py), or null outside the picture. */
export function cellAt(v: Viewport, rows: number, cols: number, px: number, py: number): { r: number; c: number } | null {
  const c = Math.floor((px - v.x) / v.cellW), r = Math.floor((py - v.y) / v.cellH);
  return r >= 0 && r < rows && c >= 0 && c < cols ? { r, c } : null;
}

/**
 * What a point of a block-reduced picture stands on: the layout cell, the grid block holding it
 * (k, R, C) and the tensor element that block shows (`index`, -1 off the picture or on a gap).
 */
export interface GridHit { cell: { r: number; c: number }; k: number; R: number; C: number; index: number }

export function gridCellAt(
  v: Viewport, rows: number, cols: number,
  grid: { cols: number; rowFactor: number; colFactor: number; index: Int32Array }, px: number, py: number,
): GridHit | null {
  const cell = cellAt(v, rows, cols, px, py);
  if (!cell) return null;
  const R = Math.floor(cell.r / grid.rowFactor), C = Math.floor(cell.c / grid.colFactor), k = R * grid.cols + C;
  return { cell, k, R, C, index: grid.index[k] };
}
