// base64 for tensor bytes, in Node and in the browser alike. Node's Buffer (native, fast) is used
// when present; elsewhere a table-driven decoder/encoder does the same job.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/**
 * Character code → its 6-bit value, -1 outside the alphabet (shared with the streaming reader).
 * The url-safe "-" and "_" read as "+" and "/", as Node's decoder reads them, so every reader of a
 * file agrees on it.
 */
export const BASE64_DECODE = new Int16Array(256).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) BASE64_DECODE[ALPHABET.charCodeAt(i)] = i;
BASE64_DECODE[0x2d] = 62;
BASE64_DECODE[0x5f] = 63;

interface NodeBufferLike {
  from(a: ArrayBuffer, off: number, len: number): { write(s: string, off: number, len: number, enc: 'base64'): number; toString(enc: 'base64'): string };
}
const NodeBuffer = (globalThis as { Buffer?: NodeBufferLike }).Buffer;

/**
 * Number of bytes that the base64 text s[start, end) decodes to, counting `=` padding; -1 when
 * the length itself cannot be base64.
 */
export function base64ByteLength(s: string, start = 0, end = s.length): number {
  let pad = 0;
  while (end - pad > start && pad < 2 && s.charCodeAt(end - pad - 1) === 61 /* = */) pad++;
  return base64LengthOf(end - start - pad, pad);
}

/**
 * Bytes that `chars` base64 characters followed by `pad` "=" decode to; -1 when that length
 * cannot be base64 (shared with the streaming reader, which counts as it goes).
 */
export function base64LengthOf(chars: number, pad: number): number {
  const n = chars + pad;
  if (n % 4 === 1 || (pad > 0 && n % 4 !== 0) || pad > 2) return -1;
  return Math.floor((chars * 3) / 4);
}

/**
 * Decode s[start, end) into `out` (exactly out.length bytes). Returns false when the text has a
 * character outside the base64 alphabet or does not decode to exactly out.length bytes.
 */
export function decodeBase64Into(s: string, start: number, end: number, out: Uint8Array): boolean {
  if (base64ByteLength(s, start, end) !== out.length) return false;
  if (NodeBuffer) {
    // Buffer's decoder skips characters outside the alphabet instead of failing; every skipped one
    // shortens the output, so a full byte count means the text was clean (it also takes the
    // url-safe "-" and "_", which is harmless).
    const view = NodeBuffer.from(out.buffer as ArrayBuffer, out.byteOffset, out.length);
    return view.write(start === 0 && end === s.length ? s : s.slice(start, end), 0, out.length, 'base64') === out.length;
  }
  return decodeTable(s, start, end, out);
}

function decodeTable(s: string, start: number, end: number, out: Uint8Array): boolean {
  let o = 0, acc = 0, bits = 0;
  while (end > start && s.charCodeAt(end - 1) === 61) end--;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    const v = c < 256 ? BASE64_DECODE[c] : -1;
    if (v < 0) return false;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return o === out.length;
}

/** Bytes → base64 text (with padding). */
export function encodeBase64(bytes: Uint8Array): string {
  if (NodeBuffer) return NodeBuffer.from(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.length).toString('base64');
  const parts: string[] = [];
  const CHUNK = 3 * 8192;
  for (let p = 0; p < bytes.length; p += CHUNK) {
    let s = '';
    const end = Math.min(bytes.length, p + CHUNK);
    let i = p;
    for (; i + 2 < end; i += 3) {
      const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
      s += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63] + ALPHABET[n & 63];
    }
    if (i < end) {
      const n = (bytes[i] << 16) | ((i + 1 < end ? bytes[i + 1] : 0) << 8);
      s += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + (i + 1 < end ? ALPHABET[(n >> 6) & 63] : '=') + '=';
    }
    parts.push(s);
  }
  return parts.join('');
}
