// The seam for the training panel (src/webview/training/, the commands engineer's): it registers a
// handler here and renders into the slot; the editor forwards training messages to it and keeps
// the heatmap and histogram live from the parameter snapshots itself.
import type { HostToWebview } from './protocol';

export type TrainingMessage = Extract<HostToWebview, { type: 'trainingStarted' | 'trainingProgress' | 'trainingEnded' }>;
type Handler = (message: TrainingMessage, slot: HTMLElement) => void;

const handlers: Handler[] = [];

/** Called by the training panel module at load time. */
export function onTrainingMessage(handler: Handler): void {
  handlers.push(handler);
}

export function dispatchTraining(message: TrainingMessage, slot: HTMLElement): void {
  for (const h of handlers) h(message, slot);
}
