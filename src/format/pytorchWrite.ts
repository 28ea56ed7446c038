// A `.pt` state_dict written as `torch.save` writes it: a zip of stored (uncompressed) members,
// `archive/data.pkl` (pickle protocol 2: an OrderedDict of `torch._utils._rebuild_tensor_v2`
// calls whose storages are persistent ids), `archive/byteorder`, one `archive/data/<key>` per
// storage with its data 64-byte aligned, and `archive/version`. `torch.load(weights_only=True)`
// reads it. Tests and benchmarks make real-size ResNet/GPT-2-shaped files with it, without torch.
// Pure: yields the file's bytes piece by piece (a tensor's data is produced when its turn comes),
// so a 500 MiB file never sits in memory; pytorchFile.ts writes them to disk.
import { RAW_ITEMSIZE, type RawDType } from './lazy';
import { STORAGE_DTYPES } from './pytorch';
import { crc32 } from './zipDirectory';
import { numel } from '../engine/spec';

export interface PtWriteTensor {
  name: string;
  dtype: RawDType;
  shape: number[];
  /** Row-major little-endian values in `dtype` (bfloat16/float16 as raw 16-bit words), or a function giving them when the tensor is written. */
  data: ArrayBufferView | (() => ArrayBufferView);
}

export interface PtWriteOptions {
  /** The archive's root folder; torch.save names it after the file (any name loads). */
  root?: string;
  /** Nest the state_dict under this key of a dict, as a training checkpoint does (`{"model": sd, …extra}`). */
  checkpointKey?: string;
  /** With `checkpointKey`: other integer entries of that dict (`{"epoch": 5}`). */
  extra?: Record<string, number>;
}

// ---- pickle protocol 2 --------------------------------------------------------------------------

const STORAGE_CLASS: Record<RawDType, string> = Object.fromEntries(
  Object.entries(STORAGE_DTYPES).map(([cls, raw]) => [raw, cls.slice('torch.'.length)])) as Record<RawDType, string>;

class PickleOut {
  private readonly parts: number[] = [];
  private readonly utf8 = new TextEncoder();
  op(...bytes: number[]): this { this.parts.push(...bytes); return this; }
  global(module: string, name: string): this { return this.op(0x63, ...this.utf8.encode(`${module}\n${name}\n`)); }
  str(s: string): this {
    const b = this.utf8.encode(s);
    return this.op(0x58, b.length & 0xff, (b.length >> 8) & 0xff, (b.length >> 16) & 0xff, b.length >>> 24, ...b);
  }
  int(n: number): this {
    if (n >= 0 && n < 0x100) return this.op(0x4b, n);
    if (n >= 0 && n < 0x10000) return this.op(0x4d, n & 0xff, n >> 8);
    if (n >= -0x80000000 && n < 0x80000000) return this.op(0x4a, n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff);
    // LONG1: little-endian two's complement, as few bytes as hold the sign.
    const bytes: number[] = [];
    let v = BigInt(n);
    do { bytes.push(Number(v & 0xffn)); v >>= 8n; } while (!(v === 0n && (bytes[bytes.length - 1] & 0x80) === 0) && !(v === -1n && (bytes[bytes.length - 1] & 0x80) !== 0));
    return this.op(0x8a, bytes.length, ...bytes);
  }
  tuple(items: number[]): this {
    this.op(0x28);
    for (const i of items) this.int(i);
    return this.op(0x74);
  }
  bytes(): Uint8Array { return Uint8Array.from(this.parts); }
}

/** `data.pkl` of a state_dict whose tensor i lives alone in storage "i". */
export function statePickle(tensors: readonly Pick<PtWriteTensor, 'name' | 'dtype' | 'shape'>[], opts: PtWriteOptions = {}): Uint8Array {
  const p = new PickleOut().op(0x80, 0x02);
  if (opts.checkpointKey !== undefined) p.op(0x7d, 0x28).str(opts.checkpointKey); // EMPTY_DICT MARK key
  p.global('collections', 'OrderedDict').op(0x29, 0x52, 0x28); // () REDUCE MARK
  tensors.forEach((t, i) => {
    const strides: number[] = [];
    let s = 1;
    for (let k = t.shape.length - 1; k >= 0; k--) { strides[k] = s; s *= t.shape[k]; }
    p.str(t.name).global('torch._utils', '_rebuild_tensor_v2').op(0x28);                 // name, fn, MARK (args)
    p.op(0x28).str('storage').global('torch', STORAGE_CLASS[t.dtype]).str(String(i)).str('cpu').int(numel(t.shape)).op(0x74, 0x51); // persistent id
    p.int(0).tuple(t.shape).tuple(strides).op(0x89);                                     // offset, size, stride, requires_grad=False
    p.global('collections', 'OrderedDict').op(0x29, 0x52);                               // backward_hooks = OrderedDict()
    p.op(0x74, 0x52);                                                                     // TUPLE REDUCE
  });
  p.op(0x75); // SETITEMS of the OrderedDict
  if (opts.checkpointKey !== undefined) {
    for (const [k, v] of Object.entries(opts.extra ?? {})) p.str(k).int(v);
    p.op(0x75); // SETITEMS of the outer dict
  }
  return p.op(0x2e).bytes();
}

// ---- zip, stored members ------------------------------------------------------------------------

interface Written { name: Uint8Array; crc: number; size: number; offset: number }

const le16 = (v: DataView, at: number, n: number) => v.setUint16(at, n, true);
const le32 = (v: DataView, at: number, n: number) => v.setUint32(at, n >>> 0, true);

/** The local header of a stored member, its extra field padding the data to a 64-byte boundary as torch's writer does. */
function localHeader(name: Uint8Array, crc: number, size: number, offset: number): Uint8Array {
  const base = 30 + name.length + 4;
  const pad = (64 - ((offset + base) % 64)) % 64;
  const h = new Uint8Array(base + pad);
  const v = new DataView(h.buffer);
  le32(v, 0, 0x04034b50); le16(v, 4, 20); le16(v, 6, 0); le16(v, 8, 0); le16(v, 10, 0); le16(v, 12, 0x21);
  le32(v, 14, crc); le32(v, 18, size); le32(v, 22, size); le16(v, 26, name.length); le16(v, 28, 4 + pad);
  h.set(name, 30);
  le16(v, 30 + name.length, 0x4246); le16(v, 32 + name.length, pad); // "FB": PyTorch's padding field
  return h;
}

function centralDirectory(members: Written[], at: number): Uint8Array {
  const size = members.reduce((a, m) => a + 46 + m.name.length, 0);
  const out = new Uint8Array(size + 22);
  const v = new DataView(out.buffer);
  let p = 0;
  for (const m of members) {
    le32(v, p, 0x02014b50); le16(v, p + 4, 20); le16(v, p + 6, 20); le16(v, p + 14, 0x21);
    le32(v, p + 16, m.crc); le32(v, p + 20, m.size); le32(v, p + 24, m.size); le16(v, p + 28, m.name.length);
    le32(v, p + 42, m.offset);
    out.set(m.name, p + 46);
    p += 46 + m.name.length;
  }
  le32(v, p, 0x06054b50); le16(v, p + 8, members.length); le16(v, p + 10, members.length);
  le32(v, p + 12, size); le32(v, p + 16, at);
  return out;
}

const asBytes = (d: ArrayBufferView) => new Uint8Array(d.buffer, d.byteOffset, d.byteLength);

/**
 * The bytes of a `.pt` file holding `tensors` as a state_dict, in order. Each tensor's data is
 * asked for (and its CRC computed) when its member is written, then let go. Archives past 4 GiB
 * would need zip64, which this writer does not produce: it throws instead.
 */
export function* pytorchArchive(tensors: readonly PtWriteTensor[], opts: PtWriteOptions = {}): Generator<Uint8Array> {
  const root = opts.root ?? 'archive';
  const enc = new TextEncoder();
  const written: Written[] = [];
  let offset = 0;
  function* member(name: string, data: Uint8Array): Generator<Uint8Array> {
    if (offset + data.length + 1024 > 0xffffffff) throw new RangeError('pytorchArchive: archives past 4 GiB need zip64, which this writer does not produce');
    const m: Written = { name: enc.encode(`${root}/${name}`), crc: crc32(data), size: data.length, offset };
    const h = localHeader(m.name, m.crc, m.size, offset);
    written.push(m);
    offset += h.length + data.length;
    yield h;
    yield data;
  }
  yield* member('data.pkl', statePickle(tensors, opts));
  yield* member('byteorder', enc.encode('little'));
  for (let i = 0; i < tensors.length; i++) {
    const t = tensors[i];
    const data = asBytes(typeof t.data === 'function' ? t.data() : t.data);
    const want = numel(t.shape) * RAW_ITEMSIZE[t.dtype];
    if (data.length !== want) throw new RangeError(`pytorchArchive: ${t.name} has ${data.length} bytes, expected ${want} for ${t.dtype} [${t.shape.join(', ')}]`);
    yield* member(`data/${i}`, data);
  }
  yield* member('version', enc.encode('3\n'));
  yield centralDirectory(written, offset);
}
