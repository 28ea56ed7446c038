// Validation of the optional sections `optimizer`, `optimizer_state` and `training`, with
// PyTorch's names. Values are checked, not filled in: a file written back keeps its own keys.
// Unknown keys inside these sections are kept (the types allow extras).
import { CheckpointError, type OptimizerSpec, type ParamOptimizerState, type TrainingSpec } from './types';
import { describeValue, parseTensor } from './tensorParse';
import { BASE64_PLACEHOLDER, NAN_SENTINEL, base64SpanOf, numbersOf, type JsonDoc } from './jsonText';

type Fail = (param: string, detail: string) => never;
const failer = (file: string): Fail => (param, detail) => { throw new CheckpointError(file, detail, param); };
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

const OPTIMIZER_TYPES = ['SGD', 'Adam', 'AdamW'] as const;

export function parseOptimizer(raw: unknown, file: string): OptimizerSpec {
  const fail = failer(file);
  if (!isObject(raw)) return fail('optimizer', `expected an object with a "type", got ${describeValue(raw)}`);
  if (!(OPTIMIZER_TYPES as readonly unknown[]).includes(raw.type)) {
    fail('optimizer.type', `unknown optimizer ${JSON.stringify(raw.type)}; expected one of ${OPTIMIZER_TYPES.join(', ')}`);
  }
  const nonNeg = (k: string) => { if (raw[k] !== undefined && !(isNum(raw[k]) && (raw[k] as number) >= 0)) fail(`optimizer.${k}`, `expected a non-negative number, got ${describeValue(raw[k])}`); };
  const bool = (k: string) => { if (raw[k] !== undefined && typeof raw[k] !== 'boolean') fail(`optimizer.${k}`, `expected true or false, got ${describeValue(raw[k])}`); };
  nonNeg('lr'); nonNeg('weight_decay');
  if (raw.type === 'SGD') {
    nonNeg('momentum'); nonNeg('dampening'); bool('nesterov');
  } else {
    nonNeg('eps'); bool('amsgrad');
    const b = raw.betas;
    if (b !== undefined && !(Array.isArray(b) && b.length === 2 && b.every((x) => isNum(x) && x >= 0 && x < 1))) {
      fail('optimizer.betas', `expected two numbers in [0, 1), got ${JSON.stringify(b)}`);
    }
  }
  return raw as OptimizerSpec;
}

/** Per-parameter state: tensors (objects with shape and data) become TensorRecords, numbers stay numbers. */
export function parseOptimizerState(raw: unknown, file: string, doc: JsonDoc): Map<string, ParamOptimizerState> {
  const fail = failer(file);
  if (!isObject(raw)) return fail('optimizer_state', `expected an object, parameter name → state, got ${describeValue(raw)}`);
  const out = new Map<string, ParamOptimizerState>();
  for (const [name, state] of Object.entries(raw)) {
    const where = `optimizer_state.${name}`;
    if (!isObject(state)) fail(where, `expected an object such as { "step", "exp_avg", "exp_avg_sq" }, got ${describeValue(state)}`);
    const entry: ParamOptimizerState = {};
    for (const [key, v] of Object.entries(state as Record<string, unknown>)) {
      if (typeof v === 'number') entry[key] = v;
      else if (v === NAN_SENTINEL) entry[key] = NaN;
      else if (isObject(v)) entry[key] = parseTensor(v, { file, name: `${where}.${key}`, doc }, false);
      else fail(`${where}.${key}`, `expected a number or a tensor object, got ${describeValue(v)}`);
    }
    out.set(name, entry);
  }
  return out;
}

const LOSSES = ['mse', 'bce_with_logits', 'cross_entropy'];

export function parseTraining(raw: unknown, file: string): TrainingSpec {
  const fail = failer(file);
  if (!isObject(raw)) return fail('training', `expected an object, got ${describeValue(raw)}`);
  const d = raw.dataset;
  if (d !== undefined && typeof d !== 'string' && !(isObject(d) && typeof d.csv === 'string' && typeof d.target === 'string')) {
    fail('training.dataset', `expected a built-in dataset name or { "csv": "path.csv", "target": "column" }, got ${JSON.stringify(d)}`);
  }
  if (raw.loss !== undefined && !LOSSES.includes(raw.loss as string)) {
    fail('training.loss', `unknown loss ${JSON.stringify(raw.loss)}; expected one of ${LOSSES.join(', ')}`);
  }
  const int = (k: string, min: number) => {
    const v = raw[k];
    if (v !== undefined && !(typeof v === 'number' && Number.isInteger(v) && v >= min)) fail(`training.${k}`, `expected an integer ≥ ${min}, got ${describeValue(v)}`);
  };
  int('epochs', 0); int('batch_size', 1);
  if (raw.seed !== undefined && !(typeof raw.seed === 'number' && Number.isInteger(raw.seed))) fail('training.seed', `expected an integer, got ${describeValue(raw.seed)}`);
  if (raw.shuffle !== undefined && typeof raw.shuffle !== 'boolean') fail('training.shuffle', `expected true or false, got ${describeValue(raw.shuffle)}`);
  if (raw.history !== undefined) {
    if (!Array.isArray(raw.history)) fail('training.history', `expected an array of { "epoch", "loss" }, got ${describeValue(raw.history)}`);
    (raw.history as unknown[]).forEach((h, i) => {
      if (!isObject(h) || typeof h.epoch !== 'number' || typeof h.loss !== 'number') {
        fail(`training.history[${i}]`, `expected { "epoch": number, "loss": number }, got ${JSON.stringify(h)}`);
      }
    });
  }
  return raw as TrainingSpec;
}

/**
 * Undo jsonText.ts's stand-ins anywhere in a plain JSON value (metadata, training, …): NaN
 * sentinels become NaN again, base64 placeholders their original "base64:…" strings (keys too).
 */
export function reviveSpecial(v: unknown, doc: JsonDoc): unknown {
  if (typeof v === 'string') {
    if (v === NAN_SENTINEL) return NaN;
    const span = base64SpanOf(v, doc);
    if (span) return 'base64:' + span.text.slice(span.start, span.end);
    const numbers = numbersOf(v, doc);
    return numbers ? reviveSpecial(numbers.chunks.flat(), doc) : v;
  }
  if (Array.isArray(v)) { for (let i = 0; i < v.length; i++) v[i] = reviveSpecial(v[i], doc); return v; }
  if (isObject(v)) {
    const keys = Object.keys(v);
    if (keys.some((k) => k.startsWith(BASE64_PLACEHOLDER))) {
      // Rebuild to restore the key in its place (rare: a key spelled "base64:…").
      const out: Record<string, unknown> = {};
      for (const k of keys) out[reviveSpecial(k, doc) as string] = reviveSpecial(v[k], doc);
      return out;
    }
    for (const k of keys) v[k] = reviveSpecial(v[k], doc);
    return v;
  }
  return v;
}
