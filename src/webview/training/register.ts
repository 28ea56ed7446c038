// Hooks the training panel into the editor's webview: registers with the editor's training seam
// (trainingHook.ts) at load time, and renders the reinitialisation overlay. main.ts imports this.
import { onTrainingMessage } from '../trainingHook';
import { mountTrainingPanel, type TrainingPanel } from './trainingPanel';
import { OverlayView } from './overlayView';
import './training.css';
import type { HistogramOverlayPayload } from './messages';

let panel: TrainingPanel | undefined;
let overlay: OverlayView | undefined;

onTrainingMessage((message, slot) => {
  panel ??= mountTrainingPanel(slot);
  panel.handle(message);
});

/** Shows the before / after distributions of a reinitialisation in the training slot. */
export function showHistogramOverlay(payload: HistogramOverlayPayload, slot: HTMLElement): void {
  if (!overlay) {
    overlay = new OverlayView();
    slot.prepend(overlay.element);
  }
  overlay.show(payload);
}
