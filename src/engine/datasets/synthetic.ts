// The generated toy datasets: 2-D classification problems (xor, circles, moons, spiral) and a
// sine-wave regression. Every point comes from the seeded Rng, so a seed gives the same data in
// Node, the worker and the browser.
import type { Rng } from '../rng';
import type { Dataset } from '../dataset';

/** Two noisy blobs per class in the four quadrants: label 1 where x and y have different signs. */
export function makeXor(n: number, rng: Rng): Dataset {
  const x = new Float32Array(n * 2), y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const sx = rng.uniform() < 0.5 ? -1 : 1, sy = rng.uniform() < 0.5 ? -1 : 1;
    x[2 * i] = 0.5 * sx + 0.2 * rng.normal();
    x[2 * i + 1] = 0.5 * sy + 0.2 * rng.normal();
    y[i] = sx === sy ? 0 : 1;
  }
  return binary2d('xor', n, x, y);
}

/** sklearn's make_circles(factor=0.5, noise=0.05): outer circle label 0, inner circle label 1. */
export function makeCircles(n: number, rng: Rng): Dataset {
  const x = new Float32Array(n * 2), y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const inner = i % 2 === 1;
    const t = 2 * Math.PI * rng.uniform(), r = inner ? 0.5 : 1;
    x[2 * i] = r * Math.cos(t) + 0.05 * rng.normal();
    x[2 * i + 1] = r * Math.sin(t) + 0.05 * rng.normal();
    y[i] = inner ? 1 : 0;
  }
  return binary2d('circles', n, x, y);
}

/** sklearn's make_moons(noise=0.1): two interleaved half circles, upper label 0, lower label 1. */
export function makeMoons(n: number, rng: Rng): Dataset {
  const x = new Float32Array(n * 2), y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const lower = i % 2 === 1;
    const t = Math.PI * rng.uniform();
    const px = lower ? 1 - Math.cos(t) : Math.cos(t);
    const py = lower ? 0.5 - Math.sin(t) : Math.sin(t);
    x[2 * i] = px + 0.1 * rng.normal();
    x[2 * i + 1] = py + 0.1 * rng.normal();
    y[i] = lower ? 1 : 0;
  }
  return binary2d('moons', n, x, y);
}

/**
 * The CS231n spiral: `classes` arms of n/classes points each; for arm j, radius runs 0…1 and the
 * angle 4j…4(j+1) plus N(0, 0.2²) noise; the point is r·(sin t, cos t).
 */
export function makeSpiral(n: number, classes: number, rng: Rng): Dataset {
  const perClass = Math.floor(n / classes);
  const total = perClass * classes;
  const x = new Float32Array(total * 2), y = new Float32Array(total);
  for (let j = 0; j < classes; j++) {
    for (let k = 0; k < perClass; k++) {
      const i = j * perClass + k;
      const frac = perClass > 1 ? k / (perClass - 1) : 0;
      const t = 4 * j + 4 * frac + 0.2 * rng.normal();
      x[2 * i] = frac * Math.sin(t);
      x[2 * i + 1] = frac * Math.cos(t);
      y[i] = j;
    }
  }
  return { name: 'spiral', n: total, inputShape: [2], x, y, targetSize: 1, task: 'multiclass', numClasses: classes };
}

/** Step between samples of the sine sequences, in radians (about 21 samples per period). */
export const SINE_STEP = 0.3;

/**
 * Sine regression, shaped by the model's input:
 * - [time, 1] (an LSTM; default [20, 1]): sin(φ + t·0.3) for t = 0…time−1 with a random phase φ,
 *   the target being the next value sin(φ + time·0.3);
 * - [1] (an MLP): x uniform in [−π, π), target sin(x).
 */
export function makeSine(n: number, inputShape: number[], rng: Rng): Dataset {
  if (inputShape.length === 1 && inputShape[0] === 1) {
    const x = new Float32Array(n), y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = rng.uniformRange(-Math.PI, Math.PI);
      y[i] = Math.sin(x[i]);
    }
    return { name: 'sine', n, inputShape: [1], x, y, targetSize: 1, task: 'regression' };
  }
  const steps = inputShape[0];
  const x = new Float32Array(n * steps), y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const phase = 2 * Math.PI * rng.uniform();
    for (let t = 0; t < steps; t++) x[i * steps + t] = Math.sin(phase + t * SINE_STEP);
    y[i] = Math.sin(phase + steps * SINE_STEP);
  }
  return { name: 'sine', n, inputShape: [steps, 1], x, y, targetSize: 1, task: 'regression' };
}

function binary2d(name: string, n: number, x: Float32Array, y: Float32Array): Dataset {
  return { name, n, inputShape: [2], x, y, targetSize: 1, task: 'binary', numClasses: 2 };
}
