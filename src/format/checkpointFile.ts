// Node-only file I/O for checkpoints: read + parse with the file named in every refusal, and
// atomic writes (temp file beside the target, fsync, rename) so a failed or interrupted save
// leaves the old file whole.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { CheckpointError, type Checkpoint } from './types';
import { parseCheckpoint } from './parse';
import { serializeCheckpoint, type SaveOptions } from './serialize';

export async function readCheckpointFile(file: string): Promise<Checkpoint> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if (e instanceof RangeError || (e as NodeJS.ErrnoException)?.code === 'ERR_STRING_TOO_LONG') {
      // V8 strings stop at about 512 MiB; say so instead of failing with an internal error.
      throw new CheckpointError(file, 'the file is too large to read as JSON text (over 512 MiB); this reader cannot open it');
    }
    throw new CheckpointError(file, ioReason(e, 'read'));
  }
  return parseCheckpoint(text, file);
}

export async function writeCheckpointFile(file: string, ckpt: Checkpoint, opts?: SaveOptions): Promise<void> {
  // Serialise first: if that throws, nothing on disk has been touched.
  const text = serializeCheckpoint(ckpt, opts);
  await writeFileAtomic(file, text);
}

export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.weightscope-tmp-${path.basename(file)}-${process.pid}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`);
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(tmp, 'wx');
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.rename(tmp, file);
  } catch (e) {
    await handle?.close().catch(() => undefined);
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw new CheckpointError(file, ioReason(e, 'write'));
  }
  // Make the rename itself durable where the platform allows syncing a directory.
  try {
    const d = await fs.open(dir, 'r');
    try { await d.sync(); } finally { await d.close(); }
  } catch { /* not supported (e.g. Windows): the rename is still atomic */ }
}

function ioReason(e: unknown, verb: 'read' | 'write'): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT': return verb === 'read' ? 'file not found' : 'cannot write: the folder does not exist';
    case 'EACCES': case 'EPERM': return `cannot ${verb}: permission denied`;
    case 'EISDIR': return `cannot ${verb}: it is a folder, expected a .weights.json file`;
    case 'EROFS': return `cannot ${verb}: read-only file system`;
    case 'ENOSPC': return `cannot ${verb}: no space left on the device`;
    default: return `cannot ${verb} the file: ${e instanceof Error ? e.message : String(e)}`;
  }
}
