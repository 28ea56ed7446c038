// Hover tooltips (issue 6) in a real VS Code: a parameter name in Python answered from the
// workspace's checkpoint (test/fixtures/e2e-ws/hover/hover-mlp.weights.json, whose statistics are
// known: see the numbers below), a key of the checkpoint's JSON text, a layer constructor, and the
// tooltip's link into the Weightscope editor with the parameter selected.
// Shape of a scenario file: see test/README.md.
import { locateToken } from '../harness/lib.mjs';

const PY = 'hover/train.py';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Hovers the mouse over the token `word` on the first rendered line containing `lineText`, and
 * returns the hover element once its text contains `expect`. Re-locates on every try, because
 * Monaco re-renders lines after a file opens.
 */
export async function hoverOnLine(page, lineText, word, expect, timeout = 45000) {
  const deadline = Date.now() + timeout;
  let last = 'line not rendered';
  while (Date.now() < deadline) {
    const token = await locateToken(page, word, lineText);
    if (!token) { await sleep(250); continue; }
    await page.mouse.move(token.before.x, token.before.y);
    await page.mouse.move(token.x, token.y, { steps: 5 });
    const hover = page.locator('.monaco-hover:not(.hidden) .hover-contents', { hasText: expect }).first();
    try {
      await hover.waitFor({ state: 'visible', timeout: 6000 });
      return hover;
    } catch {
      last = `no hover containing "${expect}"; visible: ${JSON.stringify(await page.locator('.monaco-hover:not(.hidden) .hover-contents').allInnerTexts().catch(() => []))}`;
    }
    await page.mouse.move(5, 5);
    await sleep(300);
  }
  throw new Error(`hover on "${word}" in "${lineText}": ${last}`);
}

export function expectAll(text, parts) {
  const missing = parts.filter((p) => !text.includes(p));
  if (missing.length) throw new Error(`hover lacks ${JSON.stringify(missing)}; it reads ${JSON.stringify(text)}`);
}

export const scenarios = [
  {
    name: 'hovering fc1.weight in a Python file shows its shape and statistics from the checkpoint, with a picture',
    async run({ page, quickOpen, shot }) {
      await quickOpen(PY);
      const hover = await hoverOnLine(page, 'print(model.fc1.weight.shape)', 'weight', 'fc1.weight');
      const text = await hover.innerText();
      // fc1.weight[i][j] = (2i + j − 7.5) / 8: mean 0, std 0.5762, min −0.9375, max 0.9375 (weightscope inspect agrees)
      expectAll(text, ['fc1.weight', 'hover-mlp.weights.json', '[8, 2]', '8 outputs × 2 inputs', 'float32', '16 values',
        'trainable', 'mean 0', 'std 0.5762', 'min -0.9375', 'max 0.9375', 'fully connected', 'Open in Weightscope']);
      // The picture: a data: SVG <img> that the browser really decoded (VS Code's hover keeps it).
      const img = hover.locator('img').first();
      const src = await img.getAttribute('src', { timeout: 5000 });
      if (!src?.startsWith('data:image/svg+xml')) throw new Error(`picture src is ${JSON.stringify(src?.slice(0, 60))}`);
      const width = await img.evaluate(async (el) => { await el.decode().catch(() => {}); return el.naturalWidth; });
      if (!(width > 0)) throw new Error(`the picture did not render (naturalWidth ${width})`);
      const full = await shot('python-fc1-weight');
      // A close-up for the README (copied to media/screenshots/hover.png): hovered again once the
      // whole workspace is indexed, so the tooltip is complete. Not an assertion.
      for (let i = 0; i < 10; i++) {
        await page.mouse.move(5, 5);
        await sleep(1500);
        const again = await hoverOnLine(page, 'print(model.fc1.weight.shape)', 'weight', 'fc1.weight');
        if ((await again.innerText()).includes('Still indexing')) continue;
        const box = await again.boundingBox();
        if (box) {
          const clip = { x: Math.max(0, box.x - 120), y: Math.max(0, box.y - 12), width: box.width + 160, height: box.height + 70 };
          await page.screenshot({ path: full.replace(/[^/]+$/, 'hover-closeup.png'), clip });
        }
        break;
      }
      return `${text.split('\n').slice(0, 3).join(' | ')} | img ${width}px`;
    },
  },
  {
    name: 'hovering a key of the checkpoint opened as JSON text shows that parameter',
    // Open *.weights.json with the plain text editor, as "Reopen With → Text Editor" does.
    settings: { 'workbench.editorAssociations': { '*.weights.json': 'default' } },
    async run({ page, quickOpen, shot }) {
      await quickOpen('hover/hover-mlp.weights.json');
      await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().waitFor({ timeout: 30000 });
      const hover = await hoverOnLine(page, '"fc1.weight"', 'fc1.weight', '8 outputs × 2 inputs');
      const text = await hover.innerText();
      // The hovered file itself answers first, with its own statistics.
      expectAll(text, ['fc1.weight', 'hover/hover-mlp.weights.json', '[8, 2]', '16 values', 'trainable', 'std 0.5762', 'min -0.9375', 'max 0.9375']);
      await shot('json-fc1-weight');
      return text.split('\n').slice(0, 3).join(' | ');
    },
  },
  {
    name: 'hovering nn.Conv2d(3, 32, 3) lists the parameters it creates, [32, 3, 3, 3]',
    async run({ page, quickOpen, shot }) {
      await quickOpen(PY);
      const hover = await hoverOnLine(page, 'nn.Conv2d(3, 32, 3)', 'Conv2d', '[32, 3, 3, 3]');
      const text = await hover.innerText();
      expectAll(text, ['[32, 3, 3, 3]', '32 filters × 3 input channels × 3×3 kernel', '864', '[32]', '896 values in all', '0.1925']);
      await shot('python-conv2d');
      return text.split('\n').slice(0, 2).join(' | ');
    },
  },
  {
    name: 'the hover link opens the checkpoint in the Weightscope editor with the parameter selected',
    async run({ page, quickOpen, waitForActiveTab, webviewFrame, waitUntil, shot }) {
      await quickOpen(PY);
      const hover = await hoverOnLine(page, 'print(model.fc2.weight.requires_grad)', 'weight', 'fc2.weight');
      await hover.locator('a', { hasText: 'Open in Weightscope' }).first().click();
      await waitForActiveTab('hover-mlp.weights.json');
      await page.locator('iframe.webview.ready').first().waitFor({ state: 'attached', timeout: 60000 });
      // fc1.weight is the editor's default selection; fc2.weight selected proves the link carried the name.
      const row = webviewFrame().locator('[data-param="fc2.weight"]').first();
      await waitUntil(async () => (await row.getAttribute('aria-selected', { timeout: 5000 })) === 'true',
        'the row fc2.weight to be selected in the Weightscope editor', 60000);
      await shot('link-selected');
    },
  },
];
