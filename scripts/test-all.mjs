#!/usr/bin/env node
// `npm test`: every test, in order, each phase under a hard timeout:
//   1. test/harness/setup.sh        real VS Code (code-server) + chromium, cached outside the repo
//   2. build                        node scripts/build.mjs --tests, then npm run package (weightscope.vsix)
//   3. unit                         vitest
//   4. extension host               mocha inside a real VS Code (test/harness/run-ext-tests.mjs)
//   5. UI end-to-end                test/e2e/*.e2e.mjs against the installed .vsix (test/harness/run-e2e.mjs)
// Phase timeouts add up to 90 min (CI's limit; UI scenarios get most, ~30-90 s each on 2 busy cores);
// a normal run takes ~10-30 min plus ~3-8 min for a cold setup.
// The LAST line is exactly `N passed, N failed`, summed over the phases. A phase that crashes, times
// out or cannot report counts as a failure; setup/build count only when they fail. Exit 1 on any failure.
// Options: --skip-setup, --only unit|ext|e2e (repeatable) to run a subset (the build still runs).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS = path.join(ROOT, 'test-results');
fs.mkdirSync(RESULTS, { recursive: true });
const argv = process.argv.slice(2);
const only = argv.flatMap((a, i) => (a === '--only' ? [argv[i + 1]] : []));
const wants = (p) => !only.length || only.includes(p);

let current = null; // the running phase's process group, killed on Ctrl-C / SIGTERM
for (const [sig, n] of [['SIGINT', 2], ['SIGTERM', 15], ['SIGHUP', 1]]) {
  process.on(sig, () => { if (current) try { process.kill(-current.pid, 'SIGKILL'); } catch { /* gone */ } process.exit(128 + n); });
}

/** Run a command in its own process group with the output passed through; kill the whole group
 *  at the deadline. Resolves to { code, timedOut, seconds }. */
function run(cmd, args, timeoutS) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], detached: true });
    current = child;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      console.log(`\n!!! ${cmd} ${args.join(' ')}: no end after ${timeoutS} s, killing it`);
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
      setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, 5000).unref();
    }, timeoutS * 1000);
    const done = (code) => {
      clearTimeout(timer);
      current = null;
      // The leader is gone; make sure nothing it started lives on (a stray server, a browser).
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
      resolve({ code: timedOut ? 124 : code, timedOut, seconds: Math.round((Date.now() - started) / 1000) });
    };
    child.on('exit', (code, signal) => done(code ?? (signal ? 128 : 1)));
    child.on('error', (e) => { console.log(`!!! cannot start ${cmd}: ${e.message}`); done(127); });
  });
}

const readJson = (file) => { try { return JSON.parse(fs.readFileSync(file, 'utf8')); } catch { return null; } };
const summary = [];
let totalPassed = 0, totalFailed = 0;
function record(phase, passed, failed, note) {
  totalPassed += passed;
  totalFailed += failed;
  summary.push(`${phase.padEnd(16)} ${String(passed).padStart(4)} passed, ${String(failed).padStart(3)} failed${note ? `  (${note})` : ''}`);
  console.log(`\n=== ${phase}: ${passed} passed, ${failed} failed${note ? ` (${note})` : ''}\n`);
}
const banner = (s) => console.log(`\n=== ${s} ===`);

/** A phase that either works or counts as one failure. */
async function step(phase, cmd, args, timeoutS) {
  banner(phase);
  const r = await run(cmd, args, timeoutS);
  if (r.code !== 0) record(phase, 0, 1, r.timedOut ? `timed out after ${timeoutS} s` : `exit ${r.code}`);
  else console.log(`=== ${phase}: ok in ${r.seconds} s`);
  return r.code === 0;
}

/** A test phase reporting counts in a JSON result file; a missing file or a failing exit with no
 *  counted failure counts as one failure. */
async function testPhase(phase, cmd, args, timeoutS, resultFile, count) {
  banner(phase);
  fs.rmSync(resultFile, { force: true });
  const r = await run(cmd, args, timeoutS);
  const json = readJson(resultFile);
  let { passed, failed, pending } = json ? count(json) : { passed: 0, failed: 0, pending: 0 };
  let note = `${r.seconds} s${pending ? `, ${pending} pending` : ''}`;
  if (r.timedOut) { failed += 1; note += `, timed out after ${timeoutS} s`; }
  else if (!json) { failed += 1; note += `, no results (exit ${r.code})`; }
  else if (r.code !== 0 && failed === 0) { failed += 1; note += `, exit ${r.code}`; }
  record(phase, passed, failed, note);
}

const t0 = Date.now();
const node = process.execPath;
const vscodeReady = argv.includes('--skip-setup') || !(wants('ext') || wants('e2e'))
  ? true : await step('setup (real VS Code)', 'bash', ['test/harness/setup.sh'], 900);
const built = (await step('build', node, ['scripts/build.mjs', '--tests'], 300))
  && (!wants('e2e') || (await step('package (.vsix)', 'npm', ['run', '--silent', 'package'], 300)));

if (wants('unit')) {
  const out = path.join(RESULTS, 'vitest.json');
  await testPhase('unit (vitest)', 'npx', ['vitest', 'run', '--passWithNoTests', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`],
    600, out, (j) => {
      // A test file that fails to load has no test results: count each such file as a failure.
      const brokenFiles = (j.testResults ?? []).filter((f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed')).length;
      return { passed: j.numPassedTests ?? 0, failed: (j.numFailedTests ?? 0) + brokenFiles, pending: (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0) };
    });
}
const countRunner = (j) => ({ passed: j.passed ?? 0, failed: j.failed ?? 0, pending: j.pending ?? 0 });
if (wants('ext')) {
  if (!vscodeReady || !built) record('extension host', 0, 1, 'not run: setup or build failed');
  else {
    const out = path.join(RESULTS, 'ext-host.json');
    await testPhase('extension host', node, ['test/harness/run-ext-tests.mjs', '--no-build', '--result-file', out], 600, out, countRunner);
  }
}
if (wants('e2e')) {
  if (!vscodeReady || !built) record('UI e2e', 0, 1, 'not run: setup, build or packaging failed');
  else {
    const out = path.join(RESULTS, 'e2e.json');
    await testPhase('UI e2e', node, ['test/harness/run-e2e.mjs', '--no-package', '--result-file', out], 2700, out, countRunner);
  }
}

console.log(`\n=== summary (${Math.round((Date.now() - t0) / 1000)} s) ===`);
for (const line of summary) console.log(line);
console.log(`${totalPassed} passed, ${totalFailed} failed`);
process.exit(totalFailed ? 1 : 0);
