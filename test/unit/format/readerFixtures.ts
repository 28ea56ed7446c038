// The committed reader fixtures (test/parity/gen_readers.py writes them with real torch/numpy)
// and helpers to compare what our readers give with what PyTorch wrote, bit for bit.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ByteSource } from '../../../src/format/byteSource';
import type { ExpectedTensor } from '../interop/fixtureBytes';

export { hexIn, ourDtype, type ExpectedTensor } from '../interop/fixtureBytes';

export const READERS = path.resolve(__dirname, '../../fixtures/readers');
export const rx = (name: string) => path.join(READERS, name);

export const readersExpected: Record<string, Record<string, unknown>> = JSON.parse(fs.readFileSync(rx('expected.json'), 'utf8'));

export function expectedOf(file: string): [string, ExpectedTensor][] {
  return Object.entries(readersExpected[file]).filter(([k]) => !k.startsWith('_')) as [string, ExpectedTensor][];
}

/** A source over bytes in memory that counts what was read: how lazy a reader really is. */
export function countingSource(bytes: Uint8Array): ByteSource & { bytesRead: number; reads: number } {
  const src = {
    size: bytes.length, bytesRead: 0, reads: 0,
    async read(into: Uint8Array, position: number) {
      const n = Math.max(0, Math.min(into.length, bytes.length - position));
      into.set(bytes.subarray(position, position + n));
      src.bytesRead += n;
      src.reads++;
      return n;
    },
  };
  return src;
}
