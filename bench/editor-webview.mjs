#!/usr/bin/env node
// The editor webview's main thread while a user browses GPT-2-small (issue 13: "no long task over
// ~50 ms"), in the real VS Code: runs bench/e2e/webviewLongTasks.e2e.mjs through the UI e2e
// harness and prints the long tasks of the webview beside those of VS Code's own workbench window
// during the same scrolling and clicks (the peer: what the editor around the webview costs).
// Usage: node bench/editor-webview.mjs   (needs the harness set up: bash test/harness/setup.sh)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-webview-')), 'result.json');
const r = spawnSync(process.execPath, [path.join(root, 'test/harness/run-e2e.mjs'), path.join(root, 'bench/e2e/webviewLongTasks.e2e.mjs')], {
  cwd: root, encoding: 'utf8', env: { ...process.env, WEIGHTSCOPE_BENCH_OUT: out },
});
if (!fs.existsSync(out)) {
  console.error(r.stdout, r.stderr);
  console.error('the benchmark scenario left no result');
  process.exit(2);
}
const results = JSON.parse(fs.readFileSync(out, 'utf8'));
const longest = (tasks) => (tasks.length ? `${Math.max(...tasks.map((t) => t.ms))} ms` : 'none');
const list = (tasks) => (tasks.length ? tasks.map((t) => t.ms).join(', ') : '–');
console.log(`\n${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}`);
console.log('| file | clicked tensor: values arrived / heatmap painted after the click (ms) | webview main thread: longest task (≤ ~50 ms) | its long tasks (ms) | peer: VS Code workbench window, same clicks | its long tasks (ms) |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const x of results) {
  const painted = x.clicks.map((c) => `${c.name} ${c.arrived} / ${c.painted}`).join('; ');
  console.log(`| ${path.basename(x.file)} | ${painted} | ${longest(x.webview)} | ${list(x.webview)} | ${longest(x.workbench)} | ${list(x.workbench)} |`);
}
