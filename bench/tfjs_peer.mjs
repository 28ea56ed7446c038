// TensorFlow.js (tfjs-core 4.22 + the wasm backend) peer for bench/train.mjs: the same four
// workloads written with tfjs-core ops, variables and optimizers.
//
// tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter kernel, so W3's backward pass would fail.
// We register one built from the backend's own kernels: a 2-D convolution is a 3-D one of depth 1,
// so the filter gradient is Conv3DBackpropFilterV2 over inputs reshaped to depth 1.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * tfjs-core's Node bundle registers no gradients (the full `@tensorflow/tfjs` package imports them
 * from dist/register_all_gradients.js, whose extension-less ESM imports Node cannot load). Bundle
 * that module with esbuild and run it: it registers into the same global registry and engine.
 */
async function registerGradients() {
  const require = createRequire(import.meta.url);
  const entry = path.join(path.dirname(require.resolve('@tensorflow/tfjs-core/package.json')), 'dist/register_all_gradients.js');
  const out = path.join(os.tmpdir(), `weightscope-bench-tfgrads-${process.pid}.mjs`);
  await esbuild.build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'node', outfile: out, logLevel: 'error' });
  try { await import(pathToFileURL(out).href); } finally { fs.rmSync(out, { force: true }); }
}

export const notes = [
  'tfjs-backend-wasm 4.22 lacks Conv2DBackpropFilter; registered here from its Conv3DBackpropFilterV2 and Reshape kernels (depth-1 3-D convolution)',
];
export let version = '';

export async function init() {
  await registerGradients();
  await tf.setBackend('wasm');
  await tf.ready();
  registerConv2dFilterGradient();
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  version = `${tf.version_core} wasm (SIMD ${simd ? 'on' : 'off'}, threads ${threads ? 'on' : 'off'})`;
}

function registerConv2dFilterGradient() {
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) return;
  const conv3dFilter = tf.getKernel('Conv3DBackpropFilterV2', 'wasm');
  const reshapeKernel = tf.getKernel('Reshape', 'wasm');
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter', backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, dy } = inputs;
      const { strides, pad, filterShape } = attrs;
      const [sh, sw] = Array.isArray(strides) ? strides : [strides, strides];
      if (attrs.dataFormat && attrs.dataFormat !== 'NHWC') throw new Error('only NHWC');
      const reshape = (t, shape) => reshapeKernel.kernelFunc({ inputs: { x: t }, backend, attrs: { shape } });
      const x5 = reshape(x, [x.shape[0], 1, ...x.shape.slice(1)]);
      const dy5 = reshape(dy, [dy.shape[0], 1, ...dy.shape.slice(1)]);
      const f5 = conv3dFilter.kernelFunc({ inputs: { x: x5, dy: dy5 }, backend, attrs: { strides: [1, sh, sw], pad, filterShape: [1, ...filterShape] } });
      const out = reshape(f5, filterShape);
      for (const t of [x5, dy5, f5]) backend.disposeData(t.dataId);
      return out;
    },
  });
}

function uniform(shape, fanIn) {
  const b = 1 / Math.sqrt(fanIn);
  return tf.variable(tf.randomUniform(shape, -b, b, 'float32', 1));
}
function dense(i, o) { return { w: uniform([i, o], i), b: uniform([o], i) }; }
const apply = (l, x) => tf.add(tf.matMul(x, l.w), l.b);

function build(name) {
  switch (name) {
    case 'W1': {
      const l = [dense(2, 32), dense(32, 32), dense(32, 3)];
      return { n: 1500, batch: 32, classes: 3, x: tf.randomNormal([1500, 2]), y: tf.randomUniform([1500], 0, 3, 'int32'), opt: tf.train.adam(0.01), vars: l.flatMap((d) => [d.w, d.b]),
        forward: (x) => apply(l[2], tf.relu(apply(l[1], tf.relu(apply(l[0], x))))) };
    }
    case 'W2': {
      const l = [dense(784, 256), dense(256, 128), dense(128, 10)];
      return { n: 4096, batch: 64, classes: 10, x: tf.randomUniform([4096, 784]), y: tf.randomUniform([4096], 0, 10, 'int32'), opt: tf.train.momentum(0.01, 0.9), vars: l.flatMap((d) => [d.w, d.b]),
        forward: (x) => apply(l[2], tf.relu(apply(l[1], tf.relu(apply(l[0], x))))) };
    }
    case 'W3': {
      const c1 = { w: uniform([3, 3, 1, 8], 9), b: uniform([8], 9) }, c2 = { w: uniform([3, 3, 8, 16], 72), b: uniform([16], 72) }, fc = dense(400, 10);
      const conv = (c, x) => tf.relu(tf.add(tf.conv2d(x, c.w, 1, 'valid'), c.b));
      return { n: 2048, batch: 32, classes: 10, x: tf.randomUniform([2048, 28, 28, 1]), y: tf.randomUniform([2048], 0, 10, 'int32'), opt: tf.train.momentum(0.01, 0.9),
        vars: [c1.w, c1.b, c2.w, c2.b, fc.w, fc.b],
        forward: (x) => {
          const h = tf.maxPool(conv(c2, tf.maxPool(conv(c1, x), 2, 2, 'valid')), 2, 2, 'valid');
          return apply(fc, tf.reshape(h, [h.shape[0], 400]));
        } };
    }
    case 'W4': {
      const H = 32;
      const kernel = uniform([1 + H, 4 * H], H), bias = uniform([4 * H], H), fc = dense(H, 1);
      return { n: 2048, batch: 32, x: tf.randomNormal([2048, 20, 1]), y: tf.randomNormal([2048, 1]), opt: tf.train.adam(0.01), vars: [kernel, bias, fc.w, fc.b],
        forward: (x) => {
          const steps = tf.unstack(x, 1);
          let c = tf.zeros([x.shape[0], H]), h = tf.zeros([x.shape[0], H]);
          for (const s of steps) [c, h] = tf.basicLSTMCell(1.0, kernel, bias, s, c, h);
          return apply(fc, h);
        } };
    }
    default: throw new Error(name);
  }
}

export async function setup(name) {
  const w = build(name);
  const batches = [];
  for (let s = 0; s < w.n; s += w.batch) {
    const size = Math.min(w.batch, w.n - s);
    const xb = tf.slice(w.x, s, size);
    const yb = w.classes ? tf.oneHot(tf.slice(w.y, s, size), w.classes) : tf.slice(w.y, s, size);
    batches.push([xb, yb]);
  }
  const lossOf = (xb, yb) => (w.classes ? tf.losses.softmaxCrossEntropy(yb, w.forward(xb)) : tf.losses.meanSquaredError(yb, w.forward(xb)));
  return {
    async epoch() {
      const t0 = performance.now();
      for (const [xb, yb] of batches) {
        const cost = w.opt.minimize(() => lossOf(xb, yb), true, w.vars);
        await cost.data(); // wait for the step, as loss.item() does
        cost.dispose();
      }
      return (performance.now() - t0) / 1000;
    },
    dispose() {
      for (const [a, b] of batches) { a.dispose(); b.dispose(); }
      w.x.dispose(); w.y.dispose();
      for (const v of w.vars) v.dispose();
      w.opt.dispose();
    },
  };
}
