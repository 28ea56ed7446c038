import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readCheckpointFile, writeCheckpointFile, writeFileAtomic } from '../../../src/format/checkpointFile';
import { CheckpointError, type Checkpoint } from '../../../src/format/types';
import { baseFile } from './helpers';

let dir: string;
beforeEach(async () => { dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ws-format-')); });
afterEach(async () => {
  await fs.chmod(dir, 0o755).catch(() => undefined);
  await fs.rm(dir, { recursive: true, force: true });
});

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

describe('checkpoint files', () => {
  it('reads, writes and reads back', async () => {
    const file = path.join(dir, 'm.weights.json');
    await fs.writeFile(file, JSON.stringify(baseFile()));
    const c = await readCheckpointFile(file);
    await writeCheckpointFile(file, c, { encoding: 'base64' });
    expect(await fs.readFile(file, 'utf8')).toContain('"base64:');
    const again = await readCheckpointFile(file);
    expect(Array.from(again.parameters.get('fc1.weight')!.data as Float32Array)).toEqual([0.5, -1, 0.25, 2, 0, 1.5]);
    expect((await fs.readdir(dir)).filter((f) => f.startsWith('.weightscope-tmp'))).toEqual([]);
  });
  it('a missing file is a CheckpointError naming it', async () => {
    const file = path.join(dir, 'nope.weights.json');
    await expect(readCheckpointFile(file)).rejects.toThrow(CheckpointError);
    await expect(readCheckpointFile(file)).rejects.toThrow(`${file}: file not found`);
  });
  it('a folder is refused plainly', async () => {
    await expect(readCheckpointFile(dir)).rejects.toThrow(/it is a folder/);
  });
  it('when serialization throws, the old file is whole and no temp file is left', async () => {
    const file = path.join(dir, 'm.weights.json');
    const original = JSON.stringify(baseFile());
    await fs.writeFile(file, original);
    const c = await readCheckpointFile(file);
    const broken = { ...c, parameters: null } as unknown as Checkpoint;
    await expect(writeCheckpointFile(file, broken)).rejects.toThrow();
    expect(await fs.readFile(file, 'utf8')).toBe(original);
    expect(await fs.readdir(dir)).toEqual(['m.weights.json']);
  });
  it.skipIf(isRoot)('when the folder is read-only, the old file is whole and the error names the file', async () => {
    const file = path.join(dir, 'm.weights.json');
    await fs.writeFile(file, 'old contents');
    await fs.chmod(dir, 0o555);
    const err = await writeFileAtomic(file, 'new contents').catch((e) => e);
    expect(err).toBeInstanceOf(CheckpointError);
    expect(err.message).toContain(file);
    expect(err.message).toContain('permission denied');
    expect(await fs.readFile(file, 'utf8')).toBe('old contents');
  });
  it('when writing the temp file fails midway, the old file is whole and the temp file is removed', async () => {
    const file = path.join(dir, 'm.weights.json');
    await fs.writeFile(file, 'old contents');
    // Data of a kind fs cannot write makes the write itself throw after the temp file was opened.
    await expect(writeFileAtomic(file, 42 as unknown as string)).rejects.toThrow(CheckpointError);
    expect(await fs.readFile(file, 'utf8')).toBe('old contents');
    expect(await fs.readdir(dir)).toEqual(['m.weights.json']);
  });
  it('the write goes through a temp file and a rename (the target is replaced, not truncated in place)', async () => {
    const file = path.join(dir, 'm.weights.json');
    await fs.writeFile(file, 'old');
    const before = (await fs.stat(file)).ino;
    await writeFileAtomic(file, new TextEncoder().encode('new'));
    expect(await fs.readFile(file, 'utf8')).toBe('new');
    expect((await fs.stat(file)).ino).not.toBe(before);
  });
});
