// A new checkpoint from an architecture (docs/cli.md `new`): the model section and every
// parameter, initialised by each layer type's own reset_parameters() or by a named scheme.
import type { InitOptions, InitScheme } from '../engine/init';
import { LayerStringError, parseLayerString } from '../engine/layerString';
import { layerOutputShapes, modelParams, numel, type LayerSpec, type ModelSpec } from '../engine/spec';
import { makeTensor } from '../format/tensor';
import { CheckpointError, type Checkpoint } from '../format/types';
import { applyParameters, randomSeed, reinitialize } from './init';

export interface NewCheckpointOptions {
  /** The `--layers` syntax, or specs (which may carry names, e.g. fc1). */
  layers: string | LayerSpec[];
  /** One sample's shape; when absent, a first Linear layer fixes it ([in_features]). */
  inputShape?: number[];
  /** Seed of the initial values; absent: a fresh random seed. */
  seed?: number;
  /** Default `default`: each layer's reset_parameters(). */
  init?: InitScheme;
  initOptions?: InitOptions;
  /** model.name */
  name?: string;
  /** For messages: the file the checkpoint will be written to. */
  file?: string;
}

/**
 * Build the checkpoint. A malformed layer string is a LayerStringError (with its column); layers
 * that do not fit the input shape, or a bad input shape, a CheckpointError naming `file`.
 */
export function newCheckpoint(opts: NewCheckpointOptions): Checkpoint {
  const file = opts.file ?? 'new model';
  const layers = typeof opts.layers === 'string' ? parseLayerString(opts.layers) : opts.layers.map((l) => ({ ...l }));
  if (layers.length === 0) throw new LayerStringError(1, 'no layers given');
  let inputShape = opts.inputShape ? [...opts.inputShape] : undefined;
  if (inputShape && (inputShape.length === 0 || inputShape.some((d) => !Number.isInteger(d) || d < 1))) {
    throw new CheckpointError(file, `input shape [${inputShape.join(', ')}]: expected whole numbers ≥ 1, e.g. 2 or 1,8,8`);
  }
  const first = layers[0];
  if (!inputShape && first.type === 'Linear') inputShape = [first.in_features];

  // Keys in the order docs/weights-json.md shows them: name, input_shape, layers.
  const model: ModelSpec = {
    ...(opts.name !== undefined ? { name: opts.name } : {}),
    ...(inputShape ? { input_shape: inputShape } : {}),
    layers,
  };
  const names = new Set<string>();
  for (const slot of modelParams(model)) {
    if (names.has(slot.name)) throw new CheckpointError(file, `two layers are both named "${slot.layerPrefix}"; layer names must be unique`, slot.name);
    names.add(slot.name);
  }
  if (inputShape) {
    const { error } = layerOutputShapes(model, inputShape);
    if (error) throw new CheckpointError(file, `with input shape [${inputShape.join(', ')}], ${error}`);
  }

  const ckpt: Checkpoint = {
    format: 'weights.json', version: 1, model, parameters: new Map(), extra: new Map(),
    keyOrder: ['format', 'version', 'model', 'parameters'],
  };
  for (const slot of modelParams(model)) ckpt.parameters.set(slot.name, makeTensor(slot.shape, new Float32Array(numel(slot.shape))));
  const seed = opts.seed ?? randomSeed();
  applyParameters(ckpt, reinitialize(ckpt, { ...opts.initOptions, scheme: opts.init ?? 'default', seed }, file));
  return ckpt;
}

// Re-exported so callers handling `new` errors need one import.
export { LayerStringError };
