// The CLI's `--layers` syntax: PyTorch constructor calls separated by spaces, positional then
// keyword arguments, e.g. "Conv2d(1,4,3,padding=1) ReLU MaxPool2d(2) Flatten Linear(36,3)".
// Arguments take PyTorch's positional order and names; values are numbers, True/False and
// tuples "(3,3)". `formatLayer` writes a spec back in the same syntax.
import type { LayerSpec, LayerType } from './spec';
import { LAYER_TYPES } from './spec';
import { InputError } from './errors';

/** A malformed layer string; `column` (1-based) points at the offending token. */
export class LayerStringError extends InputError {
  constructor(readonly column: number, detail: string) {
    super(`column ${column}: ${detail}`);
    this.name = 'LayerStringError';
  }
}

type Value = number | boolean | null | string | number[];
interface Arg { key?: string; value: Value; column: number }

/** One parameter a constructor takes, in PyTorch's positional order. */
interface ParamDef {
  name: string;
  kind: 'count' | 'size' | 'bool' | 'int' | 'prob' | 'number';
  /** Accepted but not stored: the format has no field for it, and only this value is supported. */
  ignoreIf?: Value;
  /** Refused unless it has this value (a PyTorch option Weightscope does not implement). */
  onlyValue?: Value;
  /** Stored under this field when not the format's default. */
  store?: boolean;
}

const INPLACE: ParamDef = { name: 'inplace', kind: 'bool', ignoreIf: false, onlyValue: false };

// Constructor signatures, in PyTorch's argument order. Only what the format can hold is stored;
// the few PyTorch options it cannot hold are accepted at their defaults and refused otherwise.
const SIGNATURES: Record<LayerType, ParamDef[]> = {
  Linear: [
    { name: 'in_features', kind: 'count', store: true },
    { name: 'out_features', kind: 'count', store: true },
    { name: 'bias', kind: 'bool', store: true },
  ],
  Conv2d: [
    { name: 'in_channels', kind: 'count', store: true },
    { name: 'out_channels', kind: 'count', store: true },
    { name: 'kernel_size', kind: 'size', store: true },
    { name: 'stride', kind: 'size', store: true },
    { name: 'padding', kind: 'size', store: true },
    { name: 'dilation', kind: 'size', onlyValue: 1 },
    { name: 'groups', kind: 'count', onlyValue: 1 },
    { name: 'bias', kind: 'bool', store: true },
  ],
  LSTM: [
    { name: 'input_size', kind: 'count', store: true },
    { name: 'hidden_size', kind: 'count', store: true },
    { name: 'num_layers', kind: 'count', store: true },
    { name: 'bias', kind: 'bool', store: true },
    // The format always carries the batch first; batch_first=False is refused, not stored.
    { name: 'batch_first', kind: 'bool', onlyValue: true },
    { name: 'dropout', kind: 'prob', onlyValue: 0 },
    { name: 'bidirectional', kind: 'bool', onlyValue: false },
  ],
  MaxPool2d: [
    { name: 'kernel_size', kind: 'size', store: true },
    { name: 'stride', kind: 'size', store: true },
    { name: 'padding', kind: 'size', onlyValue: 0 },
    { name: 'dilation', kind: 'size', onlyValue: 1 },
  ],
  Flatten: [
    { name: 'start_dim', kind: 'int', store: true },
    { name: 'end_dim', kind: 'int', onlyValue: -1 },
  ],
  Dropout: [{ name: 'p', kind: 'prob', store: true }, INPLACE],
  ReLU: [INPLACE],
  Tanh: [],
  Sigmoid: [],
  GELU: [],
  LeakyReLU: [{ name: 'negative_slope', kind: 'number', store: true }, INPLACE],
};

const REQUIRED: Partial<Record<LayerType, number>> = { Linear: 2, Conv2d: 3, LSTM: 2, MaxPool2d: 1 };

/** Parse a whole `--layers` string into layer specs, in order. */
export function parseLayerString(s: string): LayerSpec[] {
  const p = new Parser(s);
  const layers: LayerSpec[] = [];
  p.skipSpace();
  while (!p.done()) {
    layers.push(p.layer());
    p.skipSpace();
  }
  if (layers.length === 0) throw new LayerStringError(1, 'no layers given (expected e.g. "Linear(2,8) ReLU Linear(8,1)")');
  return layers;
}

class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  done(): boolean { return this.i >= this.s.length; }
  private col(at = this.i): number { return at + 1; }
  skipSpace(): void { while (this.i < this.s.length && /\s/.test(this.s[this.i])) this.i++; }
  private fail(detail: string, at = this.i): never { throw new LayerStringError(this.col(at), detail); }
  private peek(): string { return this.s[this.i] ?? ''; }
  private describeHere(): string {
    return this.done() ? 'the end of the string' : `"${this.s.slice(this.i).match(/^\S{1,12}/)?.[0] ?? this.peek()}"`;
  }
  private expect(ch: string): void {
    this.skipSpace();
    if (this.peek() !== ch) this.fail(`expected "${ch}", found ${this.describeHere()}`);
    this.i++;
  }

  private ident(): string {
    const m = /^[A-Za-z_][\w.]*/.exec(this.s.slice(this.i));
    if (!m) this.fail(`expected a layer type such as Linear or ReLU, found ${this.describeHere()}`);
    this.i += m[0].length;
    return m[0];
  }

  layer(): LayerSpec {
    const start = this.i;
    const typeName = this.ident();
    const type = LAYER_TYPES.find((t) => t === typeName);
    if (!type) {
      // "relu" → ReLU, "nn.Linear" → Linear: the likely intent, offered rather than guessed.
      const base = typeName.split('.').pop() ?? typeName;
      const hint = LAYER_TYPES.find((t) => t.toLowerCase() === base.toLowerCase());
      this.fail(`unknown layer type "${typeName}"${hint ? ` (did you mean ${hint}?)` : ''}; expected one of ${LAYER_TYPES.join(', ')}`, start);
    }
    const args: Arg[] = [];
    if (this.peek() === '(') {
      this.i++;
      this.skipSpace();
      if (this.peek() === ')') this.i++;
      else {
        for (;;) {
          args.push(this.arg());
          this.skipSpace();
          if (this.peek() === ',') { this.i++; this.skipSpace(); if (this.peek() === ')') { this.i++; break; } continue; }
          if (this.peek() === ')') { this.i++; break; }
          this.fail(`expected "," or ")" in ${typeName}(…), found ${this.describeHere()}`);
        }
      }
    }
    if (!this.done() && !/\s/.test(this.peek())) this.fail(`expected a space between layers, found ${this.describeHere()}`);
    return buildSpec(type, args, start);
  }

  private arg(): Arg {
    const column = this.col();
    const m = /^([A-Za-z_]\w*)\s*=(?!=)/.exec(this.s.slice(this.i));
    if (m) {
      this.i += m[0].length;
      this.skipSpace();
      return { key: m[1], value: this.value(), column };
    }
    return { value: this.value(), column };
  }

  private value(): Value {
    this.skipSpace();
    if (this.peek() === '(' || this.peek() === '[') {
      const close = this.peek() === '(' ? ')' : ']';
      this.i++;
      const items: number[] = [];
      this.skipSpace();
      while (this.peek() !== close) {
        const at = this.i;
        const v = this.value();
        if (typeof v !== 'number') this.fail('expected a number inside the tuple', at);
        items.push(v);
        this.skipSpace();
        if (this.peek() === ',') { this.i++; this.skipSpace(); continue; }
        if (this.peek() !== close) this.fail(`expected "," or "${close}" in the tuple, found ${this.describeHere()}`);
      }
      this.i++;
      return items;
    }
    const rest = this.s.slice(this.i);
    const num = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(rest);
    if (num) { this.i += num[0].length; return Number(num[0]); }
    // Strings are read only to say which argument is not supported (e.g. GELU's approximate).
    const quoted = /^(['"])([^'"]*)\1/.exec(rest);
    if (quoted) { this.i += quoted[0].length; return quoted[2]; }
    const word = /^[A-Za-z_]\w*/.exec(rest);
    if (word) {
      const w = word[0];
      if (w === 'True' || w === 'true') { this.i += w.length; return true; }
      if (w === 'False' || w === 'false') { this.i += w.length; return false; }
      if (w === 'None') { this.i += w.length; return null; }
    }
    return this.fail(`expected a number, True, False, None or a tuple like (3,3), found ${this.describeHere()}`);
  }
}

function checkValue(type: LayerType, def: ParamDef, arg: Arg): Value {
  const v = arg.value;
  const bad = (what: string): never => { throw new LayerStringError(arg.column, `${type} ${def.name} expects ${what}, got ${show(v)}`); };
  switch (def.kind) {
    case 'count':
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) bad('a whole number ≥ 1');
      break;
    case 'int':
      if (typeof v !== 'number' || !Number.isInteger(v)) bad('a whole number');
      break;
    case 'size': {
      const ok = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 0;
      if (!(ok(v) || (Array.isArray(v) && v.length === 2 && v.every(ok)))) bad('a whole number or a pair like (3,3)');
      break;
    }
    case 'bool':
      if (typeof v !== 'boolean') bad('True or False');
      break;
    case 'prob':
      if (typeof v !== 'number' || v < 0 || v > 1) bad('a number from 0 to 1');
      break;
    case 'number':
      if (typeof v !== 'number') bad('a number');
      break;
  }
  return v;
}

function buildSpec(type: LayerType, args: Arg[], start: number): LayerSpec {
  const sig = SIGNATURES[type];
  const given = new Map<string, Arg>();
  let seenKeyword = false;
  args.forEach((arg, pos) => {
    let def: ParamDef | undefined;
    if (arg.key === undefined) {
      if (seenKeyword) throw new LayerStringError(arg.column, `${type}: a positional argument cannot follow a keyword argument`);
      def = sig[pos];
      if (!def) throw new LayerStringError(arg.column, `${type} takes at most ${sig.length} positional argument${sig.length === 1 ? '' : 's'}${sig.length ? ` (${sig.map((d) => d.name).join(', ')})` : ''}`);
    } else {
      seenKeyword = true;
      def = sig.find((d) => d.name === arg.key);
      if (!def) throw new LayerStringError(arg.column, `${type} has no argument "${arg.key}"${sig.length ? ` (expected ${sig.map((d) => d.name).join(', ')})` : ''}`);
    }
    if (given.has(def.name)) throw new LayerStringError(arg.column, `${type} got ${def.name} twice`);
    given.set(def.name, arg);
  });
  const required = REQUIRED[type] ?? 0;
  const missing = sig.slice(0, required).filter((d) => !given.has(d.name));
  if (missing.length) {
    throw new LayerStringError(start + 1, `${type} needs ${missing.map((d) => d.name).join(', ')} (e.g. ${EXAMPLES[type]})`);
  }
  const spec: Record<string, unknown> = { type };
  for (const def of sig) {
    const arg = given.get(def.name);
    if (!arg) continue;
    // `stride=None` is PyTorch's "same as kernel_size" for MaxPool2d: the format's default.
    if (arg.value === null && def.name === 'stride' && type === 'MaxPool2d') continue;
    const v = checkValue(type, def, arg);
    if (def.onlyValue !== undefined && !sameValue(v, def.onlyValue)) {
      throw new LayerStringError(arg.column, `${type} ${def.name}=${show(v)} is not supported (only ${show(def.onlyValue)})`);
    }
    if (def.store) spec[def.name] = Array.isArray(v) ? [v[0], v[1]] : v;
  }
  return spec as unknown as LayerSpec;
}

const EXAMPLES: Partial<Record<LayerType, string>> = {
  Linear: 'Linear(2,8)', Conv2d: 'Conv2d(1,4,3,padding=1)', LSTM: 'LSTM(1,8)', MaxPool2d: 'MaxPool2d(2)',
};

function sameValue(a: Value, b: Value): boolean {
  if (Array.isArray(a)) return a.every((x) => sameValue(x, b));
  return a === b;
}

function show(v: Value): string {
  if (Array.isArray(v)) return `(${v.join(', ')})`;
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'string') return `'${v}'`;
  return v === null ? 'None' : String(v);
}

// Stored fields in positional order, and the format's default of each (omitted when equal).
const DEFAULTS: Record<string, unknown> = {
  bias: true, stride: 1, padding: 0, num_layers: 1, start_dim: 1, p: 0.5, negative_slope: 0.01,
};

/**
 * One layer in the `--layers` syntax, for display: required arguments positionally, others as
 * keywords when not at their defaults — `Linear(2, 8)`, `Conv2d(1, 4, 3, padding=1)`, `ReLU`.
 */
export function formatLayer(spec: LayerSpec): string {
  const sig = SIGNATURES[spec.type];
  const required = REQUIRED[spec.type] ?? 0;
  const fields = spec as unknown as Record<string, unknown>;
  const parts: string[] = [];
  sig.forEach((def, pos) => {
    if (!def.store) return;
    const v = fields[def.name];
    if (v === undefined) return;
    const text = Array.isArray(v) ? `(${v.join(', ')})` : typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v);
    if (pos < required) parts.push(text);
    else if (!isDefault(spec.type, def.name, v)) parts.push(`${def.name}=${text}`);
  });
  return parts.length || required ? `${spec.type}(${parts.join(', ')})` : spec.type;
}

function isDefault(type: LayerType, field: string, v: unknown): boolean {
  // MaxPool2d's stride defaults to its kernel size, not 1: an explicit stride is always shown.
  if (type === 'MaxPool2d' && field === 'stride') return false;
  if (!(field in DEFAULTS)) return false;
  const d = DEFAULTS[field];
  return Array.isArray(v) ? v.every((x) => x === d) : v === d;
}

/** A whole model's layers in the `--layers` syntax, separated by spaces. */
export function formatLayers(layers: readonly LayerSpec[]): string {
  return layers.map(formatLayer).join(' ');
}
