// The live loss curve (and accuracy, on its own 0…1 axis) of a training run, with uPlot. Points
// arrive a few at a time; the chart redraws at most once per animation frame.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { h } from '../dom';
import { t } from '../l10n';
import type { TrainingEpochPoint } from './messages';

const cssVar = (name: string, fallback: string): string =>
  getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;

export class LossChart {
  readonly element = h('div', { class: 'training-loss', id: 'training-loss-plot' });
  private plot: uPlot | undefined;
  private epochs: number[] = [];
  private losses: number[] = [];
  private accuracies: (number | null)[] = [];
  private hasAccuracy = false;
  private frame = 0;

  constructor() {
    new ResizeObserver(() => this.resize()).observe(this.element);
  }

  reset(history: TrainingEpochPoint[]): void {
    this.epochs = []; this.losses = []; this.accuracies = []; this.hasAccuracy = false;
    this.add(history);
    this.rebuild();
  }

  add(points: TrainingEpochPoint[]): void {
    for (const p of points) {
      this.epochs.push(p.epoch);
      this.losses.push(p.loss);
      this.accuracies.push(p.accuracy ?? null);
      if (p.accuracy !== undefined && !this.hasAccuracy) { this.hasAccuracy = true; this.frame = -1; }
    }
    if (this.frame === -1) { this.frame = 0; this.rebuild(); return; }
    if (!this.frame) this.frame = requestAnimationFrame(() => { this.frame = 0; this.plot?.setData(this.data()); });
  }

  /** The points drawn so far (the e2e tests read them through the DOM's data attributes). */
  get count(): number { return this.losses.length; }
  get lastLoss(): number | undefined { return this.losses[this.losses.length - 1]; }
  get firstLoss(): number | undefined { return this.losses[0]; }

  private data(): uPlot.AlignedData {
    return this.hasAccuracy ? [this.epochs, this.losses, this.accuracies] : [this.epochs, this.losses];
  }

  private rebuild(): void {
    this.plot?.destroy();
    const fg = cssVar('--vscode-foreground', '#888');
    const grid = cssVar('--vscode-editorWidget-border', 'rgba(128,128,128,0.25)');
    const lossColour = cssVar('--vscode-charts-orange', '#d18616');
    const accColour = cssVar('--vscode-charts-green', '#89d185');
    const axis: uPlot.Axis = { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, font: '11px var(--vscode-font-family, sans-serif)' };
    const series: uPlot.Series[] = [
      { label: t('epoch') },
      { label: t('loss'), stroke: lossColour, width: 2, scale: 'loss', points: { show: false } },
    ];
    const axes: uPlot.Axis[] = [{ ...axis }, { ...axis, scale: 'loss', size: 50 }];
    if (this.hasAccuracy) {
      series.push({ label: t('accuracy'), stroke: accColour, width: 2, scale: 'acc', points: { show: false } });
      axes.push({ ...axis, scale: 'acc', side: 1, size: 40, grid: { show: false }, values: (_u, ticks) => ticks.map((v) => `${Math.round(v * 100)}%`) });
    }
    this.plot = new uPlot({
      width: Math.max(240, this.element.clientWidth || 420), height: 200,
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: false }, loss: { auto: true }, acc: { range: [0, 1] } },
      axes, series,
    }, this.data(), this.element);
    this.plot.root.setAttribute('aria-label', t('Loss per epoch'));
  }

  private resize(): void {
    if (this.plot && this.element.clientWidth > 0) this.plot.setSize({ width: this.element.clientWidth, height: 200 });
  }
}
