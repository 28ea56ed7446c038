#!/usr/bin/env node
// The `weightscope` command line (docs/cli.md): the extension's actions, headless, on the same
// engine and format code. Exit 0 on success, 2 for the user's bad input or usage (one clear line
// on stderr, no stack trace), 1 for anything else.
import { InputError } from './engine/errors';
import type { CliIO, CommandFn } from './cli/common';
import { COMMANDS } from './cli/commands';
import { localeFromEnv, t, useLocale } from './cli/l10n';

const USAGE = `usage: weightscope <command> [options]

commands:
  inspect   FILE [--json]                      show every parameter's shape and statistics (.pt, .safetensors, .npy/.npz too)
  new       OUT --layers "Linear(2,8) ReLU Linear(8,1)" [--input-shape 2] [--seed N] [--init SCHEME]
  init      FILE --scheme SCHEME [--params PATTERN]... [options] [-o OUT]
  freeze    FILE PATTERN... [-o OUT]
  unfreeze  FILE PATTERN... [-o OUT]
  decay     FILE --weight-decay L [--lr ETA] [-o OUT]
  train     FILE [--data NAME|PATH.csv] [--epochs N] [options] [-o OUT] [--json]
  convert   IN OUT.weights.json [--layers "…"]  .safetensors/.pt/.npy/.npz → .weights.json
  diff      A B [--json] [--exit-code] [--atol X]  what changed between two checkpoints, most changed first

Run "weightscope <command> --help" for a command's options.`;

/** Runs one command. `env` picks the language (LANG & co.); without it, English (as the tests expect). */
export async function main(argv: string[], io: CliIO, env: Record<string, string | undefined> = {}): Promise<number> {
  useLocale(localeFromEnv(env));
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(t(USAGE));
    return name ? 0 : 2;
  }
  const command: CommandFn | undefined = COMMANDS[name];
  if (!command) {
    io.err(`${t('weightscope: unknown command "{0}"', name)}\n${t(USAGE)}`);
    return 2;
  }
  try {
    return await command(rest, io);
  } catch (e) {
    // Every user mistake (bad file, option, layer string, dataset) is an InputError: one line, exit 2.
    if (e instanceof InputError) { io.err(`weightscope ${name}: ${e.message}`); return 2; }
    io.err(t('weightscope {0}: internal error: {1}', name, e instanceof Error ? e.stack ?? e.message : String(e)));
    return 1;
  }
}

// Run only as the program itself (dist/cli.js), not when imported by a test.
if (typeof require !== 'undefined' && require.main === module) {
  const io: CliIO = { out: (t) => process.stdout.write(t + '\n'), err: (t) => process.stderr.write(t + '\n') };
  main(process.argv.slice(2), io, process.env).then((code) => { process.exitCode = code; });
}
