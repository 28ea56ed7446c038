// `weightscope convert IN OUT.weights.json [--layers "…"] [--input-shape …]`: any file Weightscope
// reads (.safetensors, .pt/.pth, .npy/.npz, .weights.json) written as an editable `.weights.json`.
// With --layers the copy gets a model section, checked against its parameters the way
// load_state_dict(strict=True) checks them, so it can be trained.
import * as path from 'node:path';
import { LayerStringError, parseLayerString } from '../../engine/layerString';
import { layerParams, type LayerSpec } from '../../engine/spec';
import { checkModelAgreement } from '../../format/modelCheck';
import { readAnyCheckpoint } from '../../format/openAny';
import { writeCheckpointFile } from '../../format/checkpointFile';
import type { Checkpoint } from '../../format/types';
import { optValue, parseArgs, UsageError, type CliIO } from '../common';

const HELP = `usage: weightscope convert IN OUT.weights.json [--layers "Linear(2,8) ReLU Linear(8,1)"] [--input-shape 2|1,8,8]

Writes IN (.safetensors, .pt/.pth saved by torch.save(model.state_dict()), .npy, .npz or
.weights.json) as an editable .weights.json. int16/int8 tensors become int32.
  --layers        the architecture, as for "weightscope new"; the parameters must match it
                  (a layer with parameters takes the next name prefix of the file, e.g. fc1)
  --input-shape   one sample's shape, commas between dimensions`;

export async function convertCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { values: ['layers', 'input-shape'], flags: ['help', 'h'] });
  if (args.flags.has('help') || args.flags.has('h')) { io.out(HELP); return 0; }
  if (args.positional.length !== 2) {
    throw new UsageError(`expected IN and OUT.weights.json, got ${args.positional.length} argument(s)${args.positional.length ? `: ${args.positional.join(' ')}` : ''}`);
  }
  const [input, out] = args.positional;
  if (!/\.json$/i.test(out)) throw new UsageError(`OUT must be a .weights.json file, got "${out}"`);
  if (path.resolve(input) === path.resolve(out)) throw new UsageError('OUT must differ from IN');
  const { checkpoint, notes, sourceFormat } = await readAnyCheckpoint(input);

  const layersText = optValue(args, 'layers');
  const rawShape = optValue(args, 'input-shape');
  if (layersText !== undefined) {
    let layers: LayerSpec[];
    try {
      layers = parseLayerString(layersText);
    } catch (e) {
      if (e instanceof LayerStringError) throw new UsageError(`--layers "${layersText}": ${e.message}`);
      throw e;
    }
    checkpoint.model = { layers: nameLayersAfter(layers, checkpoint) };
    if (rawShape !== undefined) checkpoint.model.input_shape = parseShape(rawShape);
    if (!checkpoint.keyOrder.includes('model')) checkpoint.keyOrder.splice(2, 0, 'model');
    checkModelAgreement(checkpoint, input);
  } else if (rawShape !== undefined) {
    throw new UsageError('--input-shape needs --layers (a file without a model has no input)');
  }
  await writeCheckpointFile(out, checkpoint);
  const count = checkpoint.parameters.size + (checkpoint.buffers?.size ?? 0);
  io.out(`wrote ${out}: ${count} tensor(s) from ${sourceFormat}${checkpoint.model ? `, model of ${checkpoint.model.layers.length} layers` : ' (no model: add --layers to make it trainable)'}`);
  for (const note of notes) io.out(`note: ${note}`);
  return 0;
}

/** "2" or "1,8,8" → [2] / [1, 8, 8] (the syntax of `new --input-shape`). */
function parseShape(raw: string): number[] {
  const parts = raw.split(',').map((p) => p.trim());
  if (raw.trim() === '' || parts.some((p) => !/^[1-9]\d*$/.test(p))) {
    throw new UsageError(`--input-shape expects whole numbers ≥ 1 separated by commas (e.g. 2 or 1,8,8), got "${raw}"`);
  }
  return parts.map(Number);
}

/**
 * Give each layer with parameters the file's next name prefix (`fc1` of `fc1.weight`), in order,
 * so a state_dict from a named nn.Sequential matches a --layers string, which names no layer.
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
    throw new UsageError(`--layers has ${layerCount} layer(s) with parameters, but the file's parameters belong to ${prefixes.length} layer(s): ${prefixes.join(', ')}`);
  }
  let k = 0;
  return layers.map((l, i) => {
    if (!withParams[i]) return l;
    const prefix = prefixes[k++];
    return prefix === String(i) ? l : { ...l, name: prefix };
  });
}
