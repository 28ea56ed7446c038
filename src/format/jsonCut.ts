// Cutting the bulk out of a checkpoint's text before JSON.parse sees it (see jsonText.ts):
// "base64:…" strings become placeholders naming their span in the original text, and large flat
// number arrays are parsed chunk by chunk into Float64Arrays.
import { BASE64_PLACEHOLDER, NUMBERS_PLACEHOLDER, replaceSpecialTokens, type Base64Span, type NumberChunks } from './jsonTokens';

const OPEN = '"base64:';

/**
 * Replace each "base64:…" string value by a placeholder string, recording its span. Only plain
 * strings are cut: an opening quote that is not escaped, and no backslash right before the closing
 * quote (base64 needs no escapes; anything odd is left for JSON.parse and the ordinary path).
 */
export function cutBase64(text: string, spans: Base64Span[]): string {
  let at = text.indexOf(OPEN);
  if (at < 0) return text;
  const parts: string[] = [];
  let copied = 0;
  while (at >= 0) {
    let backslashes = 0;
    for (let k = at - 1; text.charCodeAt(k) === 92; k--) backslashes++;
    const start = at + OPEN.length;
    const close = text.indexOf('"', start);
    if (close < 0) break;
    if (backslashes % 2 === 0 && text.charCodeAt(close - 1) !== 92) {
      parts.push(text.slice(copied, at), JSON.stringify(BASE64_PLACEHOLDER + spans.length));
      spans.push({ text, start, end: close });
      copied = close + 1;
    }
    at = text.indexOf(OPEN, close + 1);
  }
  if (parts.length === 0) return text;
  parts.push(text.slice(copied));
  return parts.join('');
}

/** Flat arrays shorter than this (in characters) are left to JSON.parse, which is best at them. */
const MIN_CUT_CHARS = 1 << 16;
/** Characters handed to JSON.parse at a time when reading a large flat array. */
const CHUNK_CHARS = 1 << 20;

/**
 * Cut each large flat `"data": [n, n, …]` array out of the text and parse it a chunk at a time
 * (JSON.parse on ~1 MiB at a time). JSON.parse of one 10M-element array holds a handle per element while it
 * parses (several times the text's size); chunks keep that to a few MB. Anything unexpected in
 * the array (strings, booleans, nesting, bad syntax) leaves it in the text for the ordinary path,
 * which reports the exact element.
 */
export function cutNumberArrays(text: string, out: NumberChunks[]): string {
  const KEY = '"data"';
  let at = text.indexOf(KEY);
  if (at < 0) return text;
  const parts: string[] = [];
  let copied = 0;
  for (; at >= 0; at = text.indexOf(KEY, at + KEY.length)) {
    let backslashes = 0;
    for (let k = at - 1; text.charCodeAt(k) === 92; k--) backslashes++;
    if (backslashes % 2 !== 0) continue;
    let p = skipSpace(text, at + KEY.length);
    if (text.charCodeAt(p) !== 58 /* : */) continue;
    p = skipSpace(text, p + 1);
    if (text.charCodeAt(p) !== 91 /* [ */) continue;
    const first = skipSpace(text, p + 1);
    const c = text.charCodeAt(first);
    if (c === 91 /* [ */ || c === 93 /* ] */) continue; // nested or empty: JSON.parse's job
    const close = text.indexOf(']', first);
    if (close < 0 || close - p < MIN_CUT_CHARS) continue;
    const numbers = parseNumberChunks(text, first, close);
    if (!numbers) continue;
    parts.push(text.slice(copied, p), JSON.stringify(NUMBERS_PLACEHOLDER + out.length));
    out.push(numbers);
    copied = close + 1;
    at = close;
  }
  if (parts.length === 0) return text;
  parts.push(text.slice(copied));
  return parts.join('');
}

function skipSpace(text: string, p: number): number {
  for (let c = text.charCodeAt(p); c === 32 || c === 10 || c === 13 || c === 9; c = text.charCodeAt(++p));
  return p;
}

/** The elements of text[start, end) (a comma-separated list), or undefined if it does not parse so. */
function parseNumberChunks(text: string, start: number, end: number): NumberChunks | undefined {
  const chunks: unknown[][] = [];
  let length = 0;
  for (let a = start; a < end;) {
    let b = a + CHUNK_CHARS >= end ? end : text.indexOf(',', a + CHUNK_CHARS);
    if (b < 0 || b > end) b = end;
    let chunk: unknown;
    try {
      // A cut inside a string or a nested value makes a chunk fail to parse: then the whole
      // array is left to the ordinary path.
      chunk = JSON.parse('[' + replaceSpecialTokens(text.slice(a, b)) + ']');
    } catch {
      return undefined;
    }
    chunks.push(chunk as unknown[]);
    length += (chunk as unknown[]).length;
    a = b + 1;
  }
  return { chunks, length };
}
