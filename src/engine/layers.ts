// The runtime form of each layer spec of spec.ts: which parameters it owns (state_dict names and
// shapes from spec.layerParams) and which op its forward pass runs.
import type { LayerSpec } from './spec';
import { layerParams, pair } from './spec';
import type { Tape } from './autograd';
import { Param, type Tensor } from './tensor';
import type { Rng } from './rng';
import { linear } from './opsLinear';
import { conv2d, maxPool2d } from './opsConv';
import { lstm, type LstmLayerParams } from './opsLstm';
import { dropout, gelu, leakyRelu, relu, sigmoid, tanh } from './opsActivation';

export interface ForwardContext { tape: Tape; training: boolean; rng: Rng }

export interface Layer {
  readonly spec: LayerSpec;
  /** In state_dict order. */
  readonly params: Param[];
  forward(x: Tensor, ctx: ForwardContext): Tensor;
}

export function buildLayer(spec: LayerSpec, index: number): Layer {
  const slots = layerParams(spec, index);
  const params = slots.map((s) => new Param(s.name, s.shape));
  const byLocal = new Map(params.map((p, i) => [slots[i].local, p]));
  const get = (local: string): Param | null => byLocal.get(local) ?? null;
  const make = (forward: (x: Tensor, ctx: ForwardContext) => Tensor): Layer => ({ spec, params, forward });
  switch (spec.type) {
    case 'Linear':
      return make((x, { tape }) => linear(tape, x, get('weight')!, get('bias')));
    case 'Conv2d': {
      const [kh, kw] = pair(spec.kernel_size), [sh, sw] = pair(spec.stride ?? 1), [ph, pw] = pair(spec.padding ?? 0);
      return make((x, { tape }) => conv2d(tape, x, get('weight')!, get('bias'), { kh, kw, sh, sw, ph, pw }));
    }
    case 'MaxPool2d': {
      const [kh, kw] = pair(spec.kernel_size), [sh, sw] = pair(spec.stride ?? spec.kernel_size);
      return make((x, { tape }) => maxPool2d(tape, x, kh, kw, sh, sw));
    }
    case 'LSTM': {
      if (spec.batch_first === false) throw new Error('LSTM with batch_first=false is not supported');
      const stack: LstmLayerParams[] = [];
      for (let k = 0; k < (spec.num_layers ?? 1); k++) {
        stack.push({ wih: get(`weight_ih_l${k}`)!, whh: get(`weight_hh_l${k}`)!, bih: get(`bias_ih_l${k}`), bhh: get(`bias_hh_l${k}`) });
      }
      return make((x, { tape }) => lstm(tape, x, stack, spec.hidden_size));
    }
    case 'Flatten': {
      const start = spec.start_dim ?? 1;
      return make((x, { tape }) => {
        const s = start < 0 ? start + x.shape.length : start;
        const shape = [...x.shape.slice(0, s), x.shape.slice(s).reduce((a, b) => a * b, 1)];
        return tape.view(x, shape);
      });
    }
    case 'Dropout': {
      const p = spec.p ?? 0.5;
      return make((x, { tape, training, rng }) => dropout(tape, x, p, training, rng));
    }
    case 'ReLU': return make((x, { tape }) => relu(tape, x));
    case 'Tanh': return make((x, { tape }) => tanh(tape, x));
    case 'Sigmoid': return make((x, { tape }) => sigmoid(tape, x));
    case 'GELU': return make((x, { tape }) => gelu(tape, x));
    case 'LeakyReLU': {
      const slope = spec.negative_slope ?? 0.01;
      return make((x, { tape }) => leakyRelu(tape, x, slope));
    }
    default:
      throw new Error(`unknown layer type ${(spec as { type: string }).type}`);
  }
}
