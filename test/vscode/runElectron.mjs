#!/usr/bin/env node
// Run the extension-host suite in a DESKTOP VS Code with @vscode/test-electron (downloads VS Code
// from update.code.visualstudio.com, so it needs that host; CI here uses test/harness/run-ext-tests.mjs
// with code-server instead). Same suite: dist-test/suite/index.js exporting run().
// Usage: node scripts/build.mjs --tests && node test/vscode/runElectron.mjs [--workspace DIR] [--version 1.139.1]
import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const argv = process.argv.slice(2);
const opt = (n, d) => { const i = argv.indexOf(`--${n}`); return i >= 0 ? argv[i + 1] : d; };

// A scratch copy of examples/ (+ test/fixtures/e2e-ws/), like the code-server runner uses.
const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'weightscope-ext-tests-'));
for (const src of [opt('workspace', path.join(root, 'examples')), path.join(root, 'test/fixtures/e2e-ws')]) {
  if (fs.existsSync(src)) fs.cpSync(src, ws, { recursive: true });
}
try {
  await runTests({
    version: opt('version', 'stable'),
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(root, 'dist-test/suite/index.js'),
    launchArgs: [ws, '--disable-extensions', '--skip-welcome', '--skip-release-notes'],
  });
} catch (e) {
  console.error(`extension-host tests failed: ${e?.message ?? e}`);
  process.exitCode = 1;
} finally {
  fs.rmSync(ws, { recursive: true, force: true });
}
