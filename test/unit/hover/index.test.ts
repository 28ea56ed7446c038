import { describe, expect, it } from 'vitest';
import { CheckpointIndex, folderDistance, type IndexHost } from '../../../src/extension/hover/index';
import { digestCheckpoint } from '../../../src/extension/hover/digest';
import { parseCheckpoint } from '../../../src/format/parse';
import { linearCheckpoint } from './fixtures';

/** An in-memory workspace: path → { text, mtime }. */
function fakeWorkspace(files: Record<string, string>) {
  const fs = new Map(Object.entries(files).map(([p, text]) => [p, { text, mtimeMs: 1 }]));
  const logs: string[] = [];
  const digested: string[] = [];
  const host: IndexHost = {
    listCheckpoints: async () => [...fs.keys()],
    stat: async (f) => { const e = fs.get(f); return e ? { size: e.text.length, mtimeMs: e.mtimeMs } : null; },
    digest: async (f) => {
      const e = fs.get(f);
      if (!e) throw new Error(`${f}: not found`);
      digested.push(f);
      return digestCheckpoint(parseCheckpoint(e.text, f));
    },
    log: (l) => logs.push(l),
  };
  const write = (p: string, text: string, mtimeMs = (fs.get(p)?.mtimeMs ?? 0) + 1) => fs.set(p, { text, mtimeMs });
  return { fs, host, logs, digested, write };
}

describe('CheckpointIndex', () => {
  it('answers a name from the nearest checkpoint first', async () => {
    const ws = fakeWorkspace({
      '/ws/a/deep/x.weights.json': linearCheckpoint({ bias: [1, 1, 1, 1] }),
      '/ws/b/y.weights.json': linearCheckpoint({ bias: [2, 2, 2, 2] }),
    });
    const index = new CheckpointIndex(ws.host);
    // The first hover answers as soon as the nearest checkpoint is read: the farther one is still pending.
    const early = await index.lookup(['model.fc1.bias', 'fc1.bias'], '/ws/b/train.py', 5000);
    expect(early?.matches.map((m) => m.file)).toEqual(['/ws/b/y.weights.json']);
    expect(early?.pending).toBe(1);
    await index.whenIdle();
    const r = await index.lookup(['model.fc1.bias', 'fc1.bias'], '/ws/b/train.py', 5000);
    expect(r?.name).toBe('fc1.bias');
    expect(r?.matches.map((m) => m.file)).toEqual(['/ws/b/y.weights.json', '/ws/a/deep/x.weights.json']);
    expect(r?.matches[0].param.stats?.mean).toBe(2);
    expect(r?.pending).toBe(0);
    const r2 = await index.lookup(['fc1.bias'], '/ws/a/deep/t.py', 5000);
    expect(r2?.matches[0].file).toBe('/ws/a/deep/x.weights.json');
    expect(await index.lookup(['fc2.weight', 'weight'], '/ws/t.py', 5000)).toBeNull();
  });

  it('the hovered checkpoint itself comes first', async () => {
    const ws = fakeWorkspace({ '/ws/a.weights.json': linearCheckpoint(), '/ws/z/b.weights.json': linearCheckpoint() });
    const r = await new CheckpointIndex(ws.host).lookup(['fc1.weight'], '/ws/z/b.weights.json', 5000);
    expect(r?.matches[0].file).toBe('/ws/z/b.weights.json');
  });

  it('adds, changes and deletes checkpoints as the watcher reports them', async () => {
    const ws = fakeWorkspace({ '/ws/a.weights.json': linearCheckpoint() });
    const index = new CheckpointIndex(ws.host);
    expect(await index.lookup(['enc.weight'], '/ws/t.py', 5000)).toBeNull();
    // add
    ws.write('/ws/b.weights.json', linearCheckpoint({ name: 'enc' }));
    index.fileChanged('/ws/b.weights.json');
    expect((await index.lookup(['enc.weight'], '/ws/t.py', 5000))?.matches.map((m) => m.file)).toEqual(['/ws/b.weights.json']);
    // change: new values are seen
    ws.write('/ws/b.weights.json', linearCheckpoint({ name: 'enc', bias: [5, 5, 5, 5] }));
    index.fileChanged('/ws/b.weights.json');
    expect((await index.lookup(['enc.bias'], '/ws/t.py', 5000))?.matches[0].param.stats?.mean).toBe(5);
    // delete
    ws.fs.delete('/ws/b.weights.json');
    index.fileDeleted('/ws/b.weights.json');
    expect(await index.lookup(['enc.weight'], '/ws/t.py', 5000)).toBeNull();
    expect(index.size.indexed).toBe(1);
  });

  it('does not digest a file again while its size and mtime are unchanged', async () => {
    const ws = fakeWorkspace({ '/ws/a.weights.json': linearCheckpoint() });
    const index = new CheckpointIndex(ws.host);
    await index.lookup(['fc1.weight'], '/ws/t.py', 5000);
    index.fileChanged('/ws/a.weights.json'); // e.g. touched by a save that wrote nothing new
    await index.whenIdle();
    expect(ws.digested).toEqual(['/ws/a.weights.json']);
    expect(index.counters.cacheHits).toBe(1);
    ws.write('/ws/a.weights.json', linearCheckpoint({ bias: [9, 9, 9, 9] }));
    index.fileChanged('/ws/a.weights.json');
    await index.whenIdle();
    expect(ws.digested).toEqual(['/ws/a.weights.json', '/ws/a.weights.json']);
  });

  it('skips a malformed checkpoint with one log line and keeps serving the others', async () => {
    const ws = fakeWorkspace({
      '/ws/bad.weights.json': '{"format": "weights.json", "version": 1, "parameters": {"fc1.weight": {"shape": [2], "data": [1]}}}',
      '/ws/good.weights.json': linearCheckpoint(),
    });
    const index = new CheckpointIndex(ws.host);
    const r = await index.lookup(['fc1.weight'], '/ws/t.py', 5000);
    expect(r?.matches.map((m) => m.file)).toEqual(['/ws/good.weights.json']);
    expect(ws.logs).toHaveLength(1);
    expect(ws.logs[0]).toMatch(/^Skipped \/ws\/bad\.weights\.json: .*fc1\.weight/);
    // still malformed and unchanged: not re-read, not logged again
    index.fileChanged('/ws/bad.weights.json');
    await index.whenIdle();
    expect(ws.logs).toHaveLength(1);
  });

  it('stops waiting after waitMs and says how many files are still pending', async () => {
    const ws = fakeWorkspace({ '/ws/a.weights.json': linearCheckpoint(), '/ws/far/b.weights.json': linearCheckpoint() });
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const digest = ws.host.digest;
    ws.host.digest = async (f) => { if (f.includes('far')) await gate; return digest(f); };
    const index = new CheckpointIndex(ws.host);
    const r = await index.lookup(['fc1.weight'], '/ws/t.py', 50);
    expect(r?.matches.map((m) => m.file)).toEqual(['/ws/a.weights.json']);
    expect(r?.pending).toBe(1);
    // A name only the pending file could hold: "not known yet", not null.
    const unknown = await index.lookup(['enc.weight'], '/ws/t.py', 50);
    expect(unknown).toEqual({ name: '', matches: [], pending: 1 });
    release();
    await index.whenIdle();
    expect((await index.lookup(['fc1.weight'], '/ws/t.py', 50))?.matches).toHaveLength(2);
  });

  it('folderDistance counts steps up and down', () => {
    expect(folderDistance('/a/b/x', '/a/b/y')).toBe(0);
    expect(folderDistance('/a/b/x', '/a/y')).toBe(1);
    expect(folderDistance('/a/b/x', '/c/y')).toBe(3);
  });
});
