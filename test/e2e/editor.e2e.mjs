// The Weightscope custom editor (issue 4) in a real VS Code: the examples' parameter rows and
// totals, heatmap pixels that follow the signs of known weights, hover read-outs, the Conv2d kernel
// grid and the LSTM gate labels, the freeze lock as an undoable edit saved to disk, hot exit across
// a window reload, outside changes to the file (clean and dirty), and the error view of a
// malformed file. Screenshots in dark and light themes.
// Fixtures: examples/ and test/fixtures/e2e-ws/editor-*.weights.json. Shape: see test/README.md.
import fs from 'node:fs';
import path from 'node:path';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const numel = (shape) => shape.reduce((a, b) => a * b, 1);

/** Open `file` and wait until the webview lists `param`; returns the webview frame. */
async function openEditor(ctx, file, param) {
  const frame = await ctx.openInWeightscope(file);
  await frame.locator(`.param-row[data-param="${param}"]`).waitFor({ state: 'visible', timeout: 60000 });
  return frame;
}

/** Wait until the heatmap shows `param` (its values arrived and were painted). */
async function waitForHeatmap(ctx, frame, param) {
  await ctx.waitUntil(async () => (await frame.locator('body').getAttribute('data-heatmap-param')) === param, `the heatmap of ${param}`, 30000);
  await frame.locator('#heatmap-canvas').waitFor({ state: 'visible' });
}

/** Click `param`'s row and wait until its heatmap is painted. */
async function selectParam(ctx, frame, param) {
  await frame.locator(`.param-row[data-param="${param}"]`).click();
  await waitForHeatmap(ctx, frame, param);
}

/** Move the mouse over the heatmap on a grid of points; for each cell hit, the read-out and the pixel colour. */
async function sampleHeatmap(ctx, frame, steps = 14) {
  const canvas = frame.locator('#heatmap-canvas');
  const box = await canvas.boundingBox();
  if (!box) throw new Error('heatmap canvas has no box');
  const samples = [];
  for (let i = 0; i < steps; i++) {
    for (let j = 0; j < steps; j++) {
      const x = 60 + ((box.width - 64) * (j + 0.5)) / steps, y = 26 + ((box.height - 28) * (i + 0.5)) / steps;
      await ctx.page.mouse.move(box.x + x, box.y + y);
      const value = frame.locator('#hover-value');
      if (!(await value.count())) continue;
      const flat = await value.getAttribute('data-flat');
      const read = await value.getAttribute('data-value');
      const index = await value.getAttribute('data-index');
      const text = await value.innerText();
      const readout = await frame.locator('#hover-readout').innerText();
      // The colour at the hovered cell's centre (clear of the hover outline drawn on its border).
      const rgb = await canvas.evaluate((c) => {
        const [cx, cy] = (c.dataset.hoverCentre ?? '').split(',').map(Number);
        const r = c.getBoundingClientRect(), s = c.width / r.width;
        return Array.from(c.getContext('2d').getImageData(Math.floor(cx * s), Math.floor(cy * s), 1, 1).data);
      });
      samples.push({ flat: Number(flat), value: Number(read), index, text, readout, rgb });
    }
  }
  return samples;
}

async function lockOf(frame, param) {
  return frame.locator(`.param-row[data-param="${param}"] button.lock`);
}

async function undoRedo(ctx, which) {
  // Focus the editor tab (not the webview's inner document), then the workbench's own undo/redo.
  await ctx.page.locator('.tabs-container .tab.active').first().click();
  await ctx.page.keyboard.press(which === 'undo' ? 'Control+Z' : 'Control+Shift+Z');
}

/** The README picture (copied to media/screenshots/ with UPDATE_SCREENSHOTS=1): side bar hidden, a cell hovered, the parameter list and heatmap in view. */
async function readmeShot(ctx, frame, param, name, target) {
  await ctx.runCommand('View: Toggle Primary Side Bar Visibility');
  await sleep(800);
  await selectParam(ctx, frame, param);
  await frame.locator('.workspace').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  const box = await frame.locator('#heatmap-canvas').boundingBox();
  if (box) await ctx.page.mouse.move(box.x + box.width * 0.55, box.y + box.height * 0.35);
  await sleep(500);
  copyScreenshot(await ctx.shot(name), target);
}

/** Refresh the README's pictures only when asked (UPDATE_SCREENSHOTS=1), so test runs leave the tree clean. */
function copyScreenshot(file, target) {
  if (!process.env.UPDATE_SCREENSHOTS) return;
  const dest = path.join(process.cwd(), 'media', 'screenshots', target);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.copyFileSync(file, dest);
}

/** VS Code in the browser auto-saves after a delay by default; the desktop does not. These scenarios
 *  check dirty markers, undo and hot exit, so they run with the desktop default. */
const DESKTOP = { 'files.autoSave': 'off' };

const BROKEN = JSON.stringify({
  format: 'weights.json', version: 1,
  parameters: { 'fc1.weight': { shape: [2, 3], dtype: 'float32', data: [[1, 2], [3, 4]] } },
}, null, 1);

export const scenarios = [
  {
    name: 'MLP example: parameter rows with shapes, totals, layer table, and a screenshot (dark)',
    settings: { ...DESKTOP, 'workbench.colorTheme': 'Default Dark Modern' },
    async run(ctx) {
      const file = 'mlp-spiral.weights.json';
      const json = JSON.parse(ctx.readFileFromDisk(file));
      const frame = await openEditor(ctx, file, 'fc1.weight');
      for (const [name, t] of Object.entries(json.parameters)) {
        const row = frame.locator(`.param-row[data-param="${name}"]`);
        const shape = await row.locator('.shape').innerText();
        if (shape !== `[${t.shape.join(', ')}]`) throw new Error(`${name}: row shows shape ${shape}, file has [${t.shape}]`);
      }
      const total = Object.values(json.parameters).reduce((a, t) => a + numel(t.shape), 0);
      const shown = (await frame.locator('[data-total="total"] .card-value').innerText()).replace(/\D/g, '');
      if (Number(shown) !== total) throw new Error(`total shows ${shown}, file has ${total}`);
      const layerRows = await frame.locator('#layer-table tbody tr').count();
      if (layerRows !== json.model.layers.length) throw new Error(`layer table has ${layerRows} rows, model ${json.model.layers.length}`);
      const outShape = await frame.locator('#layer-table tr[data-layer="fc3"] td').nth(4).innerText();
      if (outShape !== '[3]') throw new Error(`fc3 output shape shows ${outShape}`);
      await waitForHeatmap(ctx, frame, 'fc1.weight');
      await selectParam(ctx, frame, 'fc2.weight');
      await frame.locator('#histogram-plot canvas').first().waitFor({ state: 'visible' });
      await frame.locator('#stats [data-stat="l2"] dd').waitFor();
      // Keyboard: arrow down moves the selection to the next row.
      await frame.locator('.param-row[data-param="fc2.weight"]').focus();
      await ctx.page.keyboard.press('ArrowDown');
      await ctx.waitUntil(async () => (await frame.locator('.param-row.selected').getAttribute('data-param')) === 'fc2.bias', 'ArrowDown to select fc2.bias');
      await ctx.page.keyboard.press('ArrowUp');
      await waitForHeatmap(ctx, frame, 'fc2.weight');
      const samples = await sampleHeatmap(ctx, frame, 6);
      if (samples.length < 5) throw new Error(`hover read ${samples.length} cells`);
      const bg = await frame.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor);
      if (bg.match(/\d+/g).slice(0, 3).map(Number).reduce((a, b) => a + b) > 200) throw new Error(`dark theme body background is ${bg}`);
      await readmeShot(ctx, frame, 'fc2.weight', 'mlp-dark', 'editor-dark.png');
    },
  },
  {
    name: 'MLP example in the light theme (screenshot)',
    settings: { ...DESKTOP, 'workbench.colorTheme': 'Default Light Modern' },
    async run(ctx) {
      const frame = await openEditor(ctx, 'mlp-spiral.weights.json', 'fc1.weight');
      await selectParam(ctx, frame, 'fc2.weight');
      await frame.locator('#histogram-plot canvas').first().waitFor({ state: 'visible' });
      const bg = await frame.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor);
      const [r, g, b] = bg.match(/\d+/g).map(Number);
      if (r + g + b < 600) throw new Error(`light theme body background is ${bg}`);
      await readmeShot(ctx, frame, 'fc2.weight', 'mlp-light', 'editor-light.png');
    },
  },
  {
    name: 'heatmap pixels follow the signs of known weights; hovering a cell reads its exact value',
    settings: DESKTOP,
    async run(ctx) {
      const frame = await openEditor(ctx, 'editor-signs.weights.json', 'fc1.weight');
      await waitForHeatmap(ctx, frame, 'fc1.weight');
      const samples = await sampleHeatmap(ctx, frame);
      // fc1.weight[r][c] = (r odd ? -1 : +1) * (1 + c) / 4
      const expected = (idx) => { const [r, c] = idx.split(',').map(Number); return (r % 2 ? -1 : 1) * (1 + c) / 4; };
      const pos = samples.filter((s) => s.value > 0), neg = samples.filter((s) => s.value < 0);
      if (pos.length < 3 || neg.length < 3) throw new Error(`too few cells sampled: ${pos.length} positive, ${neg.length} negative`);
      for (const s of samples) {
        if (Math.abs(s.value - expected(s.index)) > 1e-7) throw new Error(`cell [${s.index}] reads ${s.value}, expected ${expected(s.index)}`);
        const [r, , b] = s.rgb;
        if (s.value > 0 && !(r > b + 40)) throw new Error(`positive weight [${s.index}] = ${s.value} painted ${s.rgb} (not red)`);
        if (s.value < 0 && !(b > r + 40)) throw new Error(`negative weight [${s.index}] = ${s.value} painted ${s.rgb} (not blue)`);
      }
      const one = samples.find((s) => s.index === '1,3');
      if (one && !one.text.includes('fc1.weight[1, 3] = -1.0')) throw new Error(`read-out of [1, 3]: ${one.text}`);
      // A bias: a strip of 6 values.
      await selectParam(ctx, frame, 'fc1.bias');
      const text = await frame.locator('#explanation').innerText();
      if (!/bias/i.test(text)) throw new Error(`bias explanation: ${text}`);
    },
  },
  {
    name: 'Conv2d shows a labelled grid of kernels; LSTM shows the gate blocks i, f, g, o',
    settings: DESKTOP,
    async run(ctx) {
      let frame = await openEditor(ctx, 'editor-conv.weights.json', 'conv1.weight');
      await waitForHeatmap(ctx, frame, 'conv1.weight');
      const labels = await frame.locator('.band-label').allInnerTexts();
      for (const want of ['out 0–1', 'out 2', 'in 0', 'in 1']) if (!labels.includes(want)) throw new Error(`conv labels ${JSON.stringify(labels)} lack ${want}`);
      const samples = await sampleHeatmap(ctx, frame, 8);
      if (!samples.some((s) => /kernel out \d, in \d, position \(\d, \d\)/.test(s.readout))) {
        throw new Error(`kernel read-out missing: ${JSON.stringify(samples.slice(0, 3).map((s) => s.readout))}`);
      }
      await ctx.shot('conv');
      frame = await openEditor(ctx, 'cnn-digits.weights.json', 'conv1.weight');
      await waitForHeatmap(ctx, frame, 'conv1.weight');
      frame = await openEditor(ctx, 'editor-lstm.weights.json', 'lstm.weight_ih_l0');
      await waitForHeatmap(ctx, frame, 'lstm.weight_ih_l0');
      const gates = await frame.locator('.band-label.row-band').allInnerTexts();
      if (gates.join() !== 'i,f,g,o') throw new Error(`LSTM gate labels: ${JSON.stringify(gates)}`);
      const expl = await frame.locator('#explanation').innerText();
      if (!/forget gate/.test(expl)) throw new Error(`LSTM explanation: ${expl}`);
      await selectParam(ctx, frame, 'lstm.bias_hh_l0');
      const biasGates = await frame.locator('.band-label.col-band').allInnerTexts();
      if (biasGates.join() !== 'i,f,g,o') throw new Error(`LSTM bias gate labels: ${JSON.stringify(biasGates)}`);
      await ctx.shot('lstm');
    },
  },
  {
    name: 'freeze lock: dirty, undo, redo, save writes requires_grad to disk',
    settings: DESKTOP,
    async run(ctx) {
      const file = 'editor-signs.weights.json';
      const frame = await openEditor(ctx, file, 'fc1.weight');
      const lock = await lockOf(frame, 'fc1.weight');
      if ((await lock.getAttribute('aria-pressed')) !== 'false') throw new Error('fc1.weight should start trainable');
      await lock.click();
      await ctx.waitForDirtyTab(file);
      await ctx.waitUntil(async () => (await lockOf(frame, 'fc1.weight').then((l) => l.getAttribute('aria-pressed'))) === 'true', 'the lock to show frozen');
      const frozenCard = (await frame.locator('[data-total="frozen"] .card-value').innerText()).replace(/\D/g, '');
      if (frozenCard !== String(24 + 2)) throw new Error(`frozen total shows ${frozenCard}, expected 26 (fc1.weight + the already frozen fc2.bias)`);
      await undoRedo(ctx, 'undo');
      await ctx.waitUntil(async () => (await (await lockOf(frame, 'fc1.weight')).getAttribute('aria-pressed')) === 'false', 'undo to unfreeze');
      await undoRedo(ctx, 'redo');
      await ctx.waitUntil(async () => (await (await lockOf(frame, 'fc1.weight')).getAttribute('aria-pressed')) === 'true', 'redo to freeze');
      await ctx.save();
      await ctx.waitUntil(() => JSON.parse(ctx.readFileFromDisk(file)).parameters['fc1.weight'].requires_grad === false, 'requires_grad false on disk');
      await ctx.page.locator('.tabs-container .tab.dirty').first().waitFor({ state: 'detached', timeout: 20000 });
      // Keyboard: the selected row's lock is a real button (Enter toggles it).
      await (await lockOf(frame, 'fc1.weight')).focus();
      await ctx.page.keyboard.press('Enter');
      await ctx.waitForDirtyTab(file);
    },
  },
  {
    name: 'hot exit: reload the window with unsaved changes and they come back, dirty',
    settings: DESKTOP,
    async run(ctx) {
      const file = 'editor-signs.weights.json';
      let frame = await openEditor(ctx, file, 'fc2.weight');
      await (await lockOf(frame, 'fc2.weight')).click();
      await ctx.waitForDirtyTab(file);
      await sleep(2500); // VS Code writes working-copy backups shortly after a change
      await ctx.runCommand('Developer: Reload Window');
      await ctx.page.waitForSelector('.monaco-workbench', { timeout: 90000 });
      await ctx.waitForDirtyTab(file, 60000);
      frame = ctx.webviewFrame();
      await frame.locator('.param-row[data-param="fc2.weight"]').waitFor({ state: 'visible', timeout: 60000 });
      await ctx.waitUntil(async () => (await (await lockOf(frame, 'fc2.weight')).getAttribute('aria-pressed')) === 'true', 'the restored frozen lock');
      if (JSON.parse(ctx.readFileFromDisk(file)).parameters['fc2.weight'].requires_grad !== true) throw new Error('the file on disk changed without a save');
    },
  },
  {
    name: 'changed on disk: reloads silently while clean; while dirty asks — Keep mine keeps the edit, Reload takes the file',
    settings: DESKTOP,
    async run(ctx) {
      const file = 'editor-signs.weights.json';
      const frame = await openEditor(ctx, file, 'fc1.weight');
      const pressed = async (param) => (await lockOf(frame, param)).getAttribute('aria-pressed');
      const onDisk = () => JSON.parse(ctx.readFileFromDisk(file));
      const writeWith = (edit) => { const d = onDisk(); edit(d.parameters); ctx.writeFileToDisk(file, JSON.stringify(d, null, 1)); };
      const answer = async (button) => {
        const toast = ctx.page.locator('.notifications-toasts .notification-list-item', { hasText: 'changed on disk' }).first();
        await toast.waitFor({ state: 'visible', timeout: 30000 });
        await toast.locator('.monaco-button', { hasText: button }).first().click();
        await toast.waitFor({ state: 'hidden', timeout: 10000 });
      };
      // Clean: another program freezes fc1.weight; the editor follows without asking. The write is
      // repeated while unseen: right after the window opens, the workspace's file watcher may not
      // be running yet, and VS Code then misses the change (as it would for any extension).
      for (let attempt = 1; ; attempt++) {
        writeWith((p) => { p['fc1.weight'].requires_grad = false; });
        try {
          await ctx.waitUntil(async () => (await pressed('fc1.weight')) === 'true', 'the editor to reload the clean document', 10000);
          break;
        } catch (e) {
          if (attempt === 4) throw e;
        }
      }
      if (await ctx.page.locator('.tabs-container .tab.dirty').count()) throw new Error('a silent reload left the tab dirty');
      // Dirty (fc2.weight frozen here, unsaved), then the file changes again: the user is asked.
      await (await lockOf(frame, 'fc2.weight')).click();
      await ctx.waitForDirtyTab(file);
      writeWith((p) => { p['fc1.bias'].requires_grad = false; });
      await answer('Keep mine');
      await sleep(1000);
      if ((await pressed('fc2.weight')) !== 'true' || (await pressed('fc1.bias')) !== 'false') throw new Error('Keep mine did not keep the unsaved edit as it was');
      await ctx.waitForDirtyTab(file);
      writeWith((p) => { p['fc1.bias'].requires_grad = true; p['fc1.weight'].requires_grad = true; });
      await answer('Reload and lose your changes');
      await ctx.waitUntil(async () => (await pressed('fc2.weight')) === 'false' && (await pressed('fc1.weight')) === 'false', 'the editor to show the file as on disk');
      await ctx.page.locator('.tabs-container .tab.dirty').first().waitFor({ state: 'detached', timeout: 20000 });
      if (onDisk().parameters['fc2.weight'].requires_grad !== true) throw new Error('reloading wrote the discarded edit');
    },
  },
  {
    name: 'a malformed file shows the error view with the message; the extension keeps working',
    settings: DESKTOP,
    files: { 'broken.weights.json': BROKEN },
    async run(ctx) {
      const frame = await ctx.openInWeightscope('broken.weights.json');
      const msg = frame.locator('#error-message');
      await msg.waitFor({ state: 'visible', timeout: 60000 });
      const text = await msg.innerText();
      if (!/broken\.weights\.json: fc1\.weight: .*\[2, 3\]/.test(text)) throw new Error(`error message: ${text}`);
      await frame.locator('#open-as-text').waitFor({ state: 'visible' });
      await ctx.shot('error-view');
      await frame.locator('#open-as-text').click();
      await ctx.page.locator('.editor-group-container.active .monaco-editor .view-lines').first().waitFor({ state: 'visible', timeout: 30000 });
      await openEditor(ctx, 'editor-conv.weights.json', 'conv1.weight');
    },
  },
  {
    name: 'the weightscope.heatmap.colormap setting picks the starting colour map (magnitude → viridis)',
    settings: { ...DESKTOP, 'weightscope.heatmap.colormap': 'magnitude' },
    async run(ctx) {
      const frame = await openEditor(ctx, 'editor-signs.weights.json', 'fc1.weight');
      await selectParam(ctx, frame, 'fc1.weight');
      await ctx.waitUntil(async () => (await frame.locator('#colormap-select').inputValue()) === 'magnitude', 'the magnitude colour map from the setting');
      const ticks = await frame.locator('.colour-bar').innerText();
      if (!/\|w\|/.test(ticks)) throw new Error(`colour bar not in magnitude terms: ${ticks}`);
    },
  },
];
