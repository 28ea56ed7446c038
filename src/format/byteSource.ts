// Bytes of a file read a piece at a time, for the streaming reader (streamScan.ts,
// streamValues.ts) that digests a checkpoint without ever holding it whole. The source is an
// interface so this layer stays free of `fs`: fileByteSource.ts adapts a Node file handle, tests
// and the browser pass bytes in memory.

export interface ByteSource {
  /** Total length in bytes. */
  readonly size: number;
  /** Reads up to `into.length` bytes at `position` into `into`; resolves with how many were read (0 past the end). */
  read(into: Uint8Array, position: number): Promise<number>;
}

/** A source over bytes already in memory. */
export function memorySource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    async read(into, position) {
      const n = Math.max(0, Math.min(into.length, bytes.length - position));
      into.set(bytes.subarray(position, position + n));
      return n;
    },
  };
}

/** Thrown when a source gives fewer bytes than its size promised (the file shrank while being read). */
export class SourceEndedError extends Error {
  constructor(readonly at: number) { super(`the file ended at byte ${at} while it was being read (was it being written?)`); }
}

/**
 * The default chunk: small enough that one chunk's work (about a millisecond) never holds up a
 * thread, large enough that the objects each read allocates stay few (64 KiB chunks made a
 * third of the hover index's garbage in the extension host).
 */
export const CHUNK_BYTES = 256 * 1024;

/**
 * Reads the range [start, end) of a source forward, one chunk at a time. A parser reads
 * `buf[pos, len)` and, when it runs out, calls `more(keepFrom)`: the bytes from `keepFrom` on
 * (a token cut by the chunk's edge) move to the front and the next chunk follows them.
 */
export class ChunkReader {
  buf: Uint8Array<ArrayBufferLike>;
  pos = 0;
  len = 0;
  /** Offset in the source of the byte after buf[len - 1]. */
  private next: number;

  /** `buffer`: a chunk buffer to read into, shared by the readers of one file one after another (fewer buffers for the GC to find). */
  constructor(private readonly src: ByteSource, start: number, private readonly end: number, buffer: Uint8Array<ArrayBufferLike> = new Uint8Array(CHUNK_BYTES)) {
    this.buf = buffer;
    this.next = start;
  }

  /** Offset in the source of buf[i] (of buf[pos] by default). */
  offsetOf(i = this.pos): number {
    return this.next - (this.len - i);
  }

  /** True when the range's last byte has been read into the buffer. */
  get atEnd(): boolean {
    return this.next >= this.end;
  }

  /**
   * Drops buf[0, keepFrom), moves what is left to the front (pos moves with it) and reads the next
   * chunk behind it. Resolves false when the range has no more bytes. A kept tail as long as half
   * the buffer (a very long token) doubles the buffer.
   */
  async more(keepFrom = this.len): Promise<boolean> {
    if (this.atEnd) return false;
    const keep = this.len - keepFrom;
    if (keep * 2 >= this.buf.length) {
      const bigger = new Uint8Array(this.buf.length * 2);
      bigger.set(this.buf.subarray(keepFrom, this.len));
      this.buf = bigger;
    } else if (keep > 0) {
      this.buf.copyWithin(0, keepFrom, this.len);
    }
    this.pos -= keepFrom;
    this.len = keep;
    const want = Math.min(this.buf.length - keep, this.end - this.next);
    const got = await this.src.read(this.buf.subarray(keep, keep + want), this.next);
    if (got <= 0) throw new SourceEndedError(this.next);
    this.len += got;
    this.next += got;
    return true;
  }
}
