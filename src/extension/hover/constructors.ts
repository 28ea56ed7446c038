// Recognises a layer constructor with literal arguments — `nn.Linear(2, 8)`,
// `torch.nn.Conv2d(3, 32, kernel_size=(3, 5), bias=False)`, `nn.LSTM(10, 20, num_layers=2)` — in
// one line of Python, and turns it into the layer spec whose parameters the hover lists.
// Pure text work (no `vscode`).
import type { Conv2dSpec, LayerSpec, LinearSpec, LSTMSpec } from '../../engine/spec';

export interface ConstructorReference {
  layer: LayerSpec;
  /** The span `nn.Linear(2, 8)` of the line, [start, end). */
  start: number;
  end: number;
}

type Literal =
  | { kind: 'int'; value: number }
  | { kind: 'number'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'none' }
  | { kind: 'tuple'; items: Literal[] }
  | { kind: 'string' }
  | { kind: 'other' }; // a name or expression: fine where it does not change a shape

interface Arg { keyword?: string; value: Literal }

const CALL = /\b(?:torch\.)?nn\.(Linear|Conv2d|LSTM)\s*\(/g;

/** Splits `a, (b, c), k=d` at top-level commas; null when the brackets do not close on this line. */
function splitTopLevel(text: string): string[] | null {
  const parts: string[] = [];
  let depth = 0, quote = '', from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) { if (c === '\\') i++; else if (c === quote) quote = ''; continue; }
    if (c === '"' || c === "'") quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') { if (--depth < 0) return null; }
    else if (c === ',' && depth === 0) { parts.push(text.slice(from, i)); from = i + 1; }
  }
  if (depth !== 0 || quote) return null;
  parts.push(text.slice(from));
  return parts.map((p) => p.trim()).filter((p, i, all) => p !== '' || i < all.length - 1);
}

function parseLiteral(text: string): Literal {
  const t = text.trim();
  if (/^\d+$/.test(t)) return { kind: 'int', value: Number(t) };
  if (/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return { kind: 'number', value: Number(t) };
  if (t === 'True' || t === 'False') return { kind: 'bool', value: t === 'True' };
  if (t === 'None') return { kind: 'none' };
  if (/^(['"]).*\1$/.test(t)) return { kind: 'string' };
  const tuple = /^[(\[](.*)[)\]]$/s.exec(t);
  if (tuple) {
    const items = splitTopLevel(tuple[1]);
    if (items) return { kind: 'tuple', items: items.map(parseLiteral) };
  }
  return { kind: 'other' };
}

/** Finds the closing parenthesis matching the one at `open`, ignoring brackets inside strings. */
function closingParen(line: string, open: number): number {
  let depth = 0, quote = '';
  for (let i = open; i < line.length; i++) {
    const c = line[i];
    if (quote) { if (c === '\\') i++; else if (c === quote) quote = ''; continue; }
    if (c === '"' || c === "'") quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}

/** Binds positional and keyword arguments to PyTorch's parameter names; null on an unknown keyword or too many positionals. */
function bind(args: Arg[], names: string[]): Map<string, Literal> | null {
  const bound = new Map<string, Literal>();
  let positional = 0;
  for (const a of args) {
    if (a.keyword === undefined) {
      if (positional >= names.length) return null;
      bound.set(names[positional++], a.value);
    } else {
      if (!names.includes(a.keyword) || bound.has(a.keyword)) return null;
      bound.set(a.keyword, a.value);
    }
  }
  return bound;
}

const intOf = (l: Literal | undefined): number | null => (l?.kind === 'int' && l.value > 0 ? l.value : null);
const boolOf = (l: Literal | undefined, dflt: boolean): boolean | null =>
  l === undefined ? dflt : l.kind === 'bool' ? l.value : null;
function intPairOf(l: Literal | undefined): number | [number, number] | null {
  if (l?.kind === 'tuple' && l.items.length === 2) {
    const [a, b] = l.items.map(intOf);
    return a !== null && b !== null ? [a, b] : null;
  }
  return intOf(l);
}
/** True when an optional argument is absent or is exactly the value that leaves shapes as the spec describes them. */
const isUnit = (l: Literal | undefined, unit: number): boolean => l === undefined || (l.kind === 'int' && l.value === unit);

// PyTorch's signatures, in positional order.
const LINEAR_ARGS = ['in_features', 'out_features', 'bias', 'device', 'dtype'];
const CONV2D_ARGS = ['in_channels', 'out_channels', 'kernel_size', 'stride', 'padding', 'dilation', 'groups', 'bias', 'padding_mode', 'device', 'dtype'];
const LSTM_ARGS = ['input_size', 'hidden_size', 'num_layers', 'bias', 'batch_first', 'dropout', 'bidirectional', 'proj_size', 'device', 'dtype'];

function toLayer(type: string, args: Arg[]): LayerSpec | null {
  if (type === 'Linear') {
    const b = bind(args, LINEAR_ARGS);
    const inF = intOf(b?.get('in_features')), outF = intOf(b?.get('out_features'));
    const bias = boolOf(b?.get('bias'), true);
    if (inF === null || outF === null || bias === null) return null;
    const spec: LinearSpec = { type: 'Linear', in_features: inF, out_features: outF, bias };
    return spec;
  }
  if (type === 'Conv2d') {
    const b = bind(args, CONV2D_ARGS);
    const inC = intOf(b?.get('in_channels')), outC = intOf(b?.get('out_channels'));
    const k = intPairOf(b?.get('kernel_size'));
    const bias = boolOf(b?.get('bias'), true);
    // groups > 1 divides the weight's input channels; not a shape this hover claims to know.
    if (!b || inC === null || outC === null || k === null || bias === null || !isUnit(b.get('groups'), 1)) return null;
    const spec: Conv2dSpec = { type: 'Conv2d', in_channels: inC, out_channels: outC, kernel_size: k, bias };
    return spec;
  }
  if (type === 'LSTM') {
    const b = bind(args, LSTM_ARGS);
    const inS = intOf(b?.get('input_size')), h = intOf(b?.get('hidden_size'));
    const layers = b?.has('num_layers') ? intOf(b.get('num_layers')) : 1;
    const bias = boolOf(b?.get('bias'), true);
    // A bidirectional or projected LSTM owns parameters (`_reverse`, `weight_hr`) the spec does not describe.
    if (!b || inS === null || h === null || layers === null || bias === null) return null;
    if (boolOf(b.get('bidirectional'), false) !== false || !isUnit(b.get('proj_size'), 0)) return null;
    const spec: LSTMSpec = { type: 'LSTM', input_size: inS, hidden_size: h, num_layers: layers, bias };
    return spec;
  }
  return null;
}

/** The layer constructor at `offset` of `line` (on its name or inside its parentheses), or null. */
export function recognizeConstructor(line: string, offset: number): ConstructorReference | null {
  CALL.lastIndex = 0;
  for (let m = CALL.exec(line); m; m = CALL.exec(line)) {
    const start = m.index;
    const open = start + m[0].length - 1;
    const close = closingParen(line, open);
    if (close < 0) return null; // arguments continue on the next line: not literal enough to trust
    if (offset < start || offset > close) continue;
    const parts = splitTopLevel(line.slice(open + 1, close));
    if (!parts) return null;
    const args: Arg[] = [];
    for (const p of parts) {
      const kw = /^([A-Za-z_]\w*)\s*=(?!=)\s*(.*)$/s.exec(p);
      if (kw) args.push({ keyword: kw[1], value: parseLiteral(kw[2]) });
      else if (args.some((a) => a.keyword !== undefined)) return null; // positional after keyword: not Python
      else args.push({ value: parseLiteral(p) });
    }
    const layer = toLayer(m[1], args);
    return layer ? { layer, start, end: close + 1 } : null;
  }
  return null;
}
