// One tensor's values, read a chunk at a time — where streamScan.ts meets them, or from their byte
// range in the file — and handed on in batches of plain numbers — the values as the tensor's typed array would
// hold them (float32 rounded, halves decoded, bools 0/1) — so a digest of a large tensor never
// needs the tensor in memory. Checks what tensorParse.ts checks (count and nesting against the
// shape, element types, base64 length and alphabet) with the same messages, naming the file and
// the parameter.
import { numel } from '../engine/spec';
import { BASE64_DECODE, base64LengthOf } from './base64';
import { ChunkReader, SourceEndedError, type ByteSource } from './byteSource';
import { BACKSLASH, COMMA, describeByte, EQUALS, isDigit, isLetter, isSpace, LATIN1, LBRACE, LBRACKET, MINUS, QUOTE, RBRACKET, SLASH, UTF8 } from './jsonBytes';
import { bfloat16ToNumber, halfToNumber, numberToBfloat16, numberToHalf } from './half';
import { NAN_SENTINEL } from './jsonTokens';
import type { TensorOutline } from './streamScan';
import { dtypeBytes } from './tensor';
import { dataMessages, elementChecker } from './tensorParse';
import { CheckpointError, isFloatDType, type DType } from './types';

/** Receives values[0, count) in row-major order; `values` is reused once the call returns. */
export type ValuesSink = (values: ArrayLike<number>, count: number) => void;

const BATCH = 1024;

/** The value an element has once stored in the dtype's typed array and read back as a number. */
function storedValue(dtype: DType): (x: number) => number {
  switch (dtype) {
    case 'float32': return Math.fround;
    case 'float16': return (x) => halfToNumber(numberToHalf(x));
    case 'bfloat16': return (x) => bfloat16ToNumber(numberToBfloat16(x));
    default: return (x) => x;
  }
}

/**
 * Collects values and hands them to the sink BATCH at a time. A reader's hot loop checks `full`
 * and flushes from outside the loop: the sink's own loop (statistics over the batch) then never
 * becomes an inner loop of the reader's, which V8 would compile and throw away over and over.
 */
class Batcher {
  private readonly values = new Float64Array(BATCH);
  private n = 0;
  constructor(private readonly sink: ValuesSink) {}
  get full(): boolean {
    return this.n === BATCH;
  }
  push(x: number): void {
    if (this.n === BATCH) this.flush();
    this.values[this.n++] = x;
  }
  flush(): void {
    if (this.n > 0) this.sink(this.values, this.n);
    this.n = 0;
  }
}

/** What reading a tensor's values needs to know of it. */
export type ValuesHeader = Pick<TensorOutline, 'shape' | 'dtype' | 'label'>;

/**
 * Reads tensor `t`'s values from `src`, handing them to `sink`; throws a CheckpointError naming
 * `file` and the tensor. `buffer`: the chunk buffer to read into (see ChunkReader).
 */
export async function readTensorValues(src: ByteSource, file: string, t: TensorOutline, sink: ValuesSink, buffer?: Uint8Array): Promise<void> {
  const r = new ChunkReader(src, t.data.start, t.data.end, buffer);
  await readValuesAt(r, file, t, sink, true);
}

/**
 * Reads the values of the `data` value starting at r.pos (the whole file's reader, during the
 * outline's scan), leaving r.pos just after it; the same checks and messages as readTensorValues.
 */
export async function readValuesAt(r: ChunkReader, file: string, t: ValuesHeader, sink: ValuesSink, fresh = false): Promise<void> {
  const fail = (detail: string): never => { throw new CheckpointError(file, detail, t.label); };
  try {
    if (fresh) await r.more();
    if (r.buf[r.pos] === QUOTE) await readBase64Values(r, t, fail, sink);
    else await new TextValues(r, t, fail, sink).read();
  } catch (e) {
    if (e instanceof SourceEndedError) fail(e.message);
    throw e;
  }
}

// ---- "base64:…" data ----------------------------------------------------------------------

const PREFIX = '"base64:';

/**
 * Element bytes (little-endian, gathered in `scratch`) → numbers for the sink: the scratch itself
 * seen as the dtype's typed array where that holds plain numbers, a decoded copy otherwise.
 */
function elementBatches(dtype: DType, scratch: ArrayBuffer): (count: number) => ArrayLike<number> {
  const decoded = (read: (i: number) => number) => {
    const out = new Float64Array(scratch.byteLength / dtypeBytes(dtype));
    return (count: number) => { for (let i = 0; i < count; i++) out[i] = read(i); return out; };
  };
  switch (dtype) {
    case 'float32': { const a = new Float32Array(scratch); return () => a; }
    case 'float64': { const a = new Float64Array(scratch); return () => a; }
    case 'int32': { const a = new Int32Array(scratch); return () => a; }
    case 'uint8': case 'bool': { const a = new Uint8Array(scratch); return () => a; }
    case 'float16': { const a = new Uint16Array(scratch); return decoded((i) => halfToNumber(a[i])); }
    case 'bfloat16': { const a = new Uint16Array(scratch); return decoded((i) => bfloat16ToNumber(a[i])); }
    case 'int64': { const a = new BigInt64Array(scratch); return decoded((i) => Number(a[i])); }
  }
}

/**
 * Bytes gathered before they are handed on: a whole number of 3-byte base64 groups and of 8-byte
 * elements. About a thousand values per call, like BATCH: the sink's loop runs to its end on the
 * first call, and V8 optimises it whole (a batch of a whole chunk got compiled mid-loop and
 * deoptimised at every exit).
 */
const SCRATCH_BYTES = 4080;

/**
 * The base64 decoder's state between chunks. `step` is synchronous and small, so the JIT
 * optimises it once for every chunk of every file (an async loop would be recompiled per call).
 * Counts as base64.ts counts: characters before the padding, `=` padding, and whether any
 * character is outside the alphabet.
 */
class Base64Step {
  chars = 0; pad = 0; bad = false; escaped = false; closed = false; acc = 0; bits = 0; bytes = 0;
  /** Decoded bytes waiting in `scratch`. */
  filled = 0;

  constructor(readonly scratch: Uint8Array, readonly expected: number) {}

  /** Decodes buf[i, len) until the closing quote, the chunk's end or a full scratch; returns where it stopped. */
  step(buf: Uint8Array, i: number, len: number): number {
    const { scratch, expected } = this, cap = scratch.length;
    let { chars, pad, bad, escaped, acc, bits, bytes, filled } = this;
    while (i < len && filled < cap) {
      if (bits === 0 && pad === 0 && !escaped && !bad) {
        // The common case, four characters → three bytes at a time; anything else (an escape, the
        // padding, the closing quote, a group cut by the chunk's edge) takes one character below.
        while (i + 4 <= len && filled + 3 <= cap && bytes + 3 <= expected) {
          const a = BASE64_DECODE[buf[i]], b = BASE64_DECODE[buf[i + 1]], c = BASE64_DECODE[buf[i + 2]], d = BASE64_DECODE[buf[i + 3]];
          if ((a | b | c | d) < 0) break;
          const n = (a << 18) | (b << 12) | (c << 6) | d;
          scratch[filled] = n >> 16;
          scratch[filled + 1] = (n >> 8) & 0xff;
          scratch[filled + 2] = n & 0xff;
          filled += 3; bytes += 3; chars += 4; i += 4;
        }
        if (i >= len || filled === cap) break;
      }
      const c = buf[i++];
      if (escaped) { escaped = false; if (c !== SLASH) bad = true; } // a writer may escape "/" as "\/"
      else if (c === BACKSLASH) { escaped = true; continue; }
      else if (c === QUOTE) { this.closed = true; break; }
      if (c === EQUALS) { pad++; continue; }
      chars++;
      const v = BASE64_DECODE[c];
      if (v < 0 || pad > 0) { bad = true; continue; } // outside the alphabet, or text after the padding
      acc = ((acc << 6) | v) & 0xfff;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        if (bytes++ < expected) scratch[filled++] = (acc >> bits) & 0xff;
      }
    }
    // Field by field, not Object.assign({…}): no object per step.
    this.chars = chars; this.pad = pad; this.bad = bad; this.escaped = escaped;
    this.acc = acc; this.bits = bits; this.bytes = bytes; this.filled = filled;
    return i;
  }

  /** Decoded byte count by the text's length, as base64ByteLength gives it; -1 for a length base64 cannot have. */
  get byteLength(): number {
    return base64LengthOf(this.chars, this.pad);
  }
}

async function readBase64Values(r: ChunkReader, t: ValuesHeader, fail: (d: string) => never, sink: ValuesSink): Promise<void> {
  while (r.len - r.pos < PREFIX.length && (await r.more(r.pos)));
  for (let j = 0; j < PREFIX.length; j++) {
    if (r.buf[r.pos + j] !== PREFIX.charCodeAt(j)) fail(dataMessages.notBase64);
  }
  r.pos += PREFIX.length;
  const itemsize = dtypeBytes(t.dtype);
  const scratch = new Uint8Array(SCRATCH_BYTES);
  const batch = elementBatches(t.dtype, scratch.buffer);
  const dec = new Base64Step(scratch, numel(t.shape) * itemsize);
  let element0 = 0;
  const emit = () => {
    const count = dec.filled / itemsize;
    if (t.dtype === 'bool') {
      for (let i = 0; i < count; i++) if (scratch[i] > 1) fail(dataMessages.boolByte(element0 + i, t.shape, scratch[i]));
    }
    if (count > 0) sink(batch(count), count);
    element0 += count;
    dec.filled = 0;
  };
  while (!dec.closed) {
    r.pos = dec.step(r.buf, r.pos, r.len);
    if (dec.filled === SCRATCH_BYTES) emit();
    else if (!dec.closed && !(await r.more())) fail('base64 data has no closing quote');
  }
  const got = dec.byteLength;
  if (got !== dec.expected) {
    fail(dataMessages.base64Length(got, t.shape, t.dtype));
  }
  if (dec.bad) fail(dataMessages.base64Alphabet);
  emit();
}

// ---- nested arrays, flat arrays and scalars of JSON numbers ----------------------------------

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * Where jsonNumberInto and a LongNumberReader leave the number they read: a double passed through
 * a typed array stays unboxed, where one returned from a function the JIT did not inline is a new
 * heap object — one per element of a nested-array tensor, garbage by the million.
 */
const NUMBER = new Float64Array(1);

/**
 * Reads a number jsonNumberInto cannot give exactly, into NUMBER[0], which holds on entry an
 * approximation within 2^-50 of it (relative), or NaN.
 */
export interface LongNumberReader {
  /** An object's method rather than a closure: one call target for every tensor, which the JIT keeps. */
  readLong(buf: Uint8Array, s: number, e: number): void;
}

/**
 * The JSON number in buf[s, e) as JSON.parse reads it, or undefined when it is not one. Up to 15
 * significant digits and a power of ten up to 22 (every float32 written shortest, and most
 * others) the value is m × 10^e or m / 10^e of two exact doubles: one correctly rounded
 * operation, the same double as JSON.parse. Longer ones (Python's float repr writes 17 digits)
 * go to `long` with an approximation, which reads the text with Number() by default.
 */
export function jsonNumberAt(buf: Uint8Array, s: number, e: number, long: LongNumberReader = latin1Number): number | undefined {
  return jsonNumberInto(buf, s, e, long) ? NUMBER[0] : undefined;
}

/** jsonNumberAt for hot loops: true and the number in NUMBER[0], or false when buf[s, e) is not one. */
function jsonNumberInto(buf: Uint8Array, s: number, e: number, long: LongNumberReader = latin1Number): boolean {
  let i = s;
  const neg = buf[i] === MINUS;
  if (neg) i++;
  if (i >= e || !isDigit(buf[i])) return false;
  // m holds up to 19 significant digits (exact up to 15, within a few ulps beyond); later ones only
  // move exp. Digits gather 8 at a time in `chunk`, a small integer, before joining m: before the
  // JIT has compiled this function, every sum beyond 2^31 is a new heap number.
  let m = 0, digits = 0, exp = 0, c = 0, chunk = 0, inChunk = 0;
  if (buf[i] === 0x30) { i++; if (i < e && isDigit(buf[i])) return false; } // no leading zeros
  else {
    for (; i < e && isDigit((c = buf[i])); i++) {
      if (digits < 19) {
        chunk = chunk * 10 + c - 0x30; digits++;
        if (++inChunk === 8) { m = m * 1e8 + chunk; chunk = 0; inChunk = 0; }
      } else exp++;
    }
  }
  if (i < e && buf[i] === 0x2e) {
    i++;
    if (i >= e || !isDigit(buf[i])) return false;
    for (; i < e && isDigit((c = buf[i])); i++) {
      if (digits === 0 && c === 0x30) exp--; // leading zeros are not significant
      else if (digits < 19) {
        chunk = chunk * 10 + c - 0x30; digits++; exp--;
        if (++inChunk === 8) { m = m * 1e8 + chunk; chunk = 0; inChunk = 0; }
      }
    }
  }
  if (inChunk > 0) m = m * POW10[inChunk] + chunk;
  if (i < e && (buf[i] === 0x65 || buf[i] === 0x45)) {
    i++;
    let sign = 1, x = 0;
    if (i < e && (buf[i] === 0x2b || buf[i] === MINUS)) { if (buf[i] === MINUS) sign = -1; i++; }
    if (i >= e || !isDigit(buf[i])) return false;
    for (; i < e && isDigit((c = buf[i])); i++) x = Math.min(x * 10 + c - 0x30, 1e6);
    exp += sign * x;
  }
  if (i !== e) return false;
  const fits = exp <= 22 && exp >= -22;
  const v = !fits ? NaN : exp >= 0 ? m * POW10[exp] : m / POW10[-exp];
  NUMBER[0] = neg ? -v : v;
  if (digits > 15 || !fits) long.readLong(buf, s, e);
  return true;
}

const latin1 = (buf: Uint8Array, s: number, e: number): string => LATIN1.decode(buf.subarray(s, e));

const F32 = new Float32Array(1), U32 = new Uint32Array(F32.buffer);

/**
 * True when no float32 rounding boundary (a midpoint between two neighbouring float32) lies
 * within 2^-49 of x (relative): then the exact decimal that x approximates to 2^-50, and the
 * double JSON.parse makes of it, round to the same float32 as x. Subnormals and the overflow
 * edge are left to the exact path.
 */
export function float32Unambiguous(x: number): boolean {
  const a = Math.abs(x);
  if (!(a < 3.4e38) || a < 1.2e-38) return false;
  F32[0] = a;
  const f = F32[0], bits = U32[0];
  U32[0] = bits + 1;
  const up = F32[0];
  U32[0] = bits - 1;
  const down = F32[0];
  const tol = a * 2 ** -49;
  return Math.abs(a - (f + up) / 2) > tol && Math.abs(a - (f + down) / 2) > tol;
}

const latin1Number: LongNumberReader = { readLong(buf, s, e) { NUMBER[0] = Number(latin1(buf, s, e)); } };

/** Bytes that can be part of a number or a literal (true, NaN, -Infinity…). */
const TOKEN_BYTE = new Uint8Array(256);
for (let c = 0; c < 256; c++) if (isDigit(c) || isLetter(c) || c === MINUS || c === 0x2b || c === 0x2e) TOKEN_BYTE[c] = 1;

const LITERALS = new Map<string, unknown>([['true', true], ['false', false], ['null', null], ['NaN', NAN_SENTINEL], ['Infinity', Infinity], ['-Infinity', -Infinity]]);
/**
 * How much of a chunk is decoded at once for the numbers that need Number(): enough to share one
 * decode among many, small enough to stay an ordinary young object (a whole 256 KiB chunk as a
 * string would be a large object, each in pages of its own until a collection frees them).
 */
const TEXT_WINDOW = 16 * 1024;

/** TextValues.step's answers: the outer array closed, the chunk ran out, a batch is full, or step again. */
const DONE = 0, MORE = 1, FULL = 2, AGAIN = 3;
/** Tokens TextValues.step reads per call at most. */
const STEP_TOKENS = 512;
/** Marks a token cut by the end of the chunk: read more and look again. */
const CUT = Symbol('cut');
/** Stand-ins for an array or object met where a number was expected, so describeValue names them. */
const AN_ARRAY: unknown[] = [], AN_OBJECT = {};

/**
 * Reads `data` written as JSON text, in the three forms tensorParse.ts accepts: nested arrays
 * matching the shape, one flat array of numel elements, or a bare number for a 0-d tensor.
 */
class TextValues implements LongNumberReader {
  private readonly n: number;
  private readonly check: (v: unknown, k: number) => number;
  private readonly store: (x: number) => number;
  private readonly out: Batcher;
  /** Any number is an element (a float dtype): the fast path in step() applies. */
  private readonly floats: boolean;
  /** Elements seen so far in each open array, outermost first. */
  private readonly counts: number[] = [];
  /** Decided by the outer array's first element: an array → nested, anything else → flat. */
  private mode: 'unknown' | 'flat' | 'nested' = 'unknown';
  /** Leaves seen so far (the flat index of the next one). */
  private k = 0;
  /** The chunk's next TEXT_WINDOW bytes as text from byte `textStart` of the file, decoded once for the numbers that need Number(). */
  private text = '';
  private textStart = -1;
  /** JSON syntax: whether a value, and whether a "]", may come next. */
  private expectValue = true;
  private closeAllowed = true;

  constructor(private readonly r: ChunkReader, private readonly t: ValuesHeader, private readonly fail: (d: string) => never, sink: ValuesSink) {
    this.n = numel(t.shape);
    this.check = elementChecker(t.dtype, t.shape, fail);
    this.store = storedValue(t.dtype);
    this.out = new Batcher(sink);
    this.floats = isFloatDType(t.dtype);
  }

  async read(): Promise<void> {
    const r = this.r;
    if (r.buf[r.pos] !== LBRACKET) {
      const v = await this.scalar();
      if (this.t.shape.length !== 0) {
        this.fail(dataMessages.notData(this.t.shape, v));
      }
      this.leaf(v);
      this.out.flush();
      return;
    }
    // Each step reads what the chunk holds, a token at a time; a token cut by the chunk's edge is
    // kept (r.pos stays at its start) and read again whole with the next chunk.
    for (;;) {
      const state = this.step();
      if (state === DONE) break;
      if (state === FULL) this.out.flush();
      else if (state === MORE && !(await r.more(r.pos))) break;
    }
    if (this.counts.length > 0) this.fail('data has an array that never closes');
    this.out.flush();
  }

  /**
   * Reads tokens from r.buf[r.pos, r.len): DONE once the outer array has closed, MORE when it
   * needs the next chunk, FULL when a batch of values waits to be handed on.
   */
  private step(): number {
    const r = this.r, buf = r.buf;
    // A few hundred tokens per call: a function called often is optimised whole by the JIT; one
    // that loops over a whole chunk gets compiled mid-loop, and V8 threw that code away at every
    // exit from its inner loop (tens of times per file, each time boxing numbers until the next).
    for (let budget = STEP_TOKENS; r.pos < r.len; budget--) {
      if (budget === 0) return AGAIN;
      if (this.out.full) return FULL;
      const c = buf[r.pos];
      if (isSpace(c)) { r.pos++; continue; }
      if (c === RBRACKET) {
        if (!this.closeAllowed) this.syntax('a value');
        r.pos++;
        if (this.close()) return DONE;
        this.expectValue = false; this.closeAllowed = true;
      } else if (c === COMMA) {
        if (this.expectValue || this.counts.length === 0) this.syntax('a value or "]"');
        r.pos++;
        this.expectValue = true; this.closeAllowed = false;
      } else {
        if (!this.expectValue) this.syntax('"," or "]"');
        if (c === LBRACKET) { r.pos++; this.open(); this.closeAllowed = true; this.expectValue = true; continue; }
        if (this.floats && (c === MINUS || isDigit(c))) {
          // The common element, a number in a float tensor, read and stored with no boxed value;
          // anything else (-Infinity, a malformed number) goes the general way, to its message.
          const s = r.pos;
          let e = s + 1;
          while (e < r.len && TOKEN_BYTE[buf[e]] === 1) e++;
          if (e >= r.len && !r.atEnd) return MORE;
          if (jsonNumberInto(buf, s, e, this)) {
            r.pos = e;
            this.floatElement();
            this.expectValue = false; this.closeAllowed = true;
            continue;
          }
        }
        const v = c === LBRACE ? AN_OBJECT : this.token();
        if (v === CUT) return MORE;
        this.element(v);
        this.expectValue = false; this.closeAllowed = true;
      }
    }
    return MORE;
  }

  private syntax(expected: string): never {
    return this.fail(`data is not valid JSON at byte ${this.r.offsetOf()}: expected ${expected}, found ${describeByte(this.r.buf[this.r.pos])}`);
  }

  /** `data[1][0]`: the array at depth `d` (1 = the outer one), for messages. */
  private path(d: number): string {
    return 'data' + this.counts.slice(0, d - 1).map((c) => `[${c - 1}]`).join('');
  }

  /** element() + leaf() for a number of a float tensor, the number in NUMBER[0]. */
  private floatElement(): void {
    const d = this.counts.length;
    if (this.mode === 'unknown') this.mode = 'flat';
    if (this.mode === 'nested' && d < this.t.shape.length) { this.element(NUMBER[0]); return; } // refused there, with its message
    this.counts[d - 1]++;
    if (this.k < this.n) this.out.push(this.store(NUMBER[0]));
    this.k++;
  }

  private leaf(v: unknown): void {
    const x = this.check(v, this.k);
    if (this.k < this.n) this.out.push(this.store(x));
    this.k++;
  }

  /** A number, literal or string at r.pos, consumed; reads on when a chunk's edge cuts it. */
  private async scalar(): Promise<unknown> {
    for (;;) {
      const v = this.token();
      if (v !== CUT) return v;
      if (!(await this.r.more(this.r.pos))) return this.syntax('the rest of the value');
    }
  }

  private token(): unknown {
    const r = this.r, buf = r.buf, s = r.pos;
    let e = s;
    if (buf[s] === QUOTE) {
      // A string where a number belongs: read enough of it to name it in the message.
      for (e = s + 1; e < r.len && e < s + 200; e++) {
        if (buf[e] === BACKSLASH) { e++; continue; }
        if (buf[e] === QUOTE) break;
      }
      if (e >= r.len && !r.atEnd) return CUT;
      r.pos = e + 1;
      const raw = UTF8.decode(buf.subarray(s, Math.min(e + 1, r.len)));
      try { return JSON.parse(raw) as unknown; } catch { return raw.slice(1); }
    }
    while (e < r.len && TOKEN_BYTE[buf[e]] === 1) e++;
    if (e >= r.len && !r.atEnd) return CUT;
    if (e === s) return this.syntax('a value');
    r.pos = e;
    const c = buf[s] === MINUS ? buf[s + 1] : buf[s];
    if (isDigit(c)) {
      const x = jsonNumberAt(buf, s, e, this);
      if (x !== undefined) return x;
    } else {
      const text = latin1(buf, s, e);
      if (LITERALS.has(text)) return LITERALS.get(text);
    }
    return this.fail(`data is not valid JSON at byte ${r.offsetOf(s)}: ${JSON.stringify(latin1(buf, s, Math.min(e, s + 40)))} is not a number`);
  }

  /** A number too long for jsonNumberAt's exact fast path, read by Number() from the chunk's text. */
  readLong(buf: Uint8Array, s: number, e: number): void {
    // A float32 tensor keeps the float32 nearest the number: when the approximation cannot round
    // differently from the exact value, it is as good, and far faster than Number() on text.
    if (this.t.dtype === 'float32') {
      if (float32Unambiguous(NUMBER[0])) return;
      NUMBER[0] = Number(latin1(buf, s, e)); // few numbers come here: the token alone, not a window
      return;
    }
    const at = this.r.offsetOf(s), end = at + (e - s);
    if (this.textStart < 0 || at < this.textStart || end > this.textStart + this.text.length) {
      this.text = latin1(buf, s, Math.min(this.r.len, Math.max(e, s + TEXT_WINDOW)));
      this.textStart = at;
    }
    NUMBER[0] = Number(this.text.slice(at - this.textStart, end - this.textStart));
  }

  private open(): void {
    const d = this.counts.length; // the new array's parent depth (0: it is the outer array)
    if (d > 0) {
      if (this.mode === 'unknown') this.mode = this.t.shape.length <= 1 ? 'flat' : 'nested';
      // An array where a number belongs: the element check names it ("is an array, expected a number").
      if (this.mode === 'flat' || d >= this.t.shape.length) this.leaf(AN_ARRAY);
      this.counts[d - 1]++;
    }
    this.counts.push(0);
  }

  private element(v: unknown): void {
    const d = this.counts.length;
    if (this.mode === 'unknown') this.mode = 'flat';
    if (this.mode === 'nested' && d < this.t.shape.length) {
      this.fail(dataMessages.notAnArray(this.t.shape, `${this.path(d)}[${this.counts[d - 1]}]`, v, this.t.shape[d]));
    }
    this.counts[d - 1]++;
    this.leaf(v);
  }

  /** Closes the innermost array; true when it was the outer one. */
  private close(): boolean {
    const d = this.counts.length, count = this.counts[d - 1], shape = this.t.shape;
    if (this.mode === 'nested') {
      if (count !== shape[d - 1]) this.fail(dataMessages.nesting(shape, this.path(d), count, shape[d - 1]));
    } else if (count !== this.n) {
      this.fail(dataMessages.count(count, shape));
    }
    this.counts.pop();
    return this.counts.length === 0;
  }
}

