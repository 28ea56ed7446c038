// Issue 14 in a real VS Code, clicked through as a user: a workspace holding only `.pth` and
// `.safetensors` checkpoints (a ResNet-18 `.pth`, a real-size 475 MiB GPT-2 `.safetensors` and
// three small runs, written at test time by bench/foreignWorkspace.mjs — no torch) and a train.py.
// Hovering `weight` in the three lines shows the shapes from the headers, then statistics.
// Shape of a scenario file: see test/README.md.
import fs from 'node:fs';
import path from 'node:path';
import { writeForeignWorkspace } from '../../bench/foreignWorkspace.mjs';
import { expectAll, hoverOnLine } from './hover.e2e.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Written beside the workspace and renamed in file by file, so the watcher never sees half a file. */
function writeCheckpoints(ws) {
  const staging = writeForeignWorkspace({ dir: fs.mkdtempSync(path.join(path.dirname(ws), 'staging-')), gpt2: 'full', smaller: 3 });
  for (const f of [...staging.files, staging.trainPy]) {
    const to = path.join(ws, path.relative(staging.dir, f));
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.renameSync(f, to);
  }
  fs.rmSync(staging.dir, { recursive: true, force: true });
}

/** Hovers until the tooltip holds `expect` (the statistics arrive after the shapes; each try is a fresh hover). */
async function hoverUntil(page, lineText, word, expect, timeout = 180000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      return await hoverOnLine(page, lineText, word, expect, 20000);
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await page.mouse.move(5, 5);
      await sleep(2000);
    }
  }
}

export const scenarios = [
  {
    name: 'hovering weight over a ResNet-18 .pth and a GPT-2 .safetensors shows shapes, dtypes and statistics',
    workspace: [], // nothing but what run() writes: no .weights.json anywhere
    timeout: 420000,
    async run({ page, ws, quickOpen, shot }) {
      writeCheckpoints(ws);
      await quickOpen('train.py');
      const first = await hoverOnLine(page, 'first = model.layer1[0].conv1.weight', 'weight', 'layer1.0.conv1.weight', 60000);
      expectAll(await first.innerText(), ['resnet18.pth', '[64, 64, 3, 3]', '64 filters × 64 input channels × 3×3 kernel', 'float32', '36864 values', 'trainable']);
      await shot('foreign-first-hover');
      await page.mouse.move(5, 5);

      const stats = await hoverUntil(page, 'first = model.layer1[0].conv1.weight', 'weight', 'mean ');
      expectAll(await stats.innerText(), ['layer1.0.conv1.weight', 'std ', 'min ', 'max ']);
      await shot('foreign-resnet-statistics');
      await page.mouse.move(5, 5);

      const fc = await hoverUntil(page, 'classifier = model.fc.weight', 'weight', 'Also in:');
      expectAll(await fc.innerText(), ['fc.weight', 'resnet18.pth', '[1000, 512]', '1000 outputs × 512 inputs', 'ckpt0.pth']);
      await page.mouse.move(5, 5);

      const qkv = await hoverUntil(page, 'qkv = sd["h.0.attn.c_attn.weight"]', 'weight', 'h.0.attn.c_attn.weight');
      expectAll(await qkv.innerText(), ['gpt2.safetensors', '[768, 2304]', '768 outputs × 2304 inputs', 'float32', '1769472 values']);
      await page.mouse.move(5, 5);
      const qkvStats = await hoverUntil(page, 'qkv = sd["h.0.attn.c_attn.weight"]', 'weight', 'mean ');
      const text = await qkvStats.innerText();
      expectAll(text, ['h.0.attn.c_attn.weight', 'std ', 'min ', 'max ']);
      await shot('foreign-gpt2-statistics');
      return text.split('\n').slice(0, 3).join(' | ');
    },
  },
];
