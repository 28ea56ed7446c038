// A zip archive's central directory, read from a ByteSource without reading the members: what a
// `.pt` (torch.save's zip) or an `.npz` needs to list its contents and then read one member at
// its offset. fflate inflates a whole archive held in memory; this reads only the directory at the
// end of the file and each local header, so a 500 MiB checkpoint opens by reading a few KiB.
// Zip64 (archives or members over 4 GiB, as PyTorch writes them) is read too. Pure: no `fs`.
import { Inflate, inflateSync } from 'fflate';
import type { ByteSource } from './byteSource';
import { CheckpointError } from './types';

export interface ZipMember {
  name: string;
  /** 0 = stored, 8 = deflated; anything else is refused when read. */
  method: number;
  compressedSize: number;
  /** The member's size once inflated (as the directory declares it). */
  size: number;
  localHeaderOffset: number;
  /** CRC-32 of the inflated bytes, checked when a compressed member is inflated. */
  crc32: number;
  /** Bit 0 of the flags: the member is encrypted. */
  encrypted: boolean;
}

const EOCD_SIG = 0x06054b50, EOCD64_SIG = 0x06064b50, EOCD64_LOCATOR_SIG = 0x07064b50;
const CENTRAL_SIG = 0x02014b50, LOCAL_SIG = 0x04034b50;
const MAX16 = 0xffff, MAX32 = 0xffffffff;

/** True when the bytes begin with a zip local-file header ("PK\x03\x04") or an empty archive's end record. */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.byteLength >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b &&
    ((bytes[2] === 0x03 && bytes[3] === 0x04) || (bytes[2] === 0x05 && bytes[3] === 0x06));
}

/** Ranges at least this long are read as PARALLEL_PARTS concurrent reads. */
const PARALLEL_FROM = 32 * 2 ** 20;
/**
 * Concurrent reads of one large range: a file source's reads run on libuv's thread pool (four
 * threads), and a 147 MiB tensor comes out of the page cache in ~60 ms as four parts instead of
 * ~95 ms as one read.
 */
const PARALLEL_PARTS = 4;

/** Exactly `length` bytes at `position`, or a CheckpointError saying the file ended early. */
export async function readExactly(src: ByteSource, position: number, length: number, file: string, scratch?: (n: number) => Uint8Array): Promise<Uint8Array> {
  // Into the caller's scratch buffer when given (see Scratch in lazy.ts), else a fresh one.
  const buf = scratch ? scratch(length).subarray(0, length) : new Uint8Array(length);
  const fill = async (from: number, to: number) => {
    let done = from;
    while (done < to) {
      const got = await src.read(buf.subarray(done, to), position + done);
      if (got <= 0) throw new CheckpointError(file, `unexpected end of file at byte ${position + done} (expected ${length} bytes at ${position}); the file is truncated`);
      done += got;
    }
  };
  if (length < PARALLEL_FROM) {
    await fill(0, length);
  } else {
    const part = Math.ceil(length / PARALLEL_PARTS / 4096) * 4096;
    const parts = Array.from({ length: Math.ceil(length / part) }, (_, i) => fill(i * part, Math.min(length, (i + 1) * part)));
    // Every part settles before an error is thrown, so no read still writes into the buffer after.
    const failed = (await Promise.allSettled(parts)).find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
  }
  return buf;
}

const u64 = (v: DataView, at: number) => Number(v.getBigUint64(at, true));

/** The central directory: where it starts, how long it is, how many entries it declares. */
async function findDirectory(src: ByteSource, file: string): Promise<{ offset: number; size: number; count: number }> {
  const notZip = () => new CheckpointError(file, 'is not a zip archive (no end-of-central-directory record)');
  // The end record is 22 bytes plus a comment of at most 65535: search that tail backwards.
  const tailLen = Math.min(src.size, 22 + MAX16);
  if (tailLen < 22) throw notZip();
  const tailStart = src.size - tailLen;
  const tail = await readExactly(src, tailStart, tailLen, file);
  const tv = new DataView(tail.buffer);
  let at = -1;
  for (let i = tailLen - 22; i >= 0; i--) if (tv.getUint32(i, true) === EOCD_SIG) { at = i; break; }
  if (at < 0) throw notZip();
  let count = tv.getUint16(at + 10, true);
  let size = tv.getUint32(at + 12, true);
  let offset = tv.getUint32(at + 16, true);
  if (count === MAX16 || size === MAX32 || offset === MAX32) {
    // Zip64: a locator just before the end record points at the zip64 end record.
    const locAt = tailStart + at - 20;
    if (locAt < 0) throw notZip();
    const loc = new DataView((await readExactly(src, locAt, 20, file)).buffer);
    if (loc.getUint32(0, true) !== EOCD64_LOCATOR_SIG) throw new CheckpointError(file, 'zip64 archive without its end-of-directory locator; the file is damaged');
    const rec = new DataView((await readExactly(src, u64(loc, 8), 56, file)).buffer);
    if (rec.getUint32(0, true) !== EOCD64_SIG) throw new CheckpointError(file, 'zip64 end-of-directory record missing; the file is damaged');
    count = u64(rec, 32); size = u64(rec, 40); offset = u64(rec, 48);
  }
  if (offset + size > src.size) throw new CheckpointError(file, `the zip directory (${size} bytes at ${offset}) lies past the end of the file (${src.size} bytes); the file is truncated`);
  return { offset, size, count };
}

/** Every member of the archive, in directory order; nothing of the members is read. */
export async function readZipDirectory(src: ByteSource, file: string): Promise<ZipMember[]> {
  const dir = await findDirectory(src, file);
  const bytes = await readExactly(src, dir.offset, dir.size, file);
  const v = new DataView(bytes.buffer);
  const utf8 = new TextDecoder();
  const members: ZipMember[] = [];
  let p = 0;
  for (let i = 0; i < dir.count; i++) {
    if (p + 46 > bytes.length || v.getUint32(p, true) !== CENTRAL_SIG) throw new CheckpointError(file, `zip directory entry ${i} is damaged`);
    const flags = v.getUint16(p + 8, true);
    const method = v.getUint16(p + 10, true);
    const crc = v.getUint32(p + 16, true);
    let compressedSize = v.getUint32(p + 20, true);
    let size = v.getUint32(p + 24, true);
    const nameLen = v.getUint16(p + 28, true), extraLen = v.getUint16(p + 30, true), commentLen = v.getUint16(p + 32, true);
    let localHeaderOffset = v.getUint32(p + 42, true);
    const name = utf8.decode(bytes.subarray(p + 46, p + 46 + nameLen));
    // The zip64 extra field holds, in this order, whichever of the three sizes overflowed 32 bits.
    for (let e = p + 46 + nameLen; e + 4 <= p + 46 + nameLen + extraLen;) {
      const id = v.getUint16(e, true), len = v.getUint16(e + 2, true);
      if (id === 0x0001) {
        let q = e + 4;
        if (size === MAX32) { size = u64(v, q); q += 8; }
        if (compressedSize === MAX32) { compressedSize = u64(v, q); q += 8; }
        if (localHeaderOffset === MAX32) { localHeaderOffset = u64(v, q); q += 8; }
      }
      e += 4 + len;
    }
    members.push({ name, method, compressedSize, size, localHeaderOffset, crc32: crc, encrypted: (flags & 1) !== 0 });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return members;
}

/** Where a member's bytes begin: after its local header, whose extra field may differ from the directory's (PyTorch pads it to align the data). */
export async function memberDataOffset(src: ByteSource, m: ZipMember, file: string): Promise<number> {
  const h = new DataView((await readExactly(src, m.localHeaderOffset, 30, file)).buffer);
  if (h.getUint32(0, true) !== LOCAL_SIG) throw new CheckpointError(file, `zip member ${m.name}: local header missing at byte ${m.localHeaderOffset}; the file is damaged`);
  const start = m.localHeaderOffset + 30 + h.getUint16(26, true) + h.getUint16(28, true);
  if (start + m.compressedSize > src.size) throw new CheckpointError(file, `zip member ${m.name} ends past the end of the file; the file is truncated`);
  return start;
}

/** The most a compressed member may inflate to in memory, unless the caller says otherwise. */
export const DEFAULT_INFLATE_BUDGET = 1024 * 1024 * 1024;

/**
 * A member's bytes, whole: a stored member read at its offset; a deflated one inflated alone,
 * refused first when its declared size exceeds `budget` (a small .npz can inflate to gigabytes).
 */
export async function readMember(src: ByteSource, m: ZipMember, file: string, budget = DEFAULT_INFLATE_BUDGET): Promise<Uint8Array> {
  if (m.encrypted) throw new CheckpointError(file, `zip member ${m.name} is encrypted; Weightscope reads only unencrypted archives`);
  if (m.method !== 0 && m.method !== 8) throw new CheckpointError(file, `zip member ${m.name} uses compression method ${m.method}; expected stored (0) or deflate (8)`);
  if (m.method === 8 && m.size > budget) {
    throw new CheckpointError(file, `zip member ${m.name} inflates to ${m.size} bytes, over the ${budget}-byte memory budget for one compressed member; save it uncompressed (np.savez, not np.savez_compressed) to read it lazily`);
  }
  const start = await memberDataOffset(src, m, file);
  const raw = await readExactly(src, start, m.compressedSize, file);
  if (m.method === 0) return raw;
  try {
    // Into a buffer of the declared size: a member that inflates to more is cut there, and its
    // CRC then disagrees, so a lying directory cannot make us allocate more than it declared.
    const out = inflateSync(raw, { out: new Uint8Array(m.size) });
    if (out.length !== m.size || crc32(out) !== m.crc32) throw new Error(`it does not inflate to the ${m.size} bytes with CRC ${m.crc32.toString(16)} its directory declares; the file is damaged`);
    return out;
  } catch (e) {
    throw new CheckpointError(file, `zip member ${m.name} cannot be inflated (${e instanceof Error ? e.message : String(e)})`);
  }
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/**
 * The first `want` bytes of a member (fewer if it is shorter): read at its offset when stored,
 * inflated only as far as needed when deflated — an `.npz` array's header without its values.
 */
export async function readMemberHead(src: ByteSource, m: ZipMember, file: string, want: number): Promise<Uint8Array> {
  const start = await memberDataOffset(src, m, file);
  const n = Math.min(want, m.size);
  if (m.method === 0) return readExactly(src, start, n, file);
  if (m.method !== 8 || m.encrypted) return readMember(src, m, file, 0); // refused there, with the reason
  const out = new Uint8Array(n);
  let got = 0;
  const inflater = new Inflate((chunk) => {
    const take = Math.min(chunk.length, n - got);
    out.set(chunk.subarray(0, take), got);
    got += take;
  });
  const CHUNK = 16 * 1024;
  try {
    for (let at = 0; got < n && at < m.compressedSize; at += CHUNK) {
      const len = Math.min(CHUNK, m.compressedSize - at);
      inflater.push(await readExactly(src, start + at, len, file), at + len >= m.compressedSize);
    }
  } catch (e) {
    throw new CheckpointError(file, `zip member ${m.name} cannot be inflated (${e instanceof Error ? e.message : String(e)})`);
  }
  // Fewer bytes than asked: the member is shorter than its directory says; the caller's own
  // checks (an .npy header cut short) name what is missing.
  return got < n ? out.subarray(0, got) : out;
}

/** CRC-32 (ISO-HDLC, as zip uses it). */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

