// Real-size checkpoints made at test time, for the editor's real-size UI tests and
// bench/editor-exthost.mjs (issue 13): the layouts of torchvision's ResNet-18 state_dict and of
// GPT-2-small (random values, real names, shapes and dtypes), and a 10M-parameter MLP. Never
// committed: hundreds of MiB, written in a second or two.
//   resnet18 .pth (the project's .pt writer) or .safetensors  122 tensors, 45 MiB
//   gpt2 float32 .safetensors or .pt  148 tensors, 475 MiB;  gpt2 bfloat16 .safetensors  237 MiB
//   mlp10m .weights.json (base64, the project's own serializer)  10M parameters, 51 MiB
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeSafetensorsStream } from './safetensorsStream.mjs';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** ResNet-18's state_dict: [name, shape, dtype] in torchvision's order (122 entries, 11.7M elements). */
export function resnet18Tensors() {
  const out = [];
  const bn = (p, c) => out.push([`${p}.weight`, [c], 'F32'], [`${p}.bias`, [c], 'F32'], [`${p}.running_mean`, [c], 'F32'], [`${p}.running_var`, [c], 'F32'], [`${p}.num_batches_tracked`, [], 'I64']);
  out.push(['conv1.weight', [64, 3, 7, 7], 'F32']);
  bn('bn1', 64);
  let inC = 64;
  [64, 128, 256, 512].forEach((c, li) => {
    for (let b = 0; b < 2; b++) {
      const p = `layer${li + 1}.${b}`;
      const cin = b === 0 ? inC : c;
      out.push([`${p}.conv1.weight`, [c, cin, 3, 3], 'F32']);
      bn(`${p}.bn1`, c);
      out.push([`${p}.conv2.weight`, [c, c, 3, 3], 'F32']);
      bn(`${p}.bn2`, c);
      if (b === 0 && cin !== c) {
        out.push([`${p}.downsample.0.weight`, [c, cin, 1, 1], 'F32']);
        bn(`${p}.downsample.1`, c);
      }
    }
    inC = c;
  });
  out.push(['fc.weight', [1000, 512], 'F32'], ['fc.bias', [1000], 'F32']);
  return out;
}

/** GPT-2-small as Hugging Face's `gpt2` stores it (Conv1D weights [in, out]): 148 tensors, 124M elements. */
export function gpt2Tensors(dtype = 'F32') {
  const d = 768, out = [['wte.weight', [50257, d]], ['wpe.weight', [1024, d]]];
  for (let i = 0; i < 12; i++) {
    const p = `h.${i}`;
    out.push([`${p}.ln_1.weight`, [d]], [`${p}.ln_1.bias`, [d]],
      [`${p}.attn.c_attn.weight`, [d, 3 * d]], [`${p}.attn.c_attn.bias`, [3 * d]],
      [`${p}.attn.c_proj.weight`, [d, d]], [`${p}.attn.c_proj.bias`, [d]],
      [`${p}.ln_2.weight`, [d]], [`${p}.ln_2.bias`, [d]],
      [`${p}.mlp.c_fc.weight`, [d, 4 * d]], [`${p}.mlp.c_fc.bias`, [4 * d]],
      [`${p}.mlp.c_proj.weight`, [4 * d, d]], [`${p}.mlp.c_proj.bias`, [d]]);
  }
  out.push(['ln_f.weight', [d]], ['ln_f.bias', [d]]);
  return out.map(([n, s]) => [n, s, dtype]);
}

const numelOf = (shape) => shape.reduce((a, b) => a * b, 1);

/** Plausible values for a tensor named `name`: norms' weights 1, variances 1, biases and means small, weights ±1/√fan_in. */
function fill(name, shape, out, seed) {
  let s = seed >>> 0 || 1;
  const rand = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 2 ** 32; };
  const fanIn = shape.length >= 2 ? numelOf(shape.slice(1)) : 1;
  const isNormWeight = /(ln_\d|ln_f|bn\d|downsample\.1)\.weight$/.test(name);
  if (/running_var$/.test(name) || isNormWeight) { for (let i = 0; i < out.length; i++) out[i] = 1 + (rand() - 0.5) * 0.2; return; }
  const scale = /bias$|running_mean$/.test(name) ? 0.05 : shape.length >= 2 ? 1 / Math.sqrt(fanIn) : 0.05;
  for (let i = 0; i < out.length; i++) out[i] = (rand() * 2 - 1) * scale;
}


/** The raw little-endian bytes of one tensor. */
function tensorBytes(name, shape, dtype, seed) {
  const n = numelOf(shape);
  if (dtype === 'I64') return new Uint8Array(BigInt64Array.of(...Array.from({ length: n }, () => 100n)).buffer);
  const f = new Float32Array(n);
  fill(name, shape, f, seed);
  if (dtype === 'F32') return new Uint8Array(f.buffer);
  // bfloat16: the top half of each float32, rounded to nearest even (what torch's .bfloat16() does).
  const u = new Uint32Array(f.buffer), out = new Uint16Array(n);
  for (let i = 0; i < n; i++) out[i] = (u[i] + 0x7fff + ((u[i] >>> 16) & 1)) >>> 16;
  return new Uint8Array(out.buffer);
}

/** Write a .safetensors file of [name, shape, dtype] tensors, tensor by tensor (values from tensorBytes); returns its size. */
export function writeSafetensors(file, tensors) {
  return writeSafetensorsStream(file, tensors.map(([name, shape, dtype], i) => ({ name, shape, dtype, bytes: () => tensorBytes(name, shape, dtype, i + 1) })));
}

let formatModule;
/** src/format bundled for Node (the project's own serializer and, once it exists, its .pt writer). */
async function format() {
  if (formatModule) return formatModule;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-realsize-'));
  const entry = path.join(dir, 'entry.ts');
  const ptWriter = path.join(root, 'src/format/pytorchFile.ts');
  fs.writeFileSync(entry, [
    `export { serializeCheckpoint } from ${JSON.stringify(path.join(root, 'src/format/serialize.ts'))};`,
    fs.existsSync(ptWriter) ? `export { writePytorchFile } from ${JSON.stringify(ptWriter)};` : 'export const writePytorchFile = undefined;',
  ].join('\n'));
  const outfile = path.join(dir, 'format.mjs');
  await esbuild.build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'esm', logLevel: 'warning' });
  formatModule = await import(pathToFileURL(outfile).href);
  fs.rmSync(dir, { recursive: true, force: true });
  return formatModule;
}

/** A 10M-parameter MLP, Linear(1000, 5000) ReLU Linear(5000, 1000), saved base64 by the project's serializer (51 MiB). */
export async function writeMlp10mWeightsJson(file) {
  const { serializeCheckpoint } = await format();
  const layers = [{ type: 'Linear', in_features: 1000, out_features: 5000 }, { type: 'ReLU' }, { type: 'Linear', in_features: 5000, out_features: 1000 }];
  const parameters = new Map();
  for (const [name, shape] of [['0.weight', [5000, 1000]], ['0.bias', [5000]], ['2.weight', [1000, 5000]], ['2.bias', [1000]]]) {
    const data = new Float32Array(numelOf(shape));
    fill(name, shape, data, parameters.size + 1);
    parameters.set(name, { shape, dtype: 'float32', requires_grad: true, data });
  }
  const ckpt = { format: 'weights.json', version: 1, model: { name: 'mlp-10m', input_shape: [1000], layers }, parameters, extra: new Map(), keyOrder: ['format', 'version', 'model', 'parameters'] };
  fs.writeFileSync(file, serializeCheckpoint(ckpt, { encoding: 'base64' }));
  return fs.statSync(file).size;
}

/**
 * ResNet-18's state_dict as a PyTorch zip `.pth`, through the project's own .pt writer when
 * src/format has one; returns undefined when it does not (then torch can write it: bench only).
 */
export async function writeResnet18Pth(file) {
  const { writePytorchFile } = await format();
  if (!writePytorchFile) return undefined;
  const raw = { F32: 'float32', BF16: 'bfloat16', I64: 'int64' };
  await writePytorchFile(file, resnet18Tensors().map(([name, shape, dtype], i) => ({ name, shape, dtype: raw[dtype], data: () => tensorBytes(name, shape, dtype, i + 1) })));
  return fs.statSync(file).size;
}

/** GPT-2-small as a PyTorch `.pt` (475 MiB), through the project's .pt writer; undefined without one. */
export async function writeGpt2Pt(file) {
  const { writePytorchFile } = await format();
  if (!writePytorchFile) return undefined;
  await writePytorchFile(file, gpt2Tensors('F32').map(([name, shape], i) => ({ name, shape, dtype: 'float32', data: () => tensorBytes(name, shape, 'F32', i + 1) })));
  return fs.statSync(file).size;
}
