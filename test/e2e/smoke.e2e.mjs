// Smoke: the packaged extension in a real VS Code. The workbench opens the examples, the command
// palette lists the Weightscope commands, and a checkpoint opens in the Weightscope webview editor.
// Shape of a scenario file: see test/README.md.

// A minimal valid checkpoint (docs/weights-json.md), so the smoke test does not depend on examples/.
const SMOKE_CHECKPOINT = JSON.stringify({
  format: 'weights.json',
  version: 1,
  model: { name: 'smoke', input_shape: [2], layers: [{ type: 'Linear', name: 'fc1', in_features: 2, out_features: 3 }] },
  parameters: {
    'fc1.weight': { shape: [3, 2], dtype: 'float32', requires_grad: true, data: [[0.5, -0.25], [1, 2], [-1.5, 0.75]] },
    'fc1.bias': { shape: [3], dtype: 'float32', requires_grad: true, data: [0.125, 0, -0.125] },
  },
}, null, 2);

export const scenarios = [
  {
    name: 'the workbench opens the examples folder with Weightscope loaded',
    async run({ page, ws, shot }) {
      const fs = await import('node:fs');
      // Every file of the workspace root shows in the explorer (the harness copied examples/ there).
      const expected = fs.readdirSync(ws).sort();
      const rows = page.locator('.explorer-folders-view .monaco-list-row');
      await rows.first().waitFor();
      for (const name of expected.slice(0, 5)) {
        await page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 20000 });
      }
      await shot('workbench');
    },
    files: { 'smoke.weights.json': SMOKE_CHECKPOINT },
  },
  {
    name: 'the command palette lists "Weightscope: New Model…" and the other commands',
    async run({ paletteRows, shot }) {
      const rows = await paletteRows('Weightscope', 'Weightscope: New Model…');
      const want = ['New Model…', 'Train…', 'Reinitialise Parameters…', 'Freeze Parameters…', 'Unfreeze Parameters…', 'Apply Weight Decay…']
        .map((t) => `Weightscope: ${t}`);
      const missing = want.filter((w) => !rows.some((r) => r.includes(w)));
      if (missing.length) throw new Error(`palette lacks ${JSON.stringify(missing)}; it shows ${JSON.stringify(rows)}`);
      await shot('palette');
    },
  },
  {
    name: 'opening a .weights.json shows the Weightscope webview editor titled with the file',
    files: { 'smoke.weights.json': SMOKE_CHECKPOINT },
    async run({ page, quickOpen, webviewFrame, waitForActiveTab, waitUntil, shot }) {
      await quickOpen('smoke.weights.json');
      await waitForActiveTab('smoke.weights.json');
      // The active editor is a webview (not the JSON text editor) ...
      const textEditor = page.locator('.editor-group-container.active .monaco-editor .view-lines');
      await page.locator('iframe.webview.ready').first().waitFor({ state: 'attached', timeout: 60000 });
      if (await textEditor.isVisible().catch(() => false)) throw new Error('the file opened in the text editor, not the Weightscope editor');
      // ... whose document is the extension's editor showing this checkpoint's parameters.
      const body = webviewFrame().locator('body');
      const text = await waitUntil(async () => {
        const t = await body.innerText({ timeout: 5000 });
        return t.includes('fc1.weight') ? t : undefined;
      }, 'the webview to list the parameter fc1.weight', 60000);
      await shot('editor');
      return text;
    },
  },
];
