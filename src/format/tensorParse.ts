// One tensor object of a file ({ shape, dtype, requires_grad, data }) → TensorRecord. The data
// goes straight from JSON.parse's arrays (or the base64 text) into one preallocated typed array,
// checking nesting, count and element types on the way, so no intermediate copy is made.
import { numel } from '../engine/spec';
import { CheckpointError, DTYPES, type DType, type TensorData, type TensorRecord } from './types';
import { allocData, dtypeBytes } from './tensor';
import { tooLargeReason } from './lazy';
import { numberToBfloat16, numberToHalf } from './half';
import { decodeBase64Into, base64ByteLength } from './base64';
import { NAN_SENTINEL, base64SpanOf, numbersOf, type Base64Span, type JsonDoc, type NumberChunks } from './jsonText';

const BASE64_PREFIX = 'base64:';

/** Where a tensor sits, for messages: the file and the parameter's name as the user sees it. */
export interface TensorPlace { file: string; name: string; /** The parsed document, to resolve cut-out base64 strings. */ doc?: JsonDoc }

export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (v === NAN_SENTINEL) return 'NaN';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

export const shapeText = (shape: readonly number[]) => `[${shape.join(', ')}]`;

/**
 * The refusals of a tensor's `data`, worded once for both readers (this whole-file parser and the
 * streaming one, streamValues.ts), so a file is refused in the same words wherever it is read.
 */
export const dataMessages = {
  count: (count: number, shape: readonly number[]) =>
    `data has ${count} elements${shape.length <= 1 ? '' : ' (a flat array)'}, expected ${numel(shape)} for shape ${shapeText(shape)}`,
  nesting: (shape: readonly number[], path: string, count: number, expected: number) =>
    `data does not match shape ${shapeText(shape)}: ${path} has ${count} elements, expected ${expected}`,
  notAnArray: (shape: readonly number[], path: string, v: unknown, expected: number) =>
    `data does not match shape ${shapeText(shape)}: ${path} is ${describeValue(v)}, expected an array of ${expected}`,
  notData: (shape: readonly number[], v: unknown) =>
    `data must be nested arrays, a flat array or "base64:…" for shape ${shapeText(shape)}, got ${describeValue(v)}`,
  notBase64: 'data is a string but not "base64:…"; expected nested arrays, a flat array or "base64:…"',
  base64Length: (got: number, shape: readonly number[], dtype: DType) =>
    `base64 data has ${got < 0 ? 'a length that is not valid base64' : `${got} bytes`}, expected ${numel(shape) * dtypeBytes(dtype)} bytes for shape ${shapeText(shape)} × ${dtype} (${dtypeBytes(dtype)} bytes each)`,
  base64Alphabet: 'base64 data has characters outside the base64 alphabet',
  boolByte: (k: number, shape: number[], byte: number) => `data element ${indexText(k, shape)} is the byte ${byte}, expected 0 or 1 (dtype bool)`,
};

/** A well-formed `shape`: an array of non-negative integers. */
export const isShape = (v: unknown): v is number[] => Array.isArray(v) && v.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0);
/** A dtype this format knows. */
export const isDType = (v: unknown): v is DType => typeof v === 'string' && (DTYPES as readonly string[]).includes(v);

/** A tensor object's description without its values. */
export interface TensorHeader { shape: number[]; dtype: DType; requires_grad: boolean }

/**
 * Checks a tensor object's `shape`, `dtype` and `requires_grad` (the values are read apart):
 * shared by the whole-file parser and the streaming reader (streamScan.ts), so both refuse alike.
 */
export function parseTensorHeader(obj: Record<string, unknown>, fail: (detail: string) => never, defaultRequiresGrad: boolean): TensorHeader {
  const shape = obj.shape;
  if (!isShape(shape)) {
    return fail(`shape must be an array of non-negative integers, got ${shape === undefined ? 'nothing' : JSON.stringify(shape)}`);
  }
  const dtype = obj.dtype ?? 'float32';
  if (!isDType(dtype)) return fail(`unknown dtype ${JSON.stringify(dtype)}; expected one of ${DTYPES.join(', ')}`);
  // Before any allocation: a shape like [1000000000, 1000000000] is refused by name, not a RangeError.
  const tooLarge = tooLargeReason(shape, dtypeBytes(dtype));
  if (tooLarge) return fail(tooLarge);
  const rg = obj.requires_grad ?? defaultRequiresGrad;
  if (typeof rg !== 'boolean') return fail(`requires_grad must be true or false, got ${describeValue(rg)}`);
  return { shape: [...shape], dtype, requires_grad: rg };
}

export function parseTensor(raw: unknown, place: TensorPlace, defaultRequiresGrad: boolean): TensorRecord {
  const fail = (detail: string): never => { throw new CheckpointError(place.file, detail, place.name); };
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return fail(`expected a tensor object { "shape", "dtype", "data" }, got ${describeValue(raw)}`);
  }
  const obj = raw as Record<string, unknown>;
  const header = parseTensorHeader(obj, fail, defaultRequiresGrad);
  if (!('data' in obj)) return fail('the tensor has no "data"');
  const data = readData(obj.data, header.shape, header.dtype, fail, place.doc);
  return { ...header, data };
}

function readData(data: unknown, shape: number[], dtype: DType, fail: (d: string) => never, doc?: JsonDoc): TensorData {
  const n = numel(shape);
  const numbers = doc && numbersOf(data, doc);
  if (numbers) {
    if (numbers.length !== n) {
      return fail(dataMessages.count(numbers.length, shape));
    }
    const out = allocData(dtype, n);
    fillFromChunks(numbers, out, dtype, elementWriter(dtype, out, shape, fail));
    return out;
  }
  if (typeof data === 'string' && data !== NAN_SENTINEL) {
    const span = doc && base64SpanOf(data, doc);
    if (span) return readBase64(span, shape, dtype, fail);
    if (!data.startsWith(BASE64_PREFIX)) return fail(dataMessages.notBase64);
    return readBase64({ text: data, start: BASE64_PREFIX.length, end: data.length }, shape, dtype, fail);
  }
  const out = allocData(dtype, n);
  const put = elementWriter(dtype, out, shape, fail);
  if (!Array.isArray(data)) {
    if (shape.length === 0) { put(data, 0); return out; } // a scalar, as tensor.tolist() writes it
    return fail(dataMessages.notData(shape, data));
  }
  const flat = shape.length <= 1 || data.length === 0 || !Array.isArray(data[0]);
  if (flat) {
    if (data.length !== n) return fail(dataMessages.count(data.length, shape));
    fillFlat(data, out, dtype, put);
  } else {
    fillNested(data, shape, 0, 0, out, dtype, put, fail, 'data');
  }
  return out;
}

/** A cut-out flat array (see jsonCut.ts), chunk by chunk, with the same checks as any flat array. */
function fillFromChunks(numbers: NumberChunks, out: TensorData, dtype: DType, put: (v: unknown, k: number) => void): void {
  let offset = 0;
  for (const chunk of numbers.chunks) {
    fillFlat(chunk, out, dtype, put, offset);
    offset += chunk.length;
  }
}

/** Fast path for float data; other dtypes go through `put`, which converts and range-checks. */
function fillFlat(data: unknown[], out: TensorData, dtype: DType, put: (v: unknown, k: number) => void, offset = 0): void {
  if (dtype === 'float32' || dtype === 'float64') {
    const o = out as Float32Array | Float64Array;
    for (let k = 0; k < data.length; k++) {
      const v = data[k];
      if (typeof v === 'number') o[offset + k] = v; else put(v, offset + k);
    }
  } else {
    for (let k = 0; k < data.length; k++) put(data[k], offset + k);
  }
}

function fillNested(
  node: unknown[], shape: number[], d: number, offset: number, out: TensorData, dtype: DType,
  put: (v: unknown, k: number) => void, fail: (m: string) => never, path: string,
): number {
  if (node.length !== shape[d]) {
    return fail(dataMessages.nesting(shape, path, node.length, shape[d]));
  }
  if (d === shape.length - 1) {
    if (dtype === 'float32' || dtype === 'float64') {
      const o = out as Float32Array | Float64Array;
      for (let j = 0; j < node.length; j++) {
        const v = node[j];
        if (typeof v === 'number') o[offset + j] = v; else put(v, offset + j);
      }
    } else {
      for (let j = 0; j < node.length; j++) put(node[j], offset + j);
    }
    return offset + node.length;
  }
  for (let j = 0; j < node.length; j++) {
    const child = node[j];
    if (!Array.isArray(child)) {
      return fail(dataMessages.notAnArray(shape, `${path}[${j}]`, child, shape[d + 1]));
    }
    offset = fillNested(child, shape, d + 1, offset, out, dtype, put, fail, `${path}[${j}]`);
  }
  return offset;
}

/** Multi-index of a flat position, for messages: "[1, 0]". */
export function indexText(k: number, shape: number[]): string {
  if (shape.length <= 1) return `[${k}]`;
  const idx: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) { idx.unshift(k % shape[d]); k = Math.floor(k / shape[d]); }
  return `[${idx.join(', ')}]`;
}

/**
 * Checks one element at flat position k against the dtype and gives it as a plain number (NaN for
 * the NaN token, 0/1 for a bool), or fails naming the index and what was expected. Shared by the
 * whole-file parser (elementWriter) and the streaming reader.
 */
export function elementChecker(dtype: DType, shape: number[], fail: (m: string) => never): (v: unknown, k: number) => number {
  const bad = (v: unknown, k: number, expected: string): never =>
    fail(`data element ${indexText(k, shape)} is ${describeValue(v)}, expected ${expected}`);
  switch (dtype) {
    case 'float32': case 'float64': case 'float16': case 'bfloat16':
      return (v, k) => (typeof v === 'number' ? v : v === NAN_SENTINEL ? NaN : bad(v, k, `a number (dtype ${dtype})`));
    case 'int64':
      return (v, k) => (typeof v === 'number' && Number.isSafeInteger(v) ? v
        : bad(v, k, 'an integer within ±2^53 (dtype int64; larger values must use the "base64:" form)'));
    case 'int32':
      return (v, k) => (typeof v === 'number' && Number.isInteger(v) && v >= -2147483648 && v <= 2147483647 ? v : bad(v, k, 'an integer in the int32 range'));
    case 'uint8':
      return (v, k) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 255 ? v : bad(v, k, 'an integer from 0 to 255 (dtype uint8)'));
    case 'bool':
      return (v, k) => (typeof v === 'boolean' ? (v ? 1 : 0) : bad(v, k, 'true or false (dtype bool)'));
  }
}

/** Converts and stores one element at flat position k (see elementChecker). */
function elementWriter(dtype: DType, out: TensorData, shape: number[], fail: (m: string) => never): (v: unknown, k: number) => void {
  const check = elementChecker(dtype, shape, fail);
  switch (dtype) {
    case 'float16': { const o = out as Uint16Array; return (v, k) => { o[k] = numberToHalf(check(v, k)); }; }
    case 'bfloat16': { const o = out as Uint16Array; return (v, k) => { o[k] = numberToBfloat16(check(v, k)); }; }
    case 'int64': { const o = out as BigInt64Array; return (v, k) => { o[k] = BigInt(check(v, k)); }; }
    default: { const o = out as Float32Array | Float64Array | Int32Array | Uint8Array; return (v, k) => { o[k] = check(v, k); }; }
  }
}

function readBase64(span: Base64Span, shape: number[], dtype: DType, fail: (m: string) => never, unescaped = false): TensorData {
  const n = numel(shape);
  const bytes = n * dtypeBytes(dtype);
  const got = base64ByteLength(span.text, span.start, span.end);
  const data = allocData(dtype, n);
  const view = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  // Tensor bytes are little-endian, as on every platform Weightscope runs on (x86, ARM); a typed
  // array view over them is the tensor.
  if (got !== bytes || !decodeBase64Into(span.text, span.start, span.end, view)) {
    // A writer may have escaped "/" as "\/" (legal JSON): unescape and try once more.
    const raw = span.text.slice(span.start, span.end);
    if (!unescaped && raw.includes('\\')) {
      let text: string | undefined;
      try { text = JSON.parse(`"${raw}"`) as string; } catch { text = undefined; }
      if (text !== undefined) return readBase64({ text, start: 0, end: text.length }, shape, dtype, fail, true);
    }
    if (got !== bytes) {
      return fail(dataMessages.base64Length(got, shape, dtype));
    }
    return fail(dataMessages.base64Alphabet);
  }
  if (dtype === 'bool') {
    for (let k = 0; k < view.length; k++) if (view[k] > 1) return fail(dataMessages.boolByte(k, shape, view[k]));
  }
  return data;
}
