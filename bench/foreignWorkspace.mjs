// Checkpoints in the formats PyTorch users have, written by the project's own code (no torch):
// a `.safetensors` writer that streams tensor by tensor (a GPT-2-sized file never sits in memory),
// a minimal `torch.save`-compatible `.pt` writer (a stored zip of data.pkl + one storage per
// tensor, the layout torch.load reads), GPT-2 and ResNet-18 state_dict shapes, and the hover
// workspace of issue 14 (a GPT-2 .safetensors, a ResNet-18 .pth, 20 smaller checkpoints, a
// train.py). Used by bench/hover-exthost.mjs, the hover extension-host suite and unit tests.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { zipSync } from 'fflate';
import { writeSafetensorsStream } from '../test/harness/safetensorsStream.mjs';

/** Deterministic values: a small LCG per tensor, spread ±scale around `mean`. */
export function fillValues(n, seed, scale = 0.02, mean = 0) {
  const a = new Float32Array(n);
  let s = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < n; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; a[i] = mean + (s / 2 ** 32 - 0.5) * 2 * scale; }
  return a;
}

const numel = (shape) => shape.reduce((a, b) => a * b, 1);
const ST_DTYPE = { float32: 'F32', int64: 'I64' };

/**
 * Writes a `.safetensors` file tensor by tensor. `tensors`: [{ name, shape, dtype?: 'float32'|'int64', values(): TypedArray }]
 * (values is called once per tensor, when it is written).
 */
export function writeSafetensors(file, tensors, metadata = { format: 'pt' }) {
  writeSafetensorsStream(file, tensors.map((t) => ({
    name: t.name, shape: t.shape, dtype: ST_DTYPE[t.dtype ?? 'float32'],
    bytes: () => { const v = t.values(); return new Uint8Array(v.buffer, v.byteOffset, v.byteLength); },
  })), metadata);
}

/** Protocol-2 pickle opcodes for a state_dict, as torch.save writes it. */
class Pickler {
  parts = [];
  op(s) { this.parts.push(Buffer.from(s, 'latin1')); }
  global(mod, name) { this.op(`c${mod}\n${name}\n`); }
  str(s) { const b = Buffer.from(s, 'utf8'); const n = Buffer.alloc(5); n[0] = 0x58; n.writeUInt32LE(b.length, 1); this.parts.push(n, b); }
  int(i) { const n = Buffer.alloc(5); n[0] = 0x4a; n.writeInt32LE(i, 1); this.parts.push(n); }
  tuple(ints) { this.op('('); for (const i of ints) this.int(i); this.op('t'); }
  emptyOrderedDict() { this.global('collections', 'OrderedDict'); this.op(')R'); }
  bytes() { return Buffer.concat(this.parts); }
}

/**
 * A `.pt` file's bytes: `entries` [{ name, shape, dtype?: 'float32'|'int64', values: TypedArray }]
 * as an OrderedDict state_dict, or under `wrap` (a training checkpoint {wrap: state_dict, "epoch": 1}).
 */
export function ptBytes(entries, { wrap } = {}) {
  const p = new Pickler();
  p.op('\x80\x02');
  if (wrap) { p.op('}('); p.str(wrap); }
  p.emptyOrderedDict();
  p.op('(');
  const files = {};
  entries.forEach((t, i) => {
    const key = String(i), dtype = t.dtype ?? 'float32';
    p.str(t.name);
    p.global('torch._utils', '_rebuild_tensor_v2');
    p.op('((');
    p.str('storage');
    p.global('torch', dtype === 'int64' ? 'LongStorage' : 'FloatStorage');
    p.str(key); p.str('cpu'); p.int(numel(t.shape));
    p.op('tQ');
    p.int(0);
    p.tuple(t.shape);
    const strides = []; let s = 1;
    for (let k = t.shape.length - 1; k >= 0; k--) { strides.unshift(s); s *= t.shape[k]; }
    p.tuple(strides);
    p.op('\x89');
    p.emptyOrderedDict();
    p.op('tR');
    files[`archive/data/${key}`] = [new Uint8Array(t.values.buffer, t.values.byteOffset, t.values.byteLength), { level: 0 }];
  });
  p.op('u');
  if (wrap) { p.str('epoch'); p.int(1); p.op('u'); }
  p.op('.');
  return zipSync({
    'archive/data.pkl': [new Uint8Array(p.bytes()), { level: 0 }],
    'archive/byteorder': [new TextEncoder().encode('little'), { level: 0 }],
    ...files,
    'archive/version': [new TextEncoder().encode('3\n'), { level: 0 }],
  });
}

/** GPT-2 small's state_dict as Hugging Face saves it (124,439,808 parameters, float32: 475 MiB). */
export function gpt2Shapes({ layers = 12, d = 768, vocab = 50257, ctx = 1024 } = {}) {
  const out = [['wte.weight', [vocab, d]], ['wpe.weight', [ctx, d]]];
  for (let i = 0; i < layers; i++) {
    const h = `h.${i}.`;
    out.push([`${h}ln_1.weight`, [d]], [`${h}ln_1.bias`, [d]],
      [`${h}attn.c_attn.weight`, [d, 3 * d]], [`${h}attn.c_attn.bias`, [3 * d]],
      [`${h}attn.c_proj.weight`, [d, d]], [`${h}attn.c_proj.bias`, [d]],
      [`${h}ln_2.weight`, [d]], [`${h}ln_2.bias`, [d]],
      [`${h}mlp.c_fc.weight`, [d, 4 * d]], [`${h}mlp.c_fc.bias`, [4 * d]],
      [`${h}mlp.c_proj.weight`, [4 * d, d]], [`${h}mlp.c_proj.bias`, [d]]);
  }
  out.push(['ln_f.weight', [d]], ['ln_f.bias', [d]]);
  return out.map(([name, shape]) => ({ name, shape }));
}

/** torchvision's ResNet-18 state_dict: names, shapes and dtypes (num_batches_tracked is int64). */
export function resnet18Shapes(classes = 1000) {
  const out = [];
  const bn = (p, c) => out.push({ name: `${p}.weight`, shape: [c] }, { name: `${p}.bias`, shape: [c] },
    { name: `${p}.running_mean`, shape: [c] }, { name: `${p}.running_var`, shape: [c] }, { name: `${p}.num_batches_tracked`, shape: [], dtype: 'int64' });
  out.push({ name: 'conv1.weight', shape: [64, 3, 7, 7] });
  bn('bn1', 64);
  let inC = 64;
  [64, 128, 256, 512].forEach((c, li) => {
    for (let b = 0; b < 2; b++) {
      const p = `layer${li + 1}.${b}`;
      out.push({ name: `${p}.conv1.weight`, shape: [c, b === 0 ? inC : c, 3, 3] });
      bn(`${p}.bn1`, c);
      out.push({ name: `${p}.conv2.weight`, shape: [c, c, 3, 3] });
      bn(`${p}.bn2`, c);
      if (b === 0 && li > 0) { out.push({ name: `${p}.downsample.0.weight`, shape: [c, inC, 1, 1] }); bn(`${p}.downsample.1`, c); }
    }
    inC = c;
  });
  out.push({ name: 'fc.weight', shape: [classes, 512] }, { name: 'fc.bias', shape: [classes] });
  return out;
}

/** Values for a shape list: seeded per tensor; a BatchNorm weight/running_var near 1, int64 counters 7. */
export function withValues(shapes, seed = 1) {
  return shapes.map((t, i) => {
    const n = numel(t.shape);
    const values = () => t.dtype === 'int64' ? BigInt64Array.from({ length: n }, () => 7n)
      : fillValues(n, seed * 1000 + i, 0.05, /(bn\d|downsample\.1)\.(weight|running_var)$|ln_\w+\.weight$/.test(t.name) ? 1 : 0);
    return { ...t, values };
  });
}

/** The Python file the hover scenarios and the benchmark hover in: [line, character] of each `weight`. */
export const TRAIN_PY = [
  'import torch',
  'model = torchvision.models.resnet18()',
  'model.load_state_dict(torch.load("resnet18.pth"))',
  'first = model.layer1[0].conv1.weight',
  'classifier = model.fc.weight',
  'sd = safetensors.torch.load_file("gpt2.safetensors")',
  'qkv = sd["h.0.attn.c_attn.weight"]',
  '',
].join('\n');
export const HOVERS = {
  first: { line: 3, character: TRAIN_PY.split('\n')[3].lastIndexOf('weight') + 2, name: 'layer1.0.conv1.weight' },
  classifier: { line: 4, character: TRAIN_PY.split('\n')[4].lastIndexOf('weight') + 2, name: 'fc.weight' },
  qkv: { line: 6, character: TRAIN_PY.split('\n')[6].lastIndexOf('weight') + 2, name: 'h.0.attn.c_attn.weight' },
};

/**
 * Issue 14's workspace in `dir` (a new temp folder by default): gpt2.safetensors (real size unless
 * `gpt2: 'small'`), resnet18.pth, 20 smaller checkpoints in runs/ (safetensors and .pth, some of
 * them training checkpoints {"model": …}), train.py. Returns the paths and the largest tensor's bytes.
 */
export function writeForeignWorkspace({ dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hover-foreign-')), gpt2 = 'full', smaller = 20 } = {}) {
  fs.mkdirSync(path.join(dir, 'runs'), { recursive: true });
  const gptShapes = gpt2 === 'full' ? gpt2Shapes() : gpt2Shapes({ layers: 2, d: 64, vocab: 500, ctx: 128 });
  const gptFile = path.join(dir, 'gpt2.safetensors');
  writeSafetensors(gptFile, withValues(gptShapes, 2));
  const resnet = withValues(resnet18Shapes(), 3).map((t) => ({ ...t, values: t.values() }));
  const resnetFile = path.join(dir, 'resnet18.pth');
  fs.writeFileSync(resnetFile, ptBytes(resnet));
  const files = [gptFile, resnetFile];
  for (let i = 0; i < smaller; i++) {
    // Small models of their own names, so they do not crowd the lists of the names hovered above.
    const shapes = [{ name: `head${i}.weight`, shape: [64, 128] }, { name: `head${i}.bias`, shape: [64] }, { name: 'fc.weight', shape: [10, 64] }, { name: 'fc.bias', shape: [10] }];
    const t = withValues(shapes, 100 + i);
    const f = path.join(dir, 'runs', `run${i}`, i % 2 ? `ckpt${i}.safetensors` : `ckpt${i}.pth`);
    fs.mkdirSync(path.dirname(f), { recursive: true });
    if (i % 2) writeSafetensors(f, t);
    else fs.writeFileSync(f, ptBytes(t.map((x) => ({ ...x, values: x.values() })), i % 4 === 0 ? { wrap: 'model' } : {}));
    files.push(f);
  }
  fs.writeFileSync(path.join(dir, 'train.py'), TRAIN_PY);
  const largestTensor = Math.max(...gptShapes.map((t) => numel(t.shape) * 4));
  return { dir, files, gpt2: gptFile, resnet18: resnetFile, trainPy: path.join(dir, 'train.py'), largestTensor };
}
