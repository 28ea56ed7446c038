// The compare view's targets (issue 15) on a GPT-2-sized pair (124 M float32 parameters, ~500 MB
// per .safetensors file, the last two blocks "fine-tuned"; test/harness/gpt2Pair.ts): the first
// table rows within 2 s, and a selected tensor's Δ ready to paint within 1 s — measured on the
// view's host pipeline (bench/compareViewRun.ts: openAnyLazy, compareSources, pairMessage) in a
// child process, beside a peer in the same run on the same files: NumPy, memory-mapping both files
// and computing the first pair's difference and the selected tensor's B − A (the least a Python
// user does before seeing anything). The selected tensor is the largest, wte.weight [50257, 768].
// Usage: node bench/compare-view.mjs [--layers N]
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const layersArg = process.argv.indexOf('--layers');
const layers = layersArg > 0 ? Number(process.argv[layersArg + 1]) : 12;
const PYTHON = process.env.PYTHON ?? '/usr/bin/python3';
const SELECTED = 'wte.weight';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-bench-compare-view-'));
const s = (ms) => `${(ms / 1000).toFixed(2)} s`;

const PEER = `
import json, struct, sys, time
import numpy as np
t0 = time.perf_counter()
def arrays(p):
    with open(p, 'rb') as f:
        (n,) = struct.unpack('<Q', f.read(8)); h = json.loads(f.read(n))
    h.pop('__metadata__', None)
    mm = np.memmap(p, dtype=np.uint8, mode='r')
    return {k: mm[8 + n + e['data_offsets'][0]:8 + n + e['data_offsets'][1]].view(np.float32).reshape(e['shape']) for k, e in h.items()}
a, b = arrays(sys.argv[1]), arrays(sys.argv[2])
first = next(iter(a))
d = b[first] - a[first]; float(np.abs(d).max())
t_first = time.perf_counter() - t0
t1 = time.perf_counter()
d = b['${SELECTED}'] - a['${SELECTED}']; float(np.abs(d).max())
print(json.dumps({'firstValues': t_first * 1000, 'pictures': (time.perf_counter() - t1) * 1000}))
`;

try {
  const run = path.join(dir, 'run.cjs'), pairMod = path.join(dir, 'gpt2Pair.mjs');
  await esbuild.build({ entryPoints: ['bench/compareViewRun.ts'], outfile: run, bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning' });
  await esbuild.build({ entryPoints: ['test/harness/gpt2Pair.ts'], outfile: pairMod, bundle: true, platform: 'node', format: 'esm', logLevel: 'warning' });
  const { writeGpt2Pair } = await import(pathToFileURL(pairMod).href);
  const a = path.join(dir, 'gpt2-a.safetensors'), b = path.join(dir, 'gpt2-b.safetensors');
  const pair = await writeGpt2Pair(a, b, { layers });
  console.log(`pair: ${pair.params.toLocaleString('en')} float32 parameters per file, ${pair.shapes.length} tensors; ${pair.changed.length} differ`);
  console.log(`machine: ${os.cpus().length} cores, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
  // Two rounds, ours then the peer each time: the first round pays for a cold page cache in turn,
  // the second compares both on warm files.
  const hasNumpy = spawnSync(PYTHON, ['-c', 'import numpy']).status === 0;
  if (!hasNumpy) console.log(`peer numpy: skipped (no numpy for ${PYTHON})`);
  for (let round = 1; round <= 2; round++) {
    const ours = spawnSync(process.execPath, [run, a, b, SELECTED], { encoding: 'utf8' });
    if (ours.status !== 0) throw new Error(ours.stderr);
    const r = JSON.parse(ours.stdout.trim().split('\n').at(-1));
    console.log(`round ${round}`);
    console.log(`  compare view (host): headers ${s(r.opened)}; first row with values ${s(r.firstValues)}   [target ≤ 2 s]; whole table (${r.rows} rows) ${s(r.table)}`);
    console.log(`                       ${SELECTED} selected: A, B and Δ ready to paint (${r.grid.join(' × ')} cells, ${(r.messageBytes / 2 ** 20).toFixed(1)} MiB to send) in ${s(r.pictures)}   [target ≤ 1 s]; peak RSS ${(r.peakRss / 2 ** 20).toFixed(0)} MiB`);
    if (!hasNumpy) continue;
    const p = spawnSync(PYTHON, ['-c', PEER, a, b], { encoding: 'utf8' });
    if (p.status !== 0) { console.log(`  peer numpy failed: ${p.stderr.trim().split('\n').at(-1)}`); continue; }
    const q = JSON.parse(p.stdout.trim().split('\n').at(-1));
    console.log(`  peer, NumPy memmap:  first pair's difference ${s(q.firstValues)}; ${SELECTED}'s B − A ${s(q.pictures)}`);
    console.log(`  ratios (ours / peer): first values ${(r.firstValues / q.firstValues).toFixed(2)}×, selected tensor ${(r.pictures / q.pictures).toFixed(2)}×`);
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
