// The real 8×8 handwritten digits (scikit-learn's load_digits, from the UCI repository; see
// digits.data.ts for the source and licence), decoded once from the bundled compressed bytes.
import { unzlibSync } from 'fflate';
import type { Dataset } from '../dataset';
import { DIGITS_COUNT, DIGITS_ZLIB_BASE64 } from './digits.data';

const RECORD = 65; // 64 pixels, then the label

let decoded: Uint8Array | null = null;

/** The raw records: DIGITS_COUNT × (64 pixel values 0…16, label 0…9). */
export function digitsRecords(): Uint8Array {
  if (!decoded) {
    decoded = unzlibSync(base64ToBytes(DIGITS_ZLIB_BASE64));
    if (decoded.length !== DIGITS_COUNT * RECORD) throw new Error(`digits data holds ${decoded.length} bytes, expected ${DIGITS_COUNT * RECORD}`);
  }
  return decoded;
}

/**
 * The first `n` images whose label is below `classes`, pixels scaled from 0…16 to 0…1, each
 * image row-major in `inputShape` (any shape of 64 values: [1, 8, 8] for a CNN, [64] for an MLP,
 * [8, 8] for an LSTM reading rows as time steps).
 */
export function makeDigits(n: number, classes: number, inputShape: number[]): Dataset {
  const records = digitsRecords();
  const picked: number[] = [];
  for (let i = 0; i < DIGITS_COUNT && picked.length < n; i++) {
    if (records[i * RECORD + 64] < classes) picked.push(i);
  }
  const x = new Float32Array(picked.length * 64), y = new Float32Array(picked.length);
  picked.forEach((src, i) => {
    for (let p = 0; p < 64; p++) x[i * 64 + p] = records[src * RECORD + p] / 16;
    y[i] = records[src * RECORD + 64];
  });
  return { name: 'digits', n: picked.length, inputShape: [...inputShape], x, y, targetSize: 1, task: 'multiclass', numClasses: classes };
}

/** Base64 to bytes without Node's Buffer or the DOM's atob, so it runs everywhere. */
function base64ToBytes(text: string): Uint8Array {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const lookup = new Int16Array(128).fill(-1);
  for (let i = 0; i < alphabet.length; i++) lookup[alphabet.charCodeAt(i)] = i;
  const clean = text.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0, acc = 0, o = 0;
  for (let i = 0; i < clean.length; i++) {
    const v = lookup[clean.charCodeAt(i)];
    if (v < 0) throw new Error(`invalid base64 character at ${i}`);
    acc = (acc << 6) | v; bits += 6;
    if (bits >= 8) { bits -= 8; out[o++] = (acc >> bits) & 0xff; }
  }
  return out;
}
