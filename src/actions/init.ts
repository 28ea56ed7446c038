// Re-initialising parameters with a torch.nn.init scheme (docs/cli.md, `weightscope init`).
// Returns the new tensors rather than changing the checkpoint, so the editor can apply them as one
// undoable edit (applyParameters) and the CLI can write them out.
import {
  InitError, initTensor, isFanBased, isInitScheme, INIT_SCHEMES, type InitOptions, type InitScheme,
} from '../engine/init';
import { Rng } from '../engine/rng';
import { modelParams, type LayerSpec, type ParamSlot } from '../engine/spec';
import { CheckpointError, isFloatDType, type Checkpoint, type TensorRecord } from '../format/types';
import { matchParametersDetailed, type ParameterMatch } from './patterns';
import { fromNumbers } from './tensorValues';

export interface ReinitializeOptions extends InitOptions {
  /** Patterns (see patterns.ts); absent or empty: every parameter of the file. */
  params?: string[];
  scheme: InitScheme | string;
  /** Seed of the draws; absent: a fresh random seed (as torch without manual_seed). */
  seed?: number;
}

/** The options each scheme takes (torch.nn.init's keyword arguments); others are refused. */
const SCHEME_OPTIONS: Record<InitScheme, (keyof InitOptions)[]> = {
  uniform: ['low', 'high'], normal: ['mean', 'std'], constant: ['val'], zeros: [], ones: [],
  xavier_uniform: ['gain'], xavier_normal: ['gain'], orthogonal: ['gain'],
  kaiming_uniform: ['a', 'mode', 'nonlinearity'], kaiming_normal: ['a', 'mode', 'nonlinearity'],
  default: [],
};
const ALL_OPTIONS: (keyof InitOptions)[] = ['gain', 'a', 'mode', 'nonlinearity', 'mean', 'std', 'low', 'high', 'val'];

export function randomSeed(): number {
  return Math.floor(Math.random() * 2 ** 32);
}

/**
 * New values for the selected parameters. Semantics (docs/cli.md): a fan-based scheme applied to
 * a whole layer (or the whole file) initialises the weights and sets the biases (1-D parameters)
 * to zero; named on a 1-D parameter explicitly, it is refused as torch.nn.init refuses it. A
 * non-fan scheme applies to every selected parameter. `default` is each parameter's layer type's
 * own reset_parameters(), so it needs the model. Frozen parameters are re-initialised too when
 * selected: initialising is not training.
 */
export function reinitialize(ckpt: Checkpoint, opts: ReinitializeOptions, file: string): Map<string, TensorRecord> {
  const scheme = opts.scheme;
  if (!isInitScheme(scheme)) throw new CheckpointError(file, `unknown scheme "${scheme}" (expected one of ${INIT_SCHEMES.join(', ')})`);
  const allowed = SCHEME_OPTIONS[scheme];
  for (const key of ALL_OPTIONS) {
    if (opts[key] !== undefined && !allowed.includes(key)) {
      throw new CheckpointError(file, `${scheme} takes no ${key}${allowed.length ? ` (it takes ${allowed.join(', ')})` : ''}`);
    }
  }
  if (scheme === 'constant' && opts.val === undefined) throw new CheckpointError(file, 'constant needs a value (val)');

  const matches: ParameterMatch[] = opts.params && opts.params.length > 0
    ? matchParametersDetailed(ckpt, opts.params, file)
    : [...ckpt.parameters.keys()].map((name) => ({ name, explicit: false }));

  let slots: Map<string, { layer: LayerSpec; slot: ParamSlot }> | undefined;
  if (scheme === 'default') {
    if (!ckpt.model) {
      throw new CheckpointError(file, 'the file has no model, so "default" (the layer type\'s own reset_parameters) is unknown; name a scheme such as kaiming_uniform');
    }
    const model = ckpt.model;
    slots = new Map(modelParams(model).map((slot) => [slot.name, { layer: model.layers[slot.layerIndex], slot }]));
  }

  const rng = new Rng(opts.seed ?? randomSeed());
  const fanBased = isFanBased(scheme);
  const out = new Map<string, TensorRecord>();
  for (const { name, explicit } of matches) {
    const t = ckpt.parameters.get(name) as TensorRecord;
    if (!isFloatDType(t.dtype)) {
      throw new CheckpointError(file, `is ${t.dtype}; only floating-point parameters can be initialised`, name);
    }
    const values = new Float32Array(t.data.length);
    try {
      if (fanBased && t.shape.length < 2 && !explicit) {
        values.fill(0); // the usual recipe: xavier_uniform_(w); zeros_(b)
      } else {
        const context = slots?.get(name);
        if (scheme === 'default' && !context) throw new InitError('is not a parameter of the model');
        initTensor(values, t.shape, scheme, opts, rng, context);
      }
    } catch (e) {
      if (!(e instanceof InitError)) throw e;
      const hint = fanBased && t.shape.length < 2
        ? ` (${scheme} needs a weight of 2 or more dimensions; select the layer to zero its bias along with the weight, or use a scheme such as zeros or uniform)`
        : '';
      throw new CheckpointError(file, `${e.message}${hint}`, name);
    }
    out.set(name, { shape: [...t.shape], dtype: t.dtype, requires_grad: t.requires_grad, data: fromNumbers(values, t.dtype, file, name) });
  }
  return out;
}

/**
 * Put `tensors` into the checkpoint in place (each name keeps its state_dict position) and return
 * the tensors they replaced, so that the edit can be undone by applying the returned map.
 */
export function applyParameters(ckpt: Checkpoint, tensors: Map<string, TensorRecord>): Map<string, TensorRecord> {
  const previous = new Map<string, TensorRecord>();
  for (const [name, t] of tensors) {
    const old = ckpt.parameters.get(name);
    if (!old) throw new Error(`applyParameters: ${name} is not a parameter of the checkpoint`);
    previous.set(name, old);
    ckpt.parameters.set(name, t);
  }
  return previous;
}
