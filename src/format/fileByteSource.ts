// A ByteSource over a file on disk (Node only). One open descriptor for every pass over the file,
// so a checkpoint replaced by an atomic rename while it is being read is still read whole, as it
// was. Reads go through fs.read's callback, not a FileHandle: a FileHandle read allocates several
// objects per call (its request, result and bookkeeping), and a checkpoint is read in many chunks —
// garbage that makes V8 grow its young generation in the extension host (issue 6's memory target).
import { close, fstat, open, read } from 'node:fs';
import type { ByteSource } from './byteSource';
import { CheckpointError } from './types';

export interface FileByteSource extends ByteSource {
  close(): Promise<void>;
}

const call = <T>(f: (done: (err: NodeJS.ErrnoException | null, value: T) => void) => void): Promise<T> =>
  new Promise((resolve, reject) => f((err, value) => (err ? reject(err) : resolve(value))));

export async function openFileSource(file: string): Promise<FileByteSource> {
  const fd = await call<number>((done) => open(file, 'r', done));
  try {
    const { size } = await call<{ size: number }>((done) => fstat(fd, done));
    return {
      size,
      read: (into, position) => call<number>((done) => read(fd, into, 0, into.length, position, done)),
      close: () => call<void>((done) => close(fd, (err) => done(err, undefined))),
    };
  } catch (e) {
    await call<void>((done) => close(fd, () => done(null, undefined)));
    throw e;
  }
}

/** Open `file` as a ByteSource for `use`, always closed after; a missing file is a CheckpointError. */
export async function withFileSource<T>(file: string, use: (src: FileByteSource) => Promise<T>): Promise<T> {
  const src = await openFileSource(file).catch((e: NodeJS.ErrnoException) => {
    throw new CheckpointError(file, e.code === 'ENOENT' ? 'file not found' : `cannot open it (${e.code ?? e.message})`);
  });
  try { return await use(src); } finally { await src.close(); }
}
