#!/usr/bin/env node
// Hover index memory in the real extension host (issue 6: "the extension host's memory stays
// under 2× the largest single checkpoint" while 50 checkpoints of 1M parameters are indexed).
// Writes the workspace (bench/hoverWorkspace.mjs), runs bench/exthost/hoverMemory.bench.ts inside
// code-server's extension host through the test harness, and prints each phase's resident-memory
// growth as a ratio to the largest checkpoint, beside two peers measured in the same host: the
// host idling for as long, and JSON.parse of that one checkpoint.
// Usage: node bench/hover-exthost.mjs [--files 50] [--params 1000000] [--encoding base64|nested] [--runs 1] [--keep] [--profile]
//        node bench/hover-exthost.mjs --foreign [--runs 1] [--keep]
// --foreign: issue 14's workspace instead (a 475 MiB GPT-2 .safetensors, a ResNet-18 .pth, 20
// smaller checkpoints; bench/foreignWorkspace.mjs) and bench/exthost/hoverForeign.bench.ts: the
// first hover's answer time, later hovers beside an unanswered hover's round trip, and the host's
// peak memory while indexing beside the largest tensor, the host idle, and one tensor read whole.
// --profile: also writes bench/results/hover-exthost-N.heapprofile, where the first build allocated
// (open it in Chrome DevTools' Memory tab; its memory numbers are then the profiler's too).
// Needs the harness set up (npm test does it once; or bash test/harness/setup.sh).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeHoverWorkspace, HOVER_AT } from './hoverWorkspace.mjs';
import { writeForeignWorkspace } from './foreignWorkspace.mjs';
import { buildForBench, runBenchSuite } from './exthostSuite.mjs';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const opt = (n, d) => { const i = argv.indexOf(`--${n}`); return i >= 0 ? argv[i + 1] : d; };
const runs = Number(opt('runs', 1));
const mib = (b) => `${(b / 2 ** 20).toFixed(1)} MiB`;
if (argv.includes('--foreign')) { await foreign(); process.exit(0); }
const ws = writeHoverWorkspace({ files: Number(opt('files', 50)), params: Number(opt('params', 1_000_000)), encoding: opt('encoding', 'base64') });
const ratio = (b) => `${(b / ws.largest).toFixed(2)}×`;

fs.mkdirSync(path.join(root, 'bench/results'), { recursive: true });
buildForBench();

const firsts = [], befores = [];
for (let run = 1; run <= runs; run++) {
  const { result: res } = runBenchSuite({
    grep: 'hover index memory', timeoutSeconds: 1200, workspace: ws.dir,
    env: {
      ...(argv.includes('--profile') ? { WEIGHTSCOPE_BENCH_PROFILE: path.join(root, 'bench/results', `hover-exthost-${run}.heapprofile`) } : {}),
      WEIGHTSCOPE_BENCH_HOVER_AT: `${HOVER_AT.line}:${HOVER_AT.character}`,
    },
  });
  const { before, first, idle, second, parse } = res.phases;
  const split = (p) => Object.entries({ ...p.byKind, ...Object.fromEntries(Object.entries(p.bySpace).filter(([, v]) => Math.abs(v) >= 2 ** 19)) })
    .map(([k, v]) => `${k} ${mib(v)}`).join(', ');
  console.log(`\nrun ${run}/${runs} — extension host on Node ${res.node}; ${res.files} checkpoints, largest ${mib(res.largest)}`);
  const ms = (h) => `median ${h.median.toFixed(1)} ms, p99 ${h.p99.toFixed(1)} ms, max ${h.max.toFixed(1)} ms`;
  console.log(`first hover ${res.firstHoverMs.toFixed(0)} ms (${res.firstHoverAnswered ? 'answered fc3.weight' : 'no answer yet'})   [target ≤ 2000 ms]; whole index ${(first.ms / 1000).toFixed(1)} s`);
  console.log(`later hovers on fc3.weight (100, VS Code's round trip): ${ms(res.laterHoverMs)}   [target ≤ 50 ms]`);
  console.log(`peer, the same round trip on a word no provider answers: ${ms(res.emptyHoverMs)} → ratio of medians ${(res.laterHoverMs.median / res.emptyHoverMs.median).toFixed(2)}×`);
  console.log(`peer, the host idle for ${(before.ms / 1000).toFixed(1)} s before the first hover: ${mib(before.peakRssGrowth)} = ${ratio(before.peakRssGrowth)}`);
  console.log(`first build:  peak RSS growth ${mib(first.peakRssGrowth)} = ${ratio(first.peakRssGrowth)} the largest checkpoint   [target < 2×]`);
  console.log(`              where, at the end: ${split(first)}`);
  console.log(`              ${first.scavenges} scavenges; young generation ${mib(first.newSpace[0])} → ${mib(first.newSpace[1])}; V8's malloc ${mib(first.malloced[0])} → ${mib(first.malloced[1])}`);
  console.log(`second build: peak RSS growth ${mib(second.peakRssGrowth)} = ${ratio(second.peakRssGrowth)}   (all ${res.files} read again after a touch)`);
  console.log(`peer, idle for ${(idle.ms / 1000).toFixed(1)} s after the first build: ${mib(idle.peakRssGrowth)} = ${ratio(idle.peakRssGrowth)}`);
  console.log(`peer, JSON.parse of the largest checkpoint once: ${mib(parse.peakRssGrowth)} = ${ratio(parse.peakRssGrowth)}`);
  firsts.push(first.peakRssGrowth / res.largest);
  befores.push(before.peakRssGrowth / res.largest);
}
if (runs > 1) {
  const spread = (a) => { a.sort((x, y) => x - y); return `min ${a[0].toFixed(2)}×, median ${a[runs >> 1].toFixed(2)}×, max ${a[runs - 1].toFixed(2)}×`; };
  console.log(`\nfirst build over ${runs} runs: ${spread(firsts)}   [target < 2×]`);
  console.log(`peer, idle 5 s before it: ${spread(befores)}`);
}
if (!argv.includes('--keep')) fs.rmSync(ws.dir, { recursive: true, force: true });

/** Issue 14's targets: see bench/exthost/hoverForeign.bench.ts. */
async function foreign() {
  const t0 = performance.now();
  const ws = writeForeignWorkspace({ gpt2: 'full', smaller: 20 });
  const size = ws.files.reduce((a, f) => a + fs.statSync(f).size, 0);
  console.log(`workspace ${ws.dir}: ${ws.files.length} checkpoints, ${mib(size)} in all (gpt2.safetensors ${mib(fs.statSync(ws.gpt2).size)}, resnet18.pth ${mib(fs.statSync(ws.resnet18).size)}), largest tensor ${mib(ws.largestTensor)}; written in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  fs.mkdirSync(path.join(root, 'bench/results'), { recursive: true });
  buildForBench();
  const x = (b) => `${(b / ws.largestTensor).toFixed(2)}×`;
  const ms = (h) => `median ${h.median.toFixed(1)} ms, p99 ${h.p99.toFixed(1)} ms, max ${h.max.toFixed(1)} ms`;
  for (let run = 1; run <= runs; run++) {
    const { result: res } = runBenchSuite({
      grep: 'foreign checkpoints', timeoutSeconds: 1200, workspace: ws.dir, env: { WEIGHTSCOPE_BENCH_LARGEST_TENSOR: ws.largestTensor },
    });
    console.log(`\nrun ${run}/${runs} — extension host on Node ${res.node}, ${os.cpus().length} cores`);
    for (const [k, f] of Object.entries(res.first)) {
      console.log(`first hover ${k.padEnd(10)} ${f.ms.toFixed(0).padStart(5)} ms  (${f.shape ? 'shape shown' : 'NO SHAPE'}${f.stats ? ', statistics too' : ''})   [target ≤ 1000 ms]`);
    }
    console.log(`every file outlined ${(res.outlinedMs / 1000).toFixed(2)} s; every tensor's statistics read ${(res.wholeIndexMs / 1000).toFixed(1)} s (${res.indexed.outlines} outlines, ${res.indexed.digests} digests, ${res.indexed.failures} failures)`);
    if (res.during) {
      console.log(`hovers while the statistics are read (${res.duringCount}): ${ms(res.during)}   [target ≤ 50 ms]`);
      console.log(`peer, an unanswered hover in the same moments: ${ms(res.duringEmpty)}; the host's event-loop delay then: p50 ${res.loopDelay.p50.toFixed(1)} ms, p99 ${res.loopDelay.p99.toFixed(1)} ms, max ${res.loopDelay.max.toFixed(1)} ms`);
    }
    for (const [k, h] of Object.entries(res.later)) console.log(`later hovers ${k.padEnd(10)} (100): ${ms(h)}   [target ≤ 50 ms]${res.answered[k] ? '' : '  (no statistics!)'}`);
    console.log(`peer, the same round trip on a word no provider answers: ${ms(res.empty)}`);
    console.log(`memory while indexing: peak RSS growth ${mib(res.memory.build)} = ${x(res.memory.build)} the largest tensor (${mib(res.largestTensor)})   [target < 2×]`);
    console.log(`peer, the host idle 5 s: ${mib(res.memory.idle)} = ${x(res.memory.idle)}`);
    console.log(`peer, the largest tensor read whole once: ${mib(res.memory.oneTensor)} = ${x(res.memory.oneTensor)}`);
  }
  if (!argv.includes('--keep')) fs.rmSync(ws.dir, { recursive: true, force: true });
}
