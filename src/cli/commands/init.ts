// `weightscope init FILE --scheme SCHEME [--params PATTERN]... [scheme options] [--seed N] [-o OUT]`:
// re-initialise parameters with a torch.nn.init scheme (semantics in actions/init.ts).
import { INIT_SCHEMES, isInitScheme, NONLINEARITIES, type InitOptions } from '../../engine/init';
import { applyParameters, reinitialize } from '../../actions/init';
import { readCheckpointFile } from '../../format/checkpointFile';
import { optInt, optNumber, optValue, parseArgs, UsageError, type CliIO } from '../common';
import { t } from '../l10n';
import { singleFile, wantsHelp, writeResult } from './rewrite';

const HELP = `usage: weightscope init FILE --scheme SCHEME [--params PATTERN]... [--gain G] [--a A]
                      [--nonlinearity NAME] [--mode fan_in|fan_out] [--mean M] [--std S]
                      [--low A] [--high B] [--val V] [--seed N] [-o OUT]

Re-initialises parameters as torch.nn.init does. SCHEME: {0}.
  --params PATTERN   a parameter (fc1.weight), a layer (fc1, 0) or a glob (*.bias); repeatable;
                     default: every parameter. On a whole layer a fan-based scheme (xavier_*,
                     kaiming_*, orthogonal) sets the weights and zeroes the biases.
  --gain G           xavier_*, orthogonal (1)
  --a A, --mode fan_in|fan_out, --nonlinearity NAME   kaiming_* (0, fan_in, leaky_relu)
  --mean M, --std S  normal (0, 1)      --low A, --high B   uniform (0, 1)      --val V   constant
  --seed N           seed of the draws (default: a random seed)
  -o OUT             write to OUT instead of rewriting FILE`;

export async function initCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, {
    values: ['scheme', 'params', 'gain', 'a', 'nonlinearity', 'mode', 'mean', 'std', 'low', 'high', 'val', 'seed', 'o'],
    flags: ['help', 'h'],
  });
  if (wantsHelp(args)) { io.out(t(HELP, INIT_SCHEMES.join(', '))); return 0; }
  const file = singleFile(args, 'a FILE to re-initialise');
  const scheme = optValue(args, 'scheme');
  if (scheme === undefined) throw new UsageError(`--scheme is required (${INIT_SCHEMES.join(', ')})`);
  if (!isInitScheme(scheme)) throw new UsageError(`--scheme expects one of ${INIT_SCHEMES.join(', ')}, got "${scheme}"`);
  const mode = optValue(args, 'mode');
  if (mode !== undefined && mode !== 'fan_in' && mode !== 'fan_out') throw new UsageError(`--mode expects fan_in or fan_out, got "${mode}"`);
  const nonlinearity = optValue(args, 'nonlinearity');
  if (nonlinearity !== undefined && !NONLINEARITIES.includes(nonlinearity)) {
    throw new UsageError(`--nonlinearity expects one of ${NONLINEARITIES.join(', ')}, got "${nonlinearity}"`);
  }
  const options: InitOptions = {
    gain: optNumber(args, 'gain'), a: optNumber(args, 'a'), mode, nonlinearity,
    mean: optNumber(args, 'mean'), std: optNumber(args, 'std', (n) => (n < 0 ? 'expects a number ≥ 0' : undefined)),
    low: optNumber(args, 'low'), high: optNumber(args, 'high'), val: optNumber(args, 'val'),
  };
  if (options.low !== undefined && options.high !== undefined && options.low > options.high) {
    throw new UsageError(`--low must not exceed --high, got --low ${options.low} --high ${options.high}`);
  }
  for (const key of Object.keys(options) as (keyof InitOptions)[]) if (options[key] === undefined) delete options[key];
  if (scheme === 'constant' && options.val === undefined) throw new UsageError('--scheme constant needs --val V');

  const ckpt = await readCheckpointFile(file);
  const changed = reinitialize(ckpt, { ...options, scheme, params: args.values.get('params'), seed: optInt(args, 'seed') }, file);
  const frozen = [...changed.keys()].filter((n) => ckpt.parameters.get(n)?.requires_grad === false);
  applyParameters(ckpt, changed);
  const out = await writeResult(args, file, ckpt);
  const names = [...changed.keys()].join(', ');
  io.out((changed.size === 1 ? t('{0}: re-initialised {1} parameter ({2})', scheme, changed.size, names) : t('{0}: re-initialised {1} parameters ({2})', scheme, changed.size, names))
    + ` → ${out}`
    + (frozen.length === 0 ? '' : frozen.length === 1 ? t('; note: {0} is frozen and stays frozen', frozen[0]) : t('; note: {0} are frozen and stay frozen', frozen.join(', '))));
  return 0;
}
