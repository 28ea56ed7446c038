// `weightscope freeze FILE PATTERN... [-o OUT]` and `unfreeze`: set requires_grad on the selected
// parameters (a parameter name, a layer name or prefix, or a glob).
import { setRequiresGrad } from '../../actions/freeze';
import { readCheckpointFile } from '../../format/checkpointFile';
import { parseArgs, UsageError, type CliIO, type CommandFn } from '../common';
import { wantsHelp, writeResult } from './rewrite';
import { t } from '../l10n';

const FREEZE_HELP = `usage: weightscope freeze FILE PATTERN... [-o OUT]

Freezes the parameters PATTERN selects (requires_grad false).
  PATTERN   a parameter (fc1.weight), a layer name or prefix (fc1, 0), or a glob (*.bias)
  -o OUT    write to OUT instead of rewriting FILE`;

const UNFREEZE_HELP = `usage: weightscope unfreeze FILE PATTERN... [-o OUT]

Unfreezes the parameters PATTERN selects (requires_grad true).
  PATTERN   a parameter (fc1.weight), a layer name or prefix (fc1, 0), or a glob (*.bias)
  -o OUT    write to OUT instead of rewriting FILE`;

function requiresGradCommand(value: boolean): CommandFn {
  const verb = value ? 'unfreeze' : 'freeze';
  return async (argv: string[], io: CliIO): Promise<number> => {
    const args = parseArgs(argv, { values: ['o'], flags: ['help', 'h'] });
    if (wantsHelp(args)) { io.out(verb === 'freeze' ? t(FREEZE_HELP) : t(UNFREEZE_HELP)); return 0; }
    const [file, ...patterns] = args.positional;
    if (file === undefined) throw new UsageError(`expected FILE and at least one PATTERN, e.g. weightscope ${verb} model.weights.json fc1`);
    if (patterns.length === 0) throw new UsageError(`expected at least one PATTERN after ${file} (a parameter, a layer such as fc1, or a glob such as "*.bias")`);
    const ckpt = await readCheckpointFile(file);
    const changed = setRequiresGrad(ckpt, patterns, value, file);
    const outArg = args.values.get('o');
    if (changed.length === 0 && !outArg) {
      io.out(value ? t('nothing to change: every selected parameter is already trainable') : t('nothing to change: every selected parameter is already frozen'));
      return 0;
    }
    const out = await writeResult(args, file, ckpt);
    const n = changed.length;
    const summary = value
      ? (n === 1 ? t('unfroze {0} parameter', n) : t('unfroze {0} parameters', n))
      : (n === 1 ? t('froze {0} parameter', n) : t('froze {0} parameters', n));
    io.out(`${summary}${n ? ` (${changed.join(', ')})` : ''} → ${out}`);
    return 0;
  };
}

export const freezeCommand = requiresGradCommand(false);
export const unfreezeCommand = requiresGradCommand(true);
