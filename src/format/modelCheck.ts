// Strict agreement between a checkpoint's `model` and its `parameters`, refused the way
// `model.load_state_dict(state_dict, strict=True)` refuses it: missing keys, unexpected keys,
// and size mismatches, each naming the parameter (and both shapes).
import { modelParams, type LayerSpec, type ModelSpec } from '../engine/spec';
import { CheckpointError, type Checkpoint } from './types';
import { shapeText } from './tensorParse';

export function checkModelAgreement(ckpt: Checkpoint, file: string): void {
  if (ckpt.model) checkModelShapes(ckpt.model, ckpt.parameters, file);
}

/** The same check from the parameters' shapes alone (the streaming reader has no values in memory). */
export function checkModelShapes(model: ModelSpec, parameters: ReadonlyMap<string, { shape: readonly number[] }>, file: string): void {
  const slots = modelParams(model);
  const expected = new Set(slots.map((s) => s.name));
  // Same order as PyTorch's report: shape mismatches and missing keys in the model's order, then unexpected keys.
  for (const slot of slots) {
    const t = parameters.get(slot.name);
    if (!t) {
      const layer = model.layers[slot.layerIndex];
      throw new CheckpointError(file, `missing parameter ${slot.name} (the model's ${layer.type} layer ${slot.layerPrefix} has ${why(layer, slot.kind)})`, slot.name);
    }
    if (t.shape.length !== slot.shape.length || t.shape.some((d, i) => d !== slot.shape[i])) {
      throw new CheckpointError(file, `size mismatch for ${slot.name}: ${shapeText(t.shape)} in the file, ${shapeText(slot.shape)} in the model`, slot.name);
    }
  }
  for (const name of parameters.keys()) {
    if (!expected.has(name)) throw new CheckpointError(file, `unexpected parameter ${name} (not in the model)`, name);
  }
}

/** Why the layer owns the missing parameter, in the user's terms. */
function why(layer: LayerSpec, kind: 'weight' | 'bias'): string {
  if (kind === 'bias') return 'bias=true';
  switch (layer.type) {
    case 'Linear': return `in_features=${layer.in_features}, out_features=${layer.out_features}`;
    case 'Conv2d': return `in_channels=${layer.in_channels}, out_channels=${layer.out_channels}`;
    case 'LSTM': return `num_layers=${layer.num_layers ?? 1}`;
    default: return 'this weight';
  }
}
