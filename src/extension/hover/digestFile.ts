// Reads one checkpoint file and digests it, for the hover index. The file is read as a stream
// (format/streamScan.ts, then format/streamValues.ts one tensor at a time), so what is in memory
// at any moment is a 64 KiB chunk and one tensor's digest being built — never the file, never a
// tensor — and each chunk is a short step on the extension host's thread, which stays free
// between them. Node only (it opens the file); no `vscode`.
import { CHUNK_BYTES } from '../../format/byteSource';
import { openFileSource, type FileByteSource } from '../../format/fileByteSource';
import { scanCheckpoint } from '../../format/streamScan';
import { readTensorValues } from '../../format/streamValues';
import { CheckpointError } from '../../format/types';
import { layerOwners, TensorDigestBuilder, type CheckpointDigest, type ParamDigest } from './digest';

export async function digestCheckpointFile(file: string): Promise<CheckpointDigest> {
  let src: FileByteSource;
  try {
    src = await openFileSource(file);
  } catch (e) {
    throw new CheckpointError(file, `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  try {
    const chunk = new Uint8Array(CHUNK_BYTES); // one read buffer for every pass over this file
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
    return { params };
  } finally {
    await src.close();
  }
}
