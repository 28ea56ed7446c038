// `weightscope inspect` on real-size PyTorch files beside `torch.load` + the same statistics in
// Python (bench/inspect_peer.py, one thread), measured in the same run: wall time and peak
// resident memory of each, on a GPT-2-small-shaped `.pt` (148 tensors, 475 MiB) and a
// ResNet-18-shaped `.pth` (122 tensors with BatchNorm buffers, 45 MiB). The files are written by
// the project's own `.pt` writer (src/format/pytorchWrite.ts), which torch.load reads. Targets
// (issue 14): inspect no slower than the peer, its peak memory under 1.2× the file.
// Usage: node bench/inspect.mjs [--runs N] [--only gpt2|resnet18]   (bundles the CLI with esbuild into a temp folder;
// the peer needs /usr/bin/python3 with torch, or WEIGHTSCOPE_PYTHON; without it only ours is shown)
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runsArg = process.argv.indexOf('--runs');
const onlyArg = process.argv.indexOf('--only'); // gpt2 | resnet18
const ONLY = onlyArg > 0 ? process.argv[onlyArg + 1] : undefined;
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;
const PYTHON = process.env.WEIGHTSCOPE_PYTHON ?? '/usr/bin/python3';

/** GPT-2-small as Hugging Face's `gpt2` state_dict stores it: 148 tensors, 124M float32. */
function gpt2() {
  const d = 768, out = [['wte.weight', [50257, d]], ['wpe.weight', [1024, d]]];
  for (let i = 0; i < 12; i++) {
    const p = `h.${i}`;
    out.push([`${p}.ln_1.weight`, [d]], [`${p}.ln_1.bias`, [d]], [`${p}.attn.c_attn.weight`, [d, 3 * d]], [`${p}.attn.c_attn.bias`, [3 * d]],
      [`${p}.attn.c_proj.weight`, [d, d]], [`${p}.attn.c_proj.bias`, [d]], [`${p}.ln_2.weight`, [d]], [`${p}.ln_2.bias`, [d]],
      [`${p}.mlp.c_fc.weight`, [d, 4 * d]], [`${p}.mlp.c_fc.bias`, [4 * d]], [`${p}.mlp.c_proj.weight`, [4 * d, d]], [`${p}.mlp.c_proj.bias`, [d]]);
  }
  out.push(['ln_f.weight', [d]], ['ln_f.bias', [d]]);
  return out.map(([name, shape]) => ({ name, shape, dtype: 'float32' }));
}

/** torchvision's ResNet-18 state_dict: 122 tensors, BatchNorm statistics and num_batches_tracked (int64) included. */
function resnet18() {
  const out = [{ name: 'conv1.weight', shape: [64, 3, 7, 7], dtype: 'float32' }];
  const bn = (p, c) => {
    for (const k of ['weight', 'bias', 'running_mean', 'running_var']) out.push({ name: `${p}.${k}`, shape: [c], dtype: 'float32' });
    out.push({ name: `${p}.num_batches_tracked`, shape: [], dtype: 'int64' });
  };
  bn('bn1', 64);
  let inC = 64;
  [64, 128, 256, 512].forEach((c, li) => {
    for (let b = 0; b < 2; b++) {
      const p = `layer${li + 1}.${b}`, cin = b === 0 ? inC : c;
      out.push({ name: `${p}.conv1.weight`, shape: [c, cin, 3, 3], dtype: 'float32' });
      bn(`${p}.bn1`, c);
      out.push({ name: `${p}.conv2.weight`, shape: [c, c, 3, 3], dtype: 'float32' });
      bn(`${p}.bn2`, c);
      if (b === 0 && cin !== c) {
        out.push({ name: `${p}.downsample.0.weight`, shape: [c, cin, 1, 1], dtype: 'float32' });
        bn(`${p}.downsample.1`, c);
      }
    }
    inC = c;
  });
  out.push({ name: 'fc.weight', shape: [1000, 512], dtype: 'float32' }, { name: 'fc.bias', shape: [1000], dtype: 'float32' });
  return out;
}

/** Deterministic values, produced when the writer reaches the tensor: ±1/√fan_in, variances near 1. */
function withValues(tensors) {
  return tensors.map((t, k) => ({
    ...t,
    data: () => {
      const n = t.shape.reduce((a, b) => a * b, 1);
      if (t.dtype === 'int64') return BigInt64Array.of(1000n);
      const a = new Float32Array(n);
      const scale = t.shape.length > 1 ? 1 / Math.sqrt(n / t.shape[0]) : 0.02;
      const base = /running_var|ln_\d\.weight|ln_f\.weight|bn\d?\.weight/.test(t.name) ? 1 : 0;
      let s = (k * 2654435761 + 1) >>> 0;
      for (let i = 0; i < n; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; a[i] = base + (s / 2 ** 32 - 0.5) * 2 * scale; }
      return a;
    },
  }));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-bench-inspect-'));
try {
  // Our side: the inspect command bundled with a wrapper that times it and reports the peak RSS
  // (the command itself, not src/cli.ts, which would also run as the program when bundled).
  const entry = path.join(dir, 'entry.ts');
  fs.writeFileSync(entry, `import { inspectCommand } from ${JSON.stringify(path.join(root, 'src/cli/commands/inspect.ts'))};
const lines: string[] = [];
const t0 = performance.now();
const c0 = process.cpuUsage();
inspectCommand(process.argv.slice(2), { out: (t) => lines.push(t), err: (t) => process.stderr.write(t + '\\n') }).then((code) => {
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  const json = JSON.parse(lines.join('\\n'));
  process.stdout.write(JSON.stringify({ code, seconds: ms / 1000, cpu_seconds: (cpu.user + cpu.system) / 1e6, maxrss_kib: process.resourceUsage().maxRSS, tensors: Object.keys(json.parameters).length + Object.keys(json.buffers).length,
    stats: Object.fromEntries([...Object.entries(json.parameters), ...Object.entries(json.buffers)].map(([k, v]: [string, any]) => [k, [v.mean, v.std]])) }) + '\\n');
});
`);
  const cli = path.join(dir, 'inspect-cli.cjs');
  await esbuild.build({ entryPoints: [entry], outfile: cli, bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning' });
  const writer = path.join(dir, 'pytorchFile.mjs');
  await esbuild.build({ entryPoints: [path.join(root, 'src/format/pytorchFile.ts')], outfile: writer, bundle: true, platform: 'node', format: 'esm', logLevel: 'warning' });
  const { writePytorchFile } = await import(pathToFileURL(writer).href);

  const peerMissing = (() => {
    const r = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
    return r.error ? `${PYTHON} not found` : r.status !== 0 ? `${PYTHON} cannot import torch` : undefined;
  })();
  if (peerMissing) console.log(`peer skipped: ${peerMissing}`);

  const run = (cmd, args) => {
    const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
    return JSON.parse(r.stdout.trim().split('\n').pop());
  };

  // Node's own resident memory (the runtime and the bundled code, no tensor): inspect of an empty state_dict.
  const emptyFile = path.join(dir, 'empty.pth');
  await writePytorchFile(emptyFile, []);
  const baseline = run(process.execPath, [cli, emptyFile, '--json']).maxrss_kib * 1024;

  console.log(`weightscope inspect vs torch.load + the same statistics (one thread), ${RUNS} runs each, alternating; ${os.cpus().length} cores`);
  let met = true;
  const files = [['GPT-2-small .pt', 'gpt2.pt', gpt2()], ['ResNet-18 .pth', 'resnet18.pth', resnet18()]].filter(([, f]) => !ONLY || f.startsWith(ONLY));
  for (const [label, file, tensors] of files) {
    const full = path.join(dir, file);
    const t0 = performance.now();
    await writePytorchFile(full, withValues(tensors));
    const size = fs.statSync(full).size;
    console.log(`\n${label}: ${mib(size)}, ${tensors.length} tensors (written in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    const ours = [], peer = [];
    for (let i = 0; i < RUNS; i++) {
      ours.push(run(process.execPath, [cli, full, '--json']));
      if (!peerMissing) peer.push(run(PYTHON, [path.join(root, 'bench/inspect_peer.py'), full]));
    }
    if (ours[0].tensors !== tensors.length) throw new Error(`inspect listed ${ours[0].tensors} tensors, expected ${tensors.length}`);
    const oursCpu = median(ours.map((r) => r.cpu_seconds));
    const oursS = median(ours.map((r) => r.seconds)), oursRss = Math.max(...ours.map((r) => r.maxrss_kib)) * 1024;
    console.log(`  inspect:    ${oursS.toFixed(2)} s (runs ${ours.map((r) => r.seconds.toFixed(2)).join(', ')}; CPU ${oursCpu.toFixed(2)} s), peak RSS ${mib(oursRss)} = ${(oursRss / size).toFixed(2)}× the file (target < 1.2×);`
      + ` ${mib(oursRss - baseline)} = ${((oursRss - baseline) / size).toFixed(2)}× above Node's own ${mib(baseline)}`);
    if (oursRss >= 1.2 * size) console.log(`  memory target NOT met${oursRss - baseline < 1.2 * size ? ' (met above the runtime\'s own baseline)' : ''}`);
    met &&= oursRss < 1.2 * size;
    if (peer.length) {
      const peerCpu = median(peer.map((r) => r.cpu_seconds));
      const peerS = median(peer.map((r) => r.seconds)), peerRss = Math.max(...peer.map((r) => r.maxrss_kib)) * 1024;
      console.log(`  torch peer: ${peerS.toFixed(2)} s (runs ${peer.map((r) => r.seconds.toFixed(2)).join(', ')}; CPU ${peerCpu.toFixed(2)} s), peak RSS ${mib(peerRss)} = ${(peerRss / size).toFixed(2)}× the file`);
      console.log(`  time ratio inspect / peer: ${(oursS / peerS).toFixed(2)} (target ≤ 1); CPU time ratio ${(oursCpu / peerCpu).toFixed(2)} (the fairer figure on a shared machine)`);
      met &&= oursS <= peerS;
      // The two compute the same statistics: check they agree, so the race is a fair one.
      let worst = 0;
      for (const [name, [m, s]] of Object.entries(peer[0].stats)) {
        const [om, os_] = ours[0].stats[name];
        worst = Math.max(worst, Math.abs(om - m) / (Math.abs(s) + 1e-12), Math.abs(os_ - s) / (Math.abs(s) + 1e-12));
      }
      console.log(`  statistics agree with the peer's: largest difference ${worst.toExponential(1)} of a std`);
      if (worst > 1e-6) throw new Error('inspect and the peer disagree on the statistics');
    }
    fs.rmSync(full);
  }
  console.log(`\ntargets ${met ? 'met' : 'NOT met'}`);
  if (!met) process.exitCode = 1;
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
