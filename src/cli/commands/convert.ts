// `weightscope convert IN OUT.weights.json [--layers "…"] [--input-shape …]`: any file Weightscope
// reads (.safetensors, .pt/.pth, .npy/.npz, .weights.json) written as an editable `.weights.json`.
// With --layers the copy gets a model section, checked against its parameters the way
// load_state_dict(strict=True) checks them, so it can be trained.
import * as path from 'node:path';
import { attachModel, ConvertArgumentError, parseInputShape } from '../../actions/convert';
import { readAnyCheckpoint } from '../../format/openAny';
import { writeCheckpointFile } from '../../format/checkpointFile';
import { optValue, parseArgs, UsageError, type CliIO } from '../common';
import { t } from '../l10n';

const HELP = `usage: weightscope convert IN OUT.weights.json [--layers "Linear(2,8) ReLU Linear(8,1)"] [--input-shape 2|1,8,8]

Writes IN (.safetensors, .pt/.pth saved by torch.save(model.state_dict()), .npy, .npz or
.weights.json) as an editable .weights.json. int16/int8 tensors become int32.
  --layers        the architecture, as for "weightscope new"; the parameters must match it
                  (a layer with parameters takes the next name prefix of the file, e.g. fc1)
  --input-shape   one sample's shape, commas between dimensions`;

export async function convertCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { values: ['layers', 'input-shape'], flags: ['help', 'h'] });
  if (args.flags.has('help') || args.flags.has('h')) { io.out(t(HELP)); return 0; }
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
    try {
      attachModel(checkpoint, layersText, rawShape !== undefined ? parseInputShape(rawShape) : undefined, input);
    } catch (e) {
      if (e instanceof ConvertArgumentError) throw new UsageError(`--${e.param} ${e.detail}`);
      throw e;
    }
  } else if (rawShape !== undefined) {
    throw new UsageError('--input-shape needs --layers (a file without a model has no input)');
  }
  await writeCheckpointFile(out, checkpoint);
  const count = checkpoint.parameters.size + (checkpoint.buffers?.size ?? 0);
  io.out(t('wrote {0}: {1} tensor(s) from {2}', out, count, sourceFormat)
    + (checkpoint.model ? t(', model of {0} layers', checkpoint.model.layers.length) : t(' (no model: add --layers to make it trainable)')));
  for (const note of notes) io.out(t('note: {0}', note));
  return 0;
}
