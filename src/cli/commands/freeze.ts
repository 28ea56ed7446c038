// `weightscope freeze FILE PATTERN... [-o OUT]` and `unfreeze`: set requires_grad on the selected
// parameters (a parameter name, a layer name or prefix, or a glob).
import { setRequiresGrad } from '../../actions/freeze';
import { readCheckpointFile } from '../../format/checkpointFile';
import { parseArgs, UsageError, type CliIO, type CommandFn } from '../common';
import { wantsHelp, writeResult } from './rewrite';

const help = (verb: string) => `usage: weightscope ${verb} FILE PATTERN... [-o OUT]

${verb === 'freeze' ? 'Freezes' : 'Unfreezes'} the parameters PATTERN selects (requires_grad ${verb === 'freeze' ? 'false' : 'true'}).
  PATTERN   a parameter (fc1.weight), a layer name or prefix (fc1, 0), or a glob (*.bias)
  -o OUT    write to OUT instead of rewriting FILE`;

function requiresGradCommand(value: boolean): CommandFn {
  const verb = value ? 'unfreeze' : 'freeze';
  return async (argv: string[], io: CliIO): Promise<number> => {
    const args = parseArgs(argv, { values: ['o'], flags: ['help', 'h'] });
    if (wantsHelp(args)) { io.out(help(verb)); return 0; }
    const [file, ...patterns] = args.positional;
    if (file === undefined) throw new UsageError(`expected FILE and at least one PATTERN, e.g. weightscope ${verb} model.weights.json fc1`);
    if (patterns.length === 0) throw new UsageError(`expected at least one PATTERN after ${file} (a parameter, a layer such as fc1, or a glob such as "*.bias")`);
    const ckpt = await readCheckpointFile(file);
    const changed = setRequiresGrad(ckpt, patterns, value, file);
    const outArg = args.values.get('o');
    if (changed.length === 0 && !outArg) {
      io.out(`nothing to change: every selected parameter is already ${value ? 'trainable' : 'frozen'}`);
      return 0;
    }
    const out = await writeResult(args, file, ckpt);
    io.out(`${value ? 'unfroze' : 'froze'} ${changed.length} parameter${changed.length === 1 ? '' : 's'}${changed.length ? ` (${changed.join(', ')})` : ''} → ${out}`);
    return 0;
  };
}

export const freezeCommand = requiresGradCommand(false);
export const unfreezeCommand = requiresGradCommand(true);
