// Builds examples/*.weights.json with this project's own code: a new checkpoint per example
// (named layers, seeded reset_parameters()), its optimizer and training sections, then a short
// seeded training run so the files open with weights and a loss curve to look at.
// Run through scripts/make_examples.mjs (bundles this file with esbuild, then runs it).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { newCheckpoint } from '../src/actions/newModel';
import { trainCheckpoint } from '../src/actions/train';
import { parseCsvDataset } from '../src/engine/datasets/csv';
import { writeCheckpointFile } from '../src/format/checkpointFile';
import type { LayerSpec } from '../src/engine/spec';
import type { Checkpoint, OptimizerSpec, TrainingSpec } from '../src/format/types';

interface Example {
  file: string;
  name: string;
  description: string;
  layers: LayerSpec[];
  inputShape: number[];
  optimizer: OptimizerSpec;
  training: TrainingSpec;
  /** Epochs trained before saving. */
  epochs: number;
  /** Epochs of a training run started from the file (training.epochs); default `epochs`. */
  runEpochs?: number;
  /** A CSV dataset written beside the checkpoint (training.dataset names it). */
  csv?: { file: string; text: string };
}

// The glossary's first model, y = f(w₁x₁ + w₂x₂ + b): nn.Linear(2, 1) learning logical AND, the
// classic perceptron task (linearly separable, so one line separates the classes). Saved untrained,
// so the learner sees its two weights and one bias move when they train it.
const AND_CSV = 'x1,x2,y\n0,0,0\n0,1,0\n1,0,0\n1,1,1\n';

const EXAMPLES: Example[] = [
  {
    file: 'perceptron.weights.json', name: 'perceptron',
    description: 'The perceptron y = f(w1*x1 + w2*x2 + b): nn.Linear(2, 1) on logical AND (perceptron-and.csv), untrained; train it with SGD and watch its two weights and bias.',
    layers: [{ type: 'Linear', name: 'fc', in_features: 2, out_features: 1 }],
    inputShape: [2],
    optimizer: { type: 'SGD', lr: 1 },
    training: { dataset: { csv: 'perceptron-and.csv', target: 'y' }, loss: 'bce_with_logits', batch_size: 4, shuffle: false, seed: 0 },
    epochs: 0,
    runEpochs: 20,
    csv: { file: 'perceptron-and.csv', text: AND_CSV },
  },
  {
    file: 'mlp-spiral.weights.json', name: 'mlp-spiral',
    description: 'A 2-16-16-3 ReLU MLP classifying the 3-arm CS231n spiral, trained briefly with Adam.',
    layers: [
      { type: 'Linear', name: 'fc1', in_features: 2, out_features: 16 }, { type: 'ReLU' },
      { type: 'Linear', name: 'fc2', in_features: 16, out_features: 16 }, { type: 'ReLU' },
      { type: 'Linear', name: 'fc3', in_features: 16, out_features: 3 },
    ],
    inputShape: [2],
    optimizer: { type: 'Adam', lr: 0.01 },
    training: { dataset: 'spiral', loss: 'cross_entropy', batch_size: 32, shuffle: true, seed: 0 },
    epochs: 150,
  },
  {
    file: 'cnn-digits.weights.json', name: 'cnn-digits',
    description: 'A small CNN (one 3x3 convolution, max-pooling, one linear layer) on the real 8x8 UCI handwritten digits.',
    layers: [
      { type: 'Conv2d', name: 'conv1', in_channels: 1, out_channels: 4, kernel_size: 3, padding: 1 }, { type: 'ReLU' },
      { type: 'MaxPool2d', kernel_size: 2 }, { type: 'Flatten' },
      { type: 'Linear', name: 'fc', in_features: 64, out_features: 10 },
    ],
    inputShape: [1, 8, 8],
    optimizer: { type: 'Adam', lr: 0.01 },
    training: { dataset: 'digits', loss: 'cross_entropy', batch_size: 64, shuffle: true, seed: 0 },
    epochs: 8,
  },
  {
    file: 'lstm-sine.weights.json', name: 'lstm-sine',
    description: 'An LSTM with 8 hidden units and a linear head predicting the next value of a sine wave from the previous 20.',
    layers: [
      { type: 'LSTM', name: 'lstm', input_size: 1, hidden_size: 8 },
      { type: 'Linear', name: 'head', in_features: 8, out_features: 1 },
    ],
    inputShape: [20, 1],
    optimizer: { type: 'Adam', lr: 0.01 },
    training: { dataset: 'sine', loss: 'mse', batch_size: 32, shuffle: true, seed: 0 },
    epochs: 15,
  },
];

function build(ex: Example): Checkpoint {
  const ckpt = newCheckpoint({ layers: ex.layers, inputShape: ex.inputShape, seed: 0, name: ex.name, file: ex.file });
  ckpt.optimizer = ex.optimizer;
  ckpt.training = { ...ex.training, epochs: ex.runEpochs ?? ex.epochs, history: [] };
  ckpt.metadata = { description: ex.description, created_by: 'scripts/make_examples.mjs (Weightscope)' };
  ckpt.keyOrder = ['format', 'version', 'model', 'parameters', 'optimizer', 'optimizer_state', 'training', 'metadata'];
  if (ex.epochs === 0) return ckpt;
  const csv = ex.csv;
  const hooks = csv ? {
    loadDataset: () => parseCsvDataset(csv.text, { file: csv.file, target: 'y', inputShape: ex.inputShape, loss: ex.training.loss! }),
  } : {};
  return trainCheckpoint(ckpt, {}, hooks, ex.file).checkpoint;
}

export async function makeExamples(outDir: string): Promise<void> {
  for (const ex of EXAMPLES) {
    const started = Date.now();
    const ckpt = build(ex);
    const out = path.join(outDir, ex.file);
    if (ex.csv) await fs.writeFile(path.join(outDir, ex.csv.file), ex.csv.text);
    await writeCheckpointFile(out, ckpt);
    const last = ckpt.training?.history?.at(-1);
    console.log(`${out}: ${ex.epochs} epochs${last ? `, loss ${last.loss.toFixed(4)}${last.accuracy !== undefined ? `, accuracy ${last.accuracy.toFixed(3)}` : ''}` : ''} (${Date.now() - started} ms)`);
  }
}
