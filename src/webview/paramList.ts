// The parameter list: one row per tensor in state_dict order, with name, shape, dtype, element
// count, a trainable/frozen lock and a thumbnail. Arrow keys move the selection; the selected
// row holds the tab stop (roving tabindex).
import { formatCount, h, shapeText } from './dom';
import { t } from './l10n';
import type { ParamInfo } from './protocol';
import { paintGrid } from './heatmap/paint';

/** A padlock drawn in SVG (fonts in a webview may lack the emoji), shackle open when trainable. */
function lockIcon(closed: boolean): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('aria-hidden', 'true');
  const body = document.createElementNS(ns, 'rect');
  for (const [k, v] of Object.entries({ x: '3', y: '7', width: '10', height: '7', rx: '1.5' })) body.setAttribute(k, v);
  const shackle = document.createElementNS(ns, 'path');
  shackle.setAttribute('d', closed ? 'M5 7V5a3 3 0 0 1 6 0v2' : 'M5 7V5a3 3 0 0 1 5.8-1');
  svg.append(body, shackle);
  return svg;
}

export interface ParamListHandlers {
  select(name: string): void;
  toggleFreeze(name: string): void;
  /** A row whose values were not read yet (`pending`) came into view: ask the host for them. */
  needInfo?(name: string): void;
  /** A pending row left the view before its values came: the host may drop that work. */
  notNeeded?(name: string): void;
}

function thumbnail(p: ParamInfo): HTMLCanvasElement {
  const { rows, cols, values, absMax } = p.thumbnail;
  const c = h('canvas', { class: 'thumb', width: Math.max(1, cols), height: Math.max(1, rows), 'aria-hidden': 'true' });
  if (rows > 0 && cols > 0) {
    const vals = Float32Array.from(values);
    const index = new Int32Array(values.length).map((_, k) => (Number.isNaN(values[k]) ? -1 : k));
    const painted = paintGrid({ rows, cols, rowFactor: 1, colFactor: 1, values: vals, index }, absMax, 'diverging');
    c.getContext('2d')?.putImageData(new ImageData(painted.rgba, cols, rows), 0, 0);
  }
  // Keep the thumbnail's proportions inside a fixed box.
  const scale = Math.min(56 / Math.max(1, cols), 28 / Math.max(1, rows));
  c.style.width = `${Math.max(4, cols * scale)}px`;
  c.style.height = `${Math.max(4, rows * scale)}px`;
  return c;
}

/** The selected row is the list's one tab stop (roving tabindex), and so is its lock button. */
function markSelected(row: HTMLElement, on: boolean): void {
  row.classList.toggle('selected', on);
  row.setAttribute('aria-selected', String(on));
  row.tabIndex = on ? 0 : -1;
  const lock = row.querySelector<HTMLElement>('button.lock');
  if (lock) lock.tabIndex = on ? 0 : -1;
}

export class ParamList {
  readonly element = h('div', { class: 'param-list', role: 'listbox', id: 'param-list', 'aria-label': t('Parameters') });
  private names: string[] = [];
  private selected: string | undefined;
  private busy = false;
  private readOnly = false;
  /**
   * Pending rows ask for their values only while in view (a file may hold thousands): entering
   * asks, leaving before the answer came cancels. A row stays observed until its answer replaces it.
   */
  private readonly observer = new IntersectionObserver((entries) => {
    for (const e of entries) {
      const name = (e.target as HTMLElement).dataset.param;
      if (name === undefined) continue;
      if (e.isIntersecting) this.handlers.needInfo?.(name);
      else this.handlers.notNeeded?.(name);
    }
  });

  constructor(private readonly handlers: ParamListHandlers) {
    this.element.addEventListener('keydown', (e) => this.onKey(e));
  }

  /** `readOnly`: a file shown read-only, without locks. */
  render(params: ParamInfo[], selected: string | undefined, busy: boolean, readOnly = false): void {
    const selectionMoved = selected !== this.selected;
    const wasInView = this.selectedInView();
    const hadFocus = this.element.contains(document.activeElement);
    this.names = params.map((p) => p.name);
    this.selected = selected;
    this.busy = busy;
    this.readOnly = readOnly;
    this.observer.disconnect();
    const scrollTop = this.element.scrollTop;
    this.element.replaceChildren(...params.map((p) => this.row(p)));
    // Rebuilding the rows must not move the list under the user; a new selection, or a selected
    // row that was in view, is (brought) into view.
    this.element.scrollTop = scrollTop;
    if (selectionMoved || wasInView) this.revealSelected();
    // The focused row was replaced: keyboard users keep their place (arrow keys, Home, End).
    if (hadFocus) this.element.querySelector<HTMLElement>('.param-row.selected')?.focus({ preventScroll: true });
  }

  /**
   * Move the selection without rebuilding the list: a click on one of a GPT-2's 148 rows must not
   * repaint every thumbnail (that full render was a 50–70 ms long task on the webview's thread).
   */
  setSelected(name: string): void {
    if (name === this.selected) return;
    const hadFocus = this.element.contains(document.activeElement);
    for (const el of this.element.querySelectorAll<HTMLElement>('.param-row.selected')) markSelected(el, false);
    this.selected = name;
    const row = this.rowNamed(name);
    if (!row) return;
    markSelected(row, true);
    this.revealSelected();
    if (hadFocus) row.focus({ preventScroll: true });
  }

  private rowNamed(name: string): HTMLElement | undefined {
    return [...this.element.children].find((el): el is HTMLElement => (el as HTMLElement).dataset.param === name);
  }

  private selectedInView(): boolean {
    const row = this.element.querySelector<HTMLElement>('.param-row.selected');
    if (!row) return false;
    const r = row.getBoundingClientRect(), box = this.element.getBoundingClientRect();
    return r.bottom > box.top && r.top < box.bottom;
  }

  /** Scroll the list (only as far as needed) so the selected row is visible. */
  revealSelected(): void {
    this.element.querySelector<HTMLElement>('.param-row.selected')?.scrollIntoView({ block: 'nearest' });
  }

  /** Replace one row (its statistics arrived) without rebuilding the list. */
  replaceRow(p: ParamInfo): void {
    const old = this.rowNamed(p.name);
    if (!old) return;
    this.observer.unobserve(old);
    const row = this.row(p);
    old.replaceWith(row);
    // A pending row filled in may change height: keep the selected row where the user can see it.
    if (p.name === this.selected) this.revealSelected();
  }

  private row(p: ParamInfo): HTMLElement {
    const busy = this.busy;
    const isSel = p.name === this.selected;
    const frozen = p.kind === 'parameter' && !p.requiresGrad;
    const lock = this.readOnly ? h('span', { class: 'lock-placeholder muted' }, p.kind === 'buffer' ? t('buffer') : '')
      : p.kind === 'parameter'
      ? h('button', {
        class: `lock ${frozen ? 'is-frozen' : 'is-trainable'}`, 'aria-pressed': String(frozen), tabindex: isSel ? 0 : -1,
        title: frozen ? t('Frozen (requires_grad=False): click to unfreeze') : t('Trainable (requires_grad=True): click to freeze'),
        'aria-label': frozen ? t('Unfreeze {0}', p.name) : t('Freeze {0}', p.name), disabled: busy,
      }, lockIcon(frozen), h('span', { class: 'lock-text' }, frozen ? t('frozen') : t('trainable')))
      : h('span', { class: 'lock-placeholder muted' }, t('buffer'));
    lock.addEventListener('click', (e) => { e.stopPropagation(); if (p.kind === 'parameter' && !this.readOnly) this.handlers.toggleFreeze(p.name); });
    const bad = p.stats.nonfinite > 0;
    const row = h('div', {
      class: `param-row${isSel ? ' selected' : ''}${frozen && !this.readOnly ? ' frozen' : ''}${bad ? ' has-nonfinite' : ''}${p.pending ? ' pending' : ''}`,
      role: 'option', 'aria-selected': String(isSel), tabindex: isSel ? 0 : -1, 'data-param': p.name,
    },
    thumbnail(p),
    h('div', { class: 'param-text' },
      h('div', { class: 'param-name mono' }, p.name, bad ? h('span', { class: 'badge-bad', title: t('{0} non-finite values', p.stats.nonfinite) }, ' ⚠') : null),
      h('div', { class: 'param-meta' },
        h('span', { class: 'shape mono' }, shapeText(p.shape)), ' ',
        h('span', { class: 'dtype' }, p.storedDtype ?? p.dtype), ' · ',
        h('span', { class: 'numel' }, formatCount(p.numel)))),
    lock);
    row.addEventListener('click', () => this.handlers.select(p.name));
    if (p.pending) this.observer.observe(row);
    return row;
  }

  /** Move the roving tab stop to the selected row and focus it. */
  focusSelected(): void {
    const row = this.element.querySelector<HTMLElement>('.param-row.selected');
    row?.focus({ preventScroll: true });
    row?.scrollIntoView({ block: 'nearest' });
  }

  private onKey(e: KeyboardEvent): void {
    if (!this.selected || this.names.length === 0) return;
    const i = this.names.indexOf(this.selected);
    let next = i;
    if (e.key === 'ArrowDown') next = Math.min(this.names.length - 1, i + 1);
    else if (e.key === 'ArrowUp') next = Math.max(0, i - 1);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = this.names.length - 1;
    else return;
    e.preventDefault();
    if (next !== i) {
      this.handlers.select(this.names[next]);
      this.focusSelected();
    }
  }
}
