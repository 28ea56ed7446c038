// JSON read as bytes, for the streaming reader (streamScan.ts, streamValues.ts): the byte codes
// of its punctuation, the character classes the two scanners test, and one decoder of each kind
// (every new TextDecoder costs native memory until a GC finds it).

export const QUOTE = 0x22, BACKSLASH = 0x5c, SLASH = 0x2f, EQUALS = 0x3d, COMMA = 0x2c, COLON = 0x3a, MINUS = 0x2d;
export const LBRACE = 0x7b, RBRACE = 0x7d, LBRACKET = 0x5b, RBRACKET = 0x5d;

export const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
export const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
export const isLetter = (c: number): boolean => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

/** A byte for messages: `","`, or "the end of the file" for -1. */
export const describeByte = (c: number): string => (c < 0 ? 'the end of the file' : JSON.stringify(String.fromCharCode(c)));

export const UTF8 = new TextDecoder('utf-8');
/** One byte, one character: offsets in the decoded text are offsets in the bytes. */
export const LATIN1 = new TextDecoder('latin1');
