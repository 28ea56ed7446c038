// The outline of a `.weights.json` file read as a stream: the model, and for every tensor its
// name, shape, dtype, requires_grad and where its `data` sits in the file — without reading any
// tensor's values into memory. The hover index digests a workspace of large checkpoints this
// way (streamValues.ts then reads one tensor's values at a time), so its memory stays a small
// fraction of the file instead of several times it. The file is read 256 KiB at a time and every
// chunk is one short synchronous step, so the reader can run on a thread that must stay free.
// Checks what parse.ts checks of everything but the values (streamValues.ts checks those), with
// the same messages where it can; values outside format/version/model/tensors are only skipped
// (their brackets and strings must still balance). With a DataHook, each tensor's data is read by
// the values reader where the scan meets it, and checked there.
import type { ModelSpec } from '../engine/spec';
import { ChunkReader, SourceEndedError, type ByteSource } from './byteSource';
import { BACKSLASH, COLON, COMMA, describeByte, isSpace, LBRACE, LBRACKET, QUOTE, RBRACE, RBRACKET, UTF8 } from './jsonBytes';
import { JsonSyntaxError, parseJsonText } from './jsonText';
import { checkModelShapes } from './modelCheck';
import { parseModel } from './modelParse';
import { checkFormatAndVersion } from './parse';
import { reviveSpecial } from './sectionsParse';
import { isDType, isShape, parseTensorHeader, type TensorHeader } from './tensorParse';
import { CheckpointError, type DType } from './types';

export interface TensorOutline extends TensorHeader {
  /** The state_dict key. */
  name: string;
  section: 'parameters' | 'buffers';
  /** The name in messages: buffers carry their section ("buffers.running_mean"), as parse.ts names them. */
  label: string;
  /** Byte range [start, end) of the `data` value in the file. */
  data: { start: number; end: number };
}

/**
 * Reads a tensor's `data` where the scan meets it, its shape and dtype already read: from r.pos
 * on, leaving r.pos just after the value (streamValues.ts's readValuesAt). A file is then read
 * once, not once for its outline and again for its values. Data written before its shape or
 * dtype is not handed over; the caller reads it by its range afterwards.
 */
export type DataHook = (t: { name: string; section: 'parameters' | 'buffers'; label: string; shape: number[]; dtype: DType }, r: ChunkReader) => Promise<void>;

export interface CheckpointOutline {
  model?: ModelSpec;
  /** Parameters, then buffers, each in file order. */
  tensors: TensorOutline[];
}

/** peekNow's answer when the buffered bytes ran out before a token. */
const NEED = -2;

/** The largest value kept as text (the model, a shape…): anything bigger is not a checkpoint's header. */
const MAX_CAPTURE = 1 << 20;

/** What a value starting with byte `c` is, for messages ("got an array"). */
function describeStart(c: number): string {
  switch (c) {
    case -1: return 'nothing';
    case LBRACE: return 'an object';
    case LBRACKET: return 'an array';
    case QUOTE: return 'a string';
    case 0x74: case 0x66: return 'a boolean';
    case 0x6e: return 'null';
    default: return 'a number';
  }
}

/** closingQuote's second answer: when it finds no quote, whether the chunk ended on an escaping backslash. */
let trailingEscape = false;

/**
 * Index of the quote closing the string whose body goes on at buf[from], or -1 when buf[from, len)
 * holds none (then `trailingEscape` says whether the next chunk's first byte is escaped).
 * `escaped`: buf[from] follows a backslash. Quotes are found natively (indexOf), not byte by
 * byte: a base64 string of megabytes is skipped at memchr speed.
 */
function closingQuote(buf: Uint8Array, from: number, len: number, escaped: boolean): number {
  for (let q = from; ; q++) {
    q = buf.indexOf(QUOTE, q);
    if (q < 0 || q >= len) { trailingEscape = escapedAt(buf, from, len, escaped); return -1; }
    if (!escapedAt(buf, from, q, escaped)) return q;
  }
}

/** Whether buf[at] is escaped: an odd run of backslashes before it in buf[from, at), counting `escaped` for buf[from]. */
function escapedAt(buf: Uint8Array, from: number, at: number, escaped: boolean): boolean {
  let k = at;
  while (k > from && buf[k - 1] === BACKSLASH) k--;
  const run = at - k + (k === from && escaped ? 1 : 0);
  return run % 2 === 1;
}

/**
 * Skipping one value, a chunk at a time: strings followed through their escapes, arrays and
 * objects by their brackets (which must match), numbers and literals to the next delimiter.
 * `step` is synchronous, so the JIT optimises it once for every chunk of every file.
 */
class SkipStep {
  private readonly closers: number[] = [];
  private inString = false;
  private escaped = false;
  done = false;
  /** Index of a closing bracket that does not match its opening one, or -1. */
  mismatch = -1;

  constructor(readonly scalar: boolean) {}

  /** Skips buf[i, len) until the value ends (`done`) or the chunk does; returns where it stopped. */
  step(buf: Uint8Array, i: number, len: number): number {
    const closers = this.closers;
    if (this.scalar) {
      while (i < len && (STRUCTURAL[buf[i]] & SCALAR_END) === 0) i++;
      if (i < len) this.done = true;
      return i;
    }
    if (this.inString) {
      const q = closingQuote(buf, i, len, this.escaped);
      if (q < 0) { this.escaped = trailingEscape; return len; }
      this.escaped = false;
      this.inString = false;
      i = q + 1;
      if (closers.length === 0) { this.done = true; return i; }
    }
    // One loop, no loop inside it: V8 compiles a hot inner loop on its own and threw that code
    // away at every exit from it (once per chunk of a nested array), running unoptimised between.
    for (; i < len; i++) {
      const c = buf[i];
      // Digits, commas and spaces are most of a nested array: one table lookup each.
      if ((STRUCTURAL[c] & BRACKET) === 0) continue;
      if (c === QUOTE) {
        const q = closingQuote(buf, i + 1, len, false);
        if (q < 0) { this.inString = true; this.escaped = trailingEscape; return len; }
        i = q; // the loop steps past the closing quote
        if (closers.length === 0) { this.done = true; return q + 1; }
      } else if (c === LBRACE) closers.push(RBRACE);
      else if (c === LBRACKET) closers.push(RBRACKET);
      else {
        if (closers.pop() !== c) { this.mismatch = i; return i; }
        if (closers.length === 0) { this.done = true; return i + 1; }
      }
    }
    return len;
  }
}

/** Byte flags for SkipStep: SCALAR_END ends a number or literal; BRACKET (brackets, braces, quotes) matters inside arrays and objects. */
const SCALAR_END = 1, BRACKET = 2;
const STRUCTURAL = new Uint8Array(256);
for (const c of [COMMA, 0x20, 0x0a, 0x0d, 0x09]) STRUCTURAL[c] = SCALAR_END;
for (const c of [QUOTE, LBRACE, LBRACKET]) STRUCTURAL[c] = BRACKET;
for (const c of [RBRACE, RBRACKET]) STRUCTURAL[c] = BRACKET | SCALAR_END;

/** A recursive-descent reader of the few levels a checkpoint's outline needs; everything below is skipped. */
class OutlineScanner {
  private readonly r: ChunkReader;

  constructor(src: ByteSource, private readonly file: string, buffer?: Uint8Array, private readonly onData?: DataHook) {
    this.r = new ChunkReader(src, 0, src.size, buffer);
  }

  private syntax(detail: string, at = this.r.offsetOf()): never {
    throw new CheckpointError(this.file, `${detail} (byte ${at})`);
  }

  /**
   * Skips whitespace in what is buffered; the next byte, not consumed, or NEED when the buffer ran
   * out first. Callers try this before `await this.peek()`: most tokens sit in the chunk at hand,
   * and an async call costs a promise even when it never waits (garbage, while a file streams in).
   */
  private peekNow(): number {
    const r = this.r;
    while (r.pos < r.len) {
      const c = r.buf[r.pos];
      if (!isSpace(c)) return c;
      r.pos++;
    }
    return NEED;
  }

  /** Skips whitespace; the next byte, not consumed, or -1 at the end of the file. */
  private async peek(): Promise<number> {
    for (;;) {
      const c = this.peekNow();
      if (c !== NEED) return c;
      if (!(await this.r.more())) return -1;
    }
  }

  private async expect(c: number, what: string): Promise<void> {
    let got = this.peekNow();
    if (got === NEED) got = await this.peek();
    if (got !== c) this.syntax(`expected ${what}, found ${describeByte(got)}`);
    this.r.pos++;
  }

  /** Reads past one value of any kind (see SkipStep) and gives its byte range, and its text when `capture`. */
  private async value(capture: boolean): Promise<{ start: number; end: number; text: string }> {
    let first = this.peekNow();
    if (first === NEED) first = await this.peek();
    const r = this.r;
    const start = r.offsetOf();
    if (first < 0) this.syntax('expected a value, found the end of the file');
    const skip = new SkipStep(first !== QUOTE && first !== LBRACE && first !== LBRACKET);
    const parts: Uint8Array[] = [];
    let captured = 0;
    for (;;) {
      const from = r.pos;
      r.pos = skip.step(r.buf, from, r.len);
      if (skip.mismatch >= 0) this.syntax(`unexpected ${describeByte(r.buf[skip.mismatch])} in the value starting at byte ${start}`, r.offsetOf(skip.mismatch));
      if (capture) {
        captured += r.pos - from;
        if (captured > MAX_CAPTURE) this.syntax(`a value over ${MAX_CAPTURE} bytes where a small one was expected`, start);
        // A value within the chunk at hand (nearly all) is decoded from it directly below.
        if (skip.done && parts.length === 0 && r.pos > from) return { start, end: r.offsetOf(), text: UTF8.decode(r.buf.subarray(from, r.pos)) };
        parts.push(r.buf.slice(from, r.pos));
      }
      if (skip.done || !(await r.more())) break;
    }
    const { done, scalar } = skip;
    const end = r.offsetOf();
    if (!done && !scalar) this.syntax(`the value starting at byte ${start} never ends`, end);
    if (end === start) this.syntax(`expected a value, found ${describeByte(first)}`);
    let text = '';
    if (capture) {
      const all = new Uint8Array(captured);
      let o = 0;
      for (const p of parts) { all.set(p, o); o += p.length; }
      text = UTF8.decode(all);
    }
    return { start, end, text };
  }

  /** A small value as JS (NaN / Infinity tokens allowed, as everywhere in the format). */
  private async parsed(): Promise<unknown> {
    const { start, text } = await this.value(true);
    // Plain JSON (every header value a writer produces) needs no stand-ins for NaN or long arrays.
    try { return JSON.parse(text); } catch { /* NaN / Infinity tokens, or an error to locate: below */ }
    try {
      const doc = parseJsonText(text);
      return reviveSpecial(doc.value, doc);
    } catch (e) {
      if (e instanceof JsonSyntaxError) this.syntax(`invalid JSON value: ${e.where.message}`, start);
      throw e;
    }
  }

  private async key(): Promise<string> {
    let c = this.peekNow();
    if (c === NEED) c = await this.peek();
    if (c !== QUOTE) this.syntax(`expected a key in double quotes, found ${describeByte(c)}`);
    // A key whole in this chunk with no escapes or control bytes is its bytes, decoded.
    const r = this.r, buf = r.buf, from = r.pos + 1;
    const q = buf.indexOf(QUOTE, from);
    if (q >= 0 && q < r.len) {
      let i = from;
      while (i < q && buf[i] !== BACKSLASH && buf[i] >= 0x20) i++;
      if (i === q) { r.pos = q + 1; return UTF8.decode(buf.subarray(from, q)); }
    }
    return (await this.parsed()) as string;
  }

  /** The members of an object whose `{` was just read, each handed to `onMember` to read its value. */
  private async members(onMember: (key: string) => Promise<void>): Promise<void> {
    let c = this.peekNow();
    if (c === NEED) c = await this.peek();
    if (c === RBRACE) { this.r.pos++; return; }
    for (;;) {
      const key = await this.key();
      await this.expect(COLON, '":"');
      await onMember(key);
      c = this.peekNow();
      if (c === NEED) c = await this.peek();
      this.r.pos++;
      if (c === COMMA) continue;
      if (c === RBRACE) return;
      this.syntax(`expected "," or "}", found ${describeByte(c)}`, this.r.offsetOf() - 1);
    }
  }

  async outline(): Promise<CheckpointOutline> {
    // A UTF-8 byte order mark (some Windows editors write one) is skipped, as TextDecoder does for parse.ts.
    const r = this.r;
    while (r.len - r.pos < 3 && (await r.more(r.pos)));
    if (r.buf[r.pos] === 0xef && r.buf[r.pos + 1] === 0xbb && r.buf[r.pos + 2] === 0xbf) r.pos += 3;
    const first = await this.peek();
    if (first !== LBRACE) throw new CheckpointError(this.file, `expected a JSON object with "format": "weights.json", got ${describeStart(first)}`);
    this.r.pos++;
    const header = new Map<string, unknown>();
    let parameters: TensorOutline[] | undefined, buffers: TensorOutline[] = [];
    await this.members(async (key) => {
      if (key === 'parameters') parameters = await this.tensorMap('parameters', true);
      else if (key === 'buffers') buffers = await this.tensorMap('buffers', false);
      else if (key === 'format' || key === 'version' || key === 'model') header.set(key, await this.parsed());
      else await this.value(false); // optimizer state, training history, metadata: not the hover's business
    });
    const after = await this.peek();
    if (after >= 0) this.syntax(`unexpected ${describeByte(after)} after the end of the checkpoint`);
    checkFormatAndVersion(header.get('format'), header.get('version'), this.file);
    if (!parameters) throw new CheckpointError(this.file, 'missing; expected an object, name → tensor', 'parameters');
    let model: ModelSpec | undefined;
    if (header.has('model')) {
      model = parseModel(header.get('model'), this.file);
      checkModelShapes(model, new Map(parameters.map((t) => [t.name, t])), this.file);
    }
    return { ...(model ? { model } : {}), tensors: [...parameters, ...buffers] };
  }

  private async tensorMap(section: 'parameters' | 'buffers', defaultRequiresGrad: boolean): Promise<TensorOutline[]> {
    const c = await this.peek();
    if (c !== LBRACE) throw new CheckpointError(this.file, `expected an object, name → tensor, got ${describeStart(c)}`, section);
    this.r.pos++;
    // A Map keyed by name: a repeated key keeps its first place and its last value, as JSON.parse does.
    const out = new Map<string, TensorOutline>();
    await this.members(async (name) => { out.set(name, await this.tensor(section, name, defaultRequiresGrad)); });
    return [...out.values()];
  }

  private async tensor(section: 'parameters' | 'buffers', name: string, defaultRequiresGrad: boolean): Promise<TensorOutline> {
    const label = section === 'parameters' ? name : `${section}.${name}`;
    const fail = (detail: string): never => { throw new CheckpointError(this.file, detail, label); };
    const c = await this.peek();
    if (c !== LBRACE) fail(`expected a tensor object { "shape", "dtype", "data" }, got ${describeStart(c)}`);
    this.r.pos++;
    const fields: Record<string, unknown> = {};
    let data: { start: number; end: number } | undefined;
    await this.members(async (key) => {
      if (key === 'data') {
        const layout = this.onData && knownLayout(fields);
        let c = -1;
        if (layout) { c = this.peekNow(); if (c === NEED) c = await this.peek(); }
        if (layout && c >= 0) {
          const start = this.r.offsetOf();
          await this.onData!({ name, section, label, ...layout }, this.r);
          data = { start, end: this.r.offsetOf() };
        } else {
          const v = await this.value(false);
          data = { start: v.start, end: v.end };
        }
      }
      else if (key === 'shape' || key === 'dtype' || key === 'requires_grad') fields[key] = await this.parsed();
      else await this.value(false);
    });
    const header = parseTensorHeader(fields, fail, defaultRequiresGrad);
    if (!data) return fail('the tensor has no "data"');
    return { ...header, name, section, label, data };
  }
}

/** A tensor's shape and dtype as read so far, when both are there and well formed (their messages come later otherwise). */
function knownLayout(fields: Record<string, unknown>): { shape: number[]; dtype: DType } | null {
  const { shape, dtype } = fields;
  return isShape(shape) && isDType(dtype) ? { shape, dtype } : null;
}

/**
 * Reads a checkpoint's outline (see the top of this file); throws a CheckpointError naming the
 * file for anything malformed. `buffer`: the chunk buffer to read into (see ChunkReader).
 * `onData`: reads tensors' values on the way (see DataHook).
 */
export async function scanCheckpoint(src: ByteSource, file: string, buffer?: Uint8Array, onData?: DataHook): Promise<CheckpointOutline> {
  try {
    return await new OutlineScanner(src, file, buffer, onData).outline();
  } catch (e) {
    if (e instanceof SourceEndedError) throw new CheckpointError(file, e.message);
    throw e;
  }
}
