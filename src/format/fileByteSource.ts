// A ByteSource over a file on disk (Node only). One open handle for every pass over the file, so
// a checkpoint replaced by an atomic rename while it is being read is still read whole, as it was.
import { open } from 'node:fs/promises';
import type { ByteSource } from './byteSource';

export interface FileByteSource extends ByteSource {
  close(): Promise<void>;
}

export async function openFileSource(file: string): Promise<FileByteSource> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    return {
      size,
      async read(into, position) {
        const { bytesRead } = await handle.read(into, 0, into.length, position);
        return bytesRead;
      },
      close: () => handle.close(),
    };
  } catch (e) {
    await handle.close();
    throw e;
  }
}
