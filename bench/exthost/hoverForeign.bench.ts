// Issue 14's hover targets measured where they apply, in the real extension host: a workspace
// with a GPT-2-sized `.safetensors` (475 MiB), a ResNet-18 `.pth` and 20 smaller checkpoints
// (bench/foreignWorkspace.mjs, written by bench/hover-exthost.mjs --foreign). Run by that driver,
// which prints the figures; loaded only when WEIGHTSCOPE_BENCH is set (never part of `npm test`).
//
//   first hover   ms from the first hover request (cold: nothing listed or read) to its answer,
//                 and whether it held the shape; then the other two hovers' first answers
//   during        hovers every 50 ms while the statistics are being read (the low-priority pass),
//                 beside an unanswered hover's round trip in the same moments and the host's
//                 event-loop delay (how long anything waits for the thread)
//   later hovers  100 round trips on each of the three hovers, beside the same round trip on a
//                 word no provider answers (the peer: VS Code's own cost)
//   memory        peak resident growth while the index reads everything (outlines, then every
//                 tensor's statistics), beside the host idle as long, and beside reading the
//                 largest tensor whole once (what any reader that holds one tensor costs)
import * as fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import * as vscode from 'vscode';
import type { WeightscopeExports } from '../../src/extension/extension';
import { HOVERS } from '../foreignWorkspace.mjs';

const EXTENSION_ID = 'weightscope.weightscope';

function collect(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

async function peakGrowth(work: () => Promise<void>): Promise<{ ms: number; peak: number }> {
  collect();
  await new Promise((r) => setTimeout(r, 300));
  const base = process.memoryUsage.rss();
  let peak = base;
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()); }, 5);
  const t0 = performance.now();
  try { await work(); } finally { clearInterval(timer); }
  return { ms: performance.now() - t0, peak: Math.max(peak, process.memoryUsage.rss()) - base };
}

async function hoverText(uri: vscode.Uri, line: number, character: number): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(line, character));
  return (hovers ?? []).flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

const spread = (ms: number[]) => {
  const s = [...ms].sort((a, b) => a - b);
  return { median: s[s.length >> 1], p99: s[Math.floor(s.length * 0.99)], max: s[s.length - 1] };
};

suite('bench: hover over foreign checkpoints in the extension host', () => {
  test('first hover, later hovers, memory while indexing', async function () {
    this.timeout(20 * 60_000);
    const api = (await vscode.extensions.getExtension(EXTENSION_ID)!.activate()) as WeightscopeExports;
    const trainPy = (await vscode.workspace.findFiles('train.py'))[0];
    await vscode.workspace.openTextDocument(trainPy);
    await new Promise((r) => setTimeout(r, 3000));
    const largestTensor = Number(process.env.WEIGHTSCOPE_BENCH_LARGEST_TENSOR);

    const idle = await peakGrowth(() => new Promise((r) => setTimeout(r, 5000)));

    const first: Record<string, { ms: number; shape: boolean; stats: boolean }> = {};
    let outlinedMs = 0;
    const during: number[] = [], duringEmpty: number[] = [];
    let loopDelay = { p50: 0, p99: 0, max: 0 };
    const build = await peakGrowth(async () => {
      const t0 = performance.now();
      for (const [key, h] of Object.entries(HOVERS)) {
        const t = performance.now();
        const text = await hoverText(trainPy, h.line, h.character);
        first[key] = { ms: performance.now() - t, shape: text.includes(`\`${h.name}\``) && text.includes('values'), stats: text.includes('mean ') };
      }
      await api.hover.whenOutlined();
      outlinedMs = performance.now() - t0;
      // Hovers while the low-priority pass streams the statistics in: the host's thread must stay free for them.
      let done = false;
      const indexedNow = api.hover.whenIndexed().then(() => { done = true; });
      const loop = monitorEventLoopDelay({ resolution: 5 });
      loop.enable();
      for (let i = 0; !done; i++) {
        const h = Object.values(HOVERS)[i % 3];
        let t = performance.now();
        await hoverText(trainPy, h.line, h.character);
        during.push(performance.now() - t);
        // The peer in the same moment: VS Code's round trip for a word no provider answers.
        t = performance.now();
        await hoverText(trainPy, 0, 2);
        duringEmpty.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 50));
      }
      await indexedNow;
      loop.disable();
      loopDelay = { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 };
    });
    const indexed = await api.hover.whenIndexed();

    const later: Record<string, number[]> = {}, empty: number[] = [];
    for (let i = 0; i < 100; i++) {
      for (const [key, h] of Object.entries(HOVERS)) {
        const t = performance.now();
        await hoverText(trainPy, h.line, h.character);
        (later[key] ??= []).push(performance.now() - t);
      }
      const t = performance.now();
      await hoverText(trainPy, 0, 2); // `import`: no provider answers
      empty.push(performance.now() - t);
    }
    const answered = Object.fromEntries(await Promise.all(Object.entries(HOVERS).map(async ([k, h]) => [k, (await hoverText(trainPy, h.line, h.character)).includes('mean ')])));

    // The peer for memory: the largest tensor read whole once (gpt2's wte), as a reader holding one tensor would.
    const gpt2 = (await vscode.workspace.findFiles('gpt2.safetensors'))[0].fsPath;
    let held: Buffer | undefined;
    const oneTensor = await peakGrowth(async () => {
      const fd = await fs.promises.open(gpt2, 'r');
      held = Buffer.alloc(largestTensor);
      await fd.read(held, 0, largestTensor, 4096);
      await fd.close();
    });
    held = undefined;

    const result = {
      node: process.version, largestTensor, indexed, first, outlinedMs, wholeIndexMs: build.ms,
      during: during.length ? spread(during) : null, duringEmpty: duringEmpty.length ? spread(duringEmpty) : null, duringCount: during.length, loopDelay,
      later: Object.fromEntries(Object.entries(later).map(([k, v]) => [k, spread(v)])), empty: spread(empty), answered,
      memory: { build: build.peak, idle: idle.peak, oneTensor: oneTensor.peak },
    };
    const out = process.env.WEIGHTSCOPE_BENCH_OUT;
    if (out) fs.writeFileSync(out, JSON.stringify(result, null, 1));
    else console.log(JSON.stringify(result, null, 1));
  });
});
