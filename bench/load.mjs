// Load benchmark (issue 2): parseCheckpoint against plain JSON.parse of the same text, for 1M- and
// 10M-parameter checkpoints in each data encoding (nested arrays, flat array, base64).
// Targets: base64 ≤ 1.2× JSON.parse, nested ≤ 1.2× JSON.parse, peak memory < 3× the file size.
// Times: interleaved runs in this process (full GC before each), median of a few and the ratio
// of the best runs. Memory: each case in a fresh child
// process (maxRSS above the child's own baseline, so the numbers are not polluted by this one).
// Usage: node bench/load.mjs [--sizes 1e6,1e7] [--reps N]
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';

const here = path.dirname(fileURLToPath(import.meta.url));
const buildDir = path.join(here, '.build');
const bundle = path.join(buildDir, 'format.mjs');

const argv = process.argv.slice(2);
const opt = (name, dflt) => { const i = argv.indexOf(`--${name}`); return i >= 0 ? argv[i + 1] : dflt; };

// A child run: `node load.mjs --child FILE MODE` prints {maxRssDelta, heapAfter} as JSON.
if (argv[0] === '--child') {
  const [, file, mode] = argv;
  const { parseCheckpoint } = await import(bundle);
  if (global.gc) global.gc();
  const base = process.memoryUsage().rss;
  const text = fs.readFileSync(file, 'utf8');
  const result = mode === 'json' ? JSON.parse(text) : parseCheckpoint(text, file);
  const peakKb = process.resourceUsage().maxRSS;
  const heap = process.memoryUsage().heapUsed;
  process.stdout.write(JSON.stringify({ peakDelta: peakKb * 1024 - base, heap, keep: typeof result }));
  process.exit(0);
}

fs.mkdirSync(buildDir, { recursive: true });
fs.writeFileSync(path.join(buildDir, '.gitignore'), '*\n'); // build output stays out of git
await esbuild.build({
  entryPoints: [path.join(here, '../src/format/index.ts')], bundle: true, platform: 'node', format: 'esm',
  target: 'node20', outfile: bundle, logLevel: 'warning',
});
const { parseCheckpoint, serializeCheckpoint, emptyCheckpoint } = await import(bundle);

const sizes = opt('sizes', '1e6,1e7').split(',').map(Number);
const reps = Number(opt('reps', '5'));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-bench-load-'));

/** Weights like a trained layer's: normal(0, 0.05) float32 from a small seeded generator. */
function weights(n) {
  const out = new Float32Array(n);
  let s = 0x9e3779b9;
  const u = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return (s + 1) / 4294967297; };
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(u())), t = 2 * Math.PI * u();
    out[i] = 0.05 * r * Math.cos(t);
    if (i + 1 < n) out[i + 1] = 0.05 * r * Math.sin(t);
  }
  return out;
}

function writeCase(n, encoding) {
  const file = path.join(tmp, `p${n}-${encoding}.weights.json`);
  const cols = 1000, rows = n / cols;
  const c = emptyCheckpoint();
  const data = weights(n);
  if (encoding === 'flat') {
    // The writer never chooses flat; write a 1-D tensor and relabel its shape as [rows, cols].
    c.parameters.set('layer.weight', { shape: [n], dtype: 'float32', requires_grad: true, data });
    const text = serializeCheckpoint(c, { encoding: 'nested' }).replace(`"shape": [${n}]`, `"shape": [${rows}, ${cols}]`);
    fs.writeFileSync(file, text);
  } else {
    c.parameters.set('layer.weight', { shape: [rows, cols], dtype: 'float32', requires_grad: true, data });
    fs.writeFileSync(file, serializeCheckpoint(c, { encoding }));
  }
  return file;
}

// A full GC before each timed run, so neither side pays for the other's garbage.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const ms = (x) => x.toFixed(0).padStart(6);
const mb = (b) => (b / 2 ** 20).toFixed(1);

function child(file, mode) {
  const out = execFileSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child', file, mode], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out);
}

const rows = [];
try {
  for (const n of sizes) {
    for (const encoding of ['nested', 'flat', 'base64']) {
      const t0 = performance.now();
      const file = writeCase(n, encoding);
      const writeMs = performance.now() - t0;
      const size = fs.statSync(file).size;
      const text = fs.readFileSync(file, 'utf8');
      const tJson = [], tParse = [];
      for (let r = 0; r < reps; r++) { // interleaved, so drift and GC hit both alike
        gc();
        let s = performance.now(); JSON.parse(text); tJson.push(performance.now() - s);
        gc();
        s = performance.now(); parseCheckpoint(text, file); tParse.push(performance.now() - s);
      }
      const memParse = child(file, 'parse'), memJson = child(file, 'json');
      const row = {
        params: n, encoding, fileMB: mb(size), writeMs: writeMs.toFixed(0),
        jsonParseMs: median(tJson), parseMs: median(tParse),
        ratio: median(tParse) / median(tJson),
        // On a shared, loaded machine the best run of each is the least disturbed estimate.
        bestRatio: Math.min(...tParse) / Math.min(...tJson),
        memParse: memParse.peakDelta / size, memJson: memJson.peakDelta / size,
      };
      rows.push(row);
      console.log(`${String(n).padStart(9)} ${encoding.padEnd(7)} file ${row.fileMB.padStart(7)} MB  JSON.parse ${ms(row.jsonParseMs)} ms  parseCheckpoint ${ms(row.parseMs)} ms  ratio ${row.ratio.toFixed(2)} (best-of ${row.bestRatio.toFixed(2)})  peak RSS ${row.memParse.toFixed(2)}× file (JSON.parse alone ${row.memJson.toFixed(2)}×)  [written in ${row.writeMs} ms]`);
      fs.rmSync(file);
    }
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
console.log(`\ntargets: ratio ≤ 1.2 (nested, base64), peak memory < 3× file size; load average during the run: ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs`);
