// Reads one checkpoint file and digests it, for the hover index. A `.weights.json` is read as a
// stream, once (format/streamScan.ts, which hands each tensor's data to format/streamValues.ts as
// it meets it; a vector's histogram reads that tensor again). A `.safetensors`, `.pt`/`.pth`,
// `.npy`/`.npz` is outlined from its headers, then read a tensor at a time (digestForeign.ts). So
// what is in memory at any moment is a 256 KiB chunk and one tensor's digest being built — never
// the file, never a tensor — and each chunk is a short step on the extension host's thread, which
// stays free between them. Node only (it opens the file); no `vscode`.
import { CHUNK_BYTES } from '../../format/byteSource';
import { openFileSource, type FileByteSource } from '../../format/fileByteSource';
import { scanCheckpoint } from '../../format/streamScan';
import { readTensorValues, readValuesAt } from '../../format/streamValues';
import { CheckpointError } from '../../format/types';
import { layerOwners, TensorDigestBuilder, type CheckpointDigest, type ParamDigest } from './digest';
import { digestForeign, outlineForeign } from './digestForeign';
import { foreignFormat } from './foreignOutline';
import type { Pace } from './tensorStream';

/**
 * The chunk buffer of the last file digested, for the next: the index reads one file at a time,
 * and a fresh buffer per file would sit off the JS heap until a collection happens to free it.
 */
let spareChunk: Uint8Array | null = null;

async function open(file: string): Promise<FileByteSource> {
  try {
    return await openFileSource(file);
  } catch (e) {
    throw new CheckpointError(file, `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
}

/**
 * A foreign checkpoint's (`.safetensors`, `.pt`/`.pth`, `.npy`/`.npz`) tensors from its headers
 * only, statistics null; null for a `.weights.json`, whose shapes are not known before it is read.
 */
export async function outlineCheckpointFile(file: string): Promise<CheckpointDigest | null> {
  if (!foreignFormat(file)) return null;
  const src = await open(file);
  try {
    return await outlineForeign(src, file);
  } finally {
    await src.close();
  }
}

/** The full digest of a checkpoint of any format the hover reads; `onParam` hears of each tensor as it is done (foreign files). */
export async function digestCheckpointFile(file: string, onParam?: (p: ParamDigest) => void, pace?: Pace): Promise<CheckpointDigest> {
  const src = await open(file);
  if (foreignFormat(file)) {
    try {
      const chunk = spareChunk ?? new Uint8Array(CHUNK_BYTES);
      spareChunk = null;
      const digest = await digestForeign(src, file, onParam, chunk, pace);
      spareChunk = chunk;
      return digest;
    } finally {
      await src.close();
    }
  }
  try {
    // One read buffer for every pass over this file (a concurrent call gets its own).
    const chunk = spareChunk ?? new Uint8Array(CHUNK_BYTES);
    spareChunk = null;
    // Values are digested where the scan meets them (one pass over the file); a tensor whose data
    // came before its shape or dtype was skipped by the scan and is read by its range below.
    const built = new Map<string, TensorDigestBuilder>();
    const outline = await scanCheckpoint(src, file, chunk, async (t, r) => {
      const b = new TensorDigestBuilder(t.name, t);
      await readValuesAt(r, file, t, (values, count) => b.add(values, count));
      built.set(t.label, b);
    });
    const parameters = outline.tensors.filter((t) => t.section === 'parameters');
    const owner = layerOwners(outline.model, new Map(parameters.map((t) => [t.name, t.shape])));
    const params: ParamDigest[] = [];
    for (const t of outline.tensors) {
      const buffer = t.section === 'buffers';
      let b = built.get(t.label);
      if (!b) {
        const fresh = (b = new TensorDigestBuilder(t.name, t));
        await readTensorValues(src, file, t, (values, count) => fresh.add(values, count), chunk);
      }
      if (b.needsHistogram()) await readTensorValues(src, file, t, b.addToHistogram, chunk);
      params.push(b.finish(t.requires_grad, buffer ? undefined : owner.get(t.name), buffer));
    }
    spareChunk = chunk;
    return { params };
  } finally {
    await src.close();
  }
}
