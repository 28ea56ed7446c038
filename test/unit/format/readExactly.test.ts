// readExactly reads a large range (a tensor of a lazily opened file) as concurrent parts, each at
// its own position: the bytes must come out as one sequential read gives them, short reads and all,
// and a file that ends early is still one clear message.
import { describe, expect, it } from 'vitest';
import { memorySource, type ByteSource } from '../../../src/format/byteSource';
import { CheckpointError } from '../../../src/format/types';
import { readExactly } from '../../../src/format/zipDirectory';

function bytes(n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 2654435761) >>> 24;
  return b;
}

/** A source whose reads return at most a few MiB and take a turn, counting how many are in flight at once. */
function slowSource(data: Uint8Array): ByteSource & { maxInFlight: number } {
  const mem = memorySource(data);
  let inFlight = 0;
  const src = {
    size: data.length,
    maxInFlight: 0,
    async read(into: Uint8Array, position: number) {
      inFlight++;
      src.maxInFlight = Math.max(src.maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 1));
      const n = await mem.read(into.subarray(0, 3 * 2 ** 20 + 17), position);
      inFlight--;
      return n;
    },
  };
  return src;
}

describe('readExactly', () => {
  it('a 40 MiB range is read as concurrent parts, byte for byte the same', async () => {
    const data = bytes(41 * 2 ** 20 + 123);
    const src = slowSource(data);
    const got = await readExactly(src, 1000, 40 * 2 ** 20 + 5, 'big.safetensors');
    expect(src.maxInFlight).toBeGreaterThan(1);
    expect(Buffer.from(got).equals(Buffer.from(data.subarray(1000, 1000 + 40 * 2 ** 20 + 5)))).toBe(true);
  });

  it('a small range is one sequential read', async () => {
    const data = bytes(10 * 2 ** 20);
    const src = slowSource(data);
    const got = await readExactly(src, 7, 9 * 2 ** 20, 'small.safetensors');
    expect(src.maxInFlight).toBe(1);
    expect(Buffer.from(got).equals(Buffer.from(data.subarray(7, 7 + 9 * 2 ** 20)))).toBe(true);
  });

  it('a file that ends inside a large range is a CheckpointError naming the file', async () => {
    const src = slowSource(bytes(50 * 2 ** 20));
    const err = await readExactly(src, 20 * 2 ** 20, 40 * 2 ** 20, 'cut.safetensors').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CheckpointError);
    expect(String((err as Error).message)).toMatch(/cut\.safetensors.*truncated/);
  });
});
