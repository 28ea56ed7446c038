// `weightscope new OUT --layers "..." [--input-shape 2|1,8,8] [--seed N] [--init SCHEME]`:
// a fresh checkpoint from an architecture, initialised by each layer's reset_parameters() or a scheme.
import * as path from 'node:path';
import { INIT_SCHEMES, isInitScheme } from '../../engine/init';
import { LayerStringError } from '../../engine/layerString';
import { newCheckpoint } from '../../actions/newModel';
import { writeCheckpointFile } from '../../format/checkpointFile';
import { optInt, optValue, parseArgs, UsageError, type CliIO } from '../common';
import { t } from '../l10n';
import { singleFile, wantsHelp } from './rewrite';

const HELP = `usage: weightscope new OUT --layers "Linear(2,8) ReLU Linear(8,1)" [--input-shape 2|1,8,8] [--seed N] [--init SCHEME]

Writes a new checkpoint with the model and freshly initialised parameters.
  --layers        PyTorch constructor calls separated by spaces, positional then keyword arguments:
                  "Conv2d(1,4,3,padding=1) ReLU MaxPool2d(2) Flatten Linear(64,3)", "LSTM(1,8) Linear(8,1)"
  --input-shape   one sample's shape, commas between dimensions; a first Linear layer fixes it
  --seed N        seed of the initial values (default: a random seed)
  --init SCHEME   {0} (default: default, each layer's own reset_parameters())`;

/** "2" or "1,8,8" → [2] / [1, 8, 8]. */
export function parseShapeOption(raw: string, option: string): number[] {
  const parts = raw.split(',').map((p) => p.trim());
  const dims = parts.map(Number);
  if (raw.trim() === '' || parts.some((p) => !/^\d+$/.test(p)) || dims.some((d) => d < 1)) {
    throw new UsageError(`${option} expects whole numbers ≥ 1 separated by commas (e.g. 2 or 1,8,8), got "${raw}"`);
  }
  return dims;
}

export async function newCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { values: ['layers', 'input-shape', 'seed', 'init'], flags: ['help', 'h'] });
  if (wantsHelp(args)) { io.out(t(HELP, INIT_SCHEMES.join(', '))); return 0; }
  const out = singleFile(args, 'the OUT file to create, e.g. model.weights.json');
  const layers = optValue(args, 'layers');
  if (layers === undefined) throw new UsageError('--layers is required, e.g. --layers "Linear(2,8) ReLU Linear(8,1)"');
  const rawShape = optValue(args, 'input-shape');
  const inputShape = rawShape === undefined ? undefined : parseShapeOption(rawShape, '--input-shape');
  const init = optValue(args, 'init') ?? 'default';
  if (!isInitScheme(init)) throw new UsageError(`--init expects one of ${INIT_SCHEMES.join(', ')}, got "${init}"`);
  const seed = optInt(args, 'seed');

  let ckpt;
  try {
    ckpt = newCheckpoint({ layers, inputShape, seed, init, name: modelName(out), file: out });
  } catch (e) {
    if (e instanceof LayerStringError) throw new UsageError(`--layers "${layers}": ${e.message}`);
    throw e;
  }
  await writeCheckpointFile(out, ckpt);
  const count = [...ckpt.parameters.values()].reduce((n, t) => n + t.data.length, 0);
  io.out(t('wrote {0}: {1} layers, {2} parameter tensors, {3} values (init: {4})', out, ckpt.model?.layers.length ?? 0, ckpt.parameters.size, count, init));
  return 0;
}

/** model.name from the file name: "runs/xor-mlp.weights.json" → "xor-mlp". */
function modelName(file: string): string {
  return path.basename(file).replace(/\.weights\.json$/i, '').replace(/\.json$/i, '');
}
