// `weightscope diff` on a GPT-2-sized pair (124 M float32 parameters, ~500 MB per file, written as
// .safetensors by the project's own writer; the last two blocks "fine-tuned"): its time and peak
// RSS, beside peers measured in the same run on the same files — NumPy (memory-mapped, one pair at
// a time) and PyTorch (both files loaded whole, as safetensors.torch.load_file does), each
// computing the same float64 statistics (bench/diff_peer.py). A peer is skipped when its Python
// module is missing. Each program runs in its own process; "in-process" times exclude start-up
// (Node, or Python importing numpy/torch), "wall" includes it.
// Usage: node bench/diff.mjs [--layers N]   (bundles src/cli.ts with esbuild into a temp folder first)
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const layersArg = process.argv.indexOf('--layers');
const layers = layersArg > 0 ? Number(process.argv[layersArg + 1]) : 12;
const PYTHON = process.env.PYTHON ?? '/usr/bin/python3';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-bench-diff-'));
const mib = (b) => `${(b / 2 ** 20).toFixed(0)} MiB`;

try {
  const cli = path.join(dir, 'cli.cjs');
  const pairMod = path.join(dir, 'gpt2Pair.mjs');
  await esbuild.build({ entryPoints: ['src/cli.ts'], outfile: cli, bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning' });
  await esbuild.build({ entryPoints: ['test/harness/gpt2Pair.ts'], outfile: pairMod, bundle: true, platform: 'node', format: 'esm', logLevel: 'warning' });
  const { writeGpt2Pair } = await import(pathToFileURL(pairMod).href);

  const a = path.join(dir, 'gpt2-a.safetensors'), b = path.join(dir, 'gpt2-b.safetensors');
  const pair = await writeGpt2Pair(a, b, { layers });
  const bytes = fs.statSync(a).size + fs.statSync(b).size;
  console.log(`pair: ${pair.params.toLocaleString('en')} float32 parameters per file, ${pair.shapes.length} tensors, ${mib(bytes)} together; ${pair.changed.length} tensors differ`);
  console.log(`machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${mib(os.totalmem())} RAM, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);

  // Ours: the CLI's main() in a child, timed from inside and reporting its own peak RSS.
  const wrapper = path.join(dir, 'run.cjs');
  fs.writeFileSync(wrapper, `const { main } = require(${JSON.stringify(cli)});
const t0 = performance.now();
const out = [];
main(process.argv.slice(2), { out: (t) => out.push(t), err: (t) => process.stderr.write(t + '\\n') }).then((code) => {
  const ms = performance.now() - t0;
  const summary = JSON.parse(out.join('\\n')).summary;
  process.stdout.write(JSON.stringify({ seconds: ms / 1000, peak_rss_bytes: process.resourceUsage().maxRSS * 1024, summary, code }));
});`);
  const rows = [];
  const runTimed = (label, cmd, args) => {
    const t0 = performance.now();
    const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
    const wall = (performance.now() - t0) / 1000;
    if (r.status !== 0) { console.log(`${label}: failed (${r.status}): ${r.stderr.trim().split('\n').at(-1)}`); return; }
    const res = JSON.parse(r.stdout.trim().split('\n').at(-1));
    rows.push({ label, wall, ...res });
  };
  runTimed('weightscope diff', process.execPath, [wrapper, 'diff', a, b, '--json']);
  for (const peer of ['numpy', 'torch']) {
    const has = spawnSync(PYTHON, ['-c', `import ${peer}`]).status === 0;
    if (!has) { console.log(`peer ${peer}: skipped (no ${peer} for ${PYTHON})`); continue; }
    runTimed(`peer: ${peer}`, PYTHON, ['bench/diff_peer.py', peer, a, b]);
  }

  const ours = rows[0];
  console.log('');
  console.log('program                in-process   wall     peak RSS   summary');
  for (const r of rows) {
    console.log(`${r.label.padEnd(22)} ${r.seconds.toFixed(2).padStart(8)} s ${r.wall.toFixed(2).padStart(6)} s ${mib(r.peak_rss_bytes).padStart(10)}   ${r.summary.same} same, ${r.summary.changed} changed`);
  }
  for (const r of rows.slice(1)) {
    if (ours) console.log(`ratio weightscope / ${r.label.replace('peer: ', '')}: time ${(ours.seconds / r.seconds).toFixed(2)}×, peak RSS ${(ours.peak_rss_bytes / r.peak_rss_bytes).toFixed(2)}×`);
    if (ours && JSON.stringify(r.summary) !== JSON.stringify(ours.summary)) { console.log(`!! ${r.label} disagrees on the summary`); process.exitCode = 1; }
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
