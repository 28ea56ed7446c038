// `.safetensors` from disk, lazily: opening reads the 8-byte length and the JSON header only
// (a 2 GB file lists its tensors at once); each tensor's bytes are read by position when asked for.
import { promises as fs } from 'node:fs';
import { CheckpointError, type Checkpoint, type TensorRecord } from './types';
import { checkpointFromTensors, targetDType, type LazyTensorSource } from './lazy';
import { readExactly } from './zipDirectory';
import { withFileSource } from './fileByteSource';
import { parseSafetensorsHeader, readHeaderLength, safetensorsMetadata, safetensorsNotes, safetensorsRecord, type SafetensorsHeader } from './safetensors';

export interface OpenedSafetensors {
  file: string;
  tensors: LazyTensorSource[];
  /** The file's own `__metadata__` string map. */
  metadata: Record<string, string>;
  /** User-facing notes (e.g. dtypes widened). */
  notes: string[];
  header: SafetensorsHeader;
}

/** Read `length` bytes at `position` of an open file, all of them or a CheckpointError. */
async function readAt(handle: fs.FileHandle, position: number, length: number, file: string): Promise<Uint8Array> {
  const buf = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(buf, done, length - done, position + done);
    if (bytesRead === 0) throw new CheckpointError(file, `unexpected end of file at byte ${position + done}`);
    done += bytesRead;
  }
  return buf;
}

/** Open a `.safetensors` file: header and tensor list only; values are read on `read()`. */
export async function openSafetensors(file: string): Promise<OpenedSafetensors> {
  // A missing or unreadable file is the user's mistake, named as readAnyCheckpoint names it.
  const handle = await fs.open(file, 'r').catch((e: NodeJS.ErrnoException) => {
    throw new CheckpointError(file, e.code === 'ENOENT' ? 'file not found' : `cannot open it (${e.code ?? e.message})`);
  });
  let header: SafetensorsHeader;
  try {
    const { size } = await handle.stat();
    const n = readHeaderLength(await readAt(handle, 0, Math.min(8, size), file), size, file);
    header = parseSafetensorsHeader(await readAt(handle, 8, n, file), size, file);
  } finally {
    await handle.close();
  }
  const tensors: LazyTensorSource[] = header.entries.map((e) => ({
    name: e.name, shape: [...e.shape], dtype: targetDType(e.sourceDtype), sourceDtype: e.sourceDtype,
    byteOffset: e.byteOffset, byteLength: e.byteLength,
    // Opened per read, so a source kept by the editor holds no file descriptor.
    read: () => withFileSource(file, async (src) => safetensorsRecord(e, await readExactly(src, e.byteOffset, e.byteLength, file), file, true)),
    readFrom: async (src, scratch) => safetensorsRecord(e, await readExactly(src, e.byteOffset, e.byteLength, file, scratch), file, true),
  }));
  return { file, tensors, metadata: header.metadata, notes: safetensorsNotes(header.entries), header };
}

/** Every tensor read into a Checkpoint (no `model`): for files small enough to hold in memory. */
export async function safetensorsToCheckpoint(opened: OpenedSafetensors): Promise<Checkpoint> {
  const handle = await fs.open(opened.file, 'r');
  try {
    const records: [string, TensorRecord][] = [];
    for (const e of opened.header.entries) {
      records.push([e.name, safetensorsRecord(e, await readAt(handle, e.byteOffset, e.byteLength, opened.file), opened.file, true)]);
    }
    return checkpointFromTensors(records, safetensorsMetadata(opened.header));
  } finally {
    await handle.close();
  }
}
