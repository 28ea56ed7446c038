// Starting architectures for "New Model…", one per kind of built-in dataset, with the training
// settings that fit them (written into the new file, so "Train…" starts from sensible defaults).
import type { LossName } from '../../format/types';

export interface ModelPreset {
  id: string;
  /** English; localised where shown. */
  label: string;
  detail: string;
  layers: string;
  inputShape: number[];
  dataset: string;
  loss: LossName;
  fileName: string;
}

export const MODEL_PRESETS: readonly ModelPreset[] = [
  {
    id: 'mlp-spiral', label: 'MLP for spiral (3 classes)', detail: 'Two hidden ReLU layers of 16 on 2-D points',
    layers: 'Linear(2,16) ReLU Linear(16,16) ReLU Linear(16,3)', inputShape: [2], dataset: 'spiral', loss: 'cross_entropy', fileName: 'spiral-mlp.weights.json',
  },
  {
    id: 'mlp-binary', label: 'MLP for two-class 2-D data (moons, circles, xor)', detail: 'Two hidden tanh layers of 8, one logit',
    layers: 'Linear(2,8) Tanh Linear(8,8) Tanh Linear(8,1)', inputShape: [2], dataset: 'moons', loss: 'bce_with_logits', fileName: 'moons-mlp.weights.json',
  },
  {
    id: 'cnn-digits', label: 'CNN for digits (8×8 images, 10 classes)', detail: 'Conv2d 3×3 with 8 channels, max-pool, linear classifier',
    layers: 'Conv2d(1,8,3,padding=1) ReLU MaxPool2d(2) Flatten Linear(128,10)', inputShape: [1, 8, 8], dataset: 'digits', loss: 'cross_entropy', fileName: 'digits-cnn.weights.json',
  },
  {
    id: 'lstm-sine', label: 'LSTM for sine (next value from the previous 20)', detail: 'One LSTM layer of 16, linear read-out',
    layers: 'LSTM(1,16) Linear(16,1)', inputShape: [20, 1], dataset: 'sine', loss: 'mse', fileName: 'sine-lstm.weights.json',
  },
];

export function findPreset(id: string): ModelPreset | undefined {
  return MODEL_PRESETS.find((p) => p.id === id);
}
