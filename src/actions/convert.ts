// Giving a converted checkpoint (from .safetensors, .pt, .npy/.npz) a model section, shared by
// `weightscope convert --layers` and the editor's "Save As .weights.json": the layer string is
// parsed, each layer with parameters is named after the file's next name prefix, and the result
// is checked against the parameters the way load_state_dict(strict=True) checks them.
import { InputError } from '../engine/errors';
import { LayerStringError, parseLayerString } from '../engine/layerString';
import { layerParams, type LayerSpec } from '../engine/spec';
import { checkModelAgreement } from '../format/modelCheck';
import type { Checkpoint } from '../format/types';

/**
 * A bad layer string or input shape. `param` names the input ('layers' or 'input-shape') and
 * `detail` continues a sentence about it, so each caller words the start its own way
 * (the CLI: `--layers "…": unknown layer …`).
 */
export class ConvertArgumentError extends InputError {
  declare readonly param: 'layers' | 'input-shape';
  constructor(param: 'layers' | 'input-shape', detail: string) {
    super(detail, undefined, param);
    this.name = 'ConvertArgumentError';
  }
}

/** "2" or "1,8,8" → [2] / [1, 8, 8] (the syntax of `new --input-shape`). */
export function parseInputShape(raw: string): number[] {
  const parts = raw.split(',').map((p) => p.trim());
  if (raw.trim() === '' || parts.some((p) => !/^[1-9]\d*$/.test(p))) {
    throw new ConvertArgumentError('input-shape', `expects whole numbers ≥ 1 separated by commas (e.g. 2 or 1,8,8), got "${raw}"`);
  }
  return parts.map(Number);
}

/**
 * Give `ckpt` the model described by `layersText` (and one sample's `inputShape`), in place.
 * Throws ConvertArgumentError for a string that does not parse or a layer count that does not
 * match the file, CheckpointError (naming `file`) when shapes or names disagree.
 */
export function attachModel(ckpt: Checkpoint, layersText: string, inputShape: number[] | undefined, file: string): void {
  let layers: LayerSpec[];
  try {
    layers = parseLayerString(layersText);
  } catch (e) {
    if (e instanceof LayerStringError) throw new ConvertArgumentError('layers', `"${layersText}": ${e.message}`);
    throw e;
  }
  ckpt.model = { layers: nameLayersAfter(layers, ckpt) };
  if (inputShape !== undefined) ckpt.model.input_shape = inputShape;
  if (!ckpt.keyOrder.includes('model')) ckpt.keyOrder.splice(2, 0, 'model');
  checkModelAgreement(ckpt, file);
}

/**
 * Give each layer with parameters the file's next name prefix (`fc1` of `fc1.weight`), in order,
 * so a state_dict from a named nn.Sequential matches a layer string, which names no layer.
 * Prefixes that are already the layer's index stay unnamed. Shapes are left for
 * checkModelAgreement to check.
 */
function nameLayersAfter(layers: LayerSpec[], ckpt: Checkpoint): LayerSpec[] {
  const prefixes: string[] = [];
  for (const name of ckpt.parameters.keys()) {
    const prefix = name.includes('.') ? name.slice(0, name.lastIndexOf('.')) : name;
    if (prefixes[prefixes.length - 1] !== prefix) prefixes.push(prefix);
  }
  const withParams = layers.map((l, i) => layerParams(l, i).length > 0);
  const layerCount = withParams.filter(Boolean).length;
  if (layerCount !== prefixes.length) {
    throw new ConvertArgumentError('layers', `has ${layerCount} layer(s) with parameters, but the file's parameters belong to ${prefixes.length} layer(s): ${prefixes.join(', ')}`);
  }
  let k = 0;
  return layers.map((l, i) => {
    if (!withParams[i]) return l;
    const prefix = prefixes[k++];
    return prefix === String(i) ? l : { ...l, name: prefix };
  });
}
