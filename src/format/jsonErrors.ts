// Where a JSON text goes wrong, for a message with line and column. JSON.parse's own messages
// do not always give a position (and never a line), so on failure a small recursive-descent pass
// over the ORIGINAL text (NaN / Infinity tokens allowed) finds the first error.

export interface JsonError { line: number; column: number; message: string }

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
