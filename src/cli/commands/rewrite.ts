// What the commands that change a checkpoint share (docs/cli.md): FILE plus `-o OUT`; without
// -o the file is rewritten in place, atomically, so a failure leaves the old file whole.
import { writeCheckpointFile } from '../../format/checkpointFile';
import type { Checkpoint } from '../../format/types';
import { optValue, UsageError, type ParsedArgs } from '../common';

/** The one FILE positional of a command, or a UsageError saying what was expected. */
export function singleFile(args: ParsedArgs, what: string, extraAllowed = false): string {
  const [file, ...rest] = args.positional;
  if (file === undefined) throw new UsageError(`expected ${what}`);
  if (!extraAllowed && rest.length > 0) throw new UsageError(`expected only ${what}, got extra arguments: ${rest.join(' ')}`);
  return file;
}

/** Write the changed checkpoint to -o OUT, or back over FILE. Returns the path written. */
export async function writeResult(args: ParsedArgs, file: string, ckpt: Checkpoint): Promise<string> {
  const out = optValue(args, 'o') ?? file;
  if (out.trim() === '') throw new UsageError('-o expects a file name');
  await writeCheckpointFile(out, ckpt);
  return out;
}

export const wantsHelp = (args: ParsedArgs) => args.flags.has('help') || args.flags.has('h');
