// Helpers shared by the interop tests: the committed fixtures and their expected values
// (test/parity/gen_interop.py writes both), and a tensor's bytes in its SOURCE dtype, so a
// widened int16/int8 is compared bit for bit with what PyTorch / NumPy wrote.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TensorRecord } from '../../../src/format/types';

export const FIXTURES = path.resolve(__dirname, '../../fixtures/interop');

export interface ExpectedTensor { dtype: string; shape: number[]; hex: string }
export type ExpectedFile = Record<string, ExpectedTensor>;

export const expected: Record<string, Record<string, unknown>> = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'expected.json'), 'utf8'));

/** The expected tensors of a fixture (without the `_`-prefixed extras). */
export function expectedTensors(file: string): [string, ExpectedTensor][] {
  return Object.entries(expected[file]).filter(([k]) => !k.startsWith('_')) as [string, ExpectedTensor][];
}

/** Our record's values as little-endian bytes of `sourceDtype` (torch's name), in hex. */
export function hexIn(record: TensorRecord, sourceDtype: string): string {
  let bytes: Uint8Array;
  const d = record.data;
  if (sourceDtype === 'int16') bytes = new Uint8Array(Int16Array.from(d as Int32Array).buffer);
  else if (sourceDtype === 'int8') bytes = new Uint8Array(Int8Array.from(d as Int32Array).buffer);
  else bytes = new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
  return Buffer.from(bytes).toString('hex');
}

/** Our dtype for a source dtype name (int16/int8 are widened to int32). */
export function ourDtype(sourceDtype: string): string {
  return sourceDtype === 'int16' || sourceDtype === 'int8' ? 'int32' : sourceDtype;
}
