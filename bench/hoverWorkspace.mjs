// The hover benchmarks' workspace (bench/hover.mjs in Node, bench/hover-exthost.mjs in the real
// extension host): N checkpoints of a Linear(side, side) — weight [side, side] + bias [side] — spread
// over group*/run*/ folders, and a train.py beside model3 that names `model.fc3.weight`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The hovered line of train.py, and where in it the pointer rests (on `weight`). */
export const TRAIN_PY = 'import torch\nmodel = torch.load("model3.pt")\nprint(model.fc3.weight.shape)\n';
export const HOVER_AT = { line: 2, character: 19 };

function checkpointText(seed, side, encoding) {
  let s = seed * 2654435761 >>> 0;
  const rnd = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32 - 0.5) / 16;
  const w = new Float32Array(side * side).map(rnd), b = new Float32Array(side).map(rnd);
  const data = (a, rows) => encoding === 'base64'
    ? `"base64:${Buffer.from(a.buffer).toString('base64')}"`
    : rows ? `[${Array.from({ length: rows }, (_, r) => `[${Array.from(a.subarray(r * side, (r + 1) * side)).join(',')}]`).join(',\n')}]` : `[${Array.from(a).join(',')}]`;
  return `{"format":"weights.json","version":1,
"model":{"input_shape":[${side}],"layers":[{"type":"Linear","name":"fc${seed}","in_features":${side},"out_features":${side}},{"type":"ReLU"}]},
"parameters":{
"fc${seed}.weight":{"shape":[${side},${side}],"dtype":"float32","requires_grad":true,"data":${data(w, side)}},
"fc${seed}.bias":{"shape":[${side}],"dtype":"float32","requires_grad":true,"data":${data(b, 0)}}}}\n`;
}

/**
 * Writes the workspace in a new temp folder. Returns its folder, the checkpoint paths, the
 * largest checkpoint's size in bytes, the parameters per checkpoint and train.py's path.
 */
export function writeHoverWorkspace({ files = 50, params = 1_000_000, encoding = 'base64', log = true } = {}) {
  const side = Math.round(Math.sqrt(params));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-bench-hover-'));
  if (log) process.stdout.write(`writing ${files} checkpoints of ${(side * side + side).toLocaleString('en')} parameters (${encoding}) in ${dir} … `);
  const paths = [];
  let largest = 0;
  for (let i = 0; i < files; i++) {
    const f = path.join(dir, `group${i % 5}`, `run${i}`, `model${i}.weights.json`);
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, checkpointText(i, side, encoding));
    paths.push(f);
    largest = Math.max(largest, fs.statSync(f).size);
  }
  const trainPy = path.join(dir, 'group3', 'run3', 'train.py');
  // With fewer than 4 checkpoints there is no model3 beside it: its folder is made for it alone.
  fs.mkdirSync(path.dirname(trainPy), { recursive: true });
  fs.writeFileSync(trainPy, TRAIN_PY);
  if (log) console.log(`largest ${(largest / 2 ** 20).toFixed(1)} MiB`);
  return { dir, paths, largest, params: side * side + side, trainPy };
}
