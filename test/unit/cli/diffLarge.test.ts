// Streaming smoke test: two GPT-2-sized .safetensors files (~500 MB each, made here by the
// project's own writer) compared by the built CLI in a child process, whose peak resident memory
// must stay well under the two files' size — compareSources holds one pair of tensors at a time.
// No timing is asserted (bench/diff.mjs prints the time beside a NumPy/PyTorch peer).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { tempDir } from './cliRun';
import { writeGpt2Pair, type Gpt2Pair } from '../../harness/gpt2Pair';
import { writeSafetensorsFile } from '../../../src/format/safetensorsWrite';
import { openSafetensors } from '../../../src/format/safetensorsFile';

let dir: string;
beforeAll(async () => { dir = await tempDir('ws-diff-large-'); });
afterAll(async () => { await fs.rm(dir, { recursive: true, force: true }); });

describe('writeSafetensorsFile', () => {
  it('writes what PyTorch-made fixtures hold, byte for byte (read back from the fixture)', async () => {
    const src = path.join(__dirname, '..', '..', 'fixtures', 'diff', 'tuned.safetensors');
    const opened = await openSafetensors(src);
    const out = path.join(dir, 'rewritten.safetensors');
    await writeSafetensorsFile(out, opened.tensors.map((t) => ({ name: t.name, shape: t.shape, dtype: t.dtype, data: async () => (await t.read()).data })));
    expect(Buffer.compare(await fs.readFile(out), await fs.readFile(src))).toBe(0);
  });

  it('refuses data that does not fit its shape and leaves no file behind', async () => {
    const out = path.join(dir, 'bad.safetensors');
    await expect(writeSafetensorsFile(out, [{ name: 'w', shape: [3], dtype: 'float32', data: () => new Float32Array(2) }])).rejects.toThrow(/w has 8 bytes/);
    expect((await fs.readdir(dir)).filter((f) => f.startsWith('bad'))).toEqual([]);
  });
});

describe('weightscope diff on a GPT-2-sized pair', () => {
  it('streams: the right answer, with peak memory far below the two files', async () => {
    const a = path.join(dir, 'gpt2-a.safetensors'), b = path.join(dir, 'gpt2-b.safetensors');
    const pair: Gpt2Pair = await writeGpt2Pair(a, b);
    expect(pair.params).toBe(124_439_808); // GPT-2 small
    const bytes = (await fs.stat(a)).size + (await fs.stat(b)).size;

    const cli = path.join(dir, 'cli.js');
    await esbuild.build({ entryPoints: [path.join(__dirname, '..', '..', '..', 'src', 'cli.ts')], outfile: cli, bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning' });
    // The child reports its own peak RSS last, on stderr, once the command is done.
    const wrapper = path.join(dir, 'run.js');
    await fs.writeFile(wrapper, `const { main } = require(${JSON.stringify(cli)});
const out = [];
main(process.argv.slice(2), { out: (t) => out.push(t), err: (t) => process.stderr.write(t + '\\n') }).then((code) => {
  process.stdout.write(out.join('\\n'));
  process.stderr.write('maxrss ' + process.resourceUsage().maxRSS * 1024 + '\\n');
  process.exitCode = code;
});`);
    const r = spawnSync(process.execPath, [wrapper, 'diff', a, b, '--json', '--exit-code'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    expect(r.status, r.stderr).toBe(1); // they differ
    const json = JSON.parse(r.stdout);
    expect(json.summary).toEqual({ same: pair.shapes.length - pair.changed.length, changed: pair.changed.length, shape_mismatch: 0, only_in_a: 0, only_in_b: 0 });
    expect(Object.keys(json.tensors).slice(0, pair.changed.length).sort()).toEqual([...pair.changed].sort());
    const rss = Number(/maxrss (\d+)/.exec(r.stderr)![1]);
    console.log(`diff of two GPT-2-sized files (${(bytes / 2 ** 20).toFixed(0)} MiB together): peak RSS ${(rss / 2 ** 20).toFixed(0)} MiB`);
    // The largest pair (wte, 2 × 147 MiB) plus the runtime; reading both files whole would be > bytes.
    expect(rss).toBeLessThan(bytes * 0.6);
  }, 600_000);
});
