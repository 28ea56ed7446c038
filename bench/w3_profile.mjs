#!/usr/bin/env node
// W3 of bench/train.mjs alone, engine only, for profiling: node --cpu-prof bench/w3_profile.mjs [epochs]
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const epochs = Number(process.argv[2] ?? 5);
const engineFile = path.join(os.tmpdir(), `weightscope-w3-engine-${process.pid}.mjs`);
await esbuild.build({
  stdin: {
    contents: `export { Sequential } from './src/engine/model';
      export { SGD } from './src/engine/optim';
      export { trainModel } from './src/engine/train';
      export { Rng } from './src/engine/rng';`,
    resolveDir: root, loader: 'ts',
  },
  bundle: true, format: 'esm', platform: 'node', target: 'node20', outfile: engineFile, logLevel: 'warning',
});
const E = await import(pathToFileURL(engineFile).href);
fs.rmSync(engineFile, { force: true });

const conv = (i, o) => ({ type: 'Conv2d', in_channels: i, out_channels: o, kernel_size: 3 });
const inputShape = [1, 28, 28], n = 2048;
const model = E.Sequential.fromSpec({ input_shape: inputShape, layers: [conv(1, 8), { type: 'ReLU' }, { type: 'MaxPool2d', kernel_size: 2 }, conv(8, 16), { type: 'ReLU' },
  { type: 'MaxPool2d', kernel_size: 2 }, { type: 'Flatten' }, { type: 'Linear', in_features: 400, out_features: 10 }] });
const rng = new E.Rng(2);
for (const p of model.parameters().values()) {
  const fanIn = p.shape.length > 1 ? p.shape.slice(1).reduce((a, b) => a * b, 1) : p.shape[0];
  const bound = 1 / Math.sqrt(fanIn);
  for (let i = 0; i < p.data.length; i++) p.data[i] = rng.uniformRange(-bound, bound);
}
const drng = new E.Rng(1);
const x = new Float32Array(n * 784).map(() => drng.uniform());
const y = new Float32Array(n).map(() => drng.int(10));
const data = { name: 'random', n, inputShape, x, y, targetSize: 1, task: 'multiclass', numClasses: 10 };
const opt = new E.SGD({ lr: 0.01, momentum: 0.9 });
const times = [];
for (let e = 1; e <= epochs; e++) {
  const t0 = performance.now();
  E.trainModel(model, opt, data, inputShape, { loss: 'cross_entropy', epochs: 1, batchSize: 32, shuffle: true, seed: 0, firstEpoch: e });
  times.push((performance.now() - t0) / 1000);
}
const rates = times.slice(1).map((t) => n / t).sort((a, b) => a - b);
console.log(`W3 engine samples/s: median ${rates[rates.length >> 1].toFixed(0)}, best ${rates[rates.length - 1].toFixed(0)} (${epochs - 1} epochs after warm-up)`);
