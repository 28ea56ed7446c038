// The large heatmap of the selected parameter: canvas with band labels, colour bar, controls
// (colormap, clipping, heatmap or RGB filters), hover read-out, wheel zoom, drag pan. Keeps zoom
// across content updates of the same parameter. A new tensor is reduced and coloured in slices
// (slices.ts) so the webview stays responsive while a large one is prepared.
import { h } from '../dom';
import { t } from '../l10n';
import type { ColormapName, ParamInfo, TensorDataMessage } from '../protocol';
import { float32Text, float64Text } from '../../format/numberText';
import { absPercentileSteps, colourBarTicks, formatNumber, formatTick, lutFor, LUT_SIZE } from '../../view/colormap';
import { bandAt, layoutFor, multiIndex, type Layout } from '../../view/layout';
import { blockFactors, drain, reduceGridSteps, reduceToGridSteps, type Grid } from '../../view/reduce';
import { isRgbFilterShape, paintRgbFilters, rgbFilterLayout } from '../../view/rgbFilters';
import { labelMargins, placeLabels, type Margins } from './labels';
import { drawGridImage, paintGridSteps, type PaintResult } from './paint';
import { nextTurn, runSliced } from './slices';
import { fitViewport, gridCellAt, pan, zoomAt, type Viewport } from './viewport';

/** The plot's height range, CSS px (the labels' margins come from labels.ts). */
const MAX_PLOT_HEIGHT = 460, MIN_PLOT_HEIGHT = 48;
/** Finest grid kept in memory: more cells than this per side are block-reduced. */
const MAX_GRID_SIDE = 1024;
const EXACT_IN_FLOAT32 = new Set(['float32', 'float16', 'bfloat16', 'uint8', 'bool']);

/** An element's value as the file spells it (the shortest decimal that reads back the same). */
function exactText(v: number, dtype: string): string {
  if (dtype === 'bool') return v ? 'True' : 'False';
  if (/^(u?int)/.test(dtype)) return String(v);
  return dtype === 'float64' ? float64Text(v) : float32Text(v);
}

/** The values as a heatmap, or (Conv2d weights with 3 input channels) each filter as an RGB image. */
export type HeatmapMode = 'heatmap' | 'rgb';

export interface HeatmapOptions {
  colormap: ColormapName;
  clipPercentile: number;
  /** The view picked for tensors that can be shown as RGB filters. */
  mode?: HeatmapMode;
  onOptionsChange(o: { colormap: ColormapName; clipPercentile: number; mode: HeatmapMode }): void;
  requestValue(name: string, index: number): void;
  /** The picture shown was fitted to the plot and the user zoomed in past it: ask for the finer data. */
  requestDetail?(name: string): void;
  /** A tensor's picture is on the canvas (its values arrived and were reduced and coloured). */
  onPainted?(name: string): void;
}

interface Loaded {
  param: ParamInfo;
  mode: HeatmapMode;
  /** The values as received: exact, or the host's reduced grid. */
  msg: TensorDataMessage;
  layout: Layout;
  margins: Margins;
  /** The finest grid (layout cells, or blocks when the tensor is huge). */
  grid: Grid;
  /** All values the colour range is computed from. */
  rangeValues: Float32Array;
  revision: number;
}

export class HeatmapView {
  readonly element: HTMLElement;
  private readonly canvas = h('canvas', { id: 'heatmap-canvas', tabindex: 0, role: 'img' });
  private readonly labels = h('div', { class: 'band-labels', 'aria-hidden': 'true' });
  private readonly readout = h('div', { id: 'hover-readout', class: 'readout', 'aria-live': 'polite' });
  private readonly note = h('div', { id: 'reduction-note', class: 'note' });
  private readonly axisCaption = h('div', { class: 'axis-caption', id: 'axis-caption' });
  private readonly barCanvas = h('canvas', { id: 'colour-bar', width: LUT_SIZE, height: 1 });
  private readonly barTicks = h('div', { class: 'colour-bar-ticks' });
  private readonly colourBar = h('div', { class: 'colour-bar' }, this.barCanvas, this.barTicks);
  private readonly scalarBox = h('div', { id: 'scalar-value', class: 'scalar-value', hidden: true });
  private readonly plot = h('div', { class: 'plot' });
  private loaded: Loaded | undefined;
  private view: Viewport | undefined;
  private range = 0;
  private display: { grid: Grid; painted: PaintResult; image: HTMLCanvasElement } | undefined;
  /** The fitted picture whose finer data was asked for (once per tensor and revision). */
  private detailAsked: TensorDataMessage | undefined;
  /** Increases with every show(); a preparation that is overtaken stops between two slices. */
  private token = 0;
  private readonly modeSelect: HTMLSelectElement;
  private hoverIndex = -1;
  /** The display-grid cell under the mouse, outlined so the read-out has a visible anchor. */
  private hoverCell: { R: number; C: number } | undefined;
  private readonly opts: HeatmapOptions;
  private readonly colormapSelect: HTMLSelectElement;
  private readonly clipSelect: HTMLSelectElement;

  constructor(opts: HeatmapOptions) {
    this.opts = opts;
    const colormapSelect = h('select', { id: 'colormap-select', 'aria-label': t('Colour map') },
      h('option', { value: 'diverging' }, t('Signed (blue − / red +)')),
      h('option', { value: 'magnitude' }, t('Magnitude |w| (viridis)')));
    colormapSelect.value = opts.colormap;
    const clipSelect = h('select', { id: 'clip-select', 'aria-label': t('Colour range') },
      ...[100, 99.9, 99, 95].map((p) => h('option', { value: p }, p === 100 ? t('Full range (max |w|)') : t('Clip at {0}th percentile of |w|', p))));
    clipSelect.value = String(opts.clipPercentile);
    colormapSelect.addEventListener('change', () => { this.opts.colormap = colormapSelect.value as ColormapName; this.optionsChanged(); });
    this.colormapSelect = colormapSelect;
    this.clipSelect = clipSelect;
    clipSelect.addEventListener('change', () => { this.opts.clipPercentile = Number(clipSelect.value); this.optionsChanged(); });
    const modeSelect = h('select', { id: 'view-select', 'aria-label': t('View'), hidden: true },
      h('option', { value: 'heatmap' }, t('Heatmap of the weights')),
      h('option', { value: 'rgb' }, t('Filters as RGB images')));
    modeSelect.value = opts.mode ?? 'heatmap';
    modeSelect.addEventListener('change', () => {
      this.opts.mode = modeSelect.value as HeatmapMode;
      this.opts.onOptionsChange({ colormap: this.opts.colormap, clipPercentile: this.opts.clipPercentile, mode: this.opts.mode });
      if (this.loaded) this.show(this.loaded.param, this.loaded.msg);
    });
    this.modeSelect = modeSelect;
    const resetButton = h('button', { class: 'secondary', id: 'zoom-reset', title: t('Fit the whole tensor (double-click the heatmap)') }, t('Fit'));
    resetButton.addEventListener('click', () => this.resetZoom());

    this.plot.append(this.canvas, this.labels);
    this.element = h('section', { class: 'heatmap', 'aria-label': t('Heatmap') },
      h('div', { class: 'toolbar' }, modeSelect, colormapSelect, clipSelect, resetButton, this.axisCaption),
      this.scalarBox,
      this.plot,
      this.colourBar,
      this.readout,
      this.note);
    this.attachPointer();
    new ResizeObserver(() => this.draw()).observe(this.plot);
  }

  /**
   * The plot's size in device pixels when `param` is shown fitted: a first picture needs no more
   * cells than this (the host reduces a big tensor to it; see sendPlan in src/view/limits.ts).
   */
  fitFor(param: ParamInfo): { rows: number; cols: number } {
    const layout = layoutFor(param.shape, param.role);
    const dpr = window.devicePixelRatio || 1;
    // Before the panel is laid out its width reads 0: assume a common one.
    const { width, height } = this.plotBox(layout, labelMargins(layout).left, this.plot.clientWidth || 1024);
    return { rows: Math.ceil(height * dpr), cols: Math.ceil(width * dpr) };
  }

  /** The `weightscope.heatmap.colormap` setting, applied when the user has not picked one here. */
  applyDefaultColormap(name: ColormapName): void {
    if (name === this.opts.colormap) return;
    this.opts.colormap = name;
    this.colormapSelect.value = name;
    this.optionsChanged(false);
  }

  private optionsChanged(save = true): void {
    if (save) this.opts.onOptionsChange({ colormap: this.opts.colormap, clipPercentile: this.opts.clipPercentile, mode: this.opts.mode ?? 'heatmap' });
    if (this.loaded) this.show(this.loaded.param, this.loaded.msg);
  }

  /**
   * Show new values; keeps zoom and pan when it is the same parameter with the same shape. The
   * reduction, colour range and colouring run in slices; the picture appears when they are done.
   */
  show(param: ParamInfo, msg: TensorDataMessage): void {
    const token = ++this.token;
    const rgbPossible = isRgbFilterShape(param.shape) && !msg.reduction;
    this.modeSelect.hidden = !rgbPossible;
    const mode: HeatmapMode = rgbPossible && this.opts.mode === 'rgb' ? 'rgb' : 'heatmap';
    // Colour map and range mean nothing to RGB filters.
    this.colormapSelect.hidden = mode === 'rgb';
    this.clipSelect.hidden = mode === 'rgb';
    // Zoom and pan carry over only within one picture: same tensor, same shape, same view.
    const same = this.loaded && this.loaded.param.name === param.name && this.loaded.param.shape.join() === param.shape.join() && this.loaded.mode === mode;
    const scalar = param.shape.length === 0;
    this.scalarBox.hidden = !scalar;
    this.plot.hidden = scalar;
    this.canvas.setAttribute('aria-label', mode === 'rgb'
      ? t('{0} filters of {1} as RGB images', param.shape[0], param.name)
      : t('Heatmap of {0}, shape [{1}]', param.name, param.shape.join(', ')));
    this.canvas.dataset.param = param.name;
    this.canvas.dataset.mode = mode;
    this.element.setAttribute('aria-busy', 'true');
    void this.prepare(token, param, msg, mode, same === true);
  }

  private async prepare(token: number, param: ParamInfo, msg: TensorDataMessage, mode: HeatmapMode, same: boolean): Promise<void> {
    const cancelled = () => token !== this.token;
    // Not in the same task as the message that brought the values (it also renders the detail).
    await nextTurn();
    if (cancelled()) return;
    const layout = mode === 'rgb' ? rgbFilterLayout(param.shape) : layoutFor(param.shape, param.role);
    const grid = msg.reduction
      ? { rows: msg.reduction.rows, cols: msg.reduction.cols, rowFactor: msg.reduction.rowFactor, colFactor: msg.reduction.colFactor, values: msg.values, index: msg.reduction.index }
      : await runSliced(reduceToGridSteps(layout, msg.values, MAX_GRID_SIDE, MAX_GRID_SIDE), cancelled);
    if (grid === undefined) return;
    const range = mode === 'rgb' ? 0 : await runSliced(absPercentileSteps(msg.values, this.opts.clipPercentile), cancelled);
    if (range === undefined) return;
    this.loaded = { param, mode, msg, layout, margins: labelMargins(layout), grid, rangeValues: msg.values, revision: msg.revision };
    // What came from the host (for tests): the whole tensor, a grid fitted to the plot, or the finest grid.
    this.canvas.dataset.sent = msg.fitted ? 'fitted' : msg.reduction ? 'reduced' : 'whole';
    this.range = range;
    this.display = undefined;
    this.hoverCell = undefined;
    this.hoverIndex = -1;
    if (!same) this.view = undefined;
    this.drawColourBar();
    // RGB filters have no colour scale: each is stretched from its own minimum to its maximum.
    this.colourBar.hidden = mode === 'rgb';
    if (param.shape.length === 0) {
      this.scalarBox.textContent = formatNumber(msg.values[0]);
    } else {
      const { width, height } = this.plotSize();
      this.view ??= fitViewport(layout.rows, layout.cols, width, height);
      const display = await runSliced(this.displaySteps(this.view), cancelled);
      if (display === undefined) return;
      this.display = display;
      this.draw();
    }
    this.element.removeAttribute('aria-busy');
    this.opts.onPainted?.(param.name);
  }

  /** The host's exact value for the element under the mouse. */
  exactValue(name: string, index: number, value: number): void {
    if (this.loaded?.param.name === name && index === this.hoverIndex) this.writeReadout(index, value, true);
  }

  private resetZoom(): void {
    this.view = undefined;
    this.draw();
  }

  /** The plot area: the panel's width, and as tall as the whole tensor needs when fitted (capped). */
  private plotSize(): { width: number; height: number } {
    const L = this.loaded;
    if (!L) return { width: Math.max(120, this.plot.clientWidth - 40 - 8), height: MAX_PLOT_HEIGHT };
    return this.plotBox(L.layout, L.margins.left, this.plot.clientWidth);
  }

  /** The plot area of `layout` in a panel `panelWidth` CSS px wide, labels' margin `left` aside. */
  private plotBox(layout: Layout, left: number, panelWidth: number): { width: number; height: number } {
    const width = Math.max(120, panelWidth - left - 8);
    const fit = fitViewport(layout.rows, layout.cols, width, MAX_PLOT_HEIGHT);
    return { width, height: Math.max(MIN_PLOT_HEIGHT, Math.min(MAX_PLOT_HEIGHT, Math.ceil(fit.cellH * layout.rows))) };
  }

  /** The grid actually drawn: the finest grid, reduced further while a block is under a device pixel. */
  private displayGrid(v: Viewport): NonNullable<HeatmapView['display']> {
    return drain(this.displaySteps(v));
  }

  private *displaySteps(v: Viewport): Generator<void, NonNullable<HeatmapView['display']>> {
    const L = this.loaded!;
    const dpr = window.devicePixelRatio || 1;
    const pxRow = v.cellH * L.grid.rowFactor * dpr, pxCol = v.cellW * L.grid.colFactor * dpr;
    // RGB filters are small and exact: drawn whole, the canvas scales them.
    const fr = pxRow < 1 && L.mode === 'heatmap' ? Math.ceil(1 / pxRow) : 1, fc = pxCol < 1 && L.mode === 'heatmap' ? Math.ceil(1 / pxCol) : 1;
    // The factors the reduction would give, checked against the cached picture before reducing anything.
    const [br, bc] = blockFactors(L.grid.rows, L.grid.cols, Math.ceil(L.grid.rows / fr), Math.ceil(L.grid.cols / fc));
    if (this.display && this.display.grid.rowFactor === br * L.grid.rowFactor && this.display.grid.colFactor === bc * L.grid.colFactor) return this.display;
    const wanted = fr === 1 && fc === 1 ? L.grid : yield* reduceGridSteps(L.grid, Math.ceil(L.grid.rows / fr), Math.ceil(L.grid.cols / fc));
    const painted: PaintResult = L.mode === 'rgb'
      ? { rgba: paintRgbFilters(L.layout, L.msg.values, L.param.shape), clippedMask: new Uint8Array(0), clippedCount: 0, nonfiniteCount: 0 }
      : yield* paintGridSteps(wanted, this.range, this.opts.colormap);
    const image = document.createElement('canvas');
    image.width = Math.max(1, wanted.cols);
    image.height = Math.max(1, wanted.rows);
    const ctx = image.getContext('2d')!;
    if (wanted.rows > 0 && wanted.cols > 0) ctx.putImageData(new ImageData(painted.rgba, wanted.cols, wanted.rows), 0, 0);
    return { grid: wanted, painted, image };
  }

  private draw(): void {
    const L = this.loaded;
    if (!L || L.param.shape.length === 0) return;
    const { width, height } = this.plotSize();
    const dpr = window.devicePixelRatio || 1;
    const { left: MARGIN_LEFT, top: MARGIN_TOP } = L.margins;
    const cssW = width + MARGIN_LEFT, cssH = height + MARGIN_TOP;
    this.canvas.style.width = `${cssW}px`;
    this.canvas.style.height = `${cssH}px`;
    this.canvas.width = Math.round(cssW * dpr);
    this.canvas.height = Math.round(cssH * dpr);
    this.view ??= fitViewport(L.layout.rows, L.layout.cols, width, height);
    const v = this.view;
    const d = this.displayGrid(v);
    this.askDetailIfZoomedPast(v, dpr);
    const ctx = drawGridImage(this.canvas, dpr, d.image, d.grid, v, { left: MARGIN_LEFT, top: MARGIN_TOP, width, height });
    const g = d.grid;
    this.markClipped(ctx, d, v);
    if (this.hoverCell) {
      const w = g.colFactor * v.cellW, hg = g.rowFactor * v.cellH;
      ctx.strokeStyle = getComputedStyle(document.body).getPropertyValue('--vscode-editor-foreground').trim() || '#888';
      ctx.lineWidth = Math.max(1, Math.min(2, Math.min(w, hg) / 8));
      const x0 = MARGIN_LEFT + v.x + this.hoverCell.C * w, y0 = MARGIN_TOP + v.y + this.hoverCell.R * hg;
      ctx.strokeRect(x0, y0, w, hg);
      // The hovered cell's centre in canvas CSS px, for tests that read its painted colour.
      this.canvas.dataset.hoverCentre = `${x0 + w / 2},${y0 + hg / 2}`;
    } else {
      delete this.canvas.dataset.hoverCentre;
    }
    ctx.restore();
    placeLabels(this.labels, L.layout, v, L.margins, width, height);
    const axes: string[] = [];
    if (L.layout.rowAxis) axes.push(t('rows: {0}', L.layout.rowAxis));
    if (L.layout.colAxis) axes.push(t('columns: {0}', L.layout.colAxis));
    this.axisCaption.textContent = L.mode === 'rgb' ? '' : axes.join(' · ');
    const factor = g.rowFactor * g.colFactor;
    this.note.textContent = [
      L.layout.note ?? '',
      factor > 1 ? t('Reduced for display: each cell shows the largest-magnitude value of a block of {0} × {1} elements. Zoom in for detail.', g.rowFactor, g.colFactor) : '',
    ].filter(Boolean).join(' ');
    this.note.dataset.rowFactor = String(g.rowFactor);
    this.note.dataset.colFactor = String(g.colFactor);
    const clipped = d.painted.clippedCount, nonfinite = d.painted.nonfiniteCount;
    const notes: string[] = [];
    if (clipped > 0) notes.push(t('{0} cells beyond the colour range are clipped (marked with a dot).', clipped));
    if (nonfinite > 0) notes.push(t('{0} non-finite cells in magenta.', nonfinite));
    if (notes.length) this.note.textContent = [this.note.textContent, ...notes].filter(Boolean).join(' ');
  }

  /**
   * A fitted picture's blocks drawn larger than ~2 device pixels (the user zoomed in, or the panel
   * grew): ask the host for the finer data, once; it replaces the picture keeping the zoom.
   */
  private askDetailIfZoomedPast(v: Viewport, dpr: number): void {
    const L = this.loaded;
    if (!L?.msg.fitted || this.detailAsked === L.msg) return;
    const g = L.grid;
    if (g.rowFactor * v.cellH * dpr <= 2 && g.colFactor * v.cellW * dpr <= 2) return;
    this.detailAsked = L.msg;
    this.opts.requestDetail?.(L.param.name);
  }

  /** A dot in the middle of every clipped cell large enough to hold one. */
  private markClipped(ctx: CanvasRenderingContext2D, d: NonNullable<HeatmapView['display']>, v: Viewport): void {
    const g = d.grid;
    const w = g.colFactor * v.cellW, hgt = g.rowFactor * v.cellH;
    if (d.painted.clippedCount === 0 || Math.min(w, hgt) < 5) return;
    const r = Math.min(w, hgt) / 6;
    const { left: MARGIN_LEFT, top: MARGIN_TOP } = this.loaded!.margins;
    for (let k = 0; k < d.painted.clippedMask.length; k++) {
      if (!d.painted.clippedMask[k]) continue;
      const R = Math.floor(k / g.cols), C = k % g.cols;
      const cx = MARGIN_LEFT + v.x + (C + 0.5) * w, cy = MARGIN_TOP + v.y + (R + 0.5) * hgt;
      if (cx < MARGIN_LEFT - w || cy < MARGIN_TOP - hgt || cx > this.canvas.clientWidth + w || cy > this.canvas.clientHeight + hgt) continue;
      ctx.fillStyle = this.opts.colormap === 'diverging' ? 'rgba(255,255,255,0.9)' : 'rgba(0,0,0,0.85)';
      ctx.beginPath();
      ctx.arc(cx, cy, r, 0, 2 * Math.PI);
      ctx.fill();
    }
  }

  private drawColourBar(): void {
    const ctx = this.barCanvas.getContext('2d')!;
    const lut = lutFor(this.opts.colormap);
    const img = new ImageData(LUT_SIZE, 1);
    for (let i = 0; i < LUT_SIZE; i++) img.data.set([lut[i * 3], lut[i * 3 + 1], lut[i * 3 + 2], 255], i * 4);
    ctx.putImageData(img, 0, 0);
    const clipping = this.opts.clipPercentile < 100;
    const ticks = colourBarTicks(this.range, this.opts.colormap);
    this.barTicks.replaceChildren(...ticks.map((v, i) => {
      const end = i === 0 || i === ticks.length - 1;
      const prefix = clipping && end && (this.opts.colormap === 'magnitude' ? i > 0 : true) ? (v < 0 ? '≤ ' : '≥ ') : '';
      const label = this.opts.colormap === 'magnitude' ? `|w| ${prefix}${formatNumber(v)}` : `${prefix}${formatNumber(v)}`;
      return h('span', { class: 'tick', 'data-value': v }, end || i === 2 ? label : formatTick(v));
    }));
  }

  private attachPointer(): void {
    const c = this.canvas;
    let drag: { x: number; y: number } | undefined;
    const local = (e: MouseEvent) => {
      const r = c.getBoundingClientRect();
      const m = this.loaded?.margins ?? { left: 0, top: 0 };
      return { x: e.clientX - r.left - m.left, y: e.clientY - r.top - m.top };
    };
    c.addEventListener('wheel', (e) => {
      if (!this.view) return;
      e.preventDefault();
      const p = local(e);
      this.view = zoomAt(this.view, Math.pow(1.0015, -e.deltaY), p.x, p.y);
      this.draw();
    }, { passive: false });
    c.addEventListener('pointerdown', (e) => { drag = { x: e.clientX, y: e.clientY }; c.setPointerCapture(e.pointerId); c.classList.add('dragging'); });
    c.addEventListener('pointerup', (e) => { drag = undefined; c.releasePointerCapture(e.pointerId); c.classList.remove('dragging'); });
    c.addEventListener('pointermove', (e) => {
      if (drag && this.view) {
        this.view = pan(this.view, e.clientX - drag.x, e.clientY - drag.y);
        drag = { x: e.clientX, y: e.clientY };
        this.draw();
        return;
      }
      this.hover(local(e));
    });
    c.addEventListener('pointerleave', () => {
      this.hoverIndex = -1;
      this.hoverCell = undefined;
      this.readout.textContent = t('Hover a cell to read its value.');
      this.draw();
    });
    c.addEventListener('dblclick', () => this.resetZoom());
    c.addEventListener('keydown', (e) => {
      if (!this.view) return;
      const { width, height } = this.plotSize();
      const step = 40;
      const keys: Record<string, () => Viewport> = {
        '+': () => zoomAt(this.view!, 1.25, width / 2, height / 2), '=': () => zoomAt(this.view!, 1.25, width / 2, height / 2),
        '-': () => zoomAt(this.view!, 0.8, width / 2, height / 2),
        ArrowLeft: () => pan(this.view!, step, 0), ArrowRight: () => pan(this.view!, -step, 0),
        ArrowUp: () => pan(this.view!, 0, step), ArrowDown: () => pan(this.view!, 0, -step),
        '0': () => fitViewport(this.loaded!.layout.rows, this.loaded!.layout.cols, width, height),
      };
      const f = keys[e.key];
      if (!f) return;
      e.preventDefault();
      e.stopPropagation();
      this.view = f();
      this.draw();
    });
  }

  private hover(p: { x: number; y: number }): void {
    const L = this.loaded, v = this.view, d = this.display;
    if (!L || !v || !d) return;
    const g = d.grid;
    const hit = gridCellAt(v, L.layout.rows, L.layout.cols, g, p.x, p.y);
    if (!hit || hit.index < 0) {
      this.hoverIndex = -1;
      this.readout.textContent = t('Hover a cell to read its value.');
      if (this.hoverCell) { this.hoverCell = undefined; this.draw(); }
      return;
    }
    const { index } = hit;
    if (index === this.hoverIndex) return;
    this.hoverIndex = index;
    this.hoverCell = { R: hit.R, C: hit.C };
    this.draw();
    const exact = EXACT_IN_FLOAT32.has(L.param.dtype);
    this.writeReadout(index, g.values[hit.k], exact, g.rowFactor * g.colFactor > 1, hit.cell);
    if (!exact) this.opts.requestValue(L.param.name, index);
  }

  private writeReadout(index: number, value: number, exact: boolean, blockMax = false, cell?: { r: number; c: number }): void {
    const L = this.loaded!;
    const idx = multiIndex(index, L.param.shape);
    if (L.mode === 'rgb') return this.writeRgbReadout(index, idx, exact);
    const where: string[] = [];
    const gateBand = cell && L.layout.kind === 'gates' ? bandAt(L.layout.rowBands.length ? L.layout.rowBands : L.layout.colBands, L.layout.rowBands.length ? cell.r : cell.c) : undefined;
    if (gateBand) where.push(t('gate {0}', gateBand.label));
    if (L.layout.kind === 'matrix' && L.param.role.layerType === 'Linear') where.push(t('output neuron {0} ← input {1}', idx[0], idx[1]));
    if (L.layout.kind === 'kernels') where.push(t('kernel out {0}, in {1}, position ({2}, {3})', idx[0], idx[1], idx[2], idx[3]));
    const text = `${L.param.name}[${idx.join(', ')}] = ${exact ? exactText(value, L.param.dtype) : `≈ ${formatNumber(value)}`}`;
    this.readout.replaceChildren(
      h('code', { id: 'hover-value', 'data-index': idx.join(','), 'data-flat': index, 'data-value': String(value), 'data-exact': exact }, text),
      where.length ? h('span', { class: 'where' }, ' · ', where.join(' · ')) : '',
      blockMax ? h('span', { class: 'where' }, ' · ', t('largest |w| of its block')) : '');
  }

  /** An RGB filter pixel: its three input-channel values, which are its red, green and blue. */
  private writeRgbReadout(index: number, idx: number[], exact: boolean): void {
    const L = this.loaded!;
    const plane = L.param.shape[2] * L.param.shape[3];
    const rgb = [0, 1, 2].map((ch) => L.msg.values[index + ch * plane]);
    const text = `${L.param.name}[${idx[0]}, :, ${idx[2]}, ${idx[3]}] = (${rgb.map((v) => (exact ? exactText(v, L.param.dtype) : formatNumber(v))).join(', ')})`;
    this.readout.replaceChildren(
      h('code', { id: 'hover-value', 'data-index': idx.join(','), 'data-flat': index, 'data-value': String(rgb[0]), 'data-exact': exact }, text),
      h('span', { class: 'where' }, ' · ', t('filter {0}, pixel ({1}, {2}); input channels 0, 1, 2 as red, green, blue', idx[0], idx[2], idx[3])));
  }
}
