// `.pt` / `.pth` from disk, lazily (Node only): opening reads the zip directory and `data.pkl`;
// each tensor's `read()` opens the file, reads the bytes its view spans at their offset, and
// closes it, so a source the editor or the hover index keeps holds no file descriptor and no value.
import { promises as fs } from 'node:fs';
import { withFileSource } from './fileByteSource';
import { pytorchArchive, type PtWriteOptions, type PtWriteTensor } from './pytorchWrite';
import type { LazyTensorSource } from './lazy';
import { readPytorchIndex, readPytorchTensor, type PytorchIndex } from './pytorch';
import { RAW_ITEMSIZE, targetDType } from './lazy';
import { numel } from '../engine/spec';

export interface OpenedPytorch {
  file: string;
  tensors: LazyTensorSource[];
  buffers: Set<string>;
  notes: string[];
  metadata: Record<string, unknown>;
  index: PytorchIndex;
}

/** The tensors of a `.pt` file, listed from its directory and pickle; values read on `read()`. */
export async function openPytorch(file: string): Promise<OpenedPytorch> {
  const index = await withFileSource(file, (src) => readPytorchIndex(src, file));
  const tensors: LazyTensorSource[] = index.tensors.map((t) => ({
    name: t.name, shape: [...t.shape], dtype: targetDType(t.sourceDtype), sourceDtype: t.sourceDtype,
    // Where the view's first element sits (a compressed storage has no such place: -1).
    byteOffset: t.storage.dataOffset === undefined ? -1 : t.storage.dataOffset + t.offset * RAW_ITEMSIZE[t.sourceDtype],
    byteLength: numel(t.shape) * RAW_ITEMSIZE[t.sourceDtype],
    read: () => withFileSource(file, (src) => readPytorchTensor(src, t, file, index.littleEndian)),
    readFrom: (src, scratch) => readPytorchTensor(src, t, file, index.littleEndian, scratch),
  }));
  return { file, tensors, buffers: index.buffers, notes: index.notes, metadata: index.metadata, index };
}

/**
 * Write `tensors` as a `.pt` state_dict (pytorchWrite.ts), one piece at a time, atomically (a temp
 * file beside `file`, then a rename). For tests and benchmarks that need real-size files without torch.
 */
export async function writePytorchFile(file: string, tensors: readonly PtWriteTensor[], opts?: PtWriteOptions): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  const handle = await fs.open(tmp, 'w');
  try {
    for (const piece of pytorchArchive(tensors, opts)) await handle.write(piece);
    await handle.close();
    await fs.rename(tmp, file);
  } catch (e) {
    await handle.close().catch(() => undefined);
    await fs.rm(tmp, { force: true });
    throw e;
  }
}
