// The stand-ins jsonText.ts puts into a checkpoint's text so that JSON.parse can read it, and
// the replacement of bare NaN / Infinity tokens outside strings.
import { COLON, COMMA, isSpace, LBRACE, LBRACKET, RBRACE, RBRACKET } from './jsonBytes';

/** What a bare NaN token becomes before JSON.parse; callers map it back to NaN. */
export const NAN_SENTINEL = '\u0000NaN\u0000';
/** Placeholder prefix of a cut-out base64 string; followed by the span's index in JsonDoc.base64. */
export const BASE64_PLACEHOLDER = '\u0000b64:';

/** A "base64:…" string of the original text: its payload is text[start, end) (after the prefix). */
export interface Base64Span { text: string; start: number; end: number }

/** Placeholder prefix of a cut-out large flat number array; followed by its index in JsonDoc.numbers. */
export const NUMBERS_PLACEHOLDER = '\u0000num:';

/**
 * A large flat array, parsed chunk by chunk: its elements in order, as JSON.parse gave them (NaN
 * as NAN_SENTINEL). The tensor reader checks each element as it copies it into the typed array.
 */
export interface NumberChunks { chunks: unknown[][]; length: number }

const NAN_TOKEN_JSON = JSON.stringify(NAN_SENTINEL);

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
        if (standalone(text, nan, nan + 3)) { parts.push(text.slice(copied, nan), NAN_TOKEN_JSON); copied = nan + 3; }
        nextNaN = text.indexOf('NaN', nan + 3);
      } else {
        if (standalone(text, text.charCodeAt(inf - 1) === 45 /* - */ ? inf - 1 : inf, inf + 8)) { parts.push(text.slice(copied, inf), '1e999'); copied = inf + 8; }
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

/** JSON's delimiters around a value: whitespace, brackets, braces, comma, colon (or the text's ends). */
const isDelimiter = (c: number) => c !== c /* NaN: outside the text */ || isSpace(c)
  || c === COMMA || c === COLON || c === LBRACKET || c === RBRACKET || c === LBRACE || c === RBRACE;

/**
 * Whether text[start, end) is a whole token (NaN, Infinity, -Infinity), not part of a longer one
 * like "-3Infinity" or "NaNa": only then is it replaced, and JSON.parse refuses the rest.
 */
function standalone(text: string, start: number, end: number): boolean {
  return isDelimiter(text.charCodeAt(start - 1)) && isDelimiter(text.charCodeAt(end));
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
