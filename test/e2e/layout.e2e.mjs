// Layouts that use the panel at any shape (issue 13), in a real VS Code, light and dark: ResNet-18's
// first Conv2d [64, 3, 7, 7] as a wrapped grid of kernels and as RGB filters, a 4-D tensor as
// treescope-style facets with named rulers, GPT-2's wte [50257, 768] folded into row blocks, and
// the selected parameter row kept in view. Files are made at test time with real names and shapes
// (values synthetic: Gabor-like first-layer filters so the RGB view shows what trained filters look
// like, random elsewhere): a .weights.json by the project's own serializer, a .safetensors by hand
// (the format is an 8-byte length, a JSON header and the raw bytes).
// Screenshots of the webview go to test-results/screens/layout-*.png (README: media/screenshots/).
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SCREENS = path.join(ROOT, 'test-results/screens');
const numel = (shape) => shape.reduce((a, b) => a * b, 1);

let format;
/** The project's serializer and helpers, bundled from src/format for this Node process. */
async function formatModule() {
  if (format) return format;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-layout-e2e-'));
  const entry = path.join(dir, 'entry.ts'), outfile = path.join(dir, 'format.mjs');
  fs.writeFileSync(entry, [
    `export { serializeCheckpoint } from ${JSON.stringify(path.join(ROOT, 'src/format/serialize.ts'))};`,
    `export { emptyCheckpoint, makeTensor } from ${JSON.stringify(path.join(ROOT, 'src/format/tensor.ts'))};`,
  ].join('\n'));
  await esbuild.build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'esm', logLevel: 'warning' });
  format = await import(pathToFileURL(outfile).href);
  return format;
}

function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 2 ** 32; };
}

function randomValues(n, scale, seed) {
  const r = rng(seed), out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (r() * 2 - 1) * scale;
  return out;
}

/** [o, 3, k, k] filters shaped like trained first-layer ones: oriented Gabor stripes and colour blobs. */
function gaborFilters(o, k, seed) {
  const r = rng(seed), out = new Float32Array(o * 3 * k * k);
  for (let f = 0; f < o; f++) {
    const theta = r() * Math.PI, freq = 0.25 + r() * 0.9, phase = r() * 2 * Math.PI, sigma = 1.2 + r() * 1.6;
    const blob = f % 5 === 4; // some filters are colour blobs, as in AlexNet/ResNet's first layer
    const colour = [r() * 2 - 1, r() * 2 - 1, r() * 2 - 1];
    for (let c = 0; c < 3; c++) {
      for (let y = 0; y < k; y++) {
        for (let x = 0; x < k; x++) {
          const dx = x - (k - 1) / 2, dy = y - (k - 1) / 2;
          const u = dx * Math.cos(theta) + dy * Math.sin(theta);
          const env = Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma));
          const v = blob ? colour[c] * env : (0.6 + 0.4 * colour[c]) * env * Math.cos(freq * u * 2 + phase);
          out[((f * 3 + c) * k + y) * k + x] = 0.2 * v + (r() - 0.5) * 0.01;
        }
      }
    }
  }
  return out;
}

/** Relative-position attention biases [layers, heads, q, k]: a different falloff per head. */
function relPosBias(shape) {
  const [L, H, Q, K] = shape, out = new Float32Array(numel(shape));
  for (let l = 0; l < L; l++) for (let h = 0; h < H; h++) for (let q = 0; q < Q; q++) for (let k = 0; k < K; k++) {
    const d = k - q, w = 1 + h * 1.5 + l;
    out[((l * H + h) * Q + q) * K + k] = (h % 2 ? -1 : 1) * Math.exp(-Math.abs(d) / w) - (d > 0 && h >= 2 ? 0.6 : 0);
  }
  return out;
}

/** ResNet-18's first 30 state_dict tensors (enough rows for the list to scroll) and a 4-D buffer, as .weights.json. */
async function writeResnetWeightsJson(file) {
  const { serializeCheckpoint, emptyCheckpoint, makeTensor } = await formatModule();
  const ckpt = emptyCheckpoint();
  ckpt.buffers = new Map();
  const param = (name, shape, values) => ckpt.parameters.set(name, makeTensor(shape, values ?? randomValues(numel(shape), 1 / Math.sqrt(numel(shape.slice(1)) || 1), name.length * 7919)));
  const bn = (p, c) => {
    param(`${p}.weight`, [c], Float32Array.from({ length: c }, (_, i) => 1 + 0.1 * Math.sin(i)));
    param(`${p}.bias`, [c], randomValues(c, 0.05, c));
  };
  param('conv1.weight', [64, 3, 7, 7], gaborFilters(64, 7, 12345));
  bn('bn1', 64);
  for (const b of [0, 1]) {
    param(`layer1.${b}.conv1.weight`, [64, 64, 3, 3]);
    bn(`layer1.${b}.bn1`, 64);
    param(`layer1.${b}.conv2.weight`, [64, 64, 3, 3]);
    bn(`layer1.${b}.bn2`, 64);
  }
  param('layer2.0.conv1.weight', [128, 64, 3, 3]);
  bn('layer2.0.bn1', 128);
  param('layer2.0.conv2.weight', [128, 128, 3, 3]);
  bn('layer2.0.bn2', 128);
  param('layer2.0.downsample.0.weight', [128, 64, 1, 1]);
  bn('layer2.0.downsample.1', 128);
  param('fc.weight', [1000, 512]);
  param('fc.bias', [1000], randomValues(1000, 0.05, 3));
  ckpt.buffers.set('encoder.rel_pos_bias', makeTensor([2, 4, 16, 16], relPosBias([2, 4, 16, 16]), false));
  fs.writeFileSync(file, serializeCheckpoint(ckpt));
}

/** GPT-2-small's embedding and first MLP (real names and shapes) as float32 .safetensors. */
function writeGpt2Safetensors(file) {
  const tensors = [
    ['wte.weight', [50257, 768], 0.1], ['wpe.weight', [1024, 768], 0.02],
    ['h.0.mlp.c_fc.weight', [768, 3072], 0.036], ['h.0.mlp.c_fc.bias', [3072], 0.05],
    ['h.0.mlp.c_proj.weight', [3072, 768], 0.018], ['h.0.mlp.c_proj.bias', [768], 0.05],
  ];
  const header = {};
  let offset = 0;
  for (const [name, shape] of tensors) {
    const bytes = numel(shape) * 4;
    header[name] = { dtype: 'F32', shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + json.length) % 8)) % 8);
  const fd = fs.openSync(file, 'w');
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  fs.writeSync(fd, len);
  fs.writeSync(fd, Buffer.from(json, 'utf8'));
  tensors.forEach(([name, shape, scale], i) => {
    const v = randomValues(numel(shape), scale, 1000 + i);
    // Token embeddings of frequent (low-index) tokens are larger in trained GPT-2: a gentle trend along the rows.
    if (name === 'wte.weight') for (let row = 0; row < shape[0]; row++) { const g = 1.6 - row / shape[0]; for (let c = 0; c < 768; c++) v[row * 768 + c] *= g; }
    fs.writeSync(fd, new Uint8Array(v.buffer));
  });
  fs.closeSync(fd);
}

/** Wait until the heatmap shows `param` painted, in `mode` ('heatmap' or 'rgb'). */
async function waitForPicture(ctx, frame, param, mode = 'heatmap') {
  await ctx.waitUntil(async () => (await frame.locator('body').getAttribute('data-heatmap-param')) === param
    && (await frame.locator('#heatmap-canvas').getAttribute('data-mode')) === mode
    && (await frame.locator('section.heatmap').getAttribute('aria-busy')) === null, `the ${mode} of ${param}`, 120000);
}

async function select(ctx, frame, param, mode) {
  const row = frame.locator(`.param-row[data-param="${param}"]`);
  await row.waitFor({ state: 'visible', timeout: 60000 });
  await row.click();
  await waitForPicture(ctx, frame, param, mode);
}

/** A screenshot of the editor's webview only (for the README), beside the usual full-window shot. */
async function webviewShot(ctx, name) {
  fs.mkdirSync(SCREENS, { recursive: true });
  await ctx.page.locator('iframe.webview.ready').first().screenshot({ path: path.join(SCREENS, `layout-${name}.png`) });
  await ctx.shot(name);
}

/** The distinct colours painted on the heatmap canvas, and how many of them are not grey. */
async function canvasColours(frame) {
  return frame.locator('#heatmap-canvas').evaluate((c) => {
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const colours = new Set();
    let chromatic = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] === 0) continue;
      colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      if (Math.max(data[i], data[i + 1], data[i + 2]) - Math.min(data[i], data[i + 1], data[i + 2]) > 40) chromatic++;
    }
    return { colours: colours.size, chromatic };
  });
}

/** Is the selected row inside the parameter list's visible box? */
async function selectedRowInView(frame) {
  return frame.locator('#param-list').evaluate((list) => {
    const row = list.querySelector('.param-row.selected');
    if (!row) return false;
    const r = row.getBoundingClientRect(), box = list.getBoundingClientRect();
    return r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
  });
}

/** Watch the webview's main thread for long tasks (printed, not asserted: the machine is shared). */
async function watchLongTasks(frame) {
  await frame.locator('body').evaluate(() => {
    window.__longTasks = [];
    // name: 'self' for this document's own work; other names are tasks of frames sharing its thread.
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push(`${e.name} ${Math.round(e.duration)}`); }).observe({ type: 'longtask' });
  });
}
const longTasks = (frame) => frame.locator('body').evaluate(() => window.__longTasks ?? []);

const THEMES = [['dark', 'Default Dark Modern'], ['light', 'Default Light Modern']];

export const scenarios = THEMES.flatMap(([theme, colorTheme]) => [
  {
    name: `ResNet-18 conv1 as a wrapped kernel grid and as RGB filters; a 4-D tensor as named facets; the selected row stays in view (${theme})`,
    settings: { 'files.autoSave': 'off', 'workbench.colorTheme': colorTheme },
    timeout: 300000,
    async run(ctx) {
      await writeResnetWeightsJson(ctx.wsPath('resnet18-head.weights.json'));
      const frame = await ctx.openInWeightscope('resnet18-head.weights.json');
      await select(ctx, frame, 'conv1.weight', 'heatmap');
      const bands = await frame.locator('.band-label.row-band').evaluateAll((els) => els.map((e) => e.dataset.band));
      if (!bands.includes('out 0–6') || !bands.includes('out 63')) throw new Error(`conv1 filter rows: ${JSON.stringify(bands)}`);
      const ins = await frame.locator('.band-label.col-band').evaluateAll((els) => els.map((e) => e.dataset.band));
      if (!ins.includes('in 0') || !ins.includes('in 2')) throw new Error(`conv1 input-channel labels: ${JSON.stringify(ins)}`);
      const note = await frame.locator('#reduction-note').innerText();
      if (!/64 filters in rows of 7/.test(note)) throw new Error(`conv1 note: ${note}`);
      const box = await frame.locator('#heatmap-canvas').boundingBox();
      if (!box || box.width < 500 || box.height < 180) throw new Error(`conv1 grid does not fill the panel: ${JSON.stringify(box)}`);
      await webviewShot(ctx, `conv1-kernels-${theme}`);

      // The same filters as RGB images.
      await frame.locator('#view-select').selectOption('rgb');
      await waitForPicture(ctx, frame, 'conv1.weight', 'rgb');
      const { chromatic } = await canvasColours(frame);
      if (chromatic < 500) throw new Error(`the RGB filters are not coloured (${chromatic} chromatic pixels)`);
      if (!(await frame.locator('.colour-bar').isHidden())) throw new Error('the colour bar shows in the RGB view');
      const rgbBox = await frame.locator('#heatmap-canvas').boundingBox();
      await ctx.page.mouse.move(rgbBox.x + rgbBox.width * 0.3, rgbBox.y + rgbBox.height * 0.4);
      await ctx.waitUntil(async () => /filter \d+, pixel/.test(await frame.locator('#hover-readout').innerText()), 'the RGB read-out');
      await ctx.page.mouse.move(rgbBox.x - 30, rgbBox.y - 30);
      await webviewShot(ctx, `conv1-rgb-${theme}`);
      await frame.locator('#view-select').selectOption('heatmap');
      await waitForPicture(ctx, frame, 'conv1.weight', 'heatmap');

      // A 4-D tensor that is no Conv2d weight: facets over its named dimensions.
      await select(ctx, frame, 'encoder.rel_pos_bias', 'heatmap');
      const rulers = await frame.locator('.band-label.ruler').evaluateAll((els) => els.map((e) => e.dataset.ruler));
      for (const want of ['dim 0', 'dim 1', 'dim 2', 'dim 3']) if (!rulers.includes(want)) throw new Error(`facet rulers ${JSON.stringify(rulers)} lack ${want}`);
      const caption = await frame.locator('#axis-caption').innerText();
      if (!/dim 0 \(2\)/.test(caption)) throw new Error(`facet caption: ${caption}`);
      await webviewShot(ctx, `facets-${theme}`);

      // A click moves the highlight and the keyboard's tab stop, and rebuilds no row (rebuilding
      // every row and thumbnail on a click was a 50–70 ms long task with GPT-2's 148 rows).
      await frame.locator('#param-list').evaluate((list) => { for (const row of list.children) row.__sameRow = true; });
      await select(ctx, frame, 'layer1.0.conv1.weight', 'heatmap');
      const rows = await frame.locator('#param-list').evaluate((list) => [...list.children].map((r) => ({
        name: r.dataset.param, kept: r.__sameRow === true, selected: r.classList.contains('selected'), aria: r.getAttribute('aria-selected'), tab: r.tabIndex,
      })));
      const rebuilt = rows.filter((r) => !r.kept).map((r) => r.name);
      if (rebuilt.length > 0) throw new Error(`a click rebuilt ${rebuilt.length} rows of the list (${rebuilt.slice(0, 3).join(', ')}…)`);
      const marked = rows.filter((r) => r.selected || r.aria === 'true' || r.tab === 0).map((r) => r.name);
      if (marked.join() !== 'layer1.0.conv1.weight') throw new Error(`selected, aria-selected or tab stop on ${JSON.stringify(marked)}`);

      // The selected row stays in view: select the last row after scrolling, then freeze it (an
      // edit re-renders the whole list).
      const last = frame.locator('.param-row[data-param="fc.bias"]');
      await last.scrollIntoViewIfNeeded();
      await select(ctx, frame, 'fc.bias', 'heatmap');
      await frame.locator('.param-row[data-param="fc.bias"] button.lock').click();
      await frame.locator('.param-row[data-param="fc.bias"] button.lock.is-frozen').waitFor({ state: 'visible', timeout: 30000 });
      if (!(await selectedRowInView(frame))) throw new Error('the selected row left the list\'s view after the list re-rendered');
      // Keyboard: Home then End (the last row is the buffer) moves the selection and the list follows it.
      await frame.locator('.param-row.selected').focus();
      await ctx.page.keyboard.press('Home');
      await waitForPicture(ctx, frame, 'conv1.weight');
      if (!(await selectedRowInView(frame))) throw new Error('Home: the first row is not in view');
      await ctx.page.keyboard.press('End');
      await ctx.waitUntil(async () => (await frame.locator('.param-row.selected').getAttribute('data-param')) === 'encoder.rel_pos_bias', 'End selects the last row (the buffer)');
      if (!(await selectedRowInView(frame))) throw new Error('End: the last row is not in view');
    },
  },
  {
    name: `GPT-2's wte [50257, 768] folded into labelled row blocks that fill the panel; compact histogram counts (${theme})`,
    settings: { 'files.autoSave': 'off', 'workbench.colorTheme': colorTheme },
    timeout: 420000,
    async run(ctx) {
      writeGpt2Safetensors(ctx.wsPath('gpt2-head.safetensors'));
      const frame = await ctx.openInWeightscope('gpt2-head.safetensors');
      await frame.locator('.param-row[data-param="wte.weight"]').waitFor({ state: 'visible', timeout: 60000 });
      await watchLongTasks(frame);
      await select(ctx, frame, 'wte.weight', 'heatmap');
      console.log(`     long tasks on the webview's main thread while wte.weight was shown (ms): ${JSON.stringify(await longTasks(frame))}`);
      const blocks = await frame.locator('.band-label.col-band').evaluateAll((els) => els.map((e) => e.dataset.band));
      if (!blocks.includes('rows 0–4568') || !blocks.includes('rows 45690–50256')) throw new Error(`wte row blocks: ${JSON.stringify(blocks)}`);
      const note = await frame.locator('#reduction-note').innerText();
      if (!/Folded: the 50257 rows are cut into 11 blocks of 4569/.test(note)) throw new Error(`wte note: ${note}`);
      const box = await frame.locator('#heatmap-canvas').boundingBox();
      if (!box || box.width < 500 || box.height < 200) throw new Error(`wte does not fill the panel: ${JSON.stringify(box)}`);
      // The histogram's count axis: compact labels such as 1.2M, never a clipped "0,000".
      await ctx.waitUntil(async () => ((await frame.locator('#histogram-plot').getAttribute('data-count-labels')) ?? '').length > 0, 'the histogram of wte.weight');
      const counts = JSON.parse(await frame.locator('#histogram-plot').getAttribute('data-count-labels'));
      if (!counts.some((c) => /^\d+(\.\d)?[kM]$/.test(c)) || counts.some((c) => c.includes(','))) throw new Error(`histogram count labels: ${JSON.stringify(counts)}`);
      await webviewShot(ctx, `wte-${theme}`);
      await frame.locator('#histogram-plot').scrollIntoViewIfNeeded();
      await webviewShot(ctx, `wte-histogram-${theme}`);
      await frame.locator('#detail').evaluate((d) => d.scrollIntoView({ block: 'start' }));

      await select(ctx, frame, 'h.0.mlp.c_proj.weight', 'heatmap');
      const cproj = await frame.locator('.band-label.col-band').evaluateAll((els) => els.map((e) => e.dataset.band));
      if (cproj.join() !== 'rows 0–1023,rows 1024–2047,rows 2048–3071') throw new Error(`c_proj blocks: ${JSON.stringify(cproj)}`);
      // The click's picture is fitted to the plot (2.4M elements would be a 9.4 MB message); zooming
      // in past it brings the whole tensor, the zoom kept.
      const canvas = frame.locator('#heatmap-canvas');
      if ((await canvas.getAttribute('data-sent')) !== 'fitted') throw new Error(`c_proj's first picture was sent ${await canvas.getAttribute('data-sent')}, not fitted to the plot`);
      const cbox = await canvas.boundingBox();
      await ctx.page.mouse.move(cbox.x + cbox.width * 0.4, cbox.y + cbox.height * 0.5);
      for (let i = 0; i < 5; i++) { await ctx.page.mouse.wheel(0, -400); await ctx.sleep(30); }
      await ctx.waitUntil(async () => (await canvas.getAttribute('data-sent')) === 'whole', 'the whole c_proj.weight after zooming in', 60000);
      // The webview keeps at most 1024 cells a side: 1024 × 2306 layout cells are 1 × 3 blocks at most zoom.
      await ctx.waitUntil(async () => (await frame.locator('#reduction-note').getAttribute('data-row-factor')) === '1'
        && (await frame.locator('#reduction-note').getAttribute('data-col-factor')) === '3', 'the finest blocks the webview keeps at that zoom', 30000);
      await ctx.page.mouse.move(cbox.x + cbox.width * 0.4 + 3, cbox.y + cbox.height * 0.5 + 3);
      await ctx.waitUntil(async () => /h\.0\.mlp\.c_proj\.weight\[\d+, \d+\] = -?\d/.test(await frame.locator('#hover-readout').innerText()), 'an exact read-out at that zoom', 30000);
      await webviewShot(ctx, `cproj-zoomed-${theme}`);
      await select(ctx, frame, 'h.0.mlp.c_fc.bias', 'heatmap');
      if (!/Wrapped: 64 elements per row/.test(await frame.locator('#reduction-note').innerText())) throw new Error('c_fc.bias is not wrapped into rows of 64');
      await webviewShot(ctx, `wrapped-bias-${theme}`);
    },
  },
]);
