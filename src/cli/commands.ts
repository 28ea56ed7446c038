// The table of CLI commands: one module per command under ./commands/.
import type { CommandFn } from './common';

export const COMMANDS: Record<string, CommandFn> = {
};
