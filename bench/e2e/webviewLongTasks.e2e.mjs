// A benchmark scenario (run by bench/editor-webview.mjs, not by the test suite): opens GPT-2-small
// as float32 and bfloat16 .safetensors in the real VS Code, scrolls through all 148 rows and
// clicks the largest tensors, waiting for each heatmap; meanwhile it records the long tasks
// (> 50 ms) of the editor webview's main thread and, as the peer, of VS Code's own workbench
// window during the same clicks. Writes them to WEIGHTSCOPE_BENCH_OUT.
import fs from 'node:fs';
import { gpt2Tensors, writeSafetensors } from '../../test/harness/realsizeFiles.mjs';
import { scrollAndClick } from '../../test/e2e/realsize.e2e.mjs';

const CLICKS = ['wte.weight', 'h.0.mlp.c_fc.weight', 'h.3.attn.c_attn.weight', 'h.6.mlp.c_proj.weight', 'wpe.weight', 'h.11.mlp.c_fc.weight', 'ln_f.weight'];

/** Start recording long tasks in a document (the webview's frame or the workbench page). */
const observe = () => {
  window.__benchLongTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__benchLongTasks.push({ at: Math.round(e.startTime), ms: Math.round(e.duration), who: e.name });
  }).observe({ type: 'longtask' });
};
const collect = () => window.__benchLongTasks;

/**
 * Time each click inside the webview: from the click on a row to its tensor's values arriving
 * (the host's read and reduction, and the message's trip) and to its heatmap painted (the
 * webview's own preparation), without the test driver's polling in the figures.
 */
const timeClicks = () => {
  window.__benchClicks = {};
  let current;
  document.addEventListener('click', (e) => {
    const row = e.target.closest?.('.param-row');
    if (row) { current = { name: row.dataset.param, click: performance.now() }; window.__benchClicks[current.name] = current; }
  }, true);
  window.addEventListener('message', (e) => {
    if (e.data?.type === 'tensorData' && current && e.data.name === current.name && current.arrived === undefined) current.arrived = performance.now();
  }, true);
  new MutationObserver(() => {
    const section = document.querySelector('section.heatmap');
    if (current && current.painted === undefined && document.body.dataset.heatmapParam === current.name && section && !section.hasAttribute('aria-busy')) current.painted = performance.now();
  }).observe(document.body, { attributes: true, subtree: true, attributeFilter: ['aria-busy', 'data-heatmap-param'] });
};
const clickTimes = () => Object.fromEntries(Object.values(window.__benchClicks).map((c) => [c.name, { arrived: Math.round(c.arrived - c.click), painted: Math.round(c.painted - c.click) }]));

/** Scroll to `param`'s row and click it (as the real-size UI tests do), then wait for its heatmap. */
async function clickAndWait(ctx, frame, param) {
  await scrollAndClick(ctx, frame, param);
  await ctx.waitUntil(async () => (await frame.locator('body').getAttribute('data-heatmap-param')) === param
    && (await frame.locator('section.heatmap').getAttribute('aria-busy')) === null, `the heatmap of ${param}`, 120000);
}

async function browse(ctx, file) {
  const frame = await ctx.openInWeightscope(file, { timeout: 120000 });
  await frame.locator('.param-row[data-param="wte.weight"]').waitFor({ state: 'visible', timeout: 120000 });
  await ctx.sleep(1500); // the first screenful of thumbnails
  await frame.locator('body').evaluate(observe);
  await frame.locator('body').evaluate(timeClicks);
  await ctx.page.evaluate(observe);
  // Down the whole list to its last row, then the clicks (which scroll back up and down).
  await clickAndWait(ctx, frame, 'ln_f.bias');
  const clicks = [];
  for (const p of CLICKS) {
    await clickAndWait(ctx, frame, p);
    clicks.push({ name: p, ...(await frame.locator('body').evaluate(clickTimes))[p] });
  }
  await ctx.sleep(1000);
  const webview = await frame.locator('body').evaluate(collect);
  const workbench = await ctx.page.evaluate(collect);
  return { file, webview, workbench, clicks };
}

export const scenarios = [{
  name: 'long tasks while browsing GPT-2-small (float32 and bfloat16)',
  timeout: 900000,
  async run(ctx) {
    writeSafetensors(ctx.wsPath('gpt2.safetensors'), gpt2Tensors('F32'));
    writeSafetensors(ctx.wsPath('gpt2-bf16.safetensors'), gpt2Tensors('BF16'));
    const results = [await browse(ctx, 'gpt2.safetensors'), await browse(ctx, 'gpt2-bf16.safetensors')];
    const out = process.env.WEIGHTSCOPE_BENCH_OUT;
    if (out) fs.writeFileSync(out, JSON.stringify(results));
    else console.log(JSON.stringify(results));
  },
}];
