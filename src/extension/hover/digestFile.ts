// Reads one checkpoint file and digests it, for the hover index. The file is read as a stream
// (format/streamScan.ts, then format/streamValues.ts one tensor at a time), so what is in memory
// at any moment is a 256 KiB chunk and one tensor's digest being built — never the file, never a
// tensor — and each chunk is a short step on the extension host's thread, which stays free
// between them. Node only (it opens the file); no `vscode`.
import { CHUNK_BYTES } from '../../format/byteSource';
import { openFileSource, type FileByteSource } from '../../format/fileByteSource';
import { scanCheckpoint } from '../../format/streamScan';
import { readTensorValues } from '../../format/streamValues';
import { CheckpointError } from '../../format/types';
import { layerOwners, TensorDigestBuilder, type CheckpointDigest, type ParamDigest } from './digest';

/**
 * The chunk buffer of the last file digested, for the next: the index reads one file at a time,
 * and a fresh buffer per file would sit off the JS heap until a collection happens to free it.
 */
let spareChunk: Uint8Array | null = null;

export async function digestCheckpointFile(file: string): Promise<CheckpointDigest> {
  let src: FileByteSource;
  try {
    src = await openFileSource(file);
  } catch (e) {
    throw new CheckpointError(file, `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  try {
    // One read buffer for every pass over this file (a concurrent call gets its own).
    const chunk = spareChunk ?? new Uint8Array(CHUNK_BYTES);
    spareChunk = null;
    const outline = await scanCheckpoint(src, file, chunk);
    const parameters = outline.tensors.filter((t) => t.section === 'parameters');
    const owner = layerOwners(outline.model, new Map(parameters.map((t) => [t.name, t.shape])));
    const params: ParamDigest[] = [];
    for (const t of outline.tensors) {
      const buffer = t.section === 'buffers';
      const b = new TensorDigestBuilder(t.name, t, buffer ? undefined : owner.get(t.name), buffer);
      await readTensorValues(src, file, t, (values, count) => b.add(values, count), chunk);
      if (b.needsHistogram()) await readTensorValues(src, file, t, b.addToHistogram, chunk);
      params.push(b.finish());
    }
    spareChunk = chunk;
    return { params };
  } finally {
    await src.close();
  }
}
