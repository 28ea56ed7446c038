#!/usr/bin/env node
// The editor at real size (issue 13), in the real extension host: writes a ResNet-18 state_dict
// (.pth, through the project's .pt writer when src/format has one, else torch; also as
// .safetensors), GPT-2-small as float32 and bfloat16 .safetensors and a 10M-parameter
// .weights.json (test/harness/realsizeFiles.mjs), runs bench/exthost/editor.bench.ts inside
// code-server's extension host, and prints each target beside a peer measured in the same run:
// PyTorch doing the same (bench/editor_peer.py: torch.load / the safetensors header / weightscope.load
// to list, then one tensor read + the same statistics), and, for clicks while scrolling, the same
// click on the idle document.
// Usage: node bench/editor-exthost.mjs [--only gpt2,resnet18-pth,...] [--keep]
// Needs the harness set up (bash test/harness/setup.sh); torch (for the .pth and the peer) is optional.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildForBench, runBenchSuite } from './exthostSuite.mjs';
import { gpt2Tensors, resnet18Tensors, writeMlp10mWeightsJson, writeResnet18Pth, writeSafetensors } from '../test/harness/realsizeFiles.mjs';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const opt = (n, d) => { const i = argv.indexOf(`--${n}`); return i >= 0 ? argv[i + 1] : d; };
const only = opt('only') ? new Set(opt('only').split(',')) : undefined;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-editor-'));
const python = '/usr/bin/python3';
const hasTorch = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;

const gpt2Clicks = ['h.1.mlp.c_fc.weight', 'h.4.attn.c_attn.weight', 'h.7.mlp.c_proj.weight', 'h.10.mlp.c_fc.weight', 'ln_f.weight'];
const cases = [
  { id: 'resnet18-pth', label: 'ResNet-18 state_dict `.pth`', click: 'layer4.1.conv2.weight', clicks: ['layer2.0.conv1.weight', 'layer3.1.conv2.weight', 'layer4.1.conv2.weight', 'fc.weight'],
    write: async (f) => (await writeResnet18Pth(f)) ?? torchPth(f), file: 'resnet18.pth' },
  { id: 'resnet18-st', label: 'ResNet-18 `.safetensors`', click: 'layer4.1.conv2.weight', write: (f) => writeSafetensors(f, resnet18Tensors()), file: 'resnet18.safetensors' },
  { id: 'gpt2', label: 'GPT-2-small `.safetensors` float32', click: 'wte.weight', clicks: gpt2Clicks, write: (f) => writeSafetensors(f, gpt2Tensors('F32')), file: 'gpt2.safetensors' },
  { id: 'gpt2-bf16', label: 'GPT-2-small `.safetensors` bfloat16', click: 'h.11.mlp.c_fc.weight', clicks: gpt2Clicks, write: (f) => writeSafetensors(f, gpt2Tensors('BF16')), file: 'gpt2-bf16.safetensors' },
  { id: 'mlp10m', label: '10M-parameter `.weights.json`', click: '0.weight', write: writeMlp10mWeightsJson, file: 'mlp10m.weights.json' },
].filter((c) => !only || only.has(c.id));

/** torch.save of torchvision-shaped random weights (the layout of resnet18().state_dict()). */
function torchPth(file) {
  if (!hasTorch) return undefined;
  const r = spawnSync(python, ['-c', `import torch, torchvision; torch.save(torchvision.models.resnet18().state_dict(), ${JSON.stringify(file)})`], { encoding: 'utf8' });
  if (r.status !== 0) { console.error(r.stderr); return undefined; }
  return fs.statSync(file).size;
}

const mib = (b) => `${(b / 2 ** 20).toFixed(0)} MiB`;
const ms = (x) => (x === undefined || x === null || Number.isNaN(x) ? 'dropped' : x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(0)} ms`);

try {
  const specs = [];
  for (const c of cases) {
    const file = path.join(dir, c.file);
    const t0 = performance.now();
    const size = await c.write(file);
    if (size === undefined) { console.log(`${c.label}: skipped (no .pt writer in src/format and no torch)`); continue; }
    if (size !== fs.statSync(file).size) throw new Error(`${c.file}: the writer reported ${size} bytes, the file has ${fs.statSync(file).size}`);
    console.log(`wrote ${c.file} (${mib(size)}) in ${ms(performance.now() - t0)}`);
    specs.push({ ...c, file });
  }
  buildForBench();
  const { result: res, file: out } = runBenchSuite({
    grep: 'editor at real size', timeoutSeconds: 2400,
    env: { WEIGHTSCOPE_BENCH_EDITOR: JSON.stringify(specs.map(({ file, click, clicks }) => ({ file, click, clicks }))) },
  });
  fs.mkdirSync(path.join(root, 'bench/results'), { recursive: true });
  fs.copyFileSync(out, path.join(root, 'bench/results/editor-exthost.json'));
  console.log(`\n${new Date().toISOString().slice(0, 10)}, extension host on Node ${res.node}, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}`);
  console.log('| file | rows (≤ 1 s) | peer: list | clicked tensor | heatmap data, thumbnails pending (≤ 0.5 s) (message size) | its statistics | zoomed in: finer data (size) | peer: read + statistics | click delay while scrolling (≤ 0.2 s) | host memory ÷ largest tensor (≤ 1.5×) |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const [i, spec] of specs.entries()) {
    const x = res.results[i];
    const peer = hasTorch ? spawnSync(python, [path.join(root, 'bench/editor_peer.py'), spec.file, spec.click], { encoding: 'utf8' }) : undefined;
    const p = peer?.status === 0 ? JSON.parse(peer.stdout.trim().split('\n').pop()) : undefined;
    const click = x.click ?? { heatmapMs: x.clickMs, sentBytes: x.sentBytes };
    const mb = (b) => (b === undefined ? '' : ` (${(b / 2 ** 20).toFixed(1)} MiB)`);
    const delays = x.scroll?.delayMs;
    const delay = delays ? `max ${ms(Math.max(...delays.filter((d) => d !== null)))} (${delays.map((d) => ms(d)).join(', ')}; idle clicks ${x.scroll.idleMs.map((d) => ms(d)).join(', ')}; event loop blocked ≤ ${ms(x.scroll.maxLoopDelayMs)}, longest GC ${ms(x.scroll.maxGcMs)})` : '–';
    const peak = Math.max(x.openPeakGrowth ?? 0, x.click?.peakGrowth ?? 0, x.scroll?.peakGrowth ?? 0);
    const rows = x.inHostMs === undefined ? ms(x.rowsMs)
      : `${ms(x.rowsMs)} (${x.parsedOffThread ? 'parse worker' : 'in the host'}; event loop blocked ≤ ${ms(x.openLoopBlockedMs)}; peer, parsed on the host's thread: ${ms(x.inHostMs)}, blocked ${ms(x.inHostLoopBlockedMs)})`;
    console.log(`| ${spec.label} (${mib(x.size)}${x.rows ? `, ${x.rows} tensors` : ''}) | ${rows} | ${ms(p?.listMs)} | \`${spec.click}\` [${(x.clickedShape ?? []).join(', ')}] | ${ms(click.heatmapMs)}${mb(click.sentBytes)} | ${ms(click.statsMs)} | ${click.detailMs === undefined ? '–' : `${ms(click.detailMs)}${mb(click.detailBytes)}`} | ${ms(p?.clickMs?.[0])} | ${delay} | ${(peak / x.largestTensorBytes).toFixed(2)}× (${mib(peak)}; largest ${mib(x.largestTensorBytes)}) |`);
  }
  if (argv.includes('--json')) console.log(JSON.stringify(res, null, 1));
} finally {
  if (!argv.includes('--keep')) fs.rmSync(dir, { recursive: true, force: true });
  else console.log(`files kept in ${dir}`);
}
