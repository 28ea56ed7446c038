// Checkpoint → `.weights.json` text. Layout for people first: two-space indentation, small arrays
// and layer objects on one line, one innermost tensor row per line; large tensors as base64.
// Exactness first too: every value reads back bit-identical (see numberText.ts), NaN/Infinity as
// Python's json.dump writes them, and every key order (parameters, top level) kept.
import type { Checkpoint, ParamOptimizerState, TensorRecord } from './types';
import { bfloat16Text, float32Text, float64Text, halfText, plainNumberText } from './numberText';
import { encodeBase64 } from './base64';
import { tensorNumel } from './tensor';

export interface SaveOptions {
  /** 'auto': nested arrays up to base64Threshold elements, base64 above. */
  encoding?: 'auto' | 'nested' | 'base64';
  /** Elements above which 'auto' writes base64; default 4096. */
  base64Threshold?: number;
}

const CANONICAL_ORDER = ['format', 'version', 'model', 'parameters', 'buffers', 'optimizer', 'optimizer_state', 'training', 'metadata'];
const INLINE_WIDTH = 100;
const SAFE_INT64 = 2n ** 53n;

export function serializeCheckpoint(ckpt: Checkpoint, opts: SaveOptions = {}): string {
  const enc = { encoding: opts.encoding ?? 'auto', threshold: opts.base64Threshold ?? 4096 };
  const sections = new Map<string, (indent: string) => string>();
  sections.set('format', () => JSON.stringify(ckpt.format));
  sections.set('version', () => String(ckpt.version));
  if (ckpt.model) sections.set('model', (ind) => valueText(ckpt.model, ind));
  sections.set('parameters', (ind) => tensorMapText(ckpt.parameters, ind, enc));
  if (ckpt.buffers) sections.set('buffers', (ind) => tensorMapText(ckpt.buffers!, ind, enc));
  if (ckpt.optimizer) sections.set('optimizer', (ind) => valueText(ckpt.optimizer, ind));
  if (ckpt.optimizer_state) sections.set('optimizer_state', (ind) => optimizerStateText(ckpt.optimizer_state!, ind, enc));
  if (ckpt.training) sections.set('training', (ind) => valueText(ckpt.training, ind));
  if (ckpt.metadata !== undefined) sections.set('metadata', (ind) => valueText(ckpt.metadata, ind));
  for (const [k, v] of ckpt.extra) if (!sections.has(k)) sections.set(k, (ind) => valueText(v, ind));

  // The file's own order first; sections it did not have (added since) in the canonical place at the end.
  const order = ckpt.keyOrder.filter((k) => sections.has(k));
  for (const k of [...CANONICAL_ORDER, ...ckpt.extra.keys()]) if (sections.has(k) && !order.includes(k)) order.push(k);
  const parts = order.map((k) => `  ${JSON.stringify(k)}: ${sections.get(k)!('  ')}`);
  return `{\n${parts.join(',\n')}\n}\n`;
}

interface Encoding { encoding: 'auto' | 'nested' | 'base64'; threshold: number }

function tensorMapText(map: Map<string, TensorRecord>, indent: string, enc: Encoding): string {
  if (map.size === 0) return '{}';
  const inner = indent + '  ';
  const parts: string[] = [];
  for (const [name, t] of map) parts.push(`${inner}${JSON.stringify(name)}: ${tensorText(t, inner, enc)}`);
  return `{\n${parts.join(',\n')}\n${indent}}`;
}

function optimizerStateText(map: Map<string, ParamOptimizerState>, indent: string, enc: Encoding): string {
  if (map.size === 0) return '{}';
  const inner = indent + '  ', inner2 = inner + '  ';
  const parts: string[] = [];
  for (const [name, state] of map) {
    const fields = Object.entries(state).map(([k, v]) =>
      `${inner2}${JSON.stringify(k)}: ${typeof v === 'number' ? plainNumberText(v) : tensorText(v, inner2, enc)}`);
    parts.push(`${inner}${JSON.stringify(name)}: ${fields.length ? `{\n${fields.join(',\n')}\n${inner}}` : '{}'}`);
  }
  return `{\n${parts.join(',\n')}\n${indent}}`;
}

/** One tensor object; exported for writers of single tensors (e.g. tests, the editor). */
export function tensorText(t: TensorRecord, indent: string, enc: Encoding = { encoding: 'auto', threshold: 4096 }): string {
  const inner = indent + '  ';
  const n = tensorNumel(t);
  const useBase64 = enc.encoding === 'base64' || (enc.encoding === 'auto' && n > enc.threshold) || needsBase64(t);
  const data = useBase64 ? `"base64:${encodeBase64(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength))}"` : nestedText(t, inner);
  return `{\n${inner}"shape": [${t.shape.join(', ')}],\n${inner}"dtype": ${JSON.stringify(t.dtype)},\n` +
    `${inner}"requires_grad": ${t.requires_grad},\n${inner}"data": ${data}\n${indent}}`;
}

/** int64 values beyond ±2^53 cannot travel as JSON numbers (the spec sends them as base64). */
function needsBase64(t: TensorRecord): boolean {
  if (!(t.data instanceof BigInt64Array)) return false;
  for (const v of t.data) if (v > SAFE_INT64 || v < -SAFE_INT64) return true;
  return false;
}

function elementFormatter(t: TensorRecord): (k: number) => string {
  const d = t.data;
  switch (t.dtype) {
    case 'float32': return (k) => float32Text(d[k] as number);
    case 'float64': return (k) => float64Text(d[k] as number);
    case 'float16': return (k) => halfText(d[k] as number);
    case 'bfloat16': return (k) => bfloat16Text(d[k] as number);
    case 'bool': return (k) => (d[k] ? 'true' : 'false');
    default: return (k) => String(d[k]);
  }
}

/** Nested arrays as tensor.tolist() shapes them: one innermost row per line, a scalar as a bare number. */
function nestedText(t: TensorRecord, indent: string): string {
  const fmt = elementFormatter(t);
  const shape = t.shape;
  if (shape.length === 0) return fmt(0);
  const row = (start: number, len: number): string => {
    const items = new Array<string>(len);
    for (let j = 0; j < len; j++) items[j] = fmt(start + j);
    return `[${items.join(', ')}]`;
  };
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) { strides[d] = s; s *= shape[d]; }
  const level = (d: number, start: number, ind: string): string => {
    if (d === shape.length - 1) return row(start, shape[d]);
    if (shape[d] === 0) return '[]';
    const inner = ind + '  ';
    const children = new Array<string>(shape[d]);
    for (let j = 0; j < shape[d]; j++) children[j] = inner + level(d + 1, start + j * strides[d], inner);
    return `[\n${children.join(',\n')}\n${ind}]`;
  };
  return level(0, 0, indent);
}

/**
 * Any other JSON value (model, optimizer, training, metadata, unknown keys), pretty-printed with
 * NaN / Infinity as bare tokens. Short arrays and objects stay on one line.
 */
export function valueText(v: unknown, indent: string): string {
  const oneLine = inlineText(v);
  if (oneLine !== undefined && oneLine.length + indent.length <= INLINE_WIDTH) return oneLine;
  const inner = indent + '  ';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[\n${v.map((x) => inner + valueText(x, inner)).join(',\n')}\n${indent}]`;
  }
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v).filter(([, x]) => x !== undefined);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${valueText(x, inner)}`).join(',\n')}\n${indent}}`;
  }
  return scalarText(v);
}

function scalarText(v: unknown): string {
  if (typeof v === 'number') return plainNumberText(v);
  if (typeof v === 'bigint') return v.toString();
  if (v === undefined) return 'null';
  return JSON.stringify(v) ?? 'null';
}

/** Single-line form, or undefined when the value is deep enough to deserve lines of its own. */
function inlineText(v: unknown, depth = 0): string | undefined {
  if (v === null || typeof v !== 'object') return scalarText(v);
  if (depth >= 2) return undefined;
  if (Array.isArray(v)) {
    const items: string[] = [];
    for (const x of v) {
      // A list of objects (layers, history entries) reads best one object per line.
      if (x !== null && typeof x === 'object' && !Array.isArray(x)) return undefined;
      const s = inlineText(x, depth + 1); if (s === undefined) return undefined; items.push(s);
    }
    return `[${items.join(', ')}]`;
  }
  const items: string[] = [];
  for (const [k, x] of Object.entries(v)) {
    if (x === undefined) continue;
    const s = inlineText(x, depth + 1); if (s === undefined) return undefined;
    items.push(`${JSON.stringify(k)}: ${s}`);
  }
  return items.length ? `{ ${items.join(', ')} }` : '{}';
}
