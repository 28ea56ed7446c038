// Bundles the programs with esbuild:
//   dist/extension.js  the extension host code (Node, CommonJS, `vscode` external)
//   dist/trainWorker.js the training worker thread the extension host starts
//   dist/parseWorker.js the worker thread that parses a large .weights.json off the host's thread
//   dist/webview.js    the editor's browser code (IIFE)
//   dist/compare.js    the compare view's browser code (IIFE)
//   dist/cli.js        the `weightscope` command line
// and the extension-host test suite (dist-test/suite/*.js) when --tests is given.
// Usage: node scripts/build.mjs [--watch] [--production] [--tests]
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning', target: 'es2022' };
const node = { ...common, platform: 'node', format: 'cjs', target: 'node20' };

const builds = [
  { ...node, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { ...node, entryPoints: ['src/extension/train/trainWorker.ts'], outfile: 'dist/trainWorker.js', optional: true },
  { ...node, entryPoints: ['src/extension/editor/parseWorker.ts'], outfile: 'dist/parseWorker.js' },
  { ...node, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js' },
  { ...common, platform: 'browser', format: 'iife', entryPoints: ['src/webview/main.ts'], outfile: 'dist/webview.js' },
  { ...common, platform: 'browser', format: 'iife', entryPoints: ['src/webview/compare/main.ts'], outfile: 'dist/compare.js', optional: true },
];
if (args.has('--tests')) {
  const suite = 'test/vscode/suite';
  // Benchmarks that need the real extension host ride along; the suite's index loads them only on request.
  const benches = 'bench/exthost';
  const entries = [
    ...fs.readdirSync(suite).filter((f) => f.endsWith('.ts')).map((f) => path.join(suite, f)),
    ...fs.readdirSync(benches).filter((f) => f.endsWith('.bench.ts')).map((f) => path.join(benches, f)),
  ];
  builds.push({ ...node, entryPoints: entries, outdir: 'dist-test/suite', entryNames: '[name]', bundle: true, external: ['vscode', 'mocha'] });
}

const contexts = [];
for (const { optional, ...b } of builds) {
  if (optional && !b.entryPoints.every((e) => fs.existsSync(e))) continue;
  if (args.has('--watch')) {
    const ctx = await esbuild.context(b);
    await ctx.watch();
    contexts.push(ctx);
  } else {
    await esbuild.build(b);
  }
}
if (fs.existsSync('dist/cli.js')) {
  const cli = fs.readFileSync('dist/cli.js', 'utf8');
  if (!cli.startsWith('#!')) fs.writeFileSync('dist/cli.js', '#!/usr/bin/env node\n' + cli);
  fs.chmodSync('dist/cli.js', 0o755);
}
if (args.has('--watch')) console.log(`watching ${contexts.length} bundles…`);
