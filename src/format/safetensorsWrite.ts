// Writing `.safetensors` (the layout is described in safetensors.ts), one tensor at a time: the
// header is known from names, dtypes and shapes alone, and each tensor's values are asked for
// only when its turn comes and dropped once written, so a file larger than memory can be made
// (the tests and benches make GPT-2-sized pairs this way). Node-only (writes the file); atomic:
// written beside, then renamed, as every Weightscope write is.
import { promises as fs } from 'node:fs';
import { numel } from '../engine/spec';
import { RAW_ITEMSIZE } from './lazy';
import type { DType, TensorData } from './types';

const DTYPE_CODES: Record<DType, string> = {
  float64: 'F64', float32: 'F32', float16: 'F16', bfloat16: 'BF16', int64: 'I64', int32: 'I32', uint8: 'U8', bool: 'BOOL',
};

export interface SafetensorsWriteEntry {
  name: string;
  shape: number[];
  dtype: DType;
  /** The values, row-major, in the typed array of `dtype` (see TensorData); called once, when written. */
  data: () => TensorData | Promise<TensorData>;
}

/** The header bytes, padded with spaces to a multiple of 8 as the reference writer pads them. */
export function safetensorsHeaderBytes(entries: Omit<SafetensorsWriteEntry, 'data'>[], metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  let offset = 0;
  for (const e of entries) {
    const length = numel(e.shape) * RAW_ITEMSIZE[e.dtype];
    header[e.name] = { dtype: DTYPE_CODES[e.dtype], shape: e.shape, data_offsets: [offset, offset + length] };
    offset += length;
  }
  const text = new TextEncoder().encode(JSON.stringify(header));
  const padded = new Uint8Array(Math.ceil(text.length / 8) * 8).fill(0x20);
  padded.set(text);
  return padded;
}

export async function writeSafetensorsFile(file: string, entries: SafetensorsWriteEntry[], metadata?: Record<string, string>): Promise<void> {
  const header = safetensorsHeaderBytes(entries, metadata);
  const tmp = `${file}.tmp-${process.pid}`;
  const handle = await fs.open(tmp, 'w');
  try {
    const length = new Uint8Array(8);
    new DataView(length.buffer).setBigUint64(0, BigInt(header.byteLength), true);
    await writeAll(handle, length);
    await writeAll(handle, header);
    for (const e of entries) {
      const data = await e.data();
      const expected = numel(e.shape) * RAW_ITEMSIZE[e.dtype];
      if (data.byteLength !== expected) throw new RangeError(`writeSafetensorsFile: ${e.name} has ${data.byteLength} bytes, its shape and dtype need ${expected}`);
      // Typed arrays hold little-endian values on every platform Node runs on (x86, arm).
      await writeAll(handle, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    }
  } catch (e) {
    await handle.close();
    await fs.rm(tmp, { force: true });
    throw e;
  }
  await handle.close();
  await fs.rename(tmp, file);
}

/** A write may take fewer bytes than given; go on until all are down. */
async function writeAll(handle: fs.FileHandle, bytes: Uint8Array): Promise<void> {
  for (let done = 0; done < bytes.byteLength;) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.byteLength - done);
    done += bytesWritten;
  }
}
