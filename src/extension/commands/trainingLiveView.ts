// Relays a running training to the document's webviews: the loss points (batched, so a fast run
// posts a few messages a second, not one per epoch), the throttled parameter snapshots and the
// decision boundary; and logs each epoch to the output channel.
import type * as vscode from 'vscode';
import type { TrainingEndedPayload } from '../../webview/training/messages';
import type { BoundaryGrid, TrainRunOptions, TrainingEpochPoint } from '../train/trainTypes';
import type { CommandDocument } from './editorAccess';

const FLUSH_MS = 100;

export class TrainingLiveView {
  private pending: TrainingEpochPoint[] = [];
  /** Log lines not yet written: one append per flush, not one per epoch (a fast run does thousands a second). */
  private logLines: string[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private done = 0;
  private total = 0;

  constructor(private readonly doc: CommandDocument, private readonly output: vscode.OutputChannel) {}

  start(history: TrainingEpochPoint[], run: TrainRunOptions): void {
    this.total = run.epochs ?? 0;
    this.doc.postToWebviews({
      type: 'trainingStarted',
      history: history.map((h) => ({ epoch: h.epoch, loss: h.loss, ...(h.accuracy !== undefined ? { accuracy: h.accuracy } : {}) })),
      epochs: run.epochs ?? 0,
      dataset: run.data ?? '',
      loss: run.loss ?? '',
      optimizer: run.optimizer ?? '',
      lr: run.lr ?? 0,
    });
  }

  epoch(point: TrainingEpochPoint): void {
    this.logLines.push(`  epoch ${point.epoch}: loss ${point.loss}${point.accuracy !== undefined ? `, accuracy ${point.accuracy}` : ''}`);
    this.pending.push(point);
    this.done++;
    this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  snapshot(parameters: Record<string, Float32Array>, boundary?: BoundaryGrid): void {
    this.flush(parameters, boundary);
  }

  end(payload: TrainingEndedPayload): void {
    this.flush();
    this.doc.postToWebviews({ type: 'trainingEnded', ...payload });
  }

  private flush(parameters?: Record<string, Float32Array>, boundary?: BoundaryGrid): void {
    if (this.timer) { clearTimeout(this.timer); this.timer = undefined; }
    if (this.logLines.length > 0) { this.output.append(this.logLines.join('\n') + '\n'); this.logLines = []; }
    if (this.pending.length === 0 && !parameters && !boundary) return;
    const points = this.pending;
    this.pending = [];
    this.doc.postToWebviews({ type: 'trainingProgress', points, epochsDone: this.done, epochsTotal: this.total, ...(parameters ? { parameters } : {}), ...(boundary ? { boundary } : {}) });
  }
}
