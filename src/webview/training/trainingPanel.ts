// The training panel of the editor's webview: status line, live loss / accuracy curve and, for
// 2-D datasets, the decision boundary. Hidden until a run starts; stays with the last run's result
// until closed. The editor's main.ts mounts it and forwards the host's training messages to it.
import { h } from '../dom';
import { t } from '../l10n';
import type { HostToWebview } from '../protocol';
import { BoundaryCanvas } from './boundaryCanvas';
import { LossChart } from './lossChart';
import type { TrainingEpochPoint } from './messages';

export interface TrainingPanel {
  readonly element: HTMLElement;
  /** Handles a training message; false for any other message. */
  handle(message: HostToWebview): boolean;
}

export interface TrainingPanelHooks {
  /** Live parameter values during training, so the editor can refresh its heatmap and histogram. */
  onParameters?(parameters: Record<string, Float32Array>): void;
}

const formatLoss = (x: number | undefined): string => (x === undefined ? '–' : Number.isFinite(x) ? Number(x.toPrecision(4)).toString() : String(x));

export function mountTrainingPanel(parent: HTMLElement, hooks: TrainingPanelHooks = {}): TrainingPanel {
  const status = h('p', { class: 'training-status', role: 'status', 'aria-live': 'polite' });
  const close = h('button', { class: 'training-close', title: t('Close'), 'aria-label': t('Close the training panel') }, '×');
  const chart = new LossChart();
  const boundary = new BoundaryCanvas();
  const element = h('section', { class: 'training-panel', id: 'training-live', 'aria-label': t('Training') },
    h('header', { class: 'training-header' }, h('h3', {}, t('Training')), close),
    status,
    h('div', { class: 'training-body' }, chart.element, boundary.element),
  );
  element.hidden = true;
  parent.append(element);
  close.addEventListener('click', () => { element.hidden = true; });

  let total = 0, done = 0, last: TrainingEpochPoint | undefined, header = '';
  const setState = (state: string) => { element.dataset.state = state; };
  const showStatus = (prefix: string) => {
    element.dataset.epochs = String(chart.count);
    element.dataset.firstLoss = String(chart.firstLoss ?? '');
    element.dataset.lastLoss = String(chart.lastLoss ?? '');
    const acc = last?.accuracy !== undefined ? t(' · accuracy {0}%', (last.accuracy * 100).toFixed(1)) : '';
    status.textContent = `${prefix} · ${header} · ${t('epoch {0}/{1}', done, total)} · ${t('loss {0}', formatLoss(last?.loss))}${acc}`;
  };

  return {
    element,
    handle(message) {
      switch (message.type) {
        case 'trainingStarted':
          element.hidden = false;
          total = message.epochs; done = 0; last = message.history[message.history.length - 1];
          header = `${message.dataset} · ${message.loss} · ${message.optimizer} lr ${message.lr}`;
          boundary.hide();
          chart.reset(message.history);
          setState('running');
          showStatus(t('Training'));
          return true;
        case 'trainingProgress':
          if (element.dataset.state !== 'running') {
            // This view opened while a run was going on (a webview is rebuilt when its tab comes
            // back): show the run from here on.
            element.hidden = false;
            header = t('resumed view');
            chart.reset([]);
            setState('running');
          }
          total = message.epochsTotal;
          if (message.points.length > 0) {
            chart.add(message.points);
            last = message.points[message.points.length - 1];
          }
          done = message.epochsDone;
          if (message.boundary) boundary.draw(message.boundary);
          if (message.parameters) hooks.onParameters?.(message.parameters);
          showStatus(t('Training'));
          return true;
        case 'trainingEnded':
          done = message.epochsDone;
          setState(message.error ? 'error' : message.cancelled ? 'cancelled' : 'done');
          showStatus(message.error ? t('Stopped: {0}', message.error) : message.cancelled ? t('Cancelled') : t('Done'));
          return true;
        default:
          return false;
      }
    },
  };
}
