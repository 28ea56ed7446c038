// Opening a 2 GB .safetensors lists its tensors without reading them: the bench writes a sparse
// 2 GB file (header + 200 float32 tensors of 10 MB, the data a hole, so it takes no disk), then
// times openSafetensors (header + list), one lazy tensor read, and, as the peer measured in the
// same run, a plain sequential read of the whole file (what an eager reader costs at the least).
// Usage: node bench/safetensors.mjs   (bundles src/format with esbuild into a temp folder first)
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-bench-st-'));
try {
  const bundle = path.join(dir, 'safetensorsFile.mjs');
  await esbuild.build({ entryPoints: ['src/format/safetensorsFile.ts'], outfile: bundle, bundle: true, platform: 'node', format: 'esm', logLevel: 'warning' });
  const { openSafetensors } = await import(pathToFileURL(bundle).href);

  const TENSORS = 200, ROWS = 2560, COLS = 1024; // 200 × 10 MiB ≈ 2 GiB
  const bytesEach = ROWS * COLS * 4;
  const header = {};
  for (let i = 0; i < TENSORS; i++) {
    header[`layers.${i}.weight`] = { dtype: 'F32', shape: [ROWS, COLS], data_offsets: [i * bytesEach, (i + 1) * bytesEach] };
  }
  let text = Buffer.from(JSON.stringify(header));
  text = Buffer.concat([text, Buffer.alloc((8 - (text.length % 8)) % 8, 0x20)]);
  const file = path.join(dir, 'big.safetensors');
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(text.length));
  fs.writeFileSync(file, Buffer.concat([len, text]));
  fs.truncateSync(file, 8 + text.length + TENSORS * bytesEach); // sparse: the data is a hole
  const size = fs.statSync(file).size;

  let t0 = performance.now();
  const opened = await openSafetensors(file);
  const openMs = performance.now() - t0;
  if (opened.tensors.length !== TENSORS) throw new Error(`listed ${opened.tensors.length} tensors, expected ${TENSORS}`);

  t0 = performance.now();
  const one = await opened.tensors[TENSORS - 1].read();
  const readOneMs = performance.now() - t0;
  if (one.data.length !== ROWS * COLS) throw new Error('wrong element count');

  // Peer: read every byte once, 64 MiB at a time (no parsing, no allocation per tensor).
  t0 = performance.now();
  const fd = fs.openSync(file, 'r');
  const chunk = Buffer.allocUnsafe(64 << 20);
  let total = 0;
  for (let n; (n = fs.readSync(fd, chunk, 0, chunk.length, total)) > 0;) total += n;
  fs.closeSync(fd);
  const fullMs = performance.now() - t0;

  const gib = (size / 2 ** 30).toFixed(2);
  console.log(`file: ${gib} GiB, ${TENSORS} tensors, header ${text.length} bytes`);
  console.log(`openSafetensors (header + list): ${openMs.toFixed(1)} ms  (target < 2000 ms)`);
  console.log(`read one 10 MiB tensor lazily:   ${readOneMs.toFixed(1)} ms`);
  console.log(`peer, read the whole file once:  ${fullMs.toFixed(1)} ms`);
  console.log(`ratio open / whole-file read:    ${(openMs / fullMs).toFixed(4)}`);
  if (openMs >= 2000) process.exitCode = 1;
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
