// JSON text → JS values, accepting the bare NaN / Infinity / -Infinity tokens Python's json.dump
// writes. The fast path is the engine's own JSON.parse, on a "skeleton" of the text:
// - every "base64:…" string is cut out first and replaced by a short placeholder naming its span
//   in the original text, so JSON.parse never copies hundreds of MB of base64 and the decoder
//   reads it straight from the original text;
// - bare NaN / Infinity outside strings are replaced by forms JSON.parse accepts (Infinity →
//   1e999, which JSON.parse reads as Infinity; NaN → a sentinel string). Callers map the
//   sentinels back (see reviveSpecial in sectionsParse.ts and the tensor reader).

/** What a bare NaN token becomes before JSON.parse; callers map it back to NaN. */
export const NAN_SENTINEL = '\u0000NaN\u0000';
/** Placeholder prefix of a cut-out base64 string; followed by the span's index in JsonDoc.base64. */
export const BASE64_PLACEHOLDER = '\u0000b64:';

/** A "base64:…" string of the original text: its payload is text[start, end) (after the prefix). */
export interface Base64Span { text: string; start: number; end: number }

/** Placeholder prefix of a cut-out large flat number array; followed by its index in JsonDoc.numbers. */
export const NUMBERS_PLACEHOLDER = '\u0000num:';

/** A large flat array of numbers, parsed chunk by chunk into float64 (NaN/±Infinity included). */
export interface NumberChunks { chunks: Float64Array[]; length: number }

/** Parsed JSON whose strings may be placeholders for base64 spans and large number arrays. */
export interface JsonDoc { value: unknown; base64: Base64Span[]; numbers: NumberChunks[] }

const NAN_TOKEN_JSON = JSON.stringify(NAN_SENTINEL);

export interface JsonError { line: number; column: number; message: string }

/** Thrown by parseJsonText; the caller turns it into a CheckpointError naming the file. */
export class JsonSyntaxError extends Error {
  constructor(readonly where: JsonError) { super(`${where.message} at line ${where.line}, column ${where.column}`); }
}

export function parseJsonText(text: string): JsonDoc {
  const base64: Base64Span[] = [];
  const numbers: NumberChunks[] = [];
  const skeleton = replaceSpecialTokens(cutNumberArrays(cutBase64(text, base64), numbers));
  try {
    return { value: JSON.parse(skeleton), base64, numbers };
  } catch {
    throw new JsonSyntaxError(locateJsonError(text));
  }
}

/** The number array a placeholder string stands for, or undefined for any other value. */
export function numbersOf(v: unknown, doc: JsonDoc): NumberChunks | undefined {
  if (typeof v !== 'string' || !v.startsWith(NUMBERS_PLACEHOLDER)) return undefined;
  return doc.numbers[Number(v.slice(NUMBERS_PLACEHOLDER.length))];
}

/** Flat arrays shorter than this (in characters) are left to JSON.parse, which is best at them. */
const MIN_CUT_CHARS = 1 << 16;
/** Characters handed to JSON.parse at a time when reading a large flat array. */
const CHUNK_CHARS = 1 << 20;

/**
 * Cut each large flat `"data": [n, n, …]` array out of the text and parse it a chunk at a time
 * into Float64Arrays. JSON.parse of one 10M-element array holds a handle per element while it
 * parses (several times the text's size); chunks keep that to a few MB. Anything unexpected in
 * the array (strings, booleans, nesting, bad syntax) leaves it in the text for the ordinary path,
 * which reports the exact element.
 */
function cutNumberArrays(text: string, out: NumberChunks[]): string {
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

/** The numbers of text[start, end) (a comma-separated list), or undefined if it is anything else. */
function parseNumberChunks(text: string, start: number, end: number): NumberChunks | undefined {
  const chunks: Float64Array[] = [];
  let length = 0;
  for (let a = start; a < end;) {
    let b = a + CHUNK_CHARS >= end ? end : text.indexOf(',', a + CHUNK_CHARS);
    if (b < 0 || b > end) b = end;
    let values: unknown;
    try {
      values = JSON.parse('[' + replaceSpecialTokens(text.slice(a, b)) + ']');
    } catch {
      return undefined;
    }
    const list = values as unknown[];
    const chunk = new Float64Array(list.length);
    for (let i = 0; i < list.length; i++) {
      const v = list[i];
      if (typeof v === 'number') chunk[i] = v;
      else if (v === NAN_SENTINEL) chunk[i] = NaN;
      else return undefined;
    }
    chunks.push(chunk);
    length += chunk.length;
    a = b + 1;
  }
  return { chunks, length };
}

/** The span a placeholder string stands for, or undefined for any other value. */
export function base64SpanOf(v: unknown, doc: JsonDoc): Base64Span | undefined {
  if (typeof v !== 'string' || !v.startsWith(BASE64_PLACEHOLDER)) return undefined;
  return doc.base64[Number(v.slice(BASE64_PLACEHOLDER.length))];
}

const OPEN = '"base64:';

/**
 * Replace each "base64:…" string value by a placeholder string, recording its span. Only plain
 * strings are cut: an opening quote that is not escaped, and no backslash right before the closing
 * quote (base64 needs no escapes; anything odd is left for JSON.parse and the ordinary path).
 */
function cutBase64(text: string, spans: Base64Span[]): string {
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

/**
 * Replace bare NaN / Infinity outside strings. Uses indexOf to hop between string delimiters, so
 * a file without such tokens (the common case, even when "NaN" occurs inside base64 text) costs a
 * few native scans and returns the same string.
 */
export function replaceSpecialTokens(text: string): string {
  let nextNaN = text.indexOf('NaN');
  let nextInf = text.indexOf('Infinity');
  if (nextNaN < 0 && nextInf < 0) return text;
  const parts: string[] = [];
  let copied = 0; // text[0, copied) already in parts
  let pos = 0;
  while (pos < text.length) {
    const quote = text.indexOf('"', pos);
    const segEnd = quote < 0 ? text.length : quote;
    // Tokens in text[pos, segEnd) are outside strings; replace them in text order.
    for (;;) {
      const nan = nextNaN >= 0 && nextNaN < segEnd ? nextNaN : -1;
      const inf = nextInf >= 0 && nextInf < segEnd ? nextInf : -1;
      if (nan < 0 && inf < 0) break;
      if (nan >= 0 && (inf < 0 || nan < inf)) {
        parts.push(text.slice(copied, nan), NAN_TOKEN_JSON); copied = nan + 3;
        nextNaN = text.indexOf('NaN', nan + 3);
      } else {
        parts.push(text.slice(copied, inf), '1e999'); copied = inf + 8;
        nextInf = text.indexOf('Infinity', inf + 8);
      }
    }
    if (quote < 0) break;
    pos = stringEnd(text, quote) + 1;
    if (pos === 0) break; // unterminated string: leave the rest for JSON.parse to reject
    if (nextNaN >= 0 && nextNaN < pos) nextNaN = text.indexOf('NaN', pos);
    if (nextInf >= 0 && nextInf < pos) nextInf = text.indexOf('Infinity', pos);
  }
  if (parts.length === 0) return text;
  parts.push(text.slice(copied));
  return parts.join('');
}

/** Index of the closing quote of the string opening at `open`, or -1 if it never closes. */
function stringEnd(text: string, open: number): number {
  let q = open;
  for (;;) {
    q = text.indexOf('"', q + 1);
    if (q < 0) return -1;
    let backslashes = 0;
    for (let k = q - 1; text.charCodeAt(k) === 92 /* \ */; k--) backslashes++;
    if (backslashes % 2 === 0) return q;
  }
}

/**
 * Find the first syntax error of `text` (which JSON.parse refused) by a small recursive-descent
 * pass, for a message with line and column. Only run on failure, so clarity beats speed here.
 */
export function locateJsonError(text: string): JsonError {
  let i = 0;
  const fail = (msg: string): never => { throw new LocatedError(i, msg); };
  const ws = () => { for (let c = text.charCodeAt(i); c === 32 || c === 9 || c === 10 || c === 13; c = text.charCodeAt(++i)); };
  const describe = () => (i >= text.length ? 'end of file' : `"${text[i]}"`);
  const value = (depth: number): void => {
    if (depth > 10000) fail('nesting too deep');
    ws();
    const c = text[i];
    if (c === '{') {
      i++; ws();
      if (text[i] === '}') { i++; return; }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`expected a double-quoted property name, found ${describe()}`);
        str(); ws();
        if (text[i] !== ':') fail(`expected ":" after a property name, found ${describe()}`);
        i++; value(depth + 1); ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') { i++; return; }
        fail(`expected "," or "}" in an object, found ${describe()}`);
      }
    } else if (c === '[') {
      i++; ws();
      if (text[i] === ']') { i++; return; }
      for (;;) {
        value(depth + 1); ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ']') { i++; return; }
        fail(`expected "," or "]" in an array, found ${describe()}`);
      }
    } else if (c === '"') str();
    else if (text.startsWith('true', i)) i += 4;
    else if (text.startsWith('false', i)) i += 5;
    else if (text.startsWith('null', i)) i += 4;
    else if (text.startsWith('NaN', i)) i += 3;
    else if (text.startsWith('Infinity', i)) i += 8;
    else if (text.startsWith('-Infinity', i)) i += 9;
    else {
      const m = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
      m.lastIndex = i;
      if (!m.exec(text)) fail(`expected a value, found ${describe()}`);
      i = m.lastIndex;
    }
  };
  const str = () => {
    i++;
    for (;;) {
      if (i >= text.length) fail('unterminated string');
      const c = text.charCodeAt(i);
      if (c === 34) { i++; return; }
      if (c < 32) fail('control character in a string (write it as an escape such as \\n)');
      if (c === 92) {
        const e = text[i + 1];
        if (e === 'u') { if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('bad \\u escape in a string'); i += 6; continue; }
        if (!e || !'"\\/bfnrt'.includes(e)) { i++; fail('bad escape in a string'); }
        i += 2; continue;
      }
      i++;
    }
  };
  let at: number, message: string;
  try {
    if (text.trim() === '') { i = text.length; fail('the file is empty'); }
    value(0); ws();
    if (i < text.length) fail(`unexpected ${describe()} after the end of the JSON value`);
    at = 0; message = 'malformed JSON';
  } catch (e) {
    if (!(e instanceof LocatedError)) throw e;
    at = e.at; message = e.message;
  }
  return { ...lineColumn(text, at), message: `malformed JSON: ${message}` };
}

class LocatedError extends Error { constructor(readonly at: number, msg: string) { super(msg); } }

/** 1-based line and column of a character offset. */
export function lineColumn(text: string, at: number): { line: number; column: number } {
  let line = 1, lineStart = 0;
  for (let p = text.indexOf('\n'); p >= 0 && p < at; p = text.indexOf('\n', p + 1)) { line++; lineStart = p + 1; }
  return { line, column: at - lineStart + 1 };
}
