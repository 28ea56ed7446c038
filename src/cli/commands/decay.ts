// `weightscope decay FILE --weight-decay L [--lr ETA] [-o OUT]`: one decoupled weight-decay step,
// w ← w · (1 − lr · λ), on every trainable parameter; frozen ones are untouched.
import { applyWeightDecay } from '../../actions/decay';
import { applyParameters } from '../../actions/init';
import { readCheckpointFile } from '../../format/checkpointFile';
import { optNumber, parseArgs, UsageError, type CliIO } from '../common';
import { singleFile, wantsHelp, writeResult } from './rewrite';
import { t } from '../l10n';

const HELP = `usage: weightscope decay FILE --weight-decay L [--lr ETA] [-o OUT]

Applies one decoupled weight-decay step to every trainable parameter: w ← w · (1 − lr · L).
Frozen parameters are untouched. lr · L must be below 1.
  --weight-decay L   λ ≥ 0 (required)
  --lr ETA           η ≥ 0 (default 1)
  -o OUT             write to OUT instead of rewriting FILE`;

const nonNegative = (n: number) => (n < 0 ? 'expects a number ≥ 0' : undefined);

export async function decayCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { values: ['weight-decay', 'lr', 'o'], flags: ['help', 'h'] });
  if (wantsHelp(args)) { io.out(t(HELP)); return 0; }
  const file = singleFile(args, 'a FILE to decay');
  const weightDecay = optNumber(args, 'weight-decay', nonNegative);
  if (weightDecay === undefined) throw new UsageError('--weight-decay L is required, e.g. --weight-decay 0.01');
  const lr = optNumber(args, 'lr', nonNegative) ?? 1;
  if (lr * weightDecay >= 1) {
    throw new UsageError(`--lr × --weight-decay = ${lr * weightDecay} would ${lr * weightDecay === 1 ? 'zero every weight' : 'flip the sign of every weight'}; expected a product below 1`);
  }
  const ckpt = await readCheckpointFile(file);
  const changed = applyWeightDecay(ckpt, { weightDecay, lr }, file);
  applyParameters(ckpt, changed);
  const out = await writeResult(args, file, ckpt);
  const frozen = ckpt.parameters.size - changed.size;
  io.out((changed.size === 1 ? t('decayed {0} trainable parameter by × {1}', changed.size, 1 - lr * weightDecay) : t('decayed {0} trainable parameters by × {1}', changed.size, 1 - lr * weightDecay))
    + (frozen ? t(' ({0} frozen or non-float left untouched)', frozen) : '') + ` → ${out}`);
  return 0;
}
