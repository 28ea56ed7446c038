// Reads one checkpoint file and digests it: the work of the index's worker thread (and of the
// benchmark and tests, which call it directly). Node only.
import { readFile } from 'node:fs/promises';
import { parseCheckpoint } from '../../format/parse';
import { CheckpointError } from '../../format/types';
import { digestCheckpoint, type CheckpointDigest } from './digest';

export async function digestCheckpointFile(file: string): Promise<CheckpointDigest> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new CheckpointError(file, `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  // The parsed checkpoint (whole tensors) lives only for this call; what is kept is the digest.
  return digestCheckpoint(parseCheckpoint(bytes, file));
}
