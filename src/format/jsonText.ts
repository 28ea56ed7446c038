// JSON text → JS values, accepting the bare NaN / Infinity / -Infinity tokens Python's json.dump
// writes. The fast path is the engine's own JSON.parse, on a "skeleton" of the text:
// - every "base64:…" string is cut out first and replaced by a short placeholder naming its span
//   in the original text, so JSON.parse never copies hundreds of MB of base64 and the decoder
//   reads it straight from the original text;
// - large flat `"data"` number arrays are parsed a chunk at a time (jsonCut.ts), so JSON.parse
//   never builds one 10M-element array;
// - bare NaN / Infinity outside strings are replaced by forms JSON.parse accepts (Infinity →
//   1e999, which JSON.parse reads as Infinity; NaN → a sentinel string). Callers map the
//   sentinels back (see reviveSpecial in sectionsParse.ts and the tensor reader).

import { cutBase64, cutNumberArrays } from './jsonCut';
import { locateJsonError, type JsonError } from './jsonErrors';
import { BASE64_PLACEHOLDER, NUMBERS_PLACEHOLDER, replaceSpecialTokens, type Base64Span, type NumberChunks } from './jsonTokens';

export { NAN_SENTINEL, BASE64_PLACEHOLDER, NUMBERS_PLACEHOLDER, replaceSpecialTokens, type Base64Span, type NumberChunks } from './jsonTokens';

/** Parsed JSON whose strings may be placeholders for base64 spans and large number arrays. */
export interface JsonDoc { value: unknown; base64: Base64Span[]; numbers: NumberChunks[] }

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

/** The span a placeholder string stands for, or undefined for any other value. */
export function base64SpanOf(v: unknown, doc: JsonDoc): Base64Span | undefined {
  if (typeof v !== 'string' || !v.startsWith(BASE64_PLACEHOLDER)) return undefined;
  return doc.base64[Number(v.slice(BASE64_PLACEHOLDER.length))];
}

