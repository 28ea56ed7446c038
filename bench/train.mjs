#!/usr/bin/env node
// Training speed of the engine against its peers, measured in the same run and interleaved
// (engine epoch, PyTorch epoch, tfjs-wasm epoch, again…) so that a noisy shared machine slows all
// of them alike. Prints samples/second per workload (median epoch), ratios, and the engine's heap
// after 1 and 20 epochs.
//   W1  MLP 2→32→32→3 ReLU, 1,500-point spiral, batch 32, Adam
//   W2  MLP 784→256→128→10 ReLU, 4,096 samples, batch 64, SGD momentum
//   W3  CNN Conv2d(1,8,3)-ReLU-MaxPool2d(2)-Conv2d(8,16,3)-ReLU-MaxPool2d(2)-Flatten-Linear(400,10), 2,048 1×28×28, batch 32, SGD momentum
//   W4  LSTM(1→32) over 20 steps, Linear(32,1), 2,048 samples, batch 32, Adam
// Peers: PyTorch on 1 thread (bench/torch_peer.py; skipped with a note without torch) and
// TensorFlow.js's wasm backend (bench/tfjs_peer.mjs).
// Usage: node bench/train.mjs [--rounds N] [--only W1,W3] [--no-torch] [--no-tfjs]
// Profiling one workload, engine only: node --cpu-prof bench/train.mjs --only W3 --no-torch --no-tfjs
import * as esbuild from 'esbuild';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const opt = (name, fallback) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : fallback; };
const rounds = Number(opt('--rounds', 5));
const only = opt('--only', 'W1,W2,W3,W4').split(',');

// The engine is TypeScript: bundle the pieces the bench needs into one ESM file first.
const engineFile = path.join(os.tmpdir(), `weightscope-bench-engine-${process.pid}.mjs`);
await esbuild.build({
  stdin: {
    contents: `export { Sequential } from './src/engine/model';
      export { Adam, SGD } from './src/engine/optim';
      export { trainModel } from './src/engine/train';
      export { makeBuiltinDataset } from './src/engine/datasets/index';
      export { Rng } from './src/engine/rng';`,
    resolveDir: root, loader: 'ts',
  },
  bundle: true, format: 'esm', platform: 'node', target: 'node20', outfile: engineFile, logLevel: 'warning',
});
const E = await import(pathToFileURL(engineFile).href);
fs.rmSync(engineFile, { force: true });

const WORKLOADS = {
  W1: {
    n: 1500, batch: 32, loss: 'cross_entropy', opt: () => new E.Adam({ lr: 0.01 }), inputShape: [2],
    layers: [lin(2, 32), { type: 'ReLU' }, lin(32, 32), { type: 'ReLU' }, lin(32, 3)],
    data: () => E.makeBuiltinDataset('spiral', { n: 1500 }),
  },
  W2: {
    n: 4096, batch: 64, loss: 'cross_entropy', opt: () => new E.SGD({ lr: 0.01, momentum: 0.9 }), inputShape: [784],
    layers: [lin(784, 256), { type: 'ReLU' }, lin(256, 128), { type: 'ReLU' }, lin(128, 10)],
    data: () => randomData(4096, [784], 10),
  },
  W3: {
    n: 2048, batch: 32, loss: 'cross_entropy', opt: () => new E.SGD({ lr: 0.01, momentum: 0.9 }), inputShape: [1, 28, 28],
    layers: [conv(1, 8), { type: 'ReLU' }, { type: 'MaxPool2d', kernel_size: 2 }, conv(8, 16), { type: 'ReLU' }, { type: 'MaxPool2d', kernel_size: 2 },
      { type: 'Flatten' }, lin(400, 10)],
    data: () => randomData(2048, [1, 28, 28], 10),
  },
  W4: {
    n: 2048, batch: 32, loss: 'mse', opt: () => new E.Adam({ lr: 0.01 }), inputShape: [20, 1],
    layers: [{ type: 'LSTM', input_size: 1, hidden_size: 32 }, lin(32, 1)],
    data: () => randomData(2048, [20, 1], 0),
  },
};
function lin(i, o) { return { type: 'Linear', in_features: i, out_features: o }; }
function conv(i, o) { return { type: 'Conv2d', in_channels: i, out_channels: o, kernel_size: 3 }; }

function randomData(n, inputShape, classes) {
  const rng = new E.Rng(1);
  const size = inputShape.reduce((a, b) => a * b, 1);
  const x = new Float32Array(n * size).map(() => rng.uniform());
  const y = new Float32Array(n).map(() => (classes ? rng.int(classes) : rng.normal()));
  return { name: 'random', n, inputShape, x, y, targetSize: 1, task: classes ? 'multiclass' : 'regression', numClasses: classes || undefined };
}

/** A model with PyTorch-like uniform(±1/√fan_in) weights, the optimizer and the data of a workload. */
function engineWorkload(w) {
  const model = E.Sequential.fromSpec({ input_shape: w.inputShape, layers: w.layers });
  const rng = new E.Rng(2);
  for (const p of model.parameters().values()) {
    const fanIn = p.shape.length > 1 ? p.shape.slice(1).reduce((a, b) => a * b, 1) : p.shape[0];
    const bound = 1 / Math.sqrt(fanIn);
    for (let i = 0; i < p.data.length; i++) p.data[i] = rng.uniformRange(-bound, bound);
  }
  const optimizer = w.opt();
  const data = w.data();
  let epoch = 1;
  return {
    epoch() {
      const t0 = performance.now();
      E.trainModel(model, optimizer, data, w.inputShape, { loss: w.loss, epochs: 1, batchSize: w.batch, shuffle: true, seed: 0, firstEpoch: epoch++ });
      return (performance.now() - t0) / 1000;
    },
  };
}

// --- peers ------------------------------------------------------------------------------------
function startTorch() {
  if (argv.includes('--no-torch')) return { note: 'skipped (--no-torch)' };
  const python = '/usr/bin/python3';
  const probe = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  if (probe.status !== 0) return { note: `skipped: PyTorch is not importable from ${python}` };
  const child = spawn(python, [path.join(root, 'bench/torch_peer.py')], {
    env: { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1', OMP_WAIT_POLICY: 'PASSIVE' }, stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = readline.createInterface({ input: child.stdout });
  const waiting = [];
  lines.on('line', (l) => waiting.shift()?.(Number(l)));
  return {
    version: probe.stdout.trim(),
    epoch: (name) => new Promise((resolve) => { waiting.push(resolve); child.stdin.write(name + '\n'); }),
    stop: () => { child.stdin.write('quit\n'); child.stdin.end(); },
  };
}

async function startTfjs() {
  if (argv.includes('--no-tfjs')) return { note: 'skipped (--no-tfjs)' };
  try {
    const peer = await import(pathToFileURL(path.join(root, 'bench/tfjs_peer.mjs')).href);
    await peer.init();
    return peer;
  } catch (e) {
    return { note: `skipped: ${e.message}` };
  }
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const fmt = (x) => (x >= 100 ? x.toFixed(0) : x.toPrecision(3));
const mb = (b) => `${(b / 1048576).toFixed(1)} MB`;

const torch = startTorch();
const tfjs = await startTfjs();
console.log(`node ${process.version}, ${os.cpus().length} cpu(s) (${os.cpus()[0]?.model ?? '?'}), ${rounds} rounds, median epoch`);
console.log(`PyTorch: ${torch.version ? `${torch.version}, 1 thread` : torch.note}; tfjs-wasm: ${tfjs.version ?? tfjs.note}`);
if (tfjs.notes) for (const n of tfjs.notes) console.log(`  note: ${n}`);
console.log('');
console.log('workload   engine/s    torch/s     tfjs/s   engine÷torch  engine÷tfjs   target');
const targets = { W1: ['torch', 2], W2: ['tfjs', 2], W3: ['tfjs', 2], W4: ['torch', 0.5] };
for (const name of only) {
  const w = WORKLOADS[name];
  const eng = engineWorkload(w);
  const tf = tfjs.setup ? await tfjs.setup(name) : null;
  eng.epoch(); // warm-up: JIT, buffers
  if (torch.epoch) await torch.epoch(name);
  if (tf) await tf.epoch();
  const times = { engine: [], torch: [], tfjs: [] };
  for (let r = 0; r < rounds; r++) {
    times.engine.push(eng.epoch());
    if (torch.epoch) times.torch.push(await torch.epoch(name));
    if (tf) times.tfjs.push(await tf.epoch());
  }
  tf?.dispose();
  const rate = (ts) => (ts.length ? w.n / median(ts) : NaN);
  const e = rate(times.engine), t = rate(times.torch), j = rate(times.tfjs);
  const [peer, goal] = targets[name];
  const ratio = peer === 'torch' ? e / t : e / j;
  const verdict = Number.isNaN(ratio) ? 'n/a' : `${ratio >= goal ? 'met' : 'MISSED'} (≥ ${goal}× ${peer})`;
  console.log(`${name.padEnd(8)} ${fmt(e).padStart(9)} ${fmt(t).padStart(10)} ${fmt(j).padStart(10)} ${(fmt(e / t) + '×').padStart(13)} ${(fmt(e / j) + '×').padStart(12)}   ${verdict}`);
}

// Heap after 1 and 20 epochs of W1 on a fresh model (after a forced GC where available).
{
  const gc = globalThis.gc ?? (await import('node:vm')).runInNewContext('typeof gc === "function" ? gc : undefined');
  const eng = engineWorkload(WORKLOADS.W1);
  eng.epoch(); gc?.();
  const one = process.memoryUsage().heapUsed;
  for (let i = 0; i < 19; i++) eng.epoch();
  gc?.();
  const twenty = process.memoryUsage().heapUsed;
  console.log(`\nengine heap (W1): after 1 epoch ${mb(one)}, after 20 epochs ${mb(twenty)} (${gc ? 'after GC' : 'no GC available: run with --expose-gc for exact numbers'})`);
}
torch.stop?.();
