#!/usr/bin/env node
// Regenerates examples/*.weights.json with the project's own engine (see make_examples.ts):
// bundles that TypeScript with esbuild into a temporary file, then runs it.
// Usage: node scripts/make_examples.mjs [OUT_DIR]   (default: examples/)
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const outDir = path.resolve(process.argv[2] ?? path.join(root, 'examples'));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-examples-'));
const bundle = path.join(tmp, 'make_examples.cjs');
try {
  await esbuild.build({
    entryPoints: [path.join(root, 'scripts', 'make_examples.ts')], outfile: bundle,
    bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning',
  });
  const { makeExamples } = await import(pathToFileURL(bundle).href);
  await makeExamples(outDir);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
