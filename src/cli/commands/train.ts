// `weightscope train FILE [options] [-o OUT] [--json]` (docs/cli.md): trains the checkpoint's model
// with the options over the file's own optimizer and training sections, prints a line per epoch,
// and writes the new weights, optimizer state and extended history atomically. A run that diverges
// is refused (exit 2) and leaves the file untouched.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { trainCheckpoint, type OptimizerFlag, type TrainOptions } from '../../actions/train';
import { parseCsvDataset } from '../../engine/datasets/csv';
import { makeBuiltinDataset } from '../../engine/datasets/index';
import { readCheckpointFile, writeCheckpointFile } from '../../format/checkpointFile';
import { CheckpointError, type DatasetRef, type HistoryEntry, type LossName } from '../../format/types';
import { optInt, optNumber, optValue, parseArgs, UsageError, type CliIO, type ParsedArgs } from '../common';
import { singleFile, wantsHelp } from './rewrite';
import { t } from '../l10n';

const HELP = `usage: weightscope train FILE [--data NAME|PATH.csv] [--target COLUMN] [--loss mse|bce_with_logits|cross_entropy]
                       [--optimizer sgd|adam|adamw] [--lr X] [--momentum X] [--nesterov|--no-nesterov]
                       [--weight-decay X] [--betas B1,B2] [--eps X]
                       [--epochs N] [--batch-size N] [--no-shuffle] [--seed N] [-o OUT] [--json]

Trains the model of FILE and writes the new weights, optimizer state and history back (or to OUT).
Unset options come from the file's "optimizer" and "training" sections, then PyTorch's defaults.
  --data          a built-in dataset (xor, circles, moons, spiral, sine, digits) or a CSV file
                  (relative to the current folder; stored relative to the written checkpoint)
  --target        the CSV column holding the label
  --optimizer     another type than the file's keeps lr and starts the rest, and the state, afresh
  --no-shuffle    mini-batches in order (with --batch-size = the dataset size: full-batch descent)
  --json          print, last, one JSON line: { "epochs": N, "history": [...] }`;

const LOSSES: readonly LossName[] = ['mse', 'bce_with_logits', 'cross_entropy'];
const OPTIMIZERS: readonly OptimizerFlag[] = ['sgd', 'adam', 'adamw'];

export async function trainCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, {
    values: ['data', 'target', 'loss', 'optimizer', 'lr', 'momentum', 'weight-decay', 'betas', 'eps', 'epochs', 'batch-size', 'seed', 'o'],
    flags: ['nesterov', 'no-nesterov', 'no-shuffle', 'shuffle', 'json', 'help', 'h'],
  });
  if (wantsHelp(args)) { io.out(t(HELP)); return 0; }
  const file = singleFile(args, 'a FILE to train');
  const out = optValue(args, 'o') ?? file;
  if (out.trim() === '') throw new UsageError('-o expects a file name');
  const opts = readOptions(args);

  // A CSV named on the command line is relative to the current folder; one named in the file,
  // relative to the file. Either way it is stored relative to the checkpoint written.
  const dataArg = opts.data !== undefined && /\.csv$/i.test(opts.data) ? path.resolve(opts.data) : undefined;
  let csvPath: string | undefined;
  const ckpt = await readCheckpointFile(file);
  const result = trainCheckpoint(ckpt, opts, {
    onEpoch: (e) => io.out(epochLine(e)),
    loadDataset: (ref, ctx) => {
      if (typeof ref === 'string') return makeBuiltinDataset(ref, { inputShape: ctx.inputShape });
      csvPath = dataArg ?? path.resolve(path.dirname(file), ref.csv);
      if (!ctx.loss) throw new UsageError(`CSV data needs a loss: give --loss ${LOSSES.join('|')}`);
      return parseCsvDataset(readCsv(csvPath), { file: csvPath, target: ref.target, inputShape: ctx.inputShape, loss: ctx.loss });
    },
  }, file);
  const training = result.checkpoint.training!;
  if (csvPath !== undefined && typeof training.dataset === 'object') {
    const rel = path.relative(path.dirname(path.resolve(out)), csvPath).split(path.sep).join('/');
    training.dataset = { csv: rel, target: (training.dataset as Exclude<DatasetRef, string>).target };
  }
  await writeCheckpointFile(out, result.checkpoint);
  if (args.flags.has('json')) {
    io.out(JSON.stringify({ epochs: result.history.length, history: result.history }));
  } else {
    const n = result.history.length;
    io.out(`${n === 1 ? t('trained {0} epoch', n) : t('trained {0} epochs', n)} → ${out}`);
  }
  return 0;
}

function readOptions(args: ParsedArgs): TrainOptions {
  const o: TrainOptions = {};
  const data = optValue(args, 'data');
  if (data !== undefined) {
    if (data.trim() === '') throw new UsageError('--data expects a dataset name or a .csv file');
    o.data = data;
  }
  const target = optValue(args, 'target');
  if (target !== undefined) o.target = target;
  const loss = optValue(args, 'loss');
  if (loss !== undefined) {
    if (!(LOSSES as readonly string[]).includes(loss)) throw new UsageError(`--loss expects one of ${LOSSES.join(', ')}, got "${loss}"`);
    o.loss = loss as LossName;
  }
  const optimizer = optValue(args, 'optimizer');
  if (optimizer !== undefined) {
    const flag = optimizer.toLowerCase();
    if (!(OPTIMIZERS as readonly string[]).includes(flag)) throw new UsageError(`--optimizer expects one of ${OPTIMIZERS.join(', ')}, got "${optimizer}"`);
    o.optimizer = flag as OptimizerFlag;
  }
  const positive = (n: number) => (n <= 0 ? 'expects a number > 0' : undefined);
  const nonNegative = (n: number) => (n < 0 ? 'expects a number ≥ 0' : undefined);
  const set = <K extends keyof TrainOptions>(key: K, v: TrainOptions[K] | undefined) => { if (v !== undefined) o[key] = v; };
  set('lr', optNumber(args, 'lr', positive));
  set('momentum', optNumber(args, 'momentum', nonNegative));
  set('weightDecay', optNumber(args, 'weight-decay', nonNegative));
  set('eps', optNumber(args, 'eps', nonNegative));
  set('epochs', optInt(args, 'epochs', 0));
  set('batchSize', optInt(args, 'batch-size', 1));
  set('seed', optInt(args, 'seed', 0));
  if (args.flags.has('nesterov') && args.flags.has('no-nesterov')) throw new UsageError('give --nesterov or --no-nesterov, not both');
  if (args.flags.has('nesterov')) o.nesterov = true;
  if (args.flags.has('no-nesterov')) o.nesterov = false;
  if (args.flags.has('shuffle') && args.flags.has('no-shuffle')) throw new UsageError('give --shuffle or --no-shuffle, not both');
  if (args.flags.has('no-shuffle')) o.shuffle = false;
  if (args.flags.has('shuffle')) o.shuffle = true;
  const betas = optValue(args, 'betas');
  if (betas !== undefined) {
    const parts = betas.split(',').map((s) => s.trim());
    const nums = parts.map(Number);
    if (parts.length !== 2 || parts.some((p) => p === '') || nums.some((b) => !Number.isFinite(b) || b < 0 || b >= 1)) {
      throw new UsageError(`--betas expects two numbers in [0, 1) separated by a comma (e.g. 0.9,0.999), got "${betas}"`);
    }
    o.betas = [nums[0], nums[1]];
  }
  return o;
}

function readCsv(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CheckpointError(file, code === 'ENOENT' ? 'CSV file not found' : `cannot read the CSV file: ${(e as Error).message}`);
  }
}

/** `epoch 12  loss 0.3412  accuracy 0.871` */
export function epochLine(e: HistoryEntry): string {
  const loss = Math.abs(e.loss) >= 1e-3 || e.loss === 0 ? e.loss.toFixed(4) : e.loss.toExponential(3);
  return e.accuracy !== undefined ? t('epoch {0}  loss {1}  accuracy {2}', e.epoch, loss, e.accuracy.toFixed(3)) : t('epoch {0}  loss {1}', e.epoch, loss);
}
