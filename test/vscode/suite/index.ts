// Entry point of the extension-host integration tests, loaded by VS Code through
// `extensionTestsPath` (the @vscode/test-electron contract: export run(), reject on failure).
// Bundled by `node scripts/build.mjs --tests` into dist-test/suite/index.js next to every
// `*.test.js`; works under test/harness/run-ext-tests.mjs (code-server) and test/vscode/runElectron.mjs
// (desktop VS Code). mocha stays external and resolves from the project's node_modules.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

/** Written when WEIGHTSCOPE_TEST_RESULT_FILE is set, so a runner can count without parsing output. */
interface SuiteResult {
  passed: number;
  failed: number;
  pending: number;
  failures: { title: string; error: string }[];
}

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'tdd',
    color: false,
    reporter: 'spec', // prints through console.log, which the runner forwards
    timeout: Number(process.env.WEIGHTSCOPE_TEST_TIMEOUT ?? 60000),
    grep: process.env.WEIGHTSCOPE_TEST_GREP || undefined,
  });
  const here = __dirname;
  // WEIGHTSCOPE_BENCH: run the extension-host benchmarks (bench/exthost/*.bench.ts) instead of the tests.
  const kind = process.env.WEIGHTSCOPE_BENCH ? '.bench.js' : '.test.js';
  for (const file of fs.readdirSync(here).filter((f) => f.endsWith(kind)).sort()) {
    mocha.addFile(path.join(here, file));
  }
  const result: SuiteResult = { passed: 0, failed: 0, pending: 0, failures: [] };
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const out = process.env.WEIGHTSCOPE_TEST_RESULT_FILE;
        if (out) fs.writeFileSync(out, JSON.stringify(result));
        if (failures > 0) reject(new Error(`${failures} extension-host test(s) failed.`));
        else resolve();
      });
      runner.on('pass', () => { result.passed++; });
      runner.on('pending', () => { result.pending++; });
      // 'fail' also fires for failing hooks: each counts, so a broken before() cannot hide tests.
      runner.on('fail', (t, err: Error) => {
        result.failed++;
        result.failures.push({ title: t.fullTitle(), error: String(err?.message ?? err).split('\n')[0] });
      });
    } catch (err) {
      reject(err);
    }
  });
}
