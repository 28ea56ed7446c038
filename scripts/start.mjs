#!/usr/bin/env node
// `npm start`: build, then open a real VS Code with Weightscope loaded and examples/ open.
//   - With a desktop VS Code (`code` on PATH): code --extensionDevelopmentPath=<repo> examples
//   - Otherwise: the local code-server (installed by test/harness/setup.sh on first use) on
//     127.0.0.1 with the packaged extension installed; prints the URL and runs until Ctrl-C.
// Options: --server (use code-server even when `code` exists), --port N (default: WEIGHTSCOPE_PORT or a free port).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const EXAMPLES = path.join(ROOT, 'examples');
const argv = process.argv.slice(2);
const opt = (n, d) => { const i = argv.indexOf(`--${n}`); return i >= 0 ? argv[i + 1] : d; };

function mustRun(cmd, args, what) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) { console.error(`npm start: ${what} failed (exit ${r.status ?? r.signal}).`); process.exit(1); }
}
const onPath = (exe) => (process.env.PATH ?? '').split(path.delimiter).some((d) => d && fs.existsSync(path.join(d, exe)));

if (onPath('code') && !argv.includes('--server')) {
  mustRun(process.execPath, ['scripts/build.mjs'], 'the build');
  console.log(`Opening VS Code with the extension from ${ROOT} on ${EXAMPLES}`);
  mustRun('code', [`--extensionDevelopmentPath=${ROOT}`, EXAMPLES], '`code`');
  process.exit(0);
}

// No desktop VS Code: serve the real VS Code workbench from code-server.
console.log('No `code` command found: starting VS Code in the browser (code-server) instead.');
mustRun('bash', ['test/harness/setup.sh'], 'test/harness/setup.sh (installing the local VS Code)');
mustRun('npm', ['run', '--silent', 'package'], '`npm run package`');
const { startCodeServer, workbenchUrl, VSIX } = await import('../test/harness/lib.mjs');
const server = await startCodeServer({
  label: 'start',
  port: Number(opt('port', process.env.WEIGHTSCOPE_PORT ?? 0)) || undefined,
  installVsix: [VSIX],
});
console.log(`\nWeightscope is running in VS Code (code-server); open this URL in a browser:\n\n  ${workbenchUrl(server, { folder: EXAMPLES })}\n`);
console.log(`Logs: ${server.logFile}. Press Ctrl-C to stop.`);
// The harness kills the server's process group on Ctrl-C / SIGTERM; then drop its scratch profile.
process.on('exit', () => fs.rmSync(server.runDir, { recursive: true, force: true }));
setInterval(() => {}, 1 << 30); // keep running until a signal
