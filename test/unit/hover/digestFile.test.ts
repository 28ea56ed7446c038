// The hover reads checkpoints as a stream (digestFile.ts): its digests must be the ones the
// whole-file parser gives, on the real example checkpoints and on every data form, and the index
// fed by it must add, change, skip and delete files on disk as the watcher reports them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { digestCheckpoint } from '../../../src/extension/hover/digest';
import { digestCheckpointFile } from '../../../src/extension/hover/digestFile';
import { CheckpointIndex } from '../../../src/extension/hover/index';
import { parseCheckpoint } from '../../../src/format/parse';
import { serializeCheckpoint } from '../../../src/format/serialize';
import { linearCheckpoint } from './fixtures';

const root = path.resolve(__dirname, '../../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-digest-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const f = path.join(tmp, name);
  fs.mkdirSync(path.dirname(f), { recursive: true });
  fs.writeFileSync(f, text);
  return f;
}

describe('digestCheckpointFile (streaming)', () => {
  // Every checkpoint in the repository: examples, editor fixtures, PyTorch exports, parity starts.
  const examples: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.join(dir, e.name);
      if (e.isDirectory()) walk(rel); else if (e.name.endsWith('.weights.json')) examples.push(rel);
    }
  };
  walk('examples');
  walk('test/fixtures');
  it('finds the repository\'s checkpoints', () => expect(examples.length).toBeGreaterThan(15));
  for (const rel of examples) {
    it(`gives the parsed digest of ${rel}, in every encoding`, async () => {
      const file = path.join(root, rel);
      const ckpt = parseCheckpoint(fs.readFileSync(file), file);
      expect(await digestCheckpointFile(file)).toEqual(digestCheckpoint(ckpt));
      // The same checkpoint rewritten nested and base64: the digest cannot depend on how data is written.
      for (const encoding of ['nested', 'base64'] as const) {
        const again = write(`${encoding}/${path.basename(rel)}`, serializeCheckpoint(ckpt, { encoding }));
        expect(await digestCheckpointFile(again), encoding).toEqual(digestCheckpoint(ckpt));
      }
    });
  }
  it('refuses a malformed file with a CheckpointError naming the file and the parameter', async () => {
    const f = write('bad.weights.json', linearCheckpoint().replace('[0.1,0.2,0.3,0.4]', '[0.1,0.2,0.3]'));
    await expect(digestCheckpointFile(f)).rejects.toThrow(`${f}: fc1.bias: data has 3 elements, expected 4 for shape [4]`);
    await expect(digestCheckpointFile(path.join(tmp, 'missing.weights.json'))).rejects.toThrow(/cannot be read \(ENOENT\)/);
  });
});

describe('CheckpointIndex over files on disk, read as streams', () => {
  it('adds, changes, skips and deletes checkpoints', async () => {
    const dir = path.join(tmp, 'ws');
    const a = path.join(dir, 'a.weights.json'), bad = path.join(dir, 'sub', 'bad.weights.json');
    fs.mkdirSync(path.join(dir, 'sub'), { recursive: true });
    fs.writeFileSync(a, linearCheckpoint({ bias: [1, 1, 1, 1] }));
    fs.writeFileSync(bad, '{"format": "weights.json", "version": 1, "parameters": {"w": {"shape": [2], "data": [1');
    const logs: string[] = [];
    const list = () => [a, bad, path.join(dir, 'b.weights.json')].filter((f) => fs.existsSync(f));
    const index = new CheckpointIndex({
      listCheckpoints: async () => list(),
      stat: async (f) => { try { const s = fs.statSync(f); return { size: s.size, mtimeMs: s.mtimeMs }; } catch { return null; } },
      digest: digestCheckpointFile,
      log: (l) => logs.push(l),
    });
    const near = path.join(dir, 'train.py');
    const first = await index.lookup(['fc1.bias'], near, 5000);
    expect(first?.matches[0].param.stats?.mean).toBe(1);
    await index.whenIdle();
    expect(logs).toEqual([expect.stringMatching(/^Skipped .*bad\.weights\.json: .*never ends/)]);

    const b = path.join(dir, 'b.weights.json');
    fs.writeFileSync(b, linearCheckpoint({ name: 'fc9' }));
    index.fileChanged(b);
    fs.writeFileSync(a, linearCheckpoint({ bias: [3, 3, 3, 3, 3], weight: [[1, 2], [1, 2], [1, 2], [1, 2], [1, 2]] }));
    fs.utimesSync(a, new Date(), new Date(Date.now() + 5000));
    index.fileChanged(a);
    await index.whenIdle();
    expect((await index.lookup(['fc9.weight'], near, 5000))?.matches.map((m) => m.file)).toEqual([b]);
    const changed = await index.lookup(['fc1.bias'], near, 5000);
    expect(changed?.matches[0].param).toMatchObject({ shape: [5], stats: { mean: 3 } });

    fs.rmSync(b);
    index.fileDeleted(b);
    expect(await index.lookup(['fc9.weight'], near, 5000)).toBeNull();
  });
});
