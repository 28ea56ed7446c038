// A zip archive's table of contents read from its end (the central directory), without reading
// the entries: the hover index lists a 500 MB `.pt` or `.npz` by reading a few kilobytes. Each
// entry's data offset comes from its local header. Stored entries (what torch.save and np.savez
// write) can then be read by position; deflated ones (np.savez_compressed) only as a stream.
// Zip64 is read too (torch.save uses it past 4 GiB). Pure over a ByteSource: no `fs`.
import type { ByteSource } from '../../format/byteSource';
import { CheckpointError } from '../../format/types';

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  compressedSize: number;
  size: number;
  /** Absolute offset of the entry's (compressed) data. */
  dataOffset: number;
}

/** Exactly `length` bytes at `position`, or a CheckpointError naming the file. */
export async function readExactly(src: ByteSource, position: number, length: number, file: string): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const got = await src.read(out.subarray(done), position + done);
    if (got <= 0) throw new CheckpointError(file, `ends at byte ${position + done}, expected ${length} bytes there`);
    done += got;
  }
  return out;
}

const EOCD = 0x06054b50, EOCD64 = 0x06064b50, LOCATOR64 = 0x07064b50, CENTRAL = 0x02014b50, LOCAL = 0x04034b50;
const MAX32 = 0xffffffff;

/** Every entry of the zip archive in `src`, in directory order. */
export async function readZipDirectory(src: ByteSource, file: string): Promise<ZipEntry[]> {
  const fail = (what: string): never => { throw new CheckpointError(file, `cannot read it as a zip archive (${what})`); };
  // The end record is in the last 22 bytes plus up to 64 KiB of comment.
  const tailLen = Math.min(src.size, 22 + 0xffff + 20);
  const tail = await readExactly(src, src.size - tailLen, tailLen, file);
  const tv = new DataView(tail.buffer);
  let e = -1;
  for (let i = tailLen - 22; i >= 0; i--) if (tv.getUint32(i, true) === EOCD) { e = i; break; }
  if (e < 0) fail('no end of central directory record');
  let count = tv.getUint16(e + 10, true);
  let cdSize = tv.getUint32(e + 12, true);
  let cdOffset = tv.getUint32(e + 16, true);
  if (count === 0xffff || cdSize === MAX32 || cdOffset === MAX32) {
    const l = e - 20;
    if (l < 0 || tv.getUint32(l, true) !== LOCATOR64) fail('zip64 sizes without a zip64 locator');
    const at = Number(tv.getBigUint64(l + 8, true));
    const rec = new DataView((await readExactly(src, at, 56, file)).buffer);
    if (rec.getUint32(0, true) !== EOCD64) fail('no zip64 end of central directory record');
    count = Number(rec.getBigUint64(32, true));
    cdSize = Number(rec.getBigUint64(40, true));
    cdOffset = Number(rec.getBigUint64(48, true));
  }
  if (cdOffset + cdSize > src.size) fail('the central directory lies past the end of the file');
  const cd = await readExactly(src, cdOffset, cdSize, file);
  const v = new DataView(cd.buffer);
  const utf8 = new TextDecoder();
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let n = 0; n < count; n++) {
    if (p + 46 > cd.length || v.getUint32(p, true) !== CENTRAL) fail('a damaged central directory');
    const method = v.getUint16(p + 10, true);
    let compressedSize = v.getUint32(p + 20, true);
    let size = v.getUint32(p + 24, true);
    const nameLen = v.getUint16(p + 28, true), extraLen = v.getUint16(p + 30, true), commentLen = v.getUint16(p + 32, true);
    let local = v.getUint32(p + 42, true);
    const name = utf8.decode(cd.subarray(p + 46, p + 46 + nameLen));
    // Zip64 extra field: the 64-bit values, in this order, of those whose 32-bit field is full.
    for (let x = p + 46 + nameLen; x + 4 <= p + 46 + nameLen + extraLen;) {
      const id = v.getUint16(x, true), len = v.getUint16(x + 2, true);
      if (id === 0x0001) {
        let q = x + 4;
        if (size === MAX32) { size = Number(v.getBigUint64(q, true)); q += 8; }
        if (compressedSize === MAX32) { compressedSize = Number(v.getBigUint64(q, true)); q += 8; }
        if (local === MAX32) { local = Number(v.getBigUint64(q, true)); }
      }
      x += 4 + len;
    }
    entries.push({ name, method, compressedSize, size, dataOffset: local });
    p += 46 + nameLen + extraLen + commentLen;
  }
  // The data begins after each local header, whose extra field (PyTorch's alignment padding) may differ from the directory's.
  for (const entry of entries) {
    const h = new DataView((await readExactly(src, entry.dataOffset, 30, file)).buffer);
    if (h.getUint32(0, true) !== LOCAL) fail(`no local header for ${entry.name}`);
    entry.dataOffset += 30 + h.getUint16(26, true) + h.getUint16(28, true);
    if (entry.dataOffset + entry.compressedSize > src.size) fail(`${entry.name} runs past the end of the file`);
  }
  return entries;
}
