// The text around the heatmap: band labels (gates, output-channel ranges, folded row blocks),
// index ticks, and treescope-style rulers that name each nested axis of a faceted picture with a
// line as long as one repetition of it. DOM spans over the canvas, placed for the current zoom.
import { h } from '../dom';
import type { Band, Layout, Level } from '../../view/layout';
import type { Viewport } from './viewport';

/** Height of one line of labels, and a generous width of a label character (11 px bold editor font), CSS px. */
const LINE = 15, CHAR = 7.2, RULER_CHAR = 6;

/** The picture's extent along the columns / rows at fit zoom, roughly, CSS px: to judge which rulers can be read. */
const NOMINAL = { cols: 600, rows: 300 };

/**
 * The rulers of one side worth a line of margin: those whose name fits their span when the whole
 * picture is shown (a 7-cell kernel's ruler never does). Only pictures with nested axes get rulers.
 */
function rulersOf(l: Layout, along: 'rows' | 'cols'): Level[] {
  const levels = (along === 'rows' ? l.rowLevels : l.colLevels) ?? [];
  if ((l.rowLevels?.length ?? 0) + (l.colLevels?.length ?? 0) <= 2 || levels.length === 0) return [];
  const total = levels[0].extent;
  return levels.filter((lev) => `${lev.name} →`.length * RULER_CHAR <= (lev.extent / total) * NOMINAL[along]);
}

/** The number a tick shows at cell `i` along the rows or columns. */
const tickAt = (l: Layout, along: 'rows' | 'cols', i: number): number =>
  along === 'rows' ? (l.rowTick ? l.rowTick(i) : i) : (l.colTick ? l.colTick(i) : i);

export interface Margins { left: number; top: number }

/** Space for the labels left of and above the picture: wide enough for the longest row label, one line per column ruler. */
export function labelMargins(l: Layout): Margins {
  const rowTexts = l.rowBands.length ? l.rowBands.map((b) => b.label) : l.rows > 1 ? [String(tickAt(l, 'rows', l.rows - 1)), String(l.rows)] : [''];
  const longest = Math.max(...rowTexts.slice(0, 2000).map((s) => s.length));
  const left = Math.min(150, Math.max(40, 12 + longest * CHAR)) + rulersOf(l, 'rows').length * LINE;
  const top = 20 + rulersOf(l, 'cols').length * LINE;
  return { left: Math.round(left), top };
}

/** A label that fits `room` px: the whole label, else its numbers ("rows 4569–9137" → "4569–9137"), else its first number. */
export function fitLabel(label: string, room: number): string | undefined {
  for (const text of [label, label.replace(/^[^\d+-]+/, ''), /[+-]?\d+/.exec(label)?.[0] ?? '']) {
    if (text && text.length * CHAR <= room) return text;
  }
  return undefined;
}

export function placeLabels(box: HTMLElement, l: Layout, v: Viewport, m: Margins, width: number, height: number): void {
  box.replaceChildren();
  const add = (text: string, cls: string, x: number, y: number, extra: Record<string, string> = {}) => {
    const el = h('span', { class: `band-label ${cls}`, ...extra }, text);
    el.style.left = `${x}px`;
    el.style.top = `${y}px`;
    box.append(el);
    return el;
  };
  const rowRulers = rulersOf(l, 'rows'), colRulers = rulersOf(l, 'cols');
  const bandTop = m.top - 18;
  const visibleBands = (bands: Band[], origin: number, cell: number, limit: number) =>
    bands.filter((b) => (b.end - b.start) * cell >= 12)
      .map((b) => ({ b, mid: origin + ((b.start + b.end) / 2) * cell, room: (b.end - b.start) * cell }))
      .filter(({ mid }) => mid >= 0 && mid <= limit)
      .slice(0, 96);
  for (const { b, mid } of visibleBands(l.rowBands, v.y, v.cellH, height)) {
    add(b.label, 'row-band', m.left - 6, m.top + mid, { 'data-band': b.label });
  }
  for (const { b, mid, room } of visibleBands(l.colBands, v.x, v.cellW, width)) {
    const text = fitLabel(b.label, room - 2);
    if (text !== undefined) add(text, 'col-band', m.left + mid, bandTop, { 'data-band': b.label, title: b.label });
  }
  // Index ticks along axes without labelled blocks, as dense as the cell size allows.
  const ticks = (along: 'rows' | 'cols', count: number, origin: number, cell: number, minGap: number, limit: number, put: (label: string, pos: number) => void) => {
    const raw = Math.max(1, Math.ceil(minGap / cell));
    const step = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000].find((n) => n >= raw) ?? raw;
    const first = Math.max(0, Math.floor(-origin / cell / step) * step);
    for (let i = first; i < count; i += step) {
      const pos = origin + (i + 0.5) * cell;
      if (pos > limit) break;
      const n = tickAt(l, along, i);
      if (pos >= 0 && n >= 0) put(String(n), pos);
    }
  };
  if (l.rowBands.length === 0 && l.rows > 1 && (l.rowTick || l.kind !== 'kernels')) {
    ticks('rows', l.rows, v.y, v.cellH, 14, height, (s, pos) => add(s, 'tick-label row-tick', m.left - 6, m.top + pos));
  }
  if (l.colBands.length === 0 && l.cols > 1 && (l.colTick || l.kind !== 'kernels')) {
    ticks('cols', l.cols, v.x, v.cellW, 30, width, (s, pos) => add(s, 'tick-label col-tick', m.left + pos, bandTop + 2));
  }
  // Rulers: outermost level farthest from the picture; each spans one repetition of its level.
  // A ruler whose name does not fit its span is left out rather than cut ("k…" says nothing).
  const rulerText = (lev: Level, span: number) => [`${lev.name} (${lev.size}) →`, `${lev.name} →`].find((s) => s.length * RULER_CHAR <= span);
  colRulers.forEach((lev, i) => {
    const x0 = Math.max(0, v.x), x1 = Math.min(width, v.x + lev.extent * v.cellW);
    const text = rulerText(lev, x1 - x0);
    if (text === undefined) return;
    const el = add(text, 'ruler col-ruler', m.left + x0, i * LINE + 2, { 'data-ruler': lev.name });
    el.style.width = `${x1 - x0}px`;
  });
  rowRulers.forEach((lev, i) => {
    const y0 = Math.max(0, v.y), y1 = Math.min(height, v.y + lev.extent * v.cellH);
    const text = rulerText(lev, y1 - y0);
    if (text === undefined) return;
    const el = add(text, 'ruler row-ruler', i * LINE + 2, m.top + y0, { 'data-ruler': lev.name });
    el.style.height = `${y1 - y0}px`;
  });
}
