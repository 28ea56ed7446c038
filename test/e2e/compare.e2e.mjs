// The compare view (issue 15) in a real VS Code: two checkpoints selected in the Explorer and
// compared with "Compare Selected Checkpoints" fill the table (most changed first) and paint A, B
// and Δ; hovering a cell outlines it in all three and reads both values, hovering a ranked neuron
// outlines its row; "Compare with Saved" compares an editor's unsaved edit with its file; a
// training run's notification opens its before/after; "Compare with…" from the palette flags a
// structural diff; a tensor too large to send whole is reduced on Δ's most changed elements.
// Screenshots of a fine-tuning diff in the dark and light themes (copied to media/screenshots/
// with UPDATE_SCREENSHOTS=1).
// Fixtures: test/fixtures/compare-ws/ (the digits CNN and a copy trained 5 more epochs; make.sh),
// test/fixtures/diff/ (the CLI's PyTorch-made pairs); the large pair is written at test time.
import fs from 'node:fs';
import path from 'node:path';

const WS = ['test/fixtures/compare-ws'];
const BASE = 'digits-base.weights.json', TUNED = 'digits-finetuned.weights.json';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** A single click in the Explorer selects, a double click opens (see compareSelected). */
const SELECT_ON_CLICK = { 'workbench.list.openMode': 'doubleClick' };

/**
 * Select BASE then TUNED in the Explorer and run the context menu's "Compare Selected Checkpoints".
 * The scenarios open files with a double click (single click only selects), so no editor opening
 * meanwhile makes the Explorer reveal it and replace the selection.
 */
async function compareSelected(ctx, fileA = BASE, fileB = TUNED) {
  const rows = ctx.page.locator('.explorer-folders-view .monaco-list-row');
  const base = rows.filter({ hasText: fileA }).first(), tuned = rows.filter({ hasText: fileB }).first();
  await base.waitFor({ state: 'visible', timeout: 30000 });
  for (let attempt = 1; ; attempt++) {
    await base.click();
    await tuned.click({ modifiers: ['Control'] });
    await ctx.waitUntil(async () => (await ctx.page.locator('.explorer-folders-view .monaco-list-row.selected').count()) === 2, 'two files selected in the Explorer');
    await tuned.click({ button: 'right' });
    const item = ctx.page.locator('.monaco-menu .action-item', { hasText: 'Compare Selected Checkpoints' }).first();
    if (await item.waitFor({ state: 'visible', timeout: 10000 }).then(() => true, () => false)) {
      // The menu sometimes takes a click while it is still fading in and stays open: then the
      // hovered item is run with Enter.
      await item.locator('.action-label').click();
      const closed = await item.waitFor({ state: 'hidden', timeout: 3000 }).then(() => true, () => false);
      if (!closed) {
        await item.hover();
        await ctx.page.keyboard.press('Enter');
      }
      return;
    }
    if (attempt === 3) throw new Error('the Explorer\'s context menu of two selected checkpoints has no "Compare Selected Checkpoints"');
    await ctx.page.keyboard.press('Escape');
  }
}

/** A .safetensors file of one float32 tensor `w` of `shape` (the format's layout: u64 header length, JSON header, data). */
/** A one-tensor .safetensors file's bytes (tensor "w", float32). */
function safetensorsBytes(shape, values) {
  const header = Buffer.from(JSON.stringify({ w: { dtype: 'F32', shape, data_offsets: [0, values.byteLength] } }));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(header.length));
  return Buffer.concat([len, header, Buffer.from(values.buffer, values.byteOffset, values.byteLength)]);
}

/** The 2100 × 2100 pair: B is A with one weight moved by 4 and a sprinkle of small changes. */
function bigPair() {
  const rows = 2100, cols = 2100;
  const a = new Float32Array(rows * cols).map((_, i) => Math.sin(i) * 0.5);
  const b = Float32Array.from(a);
  b[1500 * cols + 900] += 4; // one weight moved far: its block must show it, not an average
  for (let i = 0; i < b.length; i += 97) b[i] += 0.01;
  return { 'big-a.safetensors': safetensorsBytes([rows, cols], a), 'big-b.safetensors': safetensorsBytes([rows, cols], b) };
}

/** The compare view's frame once its table has every row. */
async function comparedFrame(ctx, expectRows) {
  await ctx.waitUntil(async () => (await ctx.page.locator('.tabs-container .tab', { hasText: '↔' }).count()) > 0, 'the compare tab');
  const frame = ctx.webviewFrame();
  await frame.locator('#compare-table').waitFor({ state: 'attached', timeout: 60000 });
  await ctx.waitUntil(async () => (await frame.locator('body').getAttribute('data-compare-done')) === 'true', 'the comparison to finish', 60000);
  const n = await frame.locator('#compare-table tbody tr').count();
  if (n !== expectRows) throw new Error(`the table has ${n} rows, expected ${expectRows}`);
  return frame;
}

/** Number of distinct opaque colours in a canvas. */
const colours = (canvas) => canvas.evaluate((c) => {
  const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  const seen = new Set();
  for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
  return seen.size;
});

async function selectTensor(ctx, frame, name) {
  await frame.locator(`#compare-table tr[data-name="${name}"]`).click();
  await ctx.waitUntil(async () => (await frame.locator('body').getAttribute('data-pair')) === name, `the pictures of ${name}`, 30000);
  const delta = frame.locator('#compare-delta');
  await delta.waitFor({ state: 'visible' });
  await ctx.waitUntil(async () => (await colours(delta)) > 2, `a painted Δ heatmap of ${name}`);
}

/** Refresh the README's picture only when asked, so test runs leave the tree clean. */
function keepScreenshot(file, target) {
  if (!process.env.UPDATE_SCREENSHOTS) return;
  const dest = path.join(process.cwd(), 'media', 'screenshots', target);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.copyFileSync(file, dest);
}

/** Side bar hidden, the detail in view, a cell hovered: the README's picture. */
async function readmeShot(ctx, frame, name, target, at = (box) => ({ x: box.x + box.width * 0.62, y: box.y + box.height * 0.4 })) {
  await ctx.runCommand('View: Toggle Primary Side Bar Visibility');
  await sleep(800);
  await selectTensor(ctx, frame, name);
  const box = await frame.locator('#compare-delta').boundingBox();
  if (box) { const p = at(box); await ctx.page.mouse.move(p.x, p.y); }
  await sleep(600);
  keepScreenshot(await ctx.shot(target.replace('.png', '')), target);
}

export const scenarios = [
  {
    name: 'Compare Selected on two checkpoints in the Explorer: the table, a painted Δ, hover in all three (dark)',
    workspace: WS,
    settings: { ...SELECT_ON_CLICK, 'workbench.colorTheme': 'Default Dark Modern' },
    timeout: 240000,
    async run(ctx) {
      await compareSelected(ctx);
      const frame = await comparedFrame(ctx, 4);
      const summary = JSON.parse(await frame.locator('body').getAttribute('data-summary'));
      if (summary.changed !== 4 || summary.same !== 0) throw new Error(`summary ${JSON.stringify(summary)}: every tensor was trained`);
      const statuses = await frame.locator('#compare-table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.status));
      // Most changed first: the relative changes in the table never increase down the rows.
      if (statuses.some((s) => s !== 'changed')) throw new Error(`statuses ${statuses}`);
      const rel = (await frame.locator('#compare-table tbody tr td.rel .rel-value').allInnerTexts()).map(parseFloat);
      if (rel.some((r, i) => i > 0 && r > rel[i - 1])) throw new Error(`relative changes ${rel} are not most changed first`);
      await selectTensor(ctx, frame, 'fc.weight');
      for (const id of ['#compare-a', '#compare-b']) {
        if ((await colours(frame.locator(id))) <= 2) throw new Error(`${id} is not painted`);
      }
      // Hover a cell of Δ: the read-out gives A, B and Δ of one element, and all three outline it.
      const box = await frame.locator('#compare-delta').boundingBox();
      await ctx.page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5);
      const hover = frame.locator('#compare-hover');
      await hover.waitFor({ state: 'visible', timeout: 10000 });
      const [a, b, d] = await Promise.all(['data-a', 'data-b', 'data-delta'].map((k) => hover.getAttribute(k).then(Number)));
      if (!(Math.abs(b - a - d) <= 1e-5 * Math.max(1, Math.abs(a), Math.abs(b)))) throw new Error(`read-out A=${a} B=${b} Δ=${d}: Δ is not B − A`);
      for (const id of ['#compare-a', '#compare-b', '#compare-delta']) {
        if (!(await frame.locator(id).getAttribute('data-hover-centre'))) throw new Error(`${id} does not outline the hovered cell`);
      }
      // Ranked units: the ten output neurons of fc, most changed first, and the overlaid histograms.
      const units = await frame.locator('#unit-bars .unit-row').count();
      if (units !== 10) throw new Error(`${units} ranked neurons, fc has 10`);
      // Hovering the most changed neuron outlines its row in the three heatmaps.
      const top = frame.locator('#unit-bars .unit-row').first();
      const idx = Number(await top.getAttribute('data-unit'));
      await top.hover();
      for (const id of ['#compare-a', '#compare-b', '#compare-delta']) {
        await ctx.waitUntil(async () => (await frame.locator(id).getAttribute('data-unit-span')) === `rows:${idx}-${idx + 1}`, `output neuron ${idx} outlined in ${id}`, 10000);
      }
      await frame.locator('#compare-histogram-plot canvas').first().waitFor({ state: 'visible' });
      // Conv2d: kernels laid out as in the editor.
      await selectTensor(ctx, frame, 'conv1.weight');
      await readmeShot(ctx, frame, 'fc.weight', 'compare-dark.png');
    },
  },
  {
    name: 'the fine-tuning diff in the light theme (screenshot)',
    workspace: WS,
    settings: { ...SELECT_ON_CLICK, 'workbench.colorTheme': 'Default Light Modern' },
    timeout: 240000,
    async run(ctx) {
      await compareSelected(ctx);
      const frame = await comparedFrame(ctx, 4);
      const bg = await frame.locator('body').evaluate((el) => getComputedStyle(el).backgroundColor);
      if (bg.match(/\d+/g).slice(0, 3).map(Number).reduce((x, y) => x + y) < 600) throw new Error(`light theme body background is ${bg}`);
      // A cell of the second kernel (out 1): past the 40 px of row labels and the 16 px of column labels.
      await readmeShot(ctx, frame, 'conv1.weight', 'compare-light.png', (box) => ({ x: box.x + 40 + (box.height - 16) / 15 * 1.5, y: box.y + 16 + (box.height - 16) / 15 * 5.5 }));
    },
  },
  {
    name: 'Compare with Saved: an unsaved weight-decay step against the file on disk',
    workspace: WS,
    settings: { 'files.autoSave': 'off' },
    timeout: 240000,
    async run(ctx) {
      const editor = await ctx.openInWeightscope(BASE);
      await editor.locator('.param-row[data-param="fc.weight"]').waitFor({ state: 'visible', timeout: 60000 });
      await ctx.runCommand('Weightscope: Apply Weight Decay…');
      await ctx.answerQuickPick('Apply one decay step now');
      await ctx.answerInputBox('0.1', { prompt: 'Weight decay' });
      await ctx.answerInputBox('1', { prompt: 'Step size' });
      await ctx.waitForDirtyTab(BASE);
      await ctx.runCommand('Weightscope: Compare with Saved');
      const frame = await comparedFrame(ctx, 4);
      const summary = JSON.parse(await frame.locator('body').getAttribute('data-summary'));
      if (summary.changed !== 4) throw new Error(`summary ${JSON.stringify(summary)}: the decay step changed every trainable tensor`);
      const labelB = await frame.locator('#label-b').innerText();
      if (!/unsaved/.test(labelB)) throw new Error(`B is labelled ${labelB}`);
      // The relative change of every tensor is the decay factor's: ‖0.9·w − w‖ / ‖w‖ = 10%.
      const rel = await frame.locator('#compare-table tbody tr td.rel .rel-value').allInnerTexts();
      if (rel.some((r) => r !== '10%')) throw new Error(`relative changes ${rel}, expected 10% each`);
      await selectTensor(ctx, frame, 'conv1.weight');
      await ctx.shot('compare-with-saved');
    },
  },
  {
    name: 'after a training run, the notification\'s "Compare before/after" shows what the run changed',
    workspace: WS,
    settings: { 'files.autoSave': 'off' },
    timeout: 240000,
    async run(ctx) {
      const editor = await ctx.openInWeightscope(BASE);
      await editor.locator('.param-row[data-param="fc.weight"]').waitFor({ state: 'visible', timeout: 60000 });
      await ctx.runCommand('Weightscope: Train…');
      await ctx.answerQuickPick('digits');
      await ctx.answerQuickPick('cross_entropy');
      await ctx.answerQuickPick('adam');
      await ctx.answerInputBox('0.01', { prompt: 'Learning rate' });
      await ctx.answerInputBox('2', { prompt: 'Epochs' });
      await ctx.answerInputBox('64', { prompt: 'Batch size' });
      await ctx.answerInputBox('0', { prompt: 'Weight decay' });
      await ctx.findNotification('Trained 2 epochs', 120000);
      // The button of that notification (a toast, or the Notification Center's item).
      const button = ctx.page.locator('.notification-list-item', { hasText: 'Trained 2 epochs' }).locator('.monaco-button', { hasText: 'Compare before/after' }).first();
      await button.click();
      const frame = await comparedFrame(ctx, 4);
      const summary = JSON.parse(await frame.locator('body').getAttribute('data-summary'));
      if (summary.changed !== 4) throw new Error(`summary ${JSON.stringify(summary)}: training moved every trainable tensor`);
      const [a, b] = await Promise.all([frame.locator('#label-a').innerText(), frame.locator('#label-b').innerText()]);
      if (!/before training/.test(a) || !/after training/.test(b)) throw new Error(`labels "${a}" and "${b}"`);
      await selectTensor(ctx, frame, 'fc.weight');
    },
  },
  {
    name: 'Compare with… from the palette on a structural diff: mismatches and tensors only in A or B on top, flagged',
    workspace: ['test/fixtures/diff'],
    timeout: 240000,
    async run(ctx) {
      await ctx.openInWeightscope('specials.weights.json');
      await ctx.runCommand('Weightscope: Compare with…');
      await ctx.answerQuickPick('edited.safetensors');
      const frame = await comparedFrame(ctx, 12);
      const summary = JSON.parse(await frame.locator('body').getAttribute('data-summary'));
      const expected = { same: 6, changed: 2, shape_mismatch: 2, only_in_a: 1, only_in_b: 1 };
      if (JSON.stringify(summary) !== JSON.stringify(expected)) throw new Error(`summary ${JSON.stringify(summary)}, NumPy's ${JSON.stringify(expected)}`);
      const statuses = await frame.locator('#compare-table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.status));
      const top = statuses.slice(0, 4).join();
      if (top !== 'shape_mismatch,shape_mismatch,only_in_a,only_in_b') throw new Error(`the table starts ${top}`);
      if (statuses.at(-1) !== 'same') throw new Error(`the table ends with ${statuses.at(-1)}`);
      const shape = await frame.locator('#compare-table tr[data-name="head.weight"] td.shape').innerText();
      if (shape !== '[3, 8] → [5, 8]') throw new Error(`head.weight's shapes read ${shape}`);
      // A shape mismatch: A and B apart, no Δ; a tensor only in B: B alone.
      await frame.locator('#compare-table tr[data-name="head.weight"]').click();
      await ctx.waitUntil(async () => (await frame.locator('body').getAttribute('data-pair')) === 'head.weight', 'the pictures of head.weight');
      if (!(await frame.locator('.pane-a').isVisible()) || !(await frame.locator('.pane-b').isVisible()) || (await frame.locator('.pane-delta').isVisible())) {
        throw new Error('a shape mismatch should show A and B, and no Δ');
      }
      await ctx.shot('structural-mismatch');
      await frame.locator('#compare-table tr[data-name="lora.A"]').click();
      await ctx.waitUntil(async () => (await frame.locator('body').getAttribute('data-pair')) === 'lora.A', 'the picture of lora.A');
      if (await frame.locator('.pane-a').isVisible()) throw new Error('lora.A is only in B, yet an A picture shows');
      if ((await colours(frame.locator('#compare-b'))) <= 2) throw new Error('lora.A is not painted');
      await ctx.shot('structural-only-in-b');
    },
  },
  {
    name: 'a tensor too large to send whole (2100 × 2100): A, B and Δ reduced on the same cells, the most changed element shown',
    workspace: WS,
    settings: SELECT_ON_CLICK,
    timeout: 240000,
    // Written into the workspace before the workbench opens: a file written under a running
    // workbench reaches the Explorer only when the file watcher reports it, late or not at all.
    get files() { return bigPair(); },
    async run(ctx) {
      await compareSelected(ctx, 'big-a.safetensors', 'big-b.safetensors');
      const frame = await comparedFrame(ctx, 1);
      const maxDelta = Number(await frame.locator('#compare-table tr[data-name="w"] td').nth(4).innerText());
      if (Math.abs(maxDelta - 4) > 1e-3) throw new Error(`max |Δ| reads ${maxDelta}, the moved weight moved by 4`);
      await ctx.waitUntil(async () => (await frame.locator('body').getAttribute('data-pair')) === 'w', 'the pictures of w (selected as the most changed)', 60000);
      await ctx.waitUntil(async () => (await colours(frame.locator('#compare-delta'))) > 2, 'a painted Δ');
      const note = await frame.locator('.pane-delta .note').innerText();
      if (!/changed most/.test(note)) throw new Error(`the Δ pane does not say its cells are reduced: "${note}"`);
      // The Δ colour range reaches the moved weight (its block kept it), and hovering anywhere reads a consistent triple.
      const ticks = await frame.locator('.pane-delta .tick').evaluateAll((els) => els.map((e) => Number(e.dataset.value)));
      if (Math.abs(Math.max(...ticks) - 4) > 1e-3) throw new Error(`Δ's colour range ends at ${Math.max(...ticks)}, not at the moved weight's 4`);
      const box = await frame.locator('#compare-delta').boundingBox();
      await ctx.page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
      const hover = frame.locator('#compare-hover');
      await hover.waitFor({ state: 'visible', timeout: 10000 });
      const [va, vb, vd] = await Promise.all(['data-a', 'data-b', 'data-delta'].map((k) => hover.getAttribute(k).then(Number)));
      if (!(Math.abs(vb - va - vd) <= 1e-5)) throw new Error(`read-out A=${va} B=${vb} Δ=${vd}`);
      await ctx.shot('reduced');
      // The first pictures were fitted to the panes (three 2100 × 2100 grids would be a slow
      // message); zooming in past them brings the finest grid the host sends, the zoom kept.
      const triptych = frame.locator('section.triptych');
      if ((await triptych.getAttribute('data-sent')) !== 'fitted') throw new Error(`the first pictures were sent ${await triptych.getAttribute('data-sent')}, not fitted to the panes`);
      for (let i = 0; i < 4; i++) { await ctx.page.mouse.wheel(0, -400); await ctx.sleep(30); }
      await ctx.waitUntil(async () => (await triptych.getAttribute('data-sent')) === 'reduced', 'the finer pictures after zooming in', 60000);
      await ctx.waitUntil(async () => (await colours(frame.locator('#compare-delta'))) > 2, 'a painted Δ at that zoom');
      await ctx.shot('reduced-zoomed');
    },
  },
];
