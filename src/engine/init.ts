// Parameter initialisation: every `torch.nn.init` scheme the CLI offers, computed the way
// torch.nn.init computes it (calculate_gain, _calculate_fan_in_and_fan_out, the bounds and
// standard deviations), plus each layer type's own `reset_parameters()`. Draws come from the
// engine's seeded Rng, so values are reproducible among Weightscope runs, not bit-equal to torch.
import type { Rng } from './rng';
import { InputError } from './errors';
import type { LayerSpec, ParamSlot } from './spec';
import { layerParams, numel } from './spec';

export type InitScheme =
  | 'uniform' | 'normal' | 'constant' | 'zeros' | 'ones'
  | 'xavier_uniform' | 'xavier_normal' | 'kaiming_uniform' | 'kaiming_normal' | 'orthogonal'
  | 'default';

export type FanMode = 'fan_in' | 'fan_out';

/** torch.nn.init's keyword arguments, with torch's defaults when absent. */
export interface InitOptions {
  gain?: number;          // xavier_*, orthogonal (1)
  a?: number;             // kaiming_*: negative slope of the rectifier after the layer (0)
  mode?: FanMode;         // kaiming_* (fan_in)
  nonlinearity?: string;  // kaiming_* (leaky_relu)
  mean?: number;          // normal (0)
  std?: number;           // normal (1)
  low?: number;           // uniform's a (0)
  high?: number;          // uniform's b (1)
  val?: number;           // constant (required, as in torch)
}

/** A scheme that cannot be applied as asked (torch raises ValueError in the same cases). */
export class InitError extends InputError {
  constructor(message: string) { super(message); this.name = 'InitError'; }
}

export interface SchemeInfo {
  scheme: InitScheme;
  /** One line of English; the UI localises it. */
  description: string;
  /** Needs fan_in / fan_out, so a tensor of at least two dimensions. */
  fanBased: boolean;
}

export const SCHEMES: readonly SchemeInfo[] = [
  { scheme: 'default', description: "The layer type's own PyTorch reset_parameters()", fanBased: false },
  { scheme: 'uniform', description: 'Uniform U(low, high), default U(0, 1)', fanBased: false },
  { scheme: 'normal', description: 'Normal N(mean, std²), default N(0, 1)', fanBased: false },
  { scheme: 'constant', description: 'Every value set to val', fanBased: false },
  { scheme: 'zeros', description: 'Every value set to 0', fanBased: false },
  { scheme: 'ones', description: 'Every value set to 1', fanBased: false },
  { scheme: 'xavier_uniform', description: 'Glorot uniform: U(−b, b), b = gain·√(6 / (fan_in + fan_out))', fanBased: true },
  { scheme: 'xavier_normal', description: 'Glorot normal: N(0, std²), std = gain·√(2 / (fan_in + fan_out))', fanBased: true },
  { scheme: 'kaiming_uniform', description: 'He uniform: U(−b, b), b = gain·√(3 / fan)', fanBased: true },
  { scheme: 'kaiming_normal', description: 'He normal: N(0, std²), std = gain / √fan', fanBased: true },
  { scheme: 'orthogonal', description: '(Semi-)orthogonal matrix from the QR of a normal matrix, times gain', fanBased: true },
];

export const INIT_SCHEMES: readonly InitScheme[] = SCHEMES.map((s) => s.scheme);

export function isInitScheme(s: string): s is InitScheme {
  return (INIT_SCHEMES as readonly string[]).includes(s);
}

/** Schemes that need a weight of at least two dimensions (torch refuses them on a bias). */
export function isFanBased(scheme: InitScheme): boolean {
  return SCHEMES.find((s) => s.scheme === scheme)?.fanBased ?? false;
}

const LINEAR_GAIN_NAMES = [
  'linear', 'conv1d', 'conv2d', 'conv3d', 'conv_transpose1d', 'conv_transpose2d', 'conv_transpose3d', 'sigmoid',
];
export const NONLINEARITIES: readonly string[] = [...LINEAR_GAIN_NAMES, 'tanh', 'relu', 'leaky_relu', 'selu'];

/** torch.nn.init.calculate_gain. `param` is leaky_relu's negative slope (0.01 when not given). */
export function calculateGain(nonlinearity: string, param?: number): number {
  if (LINEAR_GAIN_NAMES.includes(nonlinearity)) return 1;
  switch (nonlinearity) {
    case 'tanh': return 5 / 3;
    case 'relu': return Math.SQRT2;
    case 'leaky_relu': {
      const slope = param ?? 0.01;
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu': return 3 / 4;
    default: throw new InitError(`Unsupported nonlinearity ${nonlinearity} (expected one of ${NONLINEARITIES.join(', ')})`);
  }
}

/** torch.nn.init._calculate_fan_in_and_fan_out: receptive field = prod(shape[2:]). */
export function fanInAndFanOut(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length < 2) {
    throw new InitError('Fan in and fan out can not be computed for tensor with fewer than 2 dimensions');
  }
  const receptive = numel(shape.slice(2));
  return { fanIn: shape[1] * receptive, fanOut: shape[0] * receptive };
}

function correctFan(shape: readonly number[], mode: FanMode): number {
  if (mode !== 'fan_in' && mode !== 'fan_out') {
    throw new InitError(`Mode ${String(mode)} not supported, please use one of fan_in, fan_out`);
  }
  const { fanIn, fanOut } = fanInAndFanOut(shape);
  return mode === 'fan_in' ? fanIn : fanOut;
}

/** What a scheme draws from, for a given shape: shown in the UI, and checked by the tests. */
export type InitBounds =
  | { kind: 'uniform'; low: number; high: number; /** set when symmetric: U(−bound, bound) */ bound?: number }
  | { kind: 'normal'; mean: number; std: number }
  | { kind: 'constant'; value: number }
  | { kind: 'orthogonal'; gain: number };

/**
 * The distribution `scheme` draws from for a tensor of `shape`. `default` needs the layer and the
 * parameter's slot (its layer type decides); every other scheme needs only the shape.
 */
export function initBounds(
  scheme: InitScheme, shape: readonly number[], opts: InitOptions = {},
  context?: { layer: LayerSpec; slot: ParamSlot },
): InitBounds {
  const symmetric = (bound: number): InitBounds => ({ kind: 'uniform', low: -bound, high: bound, bound });
  switch (scheme) {
    case 'uniform': {
      const low = opts.low ?? 0, high = opts.high ?? 1;
      if (!(low <= high)) throw new InitError(`uniform needs low ≤ high, got low ${low} and high ${high}`);
      return { kind: 'uniform', low, high };
    }
    case 'normal': {
      const std = opts.std ?? 1;
      if (!(std >= 0)) throw new InitError(`normal needs std ≥ 0, got ${std}`);
      return { kind: 'normal', mean: opts.mean ?? 0, std };
    }
    case 'constant':
      if (opts.val === undefined) throw new InitError('constant needs a value (val)');
      return { kind: 'constant', value: opts.val };
    case 'zeros': return { kind: 'constant', value: 0 };
    case 'ones': return { kind: 'constant', value: 1 };
    case 'xavier_uniform':
    case 'xavier_normal': {
      const { fanIn, fanOut } = fanInAndFanOut(shape);
      const std = (opts.gain ?? 1) * Math.sqrt(2 / (fanIn + fanOut));
      return scheme === 'xavier_normal' ? { kind: 'normal', mean: 0, std } : symmetric(Math.sqrt(3) * std);
    }
    case 'kaiming_uniform':
    case 'kaiming_normal': {
      const fan = correctFan(shape, opts.mode ?? 'fan_in');
      const std = calculateGain(opts.nonlinearity ?? 'leaky_relu', opts.a ?? 0) / Math.sqrt(fan);
      return scheme === 'kaiming_normal' ? { kind: 'normal', mean: 0, std } : symmetric(Math.sqrt(3) * std);
    }
    case 'orthogonal':
      if (shape.length < 2) throw new InitError('Only tensors with 2 or more dimensions are supported');
      return { kind: 'orthogonal', gain: opts.gain ?? 1 };
    case 'default':
      if (!context) throw new InitError("default needs the layer the parameter belongs to (the file has no model)");
      return symmetric(defaultInitBound(context.layer, context.slot));
  }
}

/** Fill `data` (a tensor of `shape`, row-major) in place with `scheme`. */
export function initTensor(
  data: Float32Array, shape: readonly number[], scheme: InitScheme, opts: InitOptions, rng: Rng,
  context?: { layer: LayerSpec; slot: ParamSlot },
): void {
  if (data.length !== numel(shape)) throw new InitError(`data holds ${data.length} values, shape [${shape.join(', ')}] needs ${numel(shape)}`);
  // torch warns and leaves a tensor with a zero dimension untouched for the fan-based schemes.
  if (data.length === 0) { initBounds(scheme, shape, opts, context); return; }
  const b = initBounds(scheme, shape, opts, context);
  switch (b.kind) {
    case 'uniform':
      for (let i = 0; i < data.length; i++) data[i] = rng.uniformRange(b.low, b.high);
      return;
    case 'normal':
      for (let i = 0; i < data.length; i++) data[i] = b.mean + b.std * rng.normal();
      return;
    case 'constant':
      data.fill(b.value);
      return;
    case 'orthogonal':
      fillOrthogonal(data, shape, b.gain, rng);
      return;
  }
}

/**
 * torch.nn.init.orthogonal_: flatten to rows × cols, draw N(0, 1), QR (of the transpose when
 * rows < cols), multiply Q's columns by sign(diag(R)) so the result is unique, transpose back,
 * scale by gain. Q has orthonormal columns (or rows, when rows < cols).
 */
function fillOrthogonal(data: Float32Array, shape: readonly number[], gain: number, rng: Rng): void {
  const rows = shape[0];
  const cols = data.length / rows;
  const transpose = rows < cols;
  const m = transpose ? cols : rows, n = transpose ? rows : cols; // m ≥ n
  // A is m × n, row-major, float64. Drawn in rows × cols order, then transposed if needed.
  const drawn = new Float64Array(rows * cols);
  for (let i = 0; i < drawn.length; i++) drawn[i] = rng.normal();
  const a = new Float64Array(m * n);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) {
    if (transpose) a[c * n + r] = drawn[r * cols + c]; else a[r * n + c] = drawn[r * cols + c];
  }
  const q = householderQ(a, m, n);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) {
    data[r * cols + c] = gain * (transpose ? q[c * n + r] : q[r * n + c]);
  }
}

/**
 * Thin Q (m × n, m ≥ n) of the QR decomposition of `a` (destroyed), with its columns
 * sign-corrected so that R's diagonal is non-negative — the Q torch.nn.init.orthogonal_ keeps.
 */
function householderQ(a: Float64Array, m: number, n: number): Float64Array {
  const vs: Float64Array[] = [];
  const diagSign = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let norm = 0;
    for (let i = k; i < m; i++) norm += a[i * n + k] ** 2;
    norm = Math.sqrt(norm);
    const x0 = a[k * n + k];
    const alpha = x0 >= 0 ? -norm : norm; // R[k][k]; the sign that avoids cancellation
    const v = new Float64Array(m - k);
    for (let i = k; i < m; i++) v[i - k] = a[i * n + k];
    v[0] -= alpha;
    let vnorm = 0;
    for (let i = 0; i < v.length; i++) vnorm += v[i] * v[i];
    vnorm = Math.sqrt(vnorm);
    if (vnorm > 0) for (let i = 0; i < v.length; i++) v[i] /= vnorm;
    vs.push(v);
    diagSign[k] = Math.sign(alpha);
    // Apply H = I − 2vvᵀ to the remaining columns.
    for (let j = k; j < n; j++) {
      let dot = 0;
      for (let i = k; i < m; i++) dot += v[i - k] * a[i * n + j];
      for (let i = k; i < m; i++) a[i * n + j] -= 2 * v[i - k] * dot;
    }
  }
  // Q = H0 H1 … H(n−1) applied to the first n columns of the identity, last reflection first.
  const q = new Float64Array(m * n);
  for (let j = 0; j < n; j++) q[j * n + j] = 1;
  for (let k = n - 1; k >= 0; k--) {
    const v = vs[k];
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let i = k; i < m; i++) dot += v[i - k] * q[i * n + j];
      for (let i = k; i < m; i++) q[i * n + j] -= 2 * v[i - k] * dot;
    }
  }
  for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) q[i * n + j] *= diagSign[j];
  return q;
}

/**
 * The bound b of U(−b, b) that a layer type's PyTorch `reset_parameters()` draws `slot` from:
 * Linear and Conv2d: kaiming_uniform_(w, a=√5) = U(±1/√fan_in) for the weight, and the bias
 * U(±1/√fan_in) with the weight's fan_in; LSTM: U(±1/√hidden_size) for every parameter.
 */
export function defaultInitBound(layer: LayerSpec, slot: ParamSlot): number {
  switch (layer.type) {
    case 'Linear':
    case 'Conv2d': {
      const weight = layerParams(layer, slot.layerIndex).find((s) => s.kind === 'weight');
      const { fanIn } = fanInAndFanOut(weight ? weight.shape : slot.shape);
      if (slot.kind === 'weight') {
        // kaiming_uniform_(a=√5): gain √(2/(1+5)), bound √3·gain/√fan_in = 1/√fan_in.
        return Math.sqrt(3) * calculateGain('leaky_relu', Math.sqrt(5)) / Math.sqrt(fanIn);
      }
      return fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
    }
    case 'LSTM':
      return layer.hidden_size > 0 ? 1 / Math.sqrt(layer.hidden_size) : 0;
    default:
      throw new InitError(`${layer.type} has no parameters to initialise`);
  }
}

/**
 * A layer's `reset_parameters()`: fills each of its parameters, in registration order, in the
 * arrays `tensors` holds under their state_dict names (missing names are skipped).
 */
export function defaultInitLayer(layer: LayerSpec, index: number, tensors: Map<string, Float32Array>, rng: Rng): void {
  for (const slot of layerParams(layer, index)) {
    const data = tensors.get(slot.name);
    if (data) initTensor(data, slot.shape, 'default', {}, rng, { layer, slot });
  }
}
