// The table of CLI commands: one module per command under ./commands/.
import type { CommandFn } from './common';
import { inspectCommand } from './commands/inspect';

export const COMMANDS: Record<string, CommandFn> = {
  inspect: inspectCommand,
};
