// One tensor's values read from its place in a foreign file (foreignOutline.ts) a chunk at a time
// and handed on as numbers, so a digest never holds the tensor: at most one chunk, plus — for a
// strided view only — the span of storage it covers. Decoding matches the editor's
// (format/tensor.ts toFloat64Array) number for number, so the statistics are the same.
// Pure over a ByteSource (no `fs`).
import { CHUNK_BYTES, type ByteSource } from '../../format/byteSource';
import { bfloat16ToNumber, halfToNumber } from '../../format/half';
import { gatherStrided, RAW_ITEMSIZE, type RawDType } from '../../format/lazy';
import type { ValuesSink } from '../../format/streamValues';
import { Inflate } from 'fflate';
import { readExactly } from '../../format/zipDirectory';
import type { TensorSlot } from './foreignOutline';

/** Decodes `bytes` (whole elements, starting on an element) into numbers; a view where the bytes already are the numbers. */
export class RawDecoder {
  private scratch = new Float64Array(0);
  constructor(private readonly dtype: RawDType, private readonly littleEndian: boolean) {}

  decode(bytes: Uint8Array): ArrayLike<number> {
    const item = RAW_ITEMSIZE[this.dtype];
    const n = Math.floor(bytes.byteLength / item);
    const aligned = bytes.byteOffset % item === 0;
    if (this.littleEndian && aligned) {
      const { buffer, byteOffset } = bytes;
      switch (this.dtype) {
        case 'float32': return new Float32Array(buffer, byteOffset, n);
        case 'float64': return new Float64Array(buffer, byteOffset, n);
        case 'int32': return new Int32Array(buffer, byteOffset, n);
        case 'int16': return new Int16Array(buffer, byteOffset, n);
        case 'int8': return new Int8Array(buffer, byteOffset, n);
        case 'uint8': return bytes.subarray(0, n);
        default: break;
      }
    }
    if (this.scratch.length < n) this.scratch = new Float64Array(n);
    const out = this.scratch;
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const le = this.littleEndian;
    switch (this.dtype) {
      case 'float32': for (let i = 0; i < n; i++) out[i] = v.getFloat32(i * 4, le); break;
      case 'float64': for (let i = 0; i < n; i++) out[i] = v.getFloat64(i * 8, le); break;
      case 'float16': for (let i = 0; i < n; i++) out[i] = halfToNumber(v.getUint16(i * 2, le)); break;
      case 'bfloat16': for (let i = 0; i < n; i++) out[i] = bfloat16ToNumber(v.getUint16(i * 2, le)); break;
      case 'int64': for (let i = 0; i < n; i++) out[i] = Number(v.getBigInt64(i * 8, le)); break;
      case 'int32': for (let i = 0; i < n; i++) out[i] = v.getInt32(i * 4, le); break;
      case 'int16': for (let i = 0; i < n; i++) out[i] = v.getInt16(i * 2, le); break;
      case 'int8': for (let i = 0; i < n; i++) out[i] = v.getInt8(i); break;
      case 'uint8': for (let i = 0; i < n; i++) out[i] = bytes[i]; break;
      // Any non-zero byte is true, as NumPy and PyTorch read it (the editor keeps 0/1).
      case 'bool': for (let i = 0; i < n; i++) out[i] = bytes[i] ? 1 : 0; break;
    }
    return out.length === n ? out : out.subarray(0, n);
  }
}

/**
 * Called between chunks; a promise it returns is awaited first. The hover index's low priority:
 * while the user is hovering, it pauses a little after each chunk so the hovers get the CPU.
 */
export type Pace = () => Promise<void> | undefined;

/** Hands on the bytes [start, start + length) of `src` in chunks (whole elements each). */
async function rangeChunks(src: ByteSource, file: string, start: number, length: number, chunk: Uint8Array, each: (bytes: Uint8Array) => void, pace?: Pace): Promise<void> {
  for (let done = 0; done < length;) {
    const n = Math.min(chunk.length, length - done);
    const part = chunk.subarray(0, n);
    let got = 0;
    while (got < n) {
      const r = await src.read(part.subarray(got), start + done + got);
      if (r <= 0) throw new Error(`${file}: ended at byte ${start + done + got} while a tensor was being read (was it being written?)`);
      got += r;
    }
    each(part);
    done += n;
    const wait = pace?.();
    if (wait) await wait;
  }
}

/** The inflated bytes [skip, skip + length) of a deflated zip entry, in pieces as they come out. */
async function inflatedChunks(src: ByteSource, file: string, slot: TensorSlot, chunk: Uint8Array, each: (bytes: Uint8Array) => void, pace?: Pace): Promise<void> {
  const { member, dataOffset } = slot.deflated!;
  let pos = 0; // bytes of inflated output seen
  const from = slot.byteOffset, to = slot.byteOffset + slot.byteLength;
  const item = RAW_ITEMSIZE[slot.dtype];
  let carry = new Uint8Array(0); // a piece's trailing partial element
  const inflater = new Inflate((out) => {
    const a = Math.max(from, pos), b = Math.min(to, pos + out.length);
    if (a < b) {
      let piece = out.subarray(a - pos, b - pos);
      if (carry.length) { const j = new Uint8Array(carry.length + piece.length); j.set(carry); j.set(piece, carry.length); piece = j; }
      const whole = piece.length - (piece.length % item);
      // A copy: the decoder views it as typed elements, which needs its own aligned buffer.
      if (whole > 0) each(piece.slice(0, whole));
      carry = piece.slice(whole);
    }
    pos += out.length;
  });
  await rangeChunks(src, file, dataOffset, member.compressedSize, chunk, (bytes) => inflater.push(bytes.slice(), false), pace);
  inflater.push(new Uint8Array(0), true);
}

/**
 * Reads `slot`'s values in row-major order into `sink`. `chunk`: the read buffer to reuse (its
 * length a multiple of 8, so every chunk holds whole elements).
 */
export async function streamTensor(src: ByteSource, file: string, slot: TensorSlot, sink: ValuesSink, chunk: Uint8Array = new Uint8Array(CHUNK_BYTES), pace?: Pace): Promise<void> {
  const decoder = new RawDecoder(slot.dtype, slot.littleEndian);
  const feed = (bytes: Uint8Array) => { const v = decoder.decode(bytes); sink(v, v.length); };
  if (slot.view) {
    // A strided view: its storage span read whole, gathered into row-major order (rare: a
    // transposed tensor saved as is, a Fortran-order array).
    const span = slot.deflated ? await collectInflated(src, file, slot, chunk) : await readExactly(src, slot.byteOffset, slot.byteLength, file);
    const item = RAW_ITEMSIZE[slot.dtype];
    const rows = gatherStrided(span, item, slot.shape, slot.view.strides, slot.view.offset, file, slot.name);
    for (let i = 0; i < rows.length; i += chunk.length) feed(rows.subarray(i, Math.min(rows.length, i + chunk.length)));
    return;
  }
  if (slot.deflated) await inflatedChunks(src, file, slot, chunk, feed, pace);
  else await rangeChunks(src, file, slot.byteOffset, slot.byteLength, chunk, feed, pace);
}

async function collectInflated(src: ByteSource, file: string, slot: TensorSlot, chunk: Uint8Array): Promise<Uint8Array> {
  const out = new Uint8Array(slot.byteLength);
  let at = 0;
  await inflatedChunks(src, file, slot, chunk, (b) => { out.set(b, at); at += b.length; });
  return out;
}
