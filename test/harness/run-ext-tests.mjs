#!/usr/bin/env node
// Run the extension-host integration tests (test/vscode/suite/*.test.ts, bundled into
// dist-test/suite/ by `node scripts/build.mjs --tests`) INSIDE a real VS Code: code-server's Node
// extension host loads the repo as extensionDevelopmentPath and dist-test/suite/index.js as
// extensionTestsPath (the @vscode/test-electron contract), with headless chromium as the window.
//
// Usage: node test/harness/run-ext-tests.mjs [--grep TEXT] [--workspace DIR] [--env K=V ...]
//          [--timeout SECONDS] [--result-file FILE] [--no-build]
// Prints mocha's spec output, then `ext-host: N passed, N failed, N pending`.
// Exit code: 0 all passed, 1 a test failed, 2 harness problem (no result, timeout, crash).
import path from 'node:path';
import fs from 'node:fs';
import util from 'node:util';
import { spawnSync } from 'node:child_process';
import { ROOT, RESULTS_DIR, ensureSetup, startCodeServer, workbenchUrl, devPayload, launchBrowser, makeWorkspace, scratchDir } from './lib.mjs';

const argv = process.argv.slice(2);
const opt = (n, d) => { const i = argv.indexOf(`--${n}`); return i >= 0 ? argv[i + 1] : d; };
const timeoutS = Number(opt('timeout', '540')); // below npm test's 600 s for this phase, so we report it ourselves
const resultOut = opt('result-file');
const extEnv = {};
argv.forEach((a, i) => { if (a === '--env') { const [k, ...v] = argv[i + 1].split('='); extEnv[k] = v.join('='); } });
if (opt('grep')) extEnv.WEIGHTSCOPE_TEST_GREP = opt('grep');

const t0 = Date.now();
const T = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
const say = (s) => console.error(`[ext-host ${T()}] ${s}`);

function finish(result, code) {
  const line = `ext-host: ${result.passed} passed, ${result.failed} failed, ${result.pending} pending`;
  console.log(line);
  if (resultOut) fs.writeFileSync(resultOut, JSON.stringify(result));
  process.exit(code);
}

if (!argv.includes('--no-build')) {
  const b = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs'), '--tests'], { cwd: ROOT, stdio: 'inherit' });
  if (b.status !== 0) { say('build failed'); finish({ passed: 0, failed: 1, pending: 0, error: 'build failed' }, 2); }
}
const suiteIndex = path.join(ROOT, 'dist-test/suite/index.js');
if (!fs.existsSync(suiteIndex)) { say(`${suiteIndex} missing`); finish({ passed: 0, failed: 1, pending: 0, error: 'no bundled suite' }, 2); }

ensureSetup();
const ws = opt('workspace') ? makeWorkspace('ext-tests', { sources: [opt('workspace')] }) : makeWorkspace('ext-tests');
const runDir = scratchDir('ext-tests');
const resultFile = path.join(runDir, 'result.json');
const automationLog = path.join(runDir, 'automation.log');
// Workbench chatter that also arrives through codeAutomationLog: kept in automationLog, not printed.
const NOISE = /^(Resolving|Resolved) connection token|^Creating a socket|^\[reconnection-grace-time\]|^Ignoring fetching additional builtin|^\[Service Worker\]|^\[AgentHost|^\[AccountPolicyGate\]|^Creation of workbench contribution|^Updating additional builtin extensions cache|ENOTFOUND|getaddrinfo|^%c|^Timed out waiting for authentication provider/;

const server = await startCodeServer({ runDir, smokeTestDriver: true }); // the payload needs the driver
say(`code-server ${server.base} up in ${server.startMs} ms; workspace ${ws}`);
const browser = await launchBrowser();
let code = 2;
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const exited = new Promise((resolve) => {
    // The workbench calls these globals when they exist (VS Code's IAutomatedWindow contract).
    page.exposeFunction('codeAutomationLog', (type, args) => {
      let line = util.format(...(Array.isArray(args) ? args : [args])); // printf-style console arguments
      if (!process.stdout.isTTY) line = line.replace(/\x1b\[[0-9;]*m/g, ''); // no colour codes in CI logs
      fs.appendFileSync(automationLog, line + '\n');
      if (!NOISE.test(line) || process.env.VERBOSE) console.log(line);
    });
    page.exposeFunction('codeAutomationExit', (c) => resolve(c));
  });
  page.on('pageerror', (e) => say(`[pageerror] ${e.message}`));
  const payload = devPayload(server, { testsPath: suiteIndex, env: { ...extEnv, WEIGHTSCOPE_TEST_RESULT_FILE: resultFile } });
  await page.goto(workbenchUrl(server, { folder: ws, payload }));
  const exit = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), timeoutS * 1000))]);
  if (exit === 'timeout') say(`no exit from the extension host within ${timeoutS} s`);
  else code = exit;
  if (code !== 0 && code !== 1) {
    fs.mkdirSync(path.join(RESULTS_DIR, 'screens'), { recursive: true });
    await page.screenshot({ path: path.join(RESULTS_DIR, 'screens', 'ext-host-FAIL.png') }).catch(() => {});
  }
} catch (e) {
  say(`harness error: ${e.stack ?? e}`);
} finally {
  await browser.close().catch(() => {});
  await server.stop();
}

let result = { passed: 0, failed: 0, pending: 0 };
if (fs.existsSync(resultFile)) result = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
if (code === 0 && !fs.existsSync(resultFile)) code = 2; // exit 0 without results: the suite never ran
if (code !== 0 && result.failed === 0) result.failed = 1; // crashed / timed out / failed to load: count it
if (code === 0) { fs.rmSync(runDir, { recursive: true, force: true }); fs.rmSync(path.dirname(ws), { recursive: true, force: true }); }
else say(`kept for inspection: ${runDir} (code-server.log, automation.log)`);
say(`extension host exit code ${code}`);
finish(result, code === 0 ? 0 : code === 1 ? 1 : 2);
