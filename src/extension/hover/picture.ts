// Draws a digest's picture as a small SVG for the hover: a heatmap of a matrix (red positive,
// blue negative, white zero, the same diverging RdBu scale as the editor, symmetric around 0)
// or a histogram of a vector. Also a block-character sparkline for places that show no images.
// Pure string work (no `vscode`).
import { interpolateRdBu } from 'd3-scale-chromatic';
import type { HeatmapPicture, HistogramPicture, Picture } from './digest';

/** The heatmap's longest side in px (VS Code clips tall hovers); cells stay square, 4 to 16 px each. */
const HEAT_SIDE = 64, MIN_CELL = 4, MAX_CELL = 16;
const HIST_W = 120, HIST_H = 36;

function heatmapSvg(p: HeatmapPicture): string {
  let maxAbs = 0;
  for (const v of p.values) if (!Number.isNaN(v)) maxAbs = Math.max(maxAbs, Math.abs(v));
  const cell = Math.max(MIN_CELL, Math.min(MAX_CELL, Math.floor(HEAT_SIDE / Math.max(p.rows, p.cols))));
  const rects: string[] = [];
  p.values.forEach((v, i) => {
    const x = (i % p.cols) * cell, y = Math.floor(i / p.cols) * cell;
    const fill = Number.isNaN(v) ? '#888' : interpolateRdBu(maxAbs > 0 ? 0.5 - v / (2 * maxAbs) : 0.5);
    rects.push(`<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${fill}"/>`);
  });
  const w = p.cols * cell, h = p.rows * cell;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" shape-rendering="crispEdges">${rects.join('')}</svg>`;
}

function histogramSvg(p: HistogramPicture): string {
  const top = Math.max(1, ...p.counts);
  const bw = HIST_W / p.counts.length;
  const bars = p.counts.map((c, i) => {
    const h = c === 0 ? 0 : Math.max(1, (c / top) * HIST_H);
    return `<rect x="${(i * bw).toFixed(2)}" y="${(HIST_H - h).toFixed(2)}" width="${(bw - 1).toFixed(2)}" height="${h.toFixed(2)}" fill="#4f8fd6"/>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${HIST_W}" height="${HIST_H}" viewBox="0 0 ${HIST_W} ${HIST_H}">${bars.join('')}</svg>`;
}

export function pictureSvg(p: Picture): string {
  return p.kind === 'heatmap' ? heatmapSvg(p) : histogramSvg(p);
}

/** The picture as a `data:` URI for an `<img>` in the hover's markdown. */
export function pictureDataUri(p: Picture): string {
  return `data:image/svg+xml;base64,${Buffer.from(pictureSvg(p)).toString('base64')}`;
}

const BLOCKS = '▁▂▃▄▅▆▇█';

/** Counts as a one-line block-character sparkline: ▁▃█▅▂. Empty bins are spaces. */
export function sparkline(counts: readonly number[]): string {
  const top = Math.max(1, ...counts);
  return counts.map((c) => (c === 0 ? ' ' : BLOCKS[Math.min(BLOCKS.length - 1, Math.floor((c / top) * (BLOCKS.length - 1e-9)))])).join('');
}
