// The selected tensor as three heatmaps: A, B and Δ = B − A, each laid out as its layer uses it
// (Linear rows, Conv2d kernels, LSTM gates, N-D stacks; the editor's layout code). A and B share
// one colour range so their colours compare; Δ has its own, diverging and centred at zero. Zoom
// and pan move all three together; the cell under the mouse is outlined in all three and the
// read-out gives A, B and Δ of that element.
import { h } from '../dom';
import { t } from '../l10n';
import type { ComparePicture, TensorRole } from '../protocol';
import { absPercentile, colourBarTicks, formatNumber, lutFor, LUT_SIZE } from '../../view/colormap';
import { bandAt, layoutFor, multiIndex, type Layout } from '../../view/layout';
import { drawGridImage, paintGrid } from '../heatmap/paint';
import type { Grid } from '../../view/reduce';
import { fitViewport, gridCellAt, pan, zoomAt, type Viewport } from '../heatmap/viewport';
import { parallelFromValues, reduceParallel, type ParallelGrids } from './parallelGrid';

const MARGIN_LEFT = 40, MARGIN_TOP = 16, MAX_PLOT_HEIGHT = 360, MIN_PLOT_HEIGHT = 40, MAX_GRID_SIDE = 1024;

type Which = 'a' | 'b' | 'delta';

interface Pane {
  which: Which;
  root: HTMLElement;
  title: HTMLElement;
  canvas: HTMLCanvasElement;
  bar: HTMLCanvasElement;
  ticks: HTMLElement;
  note: HTMLElement;
}

/** One picture's data: its layout and cells; in a pair, `values` index the same cells as Δ's. */
interface Shown {
  layout: Layout;
  shape: number[];
  /** Cells and element indices; `values` of this picture. */
  grid: Grid;
  range: number;
}

function gridOf(p: ComparePicture): Grid | undefined {
  const r = p.reduction;
  return r ? { rows: r.rows, cols: r.cols, rowFactor: r.rowFactor, colFactor: r.colFactor, values: p.values, index: r.index } : undefined;
}

export class Triptych {
  readonly element: HTMLElement;
  private readonly panes: Record<Which, Pane>;
  private readonly readout = h('div', { id: 'compare-readout', class: 'readout', 'aria-live': 'polite' });
  private readonly clipSelect: HTMLSelectElement;
  private name = '';
  private role: TensorRole = { local: '' };
  private pictures: Partial<Record<Which, ComparePicture>> = {};
  /** A pair of the same shape: one layout, one viewport, cells aligned across the three. */
  private aligned: ParallelGrids | undefined;
  private shown: Partial<Record<Which, Shown>> = {};
  private views: Partial<Record<Which, Viewport>> = {};
  private display: Partial<Record<Which, { grid: Grid; image: HTMLCanvasElement }>> = {};
  private hover: { R: number; C: number } | undefined;
  /** A unit (dim-0 slice) outlined from the ranked list: its span of layout rows (or columns of a strip). */
  private unitSpan: { axis: 'rows' | 'cols'; from: number; to: number } | undefined;

  /** The fitted pictures whose finer data was asked for (once per selection). */
  private detailAsked: ComparePicture | undefined;

  /** `requestDetail`: the pictures were fitted to the panes and the user zoomed in past them. */
  constructor(labels: { a: string; b: string }, private readonly requestDetail?: (name: string) => void) {
    const pane = (which: Which, title: string): Pane => {
      const canvas = h('canvas', { id: `compare-${which}`, class: 'compare-canvas', tabindex: 0, role: 'img' });
      const bar = h('canvas', { class: 'compare-bar', width: LUT_SIZE, height: 1 });
      const ticks = h('div', { class: 'colour-bar-ticks' });
      const note = h('div', { class: 'note' });
      const titleEl = h('h3', { class: 'pane-title' }, title);
      const root = h('section', { class: `compare-pane pane-${which}`, 'data-pane': which }, titleEl, h('div', { class: 'plot' }, canvas), h('div', { class: 'compare-colour-bar' }, bar, ticks), note);
      return { which, root, title: titleEl, canvas, bar, ticks, note };
    };
    this.panes = {
      a: pane('a', t('A · {0}', labels.a)),
      b: pane('b', t('B · {0}', labels.b)),
      delta: pane('delta', t('Δ = B − A')),
    };
    this.clipSelect = h('select', { id: 'compare-clip', 'aria-label': t('Colour range') },
      ...[100, 99.9, 99, 95].map((p) => h('option', { value: p }, p === 100 ? t('Full range') : t('Clip at {0}th percentile', p))));
    this.clipSelect.addEventListener('change', () => { this.computeRanges(); this.display = {}; this.draw(); });
    const fit = h('button', { class: 'secondary', title: t('Fit the whole tensor (double-click a heatmap)') }, t('Fit'));
    fit.addEventListener('click', () => { this.views = {}; this.draw(); });
    this.element = h('section', { class: 'triptych', 'aria-label': t('A, B and their difference') },
      h('div', { class: 'toolbar' }, this.clipSelect, fit, h('span', { class: 'axis-caption', id: 'compare-axes' })),
      h('div', { class: 'panes' }, this.panes.a.root, this.panes.b.root, this.panes.delta.root),
      this.readout);
    for (const p of Object.values(this.panes)) this.attachPointer(p);
    new ResizeObserver(() => this.draw()).observe(this.element);
  }

  /** Show a tensor's pictures (any of A, B, Δ may be missing: only in A, shape mismatch…). */
  show(name: string, role: TensorRole, pictures: Partial<Record<Which, ComparePicture>>): void {
    const sameTensor = this.name === name;
    this.name = name;
    this.role = role;
    this.pictures = pictures;
    this.display = {};
    this.hover = undefined;
    this.unitSpan = undefined;
    if (!sameTensor) this.views = {};
    this.shown = {};
    this.aligned = undefined;
    const { a, b, delta } = pictures;
    if (a && b && delta) {
      const layout = layoutFor(delta.shape, role);
      const reduced = gridOf(delta);
      // Sent reduced: the host already aligned A and B on Δ's cells. Sent whole: align here.
      this.aligned = reduced
        ? { lead: reduced, others: [a.values, b.values] }
        : parallelFromValues(layout, delta.values, [a.values, b.values], MAX_GRID_SIDE);
      const lead = this.aligned.lead;
      const [ga, gb] = this.aligned.others;
      this.shown = {
        a: { layout, shape: a.shape, grid: { ...lead, values: ga }, range: 0 },
        b: { layout, shape: b.shape, grid: { ...lead, values: gb }, range: 0 },
        delta: { layout, shape: delta.shape, grid: lead, range: 0 },
      };
    } else {
      for (const w of ['a', 'b'] as const) {
        const p = pictures[w];
        if (!p) continue;
        const layout = layoutFor(p.shape, role);
        const grid = gridOf(p) ?? parallelFromValues(layout, p.values, [], MAX_GRID_SIDE).lead;
        this.shown[w] = { layout, shape: p.shape, grid, range: 0 };
      }
    }
    for (const w of ['a', 'b', 'delta'] as const) {
      const pane = this.panes[w];
      pane.root.hidden = !this.shown[w];
      pane.canvas.dataset.param = name;
      pane.canvas.setAttribute('aria-label', t('Heatmap {0} of {1}', w === 'delta' ? 'Δ' : w.toUpperCase(), name));
      pane.note.textContent = '';
    }
    const axes = this.shown.delta?.layout ?? this.shown.a?.layout ?? this.shown.b?.layout;
    const caption = document.getElementById('compare-axes');
    if (caption) caption.textContent = [axes?.rowAxis && t('rows: {0}', axes.rowAxis), axes?.colAxis && t('columns: {0}', axes.colAxis)].filter(Boolean).join(' · ');
    this.computeRanges();
    this.readout.textContent = this.aligned ? t('Hover a cell to read A, B and Δ.') : '';
    this.draw();
  }

  /** Outline unit `index` (a dim-0 slice: neuron, filter, gate row) in all three pictures; undefined clears. */
  highlightUnit(index: number | undefined): void {
    const s = this.shown.delta ?? this.shown.a;
    this.unitSpan = undefined;
    if (s && index !== undefined && s.shape.length >= 1) {
      const per = s.shape.slice(1).reduce((x, y) => x * y, 1);
      const lo = index * per, hi = lo + per;
      const inUnit = (k: number) => k >= lo && k < hi;
      const L = s.layout;
      let from = -1, to = -1;
      // Layouts keep a unit's elements in one run of rows (or columns, for a strip): find the run.
      if (L.rows === 1) { for (let c = 0; c < L.cols; c++) if (inUnit(L.at(0, c))) { if (from < 0) from = c; to = c; } }
      else { for (let r = 0; r < L.rows; r++) if (inUnit(L.at(r, 0))) { if (from < 0) from = r; to = r; } }
      if (from >= 0) this.unitSpan = { axis: L.rows === 1 ? 'cols' : 'rows', from, to: to + 1 };
    }
    this.draw();
  }

  /** A and B share one range (the larger); Δ gets its own, symmetric around zero. */
  private computeRanges(): void {
    const p = Number(this.clipSelect.value);
    const whole = (w: Which) => this.pictures[w]?.values ?? new Float32Array();
    const ab = Math.max(absPercentile(whole('a'), p), absPercentile(whole('b'), p));
    if (this.shown.a) this.shown.a.range = ab;
    if (this.shown.b) this.shown.b.range = ab;
    if (this.shown.delta) this.shown.delta.range = absPercentile(whole('delta'), p);
    for (const w of ['a', 'b', 'delta'] as const) if (this.shown[w]) this.drawBar(w);
  }

  private drawBar(w: Which): void {
    const pane = this.panes[w], range = this.shown[w]!.range;
    const ctx = pane.bar.getContext('2d')!;
    const lut = lutFor('diverging');
    const img = new ImageData(LUT_SIZE, 1);
    for (let i = 0; i < LUT_SIZE; i++) img.data.set([lut[i * 3], lut[i * 3 + 1], lut[i * 3 + 2], 255], i * 4);
    ctx.putImageData(img, 0, 0);
    const ticks = colourBarTicks(range, 'diverging');
    pane.ticks.replaceChildren(...[ticks[0], ticks[2], ticks[4]].map((v) => h('span', { class: 'tick', 'data-value': v }, formatNumber(v))));
  }

  /**
   * A pane's plot box in device pixels: a selection's first pictures need no more cells than this
   * (the host reduces a big tensor to it; sendPlan in src/view/limits.ts).
   */
  fit(): { rows: number; cols: number } {
    const dpr = window.devicePixelRatio || 1;
    const paneWidth = this.panes.delta.root.clientWidth || this.panes.a.root.clientWidth || this.element.clientWidth / 3 || 400;
    return { rows: Math.ceil(MAX_PLOT_HEIGHT * dpr), cols: Math.ceil(Math.max(80, paneWidth - MARGIN_LEFT - 4) * dpr) };
  }

  /** Fitted pictures drawn with blocks over ~2 device pixels (a zoom, a wider panel): ask for the finer ones, once. */
  private askDetailIfZoomedPast(): void {
    const which = (['delta', 'a', 'b'] as const).find((w) => this.shown[w]);
    const p = which && this.pictures[which];
    if (!which || !p?.fitted || this.detailAsked === p) return;
    const s = this.shown[which]!, v = this.views[this.aligned ? 'delta' : which];
    const dpr = window.devicePixelRatio || 1;
    if (!v || (s.grid.rowFactor * v.cellH * dpr <= 2 && s.grid.colFactor * v.cellW * dpr <= 2)) return;
    this.detailAsked = p;
    this.requestDetail?.(this.name);
  }

  private plotSize(pane: Pane, layout: Layout): { width: number; height: number } {
    const width = Math.max(80, pane.root.clientWidth - MARGIN_LEFT - 4);
    const fit = fitViewport(layout.rows, layout.cols, width, MAX_PLOT_HEIGHT);
    return { width, height: Math.max(MIN_PLOT_HEIGHT, Math.min(MAX_PLOT_HEIGHT, Math.ceil(fit.cellH * layout.rows))) };
  }

  /** The grid drawn for pane `w`: reduced further while a cell is under a device pixel. */
  private displayFor(w: Which, v: Viewport): { grid: Grid; image: HTMLCanvasElement } {
    const s = this.shown[w]!;
    const dpr = window.devicePixelRatio || 1;
    const pxRow = v.cellH * s.grid.rowFactor * dpr, pxCol = v.cellW * s.grid.colFactor * dpr;
    const fr = pxRow < 1 ? Math.ceil(1 / pxRow) : 1, fc = pxCol < 1 ? Math.ceil(1 / pxCol) : 1;
    const cached = this.display[w];
    if (cached && cached.grid.rowFactor === s.grid.rowFactor * fr && cached.grid.colFactor === s.grid.colFactor * fc) return cached;
    let grid = s.grid;
    if (fr > 1 || fc > 1) {
      const maxRows = Math.ceil(s.grid.rows / fr), maxCols = Math.ceil(s.grid.cols / fc);
      if (this.aligned) {
        const r = reduceParallel(this.aligned, maxRows, maxCols);
        grid = w === 'delta' ? r.lead : { ...r.lead, values: r.others[w === 'a' ? 0 : 1] };
      } else {
        grid = reduceParallel({ lead: s.grid, others: [] }, maxRows, maxCols).lead;
      }
    }
    const painted = paintGrid(grid, s.range, 'diverging');
    const image = document.createElement('canvas');
    image.width = Math.max(1, grid.cols);
    image.height = Math.max(1, grid.rows);
    if (grid.rows > 0 && grid.cols > 0) image.getContext('2d')!.putImageData(new ImageData(painted.rgba, grid.cols, grid.rows), 0, 0);
    this.display[w] = { grid, image };
    this.panes[w].note.textContent = grid.rowFactor * grid.colFactor > 1
      ? t('Each cell: the element of a {0} × {1} block that changed most.', grid.rowFactor, grid.colFactor) : '';
    if (!this.aligned && grid.rowFactor * grid.colFactor > 1) this.panes[w].note.textContent = t('Each cell: the largest-magnitude element of a {0} × {1} block.', grid.rowFactor, grid.colFactor);
    return this.display[w]!;
  }

  private draw(): void {
    for (const w of ['a', 'b', 'delta'] as const) if (this.shown[w]) this.drawPane(w);
    this.askDetailIfZoomedPast();
    // What came from the host (for tests): whole values, pictures fitted to the panes, or the finest grid.
    const p = this.pictures.delta ?? this.pictures.a ?? this.pictures.b;
    if (p) this.element.dataset.sent = p.fitted ? 'fitted' : p.reduction ? 'reduced' : 'whole';
  }

  private drawPane(w: Which): void {
    const s = this.shown[w]!, pane = this.panes[w];
    const { width, height } = this.plotSize(pane, s.layout);
    const dpr = window.devicePixelRatio || 1;
    const cssW = width + MARGIN_LEFT, cssH = height + MARGIN_TOP;
    const c = pane.canvas;
    c.style.width = `${cssW}px`;
    c.style.height = `${cssH}px`;
    c.width = Math.round(cssW * dpr);
    c.height = Math.round(cssH * dpr);
    const key: Which = this.aligned ? 'delta' : w;
    this.views[key] ??= fitViewport(s.layout.rows, s.layout.cols, width, height);
    const v = this.views[key]!;
    const d = this.displayFor(w, v);
    const ctx = drawGridImage(c, dpr, d.image, d.grid, v, { left: MARGIN_LEFT, top: MARGIN_TOP, width, height });
    const g = d.grid;
    if (this.hover && this.aligned) {
      const cw = g.colFactor * v.cellW, ch = g.rowFactor * v.cellH;
      const x0 = MARGIN_LEFT + v.x + this.hover.C * cw, y0 = MARGIN_TOP + v.y + this.hover.R * ch;
      ctx.strokeStyle = getComputedStyle(document.body).getPropertyValue('--vscode-editor-foreground').trim() || '#888';
      ctx.lineWidth = Math.max(1, Math.min(2, Math.min(cw, ch) / 8));
      ctx.strokeRect(x0, y0, cw, ch);
      c.dataset.hoverCentre = `${x0 + cw / 2},${y0 + ch / 2}`;
    } else {
      delete c.dataset.hoverCentre;
    }
    if (this.unitSpan) {
      const u = this.unitSpan;
      ctx.strokeStyle = getComputedStyle(document.body).getPropertyValue('--vscode-focusBorder').trim() || '#0078d4';
      ctx.lineWidth = 2;
      ctx.setLineDash([4, 3]);
      if (u.axis === 'rows') ctx.strokeRect(MARGIN_LEFT + v.x - 1, MARGIN_TOP + v.y + u.from * v.cellH - 1, s.layout.cols * v.cellW + 2, Math.max(2, (u.to - u.from) * v.cellH) + 2);
      else ctx.strokeRect(MARGIN_LEFT + v.x + u.from * v.cellW - 1, MARGIN_TOP + v.y - 1, Math.max(2, (u.to - u.from) * v.cellW) + 2, s.layout.rows * v.cellH + 2);
      ctx.setLineDash([]);
      c.dataset.unitSpan = `${u.axis}:${u.from}-${u.to}`;
    } else {
      delete c.dataset.unitSpan;
    }
    ctx.restore();
    this.drawLabels(ctx, s.layout, v, width, height);
    c.dataset.painted = 'true';
  }

  /** Band labels (gates, channels) and sparse index ticks, drawn on the canvas margins. */
  private drawLabels(ctx: CanvasRenderingContext2D, layout: Layout, v: Viewport, width: number, height: number): void {
    const style = getComputedStyle(document.body);
    ctx.fillStyle = style.getPropertyValue('--vscode-descriptionForeground').trim() || '#888';
    ctx.font = `10px ${style.getPropertyValue('--vscode-editor-font-family').trim() || 'monospace'}`;
    ctx.textBaseline = 'middle';
    const rowLabels = layout.rowBands.length
      ? layout.rowBands.filter((b) => (b.end - b.start) * v.cellH >= 11).map((b) => ({ text: b.label, pos: v.y + ((b.start + b.end) / 2) * v.cellH }))
      : ticksAlong(layout.rows, v.y, v.cellH, 14);
    const colLabels = layout.colBands.length
      ? layout.colBands.filter((b) => (b.end - b.start) * v.cellW >= 24).map((b) => ({ text: b.label, pos: v.x + ((b.start + b.end) / 2) * v.cellW }))
      : ticksAlong(layout.cols, v.x, v.cellW, 30);
    ctx.textAlign = 'right';
    for (const l of rowLabels.slice(0, 64)) if (l.pos >= 0 && l.pos <= height) ctx.fillText(l.text, MARGIN_LEFT - 4, MARGIN_TOP + l.pos);
    ctx.textAlign = 'center';
    for (const l of colLabels.slice(0, 64)) if (l.pos >= 0 && l.pos <= width) ctx.fillText(l.text, MARGIN_LEFT + l.pos, MARGIN_TOP / 2);
  }

  private attachPointer(pane: Pane): void {
    const c = pane.canvas;
    let drag: { x: number; y: number } | undefined;
    const local = (e: MouseEvent) => {
      const r = c.getBoundingClientRect();
      return { x: e.clientX - r.left - MARGIN_LEFT, y: e.clientY - r.top - MARGIN_TOP };
    };
    const key = () => (this.aligned ? 'delta' : pane.which);
    c.addEventListener('wheel', (e) => {
      const v = this.views[key()];
      if (!v) return;
      e.preventDefault();
      const p = local(e);
      this.views[key()] = zoomAt(v, Math.pow(1.0015, -e.deltaY), p.x, p.y);
      this.draw();
    }, { passive: false });
    c.addEventListener('pointerdown', (e) => { drag = { x: e.clientX, y: e.clientY }; c.setPointerCapture(e.pointerId); });
    c.addEventListener('pointerup', (e) => { drag = undefined; c.releasePointerCapture(e.pointerId); });
    c.addEventListener('pointermove', (e) => {
      const v = this.views[key()];
      if (drag && v) {
        this.views[key()] = pan(v, e.clientX - drag.x, e.clientY - drag.y);
        drag = { x: e.clientX, y: e.clientY };
        this.draw();
        return;
      }
      this.hoverAt(pane.which, local(e));
    });
    c.addEventListener('pointerleave', () => {
      if (!this.hover) return;
      this.hover = undefined;
      this.readout.textContent = this.aligned ? t('Hover a cell to read A, B and Δ.') : '';
      this.draw();
    });
    c.addEventListener('dblclick', () => { this.views = {}; this.draw(); });
  }

  private hoverAt(w: Which, p: { x: number; y: number }): void {
    const s = this.shown[w], v = this.views[this.aligned ? 'delta' : w], d = this.display[w];
    if (!s || !v || !d) return;
    const g = d.grid;
    const hit = gridCellAt(v, s.layout.rows, s.layout.cols, g, p.x, p.y);
    if (!hit || hit.index < 0) {
      if (this.hover) { this.hover = undefined; this.draw(); }
      return;
    }
    const { cell, k, index } = hit;
    const where = multiIndex(index, s.shape);
    const text = `${this.name}[${where.join(', ')}]`;
    const place = this.placeText(s.layout, where, cell);
    if (this.aligned) {
      this.hover = { R: hit.R, C: hit.C };
      const at = (x: Which) => this.display[x]?.grid.values[k] ?? NaN;
      const [va, vb, vd] = [at('a'), at('b'), at('delta')];
      this.readout.replaceChildren(
        h('code', { id: 'compare-hover', 'data-index': where.join(','), 'data-a': String(va), 'data-b': String(vb), 'data-delta': String(vd) },
          `${text}  A = ${formatNumber(va)}  ·  B = ${formatNumber(vb)}  ·  Δ = ${vd > 0 ? '+' : ''}${formatNumber(vd)}`),
        place ? h('span', { class: 'where' }, ' · ', place) : '',
        g.rowFactor * g.colFactor > 1 ? h('span', { class: 'where' }, ' · ', t('the most changed element of its block')) : '');
      this.draw();
    } else {
      this.readout.replaceChildren(h('code', { id: 'compare-hover' }, `${w.toUpperCase()} ${text} = ${formatNumber(g.values[k])}`), place ? h('span', { class: 'where' }, ' · ', place) : '');
    }
  }

  private placeText(layout: Layout, idx: number[], cell: { r: number; c: number }): string {
    if (layout.kind === 'gates') {
      const band = bandAt(layout.rowBands.length ? layout.rowBands : layout.colBands, layout.rowBands.length ? cell.r : cell.c);
      return band ? t('gate {0}', band.label) : '';
    }
    if (layout.kind === 'matrix' && this.role.layerType === 'Linear') return t('output neuron {0} ← input {1}', idx[0], idx[1]);
    if (layout.kind === 'kernels') return t('kernel out {0}, in {1}, position ({2}, {3})', idx[0], idx[1], idx[2], idx[3]);
    return '';
  }
}

/** Index ticks along an axis, as dense as the cell size allows. */
function ticksAlong(count: number, origin: number, cell: number, minGap: number): { text: string; pos: number }[] {
  if (count <= 1) return [];
  const raw = Math.max(1, Math.ceil(minGap / cell));
  const step = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000].find((n) => n >= raw) ?? raw;
  const out: { text: string; pos: number }[] = [];
  // From the first index on screen (the view may be zoomed far into a long axis).
  const first = Math.max(0, Math.floor(-origin / cell / step) * step);
  for (let i = first; i < count && out.length < 200; i += step) out.push({ text: String(i), pos: origin + (i + 0.5) * cell });
  return out;
}
