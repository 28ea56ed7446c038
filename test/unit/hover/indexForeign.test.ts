// The hover index over foreign checkpoints on disk: the first lookup answers with shapes from the
// headers, statistics follow in the low-priority pass; files added, changed and deleted as the
// watcher reports them; a malformed one skipped with a log line; several files listed nearest first.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { digestCheckpointFile, outlineCheckpointFile } from '../../../src/extension/hover/digestFile';
import { CheckpointIndex, type IndexHost } from '../../../src/extension/hover/index';
import { recognizeParameter } from '../../../src/extension/hover/recognize';
import { fillValues, ptBytes, resnet18Shapes, withValues, writeSafetensors } from '../../../bench/foreignWorkspace.mjs';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hover-index-foreign-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function diskHost(dir: string, logs: string[]): IndexHost & { digests: string[] } {
  const digests: string[] = [];
  const walk = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(d, e.name)) : /\.(safetensors|pth?|npy|npz|weights\.json)$/.test(e.name) ? [path.join(d, e.name)] : []);
  return {
    digests,
    listCheckpoints: async () => walk(dir),
    stat: async (f) => { try { const s = fs.statSync(f); return { size: s.size, mtimeMs: s.mtimeMs }; } catch { return null; } },
    outline: outlineCheckpointFile,
    digest: (f, onParam) => { digests.push(f); return digestCheckpointFile(f, onParam); },
    log: (l) => logs.push(l),
  };
}

const linear = (name: string, out: number, inF: number, mean: number) => [
  { name: `${name}.weight`, shape: [out, inF], values: fillValues(out * inF, out, 0.01, mean) },
  { name: `${name}.bias`, shape: [out], values: new Float32Array(out).fill(mean) },
];

describe('CheckpointIndex over .safetensors and .pth files', () => {
  it('answers shapes from the headers first, statistics after; add, change, delete, malformed', async () => {
    const dir = path.join(tmp, 'ws');
    fs.mkdirSync(path.join(dir, 'runs'), { recursive: true });
    const st = path.join(dir, 'model.safetensors'), pth = path.join(dir, 'runs', 'ckpt.pth'), bad = path.join(dir, 'bad.safetensors');
    writeSafetensors(st, linear('fc', 4, 3, 1).map((t) => ({ ...t, values: () => t.values })));
    fs.writeFileSync(pth, ptBytes(linear('fc', 4, 3, 2), { wrap: 'model' }));
    fs.writeFileSync(bad, new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0, 0x7b]));
    const logs: string[] = [];
    const host = diskHost(dir, logs);
    const index = new CheckpointIndex(host);
    const near = path.join(dir, 'train.py');

    // The first answer comes from the outline pass: shapes known, statistics not read yet.
    const first = await index.lookup(['model.fc.weight', 'fc.weight'], near, 5000);
    expect(first?.name).toBe('fc.weight');
    expect(first?.matches[0]).toMatchObject({ file: st, param: { shape: [4, 3], dtype: 'float32', stats: null } });
    await index.whenOutlined();
    expect(index.size.statsPending + host.digests.length).toBeGreaterThan(0);
    await index.whenIdle();
    expect(logs).toEqual([expect.stringMatching(/^Skipped .*bad\.safetensors: /)]);
    expect(logs[0]).not.toContain('\n');

    // Both files hold the name: nearest first, the training checkpoint's model tensors under their own names.
    const both = await index.lookup(['model.fc.bias', 'fc.bias'], near, 5000);
    expect(both?.matches.map((m) => [m.file, m.param.stats?.mean])).toEqual([[st, 1], [pth, 2]]);
    expect(both?.pending).toBe(0);

    // change: a new shape and new values, outlined and read again
    writeSafetensors(st, linear('fc', 6, 3, 5).map((t) => ({ ...t, values: () => t.values })));
    fs.utimesSync(st, new Date(), new Date(Date.now() + 5000));
    index.fileChanged(st);
    await index.whenIdle();
    expect((await index.lookup(['fc.bias'], near, 5000))?.matches[0].param).toMatchObject({ shape: [6], stats: { mean: 5 } });

    // add
    const added = path.join(dir, 'runs', 'enc.pth');
    fs.writeFileSync(added, ptBytes(linear('enc', 2, 2, 3)));
    index.fileChanged(added);
    await index.whenIdle();
    expect((await index.lookup(['enc.weight'], near, 5000))?.matches.map((m) => m.file)).toEqual([added]);

    // delete
    fs.rmSync(pth);
    index.fileDeleted(pth);
    expect((await index.lookup(['fc.bias'], near, 5000))?.matches.map((m) => m.file)).toEqual([st]);

    // a good file made malformed: skipped, logged, no longer answering
    fs.writeFileSync(added, 'not a checkpoint');
    index.fileChanged(added);
    await index.whenIdle();
    expect(await index.lookup(['enc.weight'], near, 5000)).toBeNull();
    expect(logs.at(-1)).toMatch(/^Skipped .*enc\.pth: /);
  });

  it('statistics arrive tensor by tensor while a file is read, and a file unchanged is not read again', async () => {
    const dir = path.join(tmp, 'ws2');
    fs.mkdirSync(dir, { recursive: true });
    const st = path.join(dir, 'm.safetensors');
    writeSafetensors(st, linear('fc', 8, 8, 1).map((t) => ({ ...t, values: () => t.values })));
    const logs: string[] = [];
    const host = diskHost(dir, logs);
    const seen: string[] = [];
    const digest = host.digest;
    host.digest = (f, onParam) => digest(f, (p) => { seen.push(p.name); onParam?.(p); });
    const index = new CheckpointIndex(host);
    await index.lookup(['fc.weight'], path.join(dir, 't.py'), 5000);
    await index.whenIdle();
    expect(seen).toEqual(['fc.weight', 'fc.bias']);
    index.fileChanged(st);
    await index.whenIdle();
    expect(host.digests).toEqual([st]);
    expect(index.counters).toMatchObject({ outlines: 1, digests: 1, failures: 0 });
  });

  it('the issue\'s hovers in a ResNet-18 .pth: the most specific key wins over the stem\'s conv1.weight', async () => {
    const dir = path.join(tmp, 'ws3');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'resnet18.pth'), ptBytes(withValues(resnet18Shapes(), 3).map((t) => ({ ...t, values: t.values() }))));
    const index = new CheckpointIndex(diskHost(dir, []));
    const hover = async (line: string) => {
      const ref = recognizeParameter(line, line.lastIndexOf('weight') + 1)!;
      return (await index.lookup(ref.candidates, path.join(dir, 'train.py'), 5000))?.matches[0].param;
    };
    expect(await hover('first = model.layer1[0].conv1.weight')).toMatchObject({ name: 'layer1.0.conv1.weight', shape: [64, 64, 3, 3] });
    expect(await hover('classifier = model.fc.weight')).toMatchObject({ name: 'fc.weight', shape: [1000, 512] });
    expect(await hover('x = model.layer4[1].bn2.weight')).toMatchObject({ name: 'layer4.1.bn2.weight', shape: [512] });
  });
});

describe('CheckpointIndex.rescan', () => {
  it('a folder moved in with checkpoints inside (no watcher event per file) is found by listing again', async () => {
    const dir = path.join(tmp, 'ws4');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'a.pth'), ptBytes(linear('fc', 2, 2, 1)));
    const index = new CheckpointIndex(diskHost(dir, []));
    const near = path.join(dir, 't.py');
    expect(await index.lookup(['enc.weight'], near, 5000)).toBeNull();
    const staged = path.join(tmp, 'staged-run');
    fs.mkdirSync(staged, { recursive: true });
    writeSafetensors(path.join(staged, 'b.safetensors'), linear('enc', 3, 2, 4).map((t) => ({ ...t, values: () => t.values })));
    fs.renameSync(staged, path.join(dir, 'run7'));
    await index.rescan();
    await index.whenIdle();
    expect((await index.lookup(['enc.bias'], near, 5000))?.matches.map((m) => [m.file, m.param.stats?.mean])).toEqual([[path.join(dir, 'run7', 'b.safetensors'), 4]]);
    expect(index.counters.outlines).toBe(2); // a.pth was not read again
  });
});
