// The editor at real size (issue 13) in a real VS Code: real-size checkpoints written at test time
// by test/harness/realsizeFiles.mjs — ResNet-18's state_dict as a .pth (the project's .pt writer),
// GPT-2-small as float32 and bfloat16 .safetensors, a 10M-parameter .weights.json — are opened by
// Quick Open; after scrolling the parameter list, tensors far down and back up are clicked and
// the heatmap painted must be the clicked tensor's (never a thumbnail's or an earlier click's).
// No timings are asserted here: bench/editor-exthost.mjs measures them.
import fs from 'node:fs';
import { gpt2Tensors, resnet18Tensors, writeMlp10mWeightsJson, writeResnet18Pth, writeSafetensors } from '../harness/realsizeFiles.mjs';

/**
 * Wait until the heatmap shows `param`: the webview says so, the canvas names it, and the canvas
 * holds painted cells of both signs' colours. (Two colours can be all there is: a block-reduced
 * picture of uniform random weights shows each block's largest |value|, nearly ±max everywhere.)
 */
async function expectPaintedHeatmap(ctx, frame, param) {
  await ctx.waitUntil(async () => (await frame.locator('body').getAttribute('data-heatmap-param')) === param, `the heatmap of ${param}`, 120000);
  const canvas = frame.locator('#heatmap-canvas');
  await canvas.waitFor({ state: 'visible' });
  let last = '';
  await ctx.waitUntil(async () => {
    const seen = await canvas.evaluate((c) => {
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      const colours = new Set();
      let painted = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] === 0) continue;
        painted++;
        colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      }
      return { colours: colours.size, painted, width: c.width, height: c.height, param: c.dataset.param };
    });
    last = JSON.stringify(seen);
    return seen.param === param && seen.colours >= 2 && seen.painted >= 200;
  }, `painted cells in the heatmap of ${param}`, 60000).catch((e) => { throw new Error(`${e.message} (canvas: ${last})`); });
  const title = (await frame.locator('#detail-name').innerText()).trim();
  if (title !== param) throw new Error(`the detail shows ${title}, the heatmap ${param}`);
}

/**
 * Scroll the parameter list until `param`'s row is in view (rows between ask for thumbnails and
 * cancel), then click it. Also used by bench/e2e/webviewLongTasks.e2e.mjs.
 */
export async function scrollAndClick(ctx, frame, param) {
  const row = frame.locator(`.param-row[data-param="${param}"]`);
  await row.waitFor({ state: 'attached', timeout: 60000 });
  // Scroll the list in steps, as a wheel does, so the rows passed by come into view and leave it.
  for (let i = 0; i < 60; i++) {
    const done = await row.evaluate((el) => {
      const list = el.closest('.param-list');
      if (!list) return false; // replaced by its arriving thumbnail meanwhile: look it up again
      const box = el.getBoundingClientRect(), view = list.getBoundingClientRect();
      if (box.top >= view.top && box.bottom <= view.bottom) return true;
      list.scrollBy(0, Math.sign(box.top - view.top) * Math.min(Math.abs(box.top - view.top), 300));
      return false;
    }).catch(() => false);
    if (done) break;
    await ctx.sleep(60);
  }
  // A row is replaced when its thumbnail arrives: click again if it was swapped under the mouse.
  await ctx.waitUntil(async () => { await row.click({ timeout: 10000 }); return true; }, `a click on ${param}`, 60000);
}

/** Open `file` (written into the workspace just before) and check the selections in `clicks`. */
async function browse(ctx, file, firstRow, clicks) {
  const frame = await ctx.openInWeightscope(file, { timeout: 120000 });
  await frame.locator(`.param-row[data-param="${firstRow}"]`).waitFor({ state: 'visible', timeout: 120000 });
  for (const param of clicks) {
    await scrollAndClick(ctx, frame, param);
    await expectPaintedHeatmap(ctx, frame, param);
    await ctx.shot(`${file}-${param}`);
  }
  // Rows on screen got their thumbnails (read on demand, after the clicks).
  await ctx.waitUntil(async () => (await frame.locator('.param-row:not(.pending)').count()) > 0, `thumbnails in ${file}`, 120000);
}

export const scenarios = [
  {
    name: 'GPT-2-small float32 .safetensors (475 MiB): clicks after scrolling paint the clicked tensor',
    timeout: 600000,
    async run(ctx) {
      writeSafetensors(ctx.wsPath('gpt2.safetensors'), gpt2Tensors('F32'));
      await browse(ctx, 'gpt2.safetensors', 'wte.weight', ['h.10.mlp.c_fc.weight', 'h.2.attn.c_attn.weight', 'ln_f.bias', 'wte.weight', 'h.11.mlp.c_proj.weight']);
    },
  },
  {
    name: 'GPT-2-small bfloat16 .safetensors (237 MiB): clicks after scrolling paint the clicked tensor',
    timeout: 600000,
    async run(ctx) {
      writeSafetensors(ctx.wsPath('gpt2-bf16.safetensors'), gpt2Tensors('BF16'));
      await browse(ctx, 'gpt2-bf16.safetensors', 'wte.weight', ['h.11.mlp.c_fc.weight', 'h.5.ln_2.weight', 'wpe.weight']);
    },
  },
  {
    name: 'ResNet-18 state_dict .pth (45 MiB): conv1, a deep conv and fc paint after scrolling',
    timeout: 600000,
    async run(ctx) {
      const size = await writeResnet18Pth(ctx.wsPath('resnet18.pth'));
      if (size === undefined) throw new Error('src/format has no .pt writer to make the ResNet-18 .pth with');
      await browse(ctx, 'resnet18.pth', 'conv1.weight', ['layer4.1.conv2.weight', 'conv1.weight', 'fc.weight', 'layer3.0.downsample.0.weight']);
    },
  },
  {
    name: 'ResNet-18 as .safetensors (45 MiB): a deep conv and conv1 paint after scrolling',
    timeout: 600000,
    async run(ctx) {
      writeSafetensors(ctx.wsPath('resnet18.safetensors'), resnet18Tensors());
      await browse(ctx, 'resnet18.safetensors', 'conv1.weight', ['layer4.1.conv2.weight', 'conv1.weight']);
    },
  },
  {
    name: 'a 10M-parameter .weights.json (51 MiB): both weights paint',
    timeout: 600000,
    async run(ctx) {
      await writeMlp10mWeightsJson(ctx.wsPath('mlp10m.weights.json'));
      if (!fs.existsSync(ctx.wsPath('mlp10m.weights.json'))) throw new Error('the 10M-parameter file was not written');
      await browse(ctx, 'mlp10m.weights.json', '0.weight', ['2.weight', '0.weight']);
    },
  },
];
