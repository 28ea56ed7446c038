// Running a benchmark suite of bench/exthost/ in code-server's extension host, for the bench
// drivers (hover-exthost.mjs, editor-exthost.mjs): build once, then run a suite by its name with
// WEIGHTSCOPE_BENCH set and read the JSON result it writes. See test/README.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Build the extension and the test bundle (which carries the bench suites); exits 2 on failure. */
export function buildForBench() {
  const build = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--tests'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(2);
}

/**
 * Run the bench suite whose name matches `grep` (after buildForBench) with `env` in the host's
 * environment, in `workspace` when given; returns its parsed result, or prints the run's output
 * and exits 2 when it left none.
 */
export function runBenchSuite({ grep, timeoutSeconds, workspace, env = {} }) {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-exthost-')), 'result.json');
  const r = spawnSync(process.execPath, [
    path.join(root, 'test/harness/run-ext-tests.mjs'), '--no-build', ...(workspace ? ['--workspace', workspace] : []),
    '--timeout', String(timeoutSeconds), '--grep', grep,
    ...Object.entries({ WEIGHTSCOPE_BENCH: '1', WEIGHTSCOPE_BENCH_OUT: out, ...env }).flatMap(([k, v]) => ['--env', `${k}=${v}`]),
  ], { cwd: root, encoding: 'utf8' });
  if (!fs.existsSync(out)) {
    console.error(r.stdout, r.stderr);
    console.error('the benchmark suite left no result');
    process.exit(2);
  }
  return { result: JSON.parse(fs.readFileSync(out, 'utf8')), file: out };
}
