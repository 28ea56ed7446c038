// The table of CLI commands: one module per command under ./commands/.
import type { CommandFn } from './common';
import { inspectCommand } from './commands/inspect';
import { convertCommand } from './commands/convert';
import { newCommand } from './commands/new';
import { initCommand } from './commands/init';
import { freezeCommand, unfreezeCommand } from './commands/freeze';
import { decayCommand } from './commands/decay';
import { trainCommand } from './commands/train';
import { diffCommand } from './commands/diff';

export const COMMANDS: Record<string, CommandFn> = {
  inspect: inspectCommand,
  convert: convertCommand,
  new: newCommand,
  init: initCommand,
  freeze: freezeCommand,
  unfreeze: unfreezeCommand,
  decay: decayCommand,
  train: trainCommand,
  diff: diffCommand,
};
