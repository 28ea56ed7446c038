// The read-only Weightscope editor (issue 7) in a real VS Code: a .safetensors and a .pt opened
// from the explorer show the parameter rows, the read-only banner with the reader's notes and no
// freeze locks; a selected tensor's values are read on demand and painted; "Save As
// .weights.json" writes an editable copy that opens in the normal editor.
// Fixtures: test/fixtures/e2e-ws/interop/ (copies of test/fixtures/interop/). Shape: see test/README.md.

/** Click a file in the explorer (expanding `interop/` first) and wait for the Weightscope webview. */
async function openFromExplorer(ctx, file) {
  const rows = ctx.page.locator('.explorer-folders-view .monaco-list-row');
  const fileRow = rows.filter({ hasText: file }).first();
  if (!(await fileRow.isVisible().catch(() => false))) {
    await rows.filter({ hasText: /^interop$/ }).first().click();
  }
  await fileRow.waitFor({ state: 'visible', timeout: 20000 });
  // Right after the window opens the workbench may not have read the extension's editor
  // contributions yet and shows a binary file in the text editor: close that and click again.
  for (let attempt = 1; ; attempt++) {
    await fileRow.click();
    await ctx.waitForActiveTab(file);
    const shown = await ctx.webviewFrame().locator('#app').waitFor({ state: 'attached', timeout: 10000 }).then(() => true, () => false);
    if (shown) return;
    if (attempt === 3) throw new Error(`${file} did not open in the Weightscope editor`);
    await ctx.runCommand('View: Close Editor');
  }
}

/** Wait until the heatmap shows `param` and its canvas holds more than one colour. */
async function expectPaintedHeatmap(ctx, frame, param) {
  await ctx.waitUntil(async () => (await frame.locator('body').getAttribute('data-heatmap-param')) === param, `the heatmap of ${param}`, 30000);
  const canvas = frame.locator('#heatmap-canvas');
  await canvas.waitFor({ state: 'visible' });
  await ctx.waitUntil(async () => (await canvas.evaluate((c) => {
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const colours = new Set();
    for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0) colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
    return colours.size;
  })) > 2, `painted cells in the heatmap of ${param}`);
}

/** The statistics of the selected tensor arrived from the host (the mean is no longer "—"). */
async function expectStats(ctx, frame) {
  await ctx.waitUntil(async () => {
    const text = await frame.locator('#stats [data-stat="mean"] dd').innerText().catch(() => '—');
    return text.trim() !== '—' && text.trim() !== '';
  }, 'the statistics of the selected tensor');
}

export const scenarios = [
  {
    name: 'a .safetensors and a .pt open read-only from the explorer: rows, banner, no locks, painted heatmap',
    async run(ctx) {
      await openFromExplorer(ctx, 'dtypes.safetensors');
      let frame = ctx.webviewFrame();
      await frame.locator('.param-row[data-param="f32"]').waitFor({ state: 'visible', timeout: 60000 });
      for (const name of ['f64', 'f16', 'bf16', 'i64', 'i8', 'bool']) {
        if (!(await frame.locator(`.param-row[data-param="${name}"]`).count())) throw new Error(`no row for ${name}`);
      }
      const banner = frame.locator('#readonly-banner');
      await banner.waitFor({ state: 'visible' });
      const bannerText = await banner.innerText();
      if (!/int32/.test(bannerText) || !/Save As/.test(bannerText)) throw new Error(`banner lacks the widening note or Save As: ${bannerText}`);
      if (await frame.locator('button.lock').count()) throw new Error('a read-only file shows freeze locks');
      if (await frame.locator('[data-command]').count()) throw new Error('a read-only file shows layer actions');
      await frame.locator('.param-row[data-param="f64"]').click();
      await expectPaintedHeatmap(ctx, frame, 'f64');
      await expectStats(ctx, frame);
      // Rows in view got their statistics and thumbnails, read on demand.
      await ctx.waitUntil(async () => (await frame.locator('.param-row[data-param="f64"].pending').count()) === 0, 'the f64 row filled in');
      await ctx.shot('safetensors');

      await openFromExplorer(ctx, 'nested.pt');
      frame = ctx.webviewFrame();
      await frame.locator('.param-row[data-param="fc1.weight"]').waitFor({ state: 'visible', timeout: 60000 });
      await frame.locator('#readonly-banner').waitFor({ state: 'visible' });
      await frame.locator('.param-row[data-param="fc1.weight"]').click();
      await expectPaintedHeatmap(ctx, frame, 'fc1.weight');
      await expectStats(ctx, frame);
      await ctx.shot('pt');
    },
  },
  {
    name: 'Save As .weights.json from the banner writes an editable copy that opens in the normal editor',
    settings: { 'files.autoSave': 'off' },
    async run(ctx) {
      await openFromExplorer(ctx, 'nested.pt');
      const frame = ctx.webviewFrame();
      await frame.locator('#save-as-weights-json').click();
      // The save dialog (VS Code's simple dialog in code-server) proposes <name>.weights.json beside
      // the file; wait until it shows that (it fills its box asynchronously), then accept it.
      const input = ctx.page.locator('.quick-input-widget input').first();
      await ctx.waitUntil(async () => (await input.inputValue().catch(() => '')).endsWith('interop/nested.weights.json'), 'the proposed target nested.weights.json');
      await input.press('Enter');
      await ctx.answerInputBox('', { prompt: 'Layers' });
      await ctx.waitForActiveTab('nested.weights.json');
      const copy = ctx.webviewFrame();
      await copy.locator('.param-row[data-param="fc1.weight"]').waitFor({ state: 'visible', timeout: 60000 });
      // The normal editor: locks, no read-only banner.
      await copy.locator('.param-row[data-param="fc1.weight"] button.lock').waitFor({ state: 'visible' });
      if (await copy.locator('#readonly-banner').count()) throw new Error('the copy opened read-only');
      const saved = JSON.parse(ctx.readFileFromDisk('interop/nested.weights.json'));
      const names = [...Object.keys(saved.parameters), ...Object.keys(saved.buffers ?? {})];
      for (const name of ['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias', 'bn.running_mean']) {
        if (!names.includes(name)) throw new Error(`${name} missing from the copy: ${names.join(', ')}`);
      }
      await ctx.shot('save-as-copy');
    },
  },
];
