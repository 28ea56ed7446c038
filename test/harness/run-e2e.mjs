#!/usr/bin/env node
// Run the UI end-to-end scenarios (test/e2e/*.e2e.mjs) in a real VS Code (code-server) driven by
// headless chromium. One fresh server + browser per scenario FILE and mode (startup cost); each
// scenario gets a fresh workspace copy, its own settings and a fresh browser context.
//
// Usage: node test/harness/run-e2e.mjs [FILE...] [--grep TEXT] [--mode installed|dev]
//          [--vsix FILE] [--no-package] [--result-file FILE]
//   default files: every test/e2e/*.e2e.mjs; --grep keeps scenarios whose name contains TEXT;
//   --mode forces one mode for all scenarios; installed mode installs weightscope.vsix (rebuilt with
//   `npm run package` when missing or older than the sources, unless --no-package).
// Prints PASS / FAIL / PENDING per scenario, `e2e: N passed, N failed, N pending`; exit 1 on any failure.
//
// A scenario file exports `scenarios` (or a default export): an array of
//   { name, run: async (ctx) => {...}, mode?: 'installed'|'dev', settings?: {...},
//     workspace?: [dirs relative to the repo], files?: {relPath: text}, timeout?: ms, pending?: 'why',
//     locale?: 'es' (VS Code's display language; one server per file, mode and locale) }
// `pending` marks a scenario that is expected to fail until a feature lands: its failure is shown
// but not counted; if it passes, it counts as passed and the runner asks to remove the mark.
import path from 'node:path';
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { ROOT, VSIX, SCREENS_DIR, ensureSetup, startCodeServer, workbenchUrl, devPayload, launchBrowser,
  waitForWorkbench, makeWorkspace, bindHelpers } from './lib.mjs';

const argv = process.argv.slice(2);
const valued = new Set(['--grep', '--mode', '--vsix', '--result-file']);
const opt = (n, d) => { const i = argv.indexOf(`--${n}`); return i >= 0 ? argv[i + 1] : d; };
const files = argv.filter((a, i) => !a.startsWith('--') && !valued.has(argv[i - 1]));
const grep = opt('grep');
const forcedMode = opt('mode');
const vsix = path.resolve(opt('vsix', VSIX));
const resultOut = opt('result-file');

const t0 = Date.now();
const T = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
const counts = { passed: 0, failed: 0, pending: 0 };
const failures = [];
const slug = (s) => s.replace(/[^\w.-]+/g, '_').slice(0, 80);

// Saved after every scenario too, so a run killed by an outer timeout still reports what it did.
const saveResult = () => { if (resultOut) fs.writeFileSync(resultOut, JSON.stringify({ ...counts, failures })); };
function finish() {
  console.log(`e2e: ${counts.passed} passed, ${counts.failed} failed, ${counts.pending} pending (${T()})`);
  saveResult();
  process.exit(counts.failed ? 1 : 0);
}
function fail(name, err) {
  counts.failed++;
  failures.push({ title: name, error: String(err?.message ?? err).split('\n')[0] });
  console.log(`FAIL ${name}: ${String(err?.message ?? err).split('\n').slice(0, 6).join('\n     ')}`);
}

const newestMtime = (p) => {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...fs.readdirSync(p).map((f) => newestMtime(path.join(p, f))));
};
function ensureVsix() {
  const inputs = ['src', 'media', 'l10n', 'schemas', 'examples', 'python', 'package.json', 'README.md',
    ...fs.readdirSync(ROOT).filter((f) => /^package\.nls(\.[\w-]+)?\.json$/.test(f))];
  const stale = !fs.existsSync(vsix) || Math.max(...inputs.map((p) => newestMtime(path.join(ROOT, p)))) > fs.statSync(vsix).mtimeMs;
  if (!stale) return;
  if (argv.includes('--no-package') || opt('vsix')) {
    if (!fs.existsSync(vsix)) throw new Error(`${vsix} not found: run \`npm run package\``);
    console.log(`note: ${path.relative(ROOT, vsix)} is older than the sources; testing it anyway (--no-package/--vsix)`);
    return;
  }
  console.log(`${T()} packaging ${path.relative(ROOT, vsix)} (npm run package)…`);
  const r = spawnSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0 || !fs.existsSync(vsix)) throw new Error('`npm run package` failed');
}

const e2eDir = path.join(ROOT, 'test/e2e');
const targets = files.length ? files.map((f) => path.resolve(f))
  : fs.readdirSync(e2eDir).filter((f) => f.endsWith('.e2e.mjs')).sort().map((f) => path.join(e2eDir, f));

// Load every file first, so a file that does not even import fails loudly and the rest still run.
const plan = [];
for (const file of targets) {
  const label = path.basename(file, '.e2e.mjs');
  try {
    const mod = await import(pathToFileURL(file).href);
    const list = mod.scenarios ?? mod.default;
    if (!Array.isArray(list)) throw new Error('exports no `scenarios` array');
    for (const s of list) if (typeof s?.name !== 'string' || typeof s?.run !== 'function') throw new Error('a scenario needs `name` and `run`');
    const chosen = list.filter((s) => !grep || s.name.includes(grep) || label.includes(grep));
    if (chosen.length) plan.push({ file, label, scenarios: chosen });
  } catch (e) {
    fail(`${label} (loading the file)`, e);
  }
}
const total = plan.reduce((n, p) => n + p.scenarios.length, 0);
console.log(`${T()} ${total} scenario(s) in ${plan.length} file(s)${grep ? ` matching "${grep}"` : ''}`);
if (!total) finish();

try {
  ensureSetup();
  if (plan.some((p) => p.scenarios.some((s) => (forcedMode ?? s.mode ?? 'installed') === 'installed'))) ensureVsix();
} catch (e) {
  fail('harness setup', e);
  finish();
}

for (const { label, scenarios } of plan) {
  // One server per mode and display language: the locale is fixed when the server starts.
  const modeOf = (s) => forcedMode ?? s.mode ?? 'installed';
  const runs = [...new Set(scenarios.map((s) => `${modeOf(s)}|${s.locale ?? ''}`))].map((k) => k.split('|'));
  for (const [mode, locale] of runs) {
    const group = scenarios.filter((s) => modeOf(s) === mode && (s.locale ?? '') === locale);
    const tag = locale ? `${mode}, ${locale}` : mode;
    let server, browser;
    try {
      server = await startCodeServer({ label: `e2e-${label}-${mode}${locale ? `-${locale}` : ''}`, smokeTestDriver: mode === 'dev',
        installVsix: mode === 'installed' ? [vsix] : [], locale: locale || undefined });
      browser = await launchBrowser();
      console.log(`${T()} ${label} [${tag}]: code-server ${server.base} up in ${server.startMs} ms`);
    } catch (e) {
      for (const s of group) fail(`${label} › ${s.name} [${tag}]`, e);
      await server?.stop();
      continue;
    }
    for (const s of group) {
      const name = `${label} › ${s.name} [${tag}]`;
      const started = Date.now();
      let context, page, ws;
      try {
        ws = makeWorkspace(`e2e-${label}`, { sources: s.workspace, files: s.files });
        server.writeSettings(s.settings);
        context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
        page = await context.newPage();
        page.on('pageerror', (e) => { if (process.env.VERBOSE) console.log(`  [pageerror] ${e.message}`); });
        const ctx = bindHelpers(page, { ws, server, mode, shotPrefix: `${label}-${slug(s.name)}-${mode}${locale ? `-${locale}` : ''}` });
        const body = async () => {
          await page.goto(workbenchUrl(server, { folder: ws, payload: mode === 'dev' ? devPayload(server) : undefined }));
          await waitForWorkbench(page);
          await s.run(ctx);
        };
        const limit = s.timeout ?? 180000;
        await Promise.race([body(), new Promise((_, rej) => setTimeout(() => rej(new Error(`scenario timed out after ${limit / 1000} s`)), limit))]);
        counts.passed++;
        fs.rmSync(path.dirname(ws), { recursive: true, force: true }); // a failure's workspace is kept
        console.log(`PASS ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)${s.pending ? `  <- marked pending ("${s.pending}") but passes: remove the mark` : ''}`);
      } catch (e) {
        const shotFile = path.join(SCREENS_DIR, `${label}-FAIL-${slug(s.name)}-${mode}${locale ? `-${locale}` : ''}.png`);
        fs.mkdirSync(SCREENS_DIR, { recursive: true });
        await page?.screenshot({ path: shotFile }).catch(() => {});
        if (s.pending) {
          counts.pending++;
          console.log(`PENDING ${name}: ${s.pending}\n     (fails as expected: ${String(e?.message ?? e).split('\n')[0]})`);
        } else {
          fail(name, e);
          console.log(`     screenshot: ${path.relative(ROOT, shotFile)}; workspace: ${ws}; server log: ${server.logFile}`);
        }
      } finally {
        await context?.close().catch(() => {});
        saveResult();
      }
    }
    await browser.close().catch(() => {});
    await server.stop();
    if (!counts.failed) fs.rmSync(server.runDir, { recursive: true, force: true });
  }
}
finish();
