// What every command resolves to, so tests, keybindings and other extensions can tell what happened:
// the command's result, the message the user was shown instead, or undefined when they cancelled.
export type CommandOutcome<T extends object> = ({ ok: true } & T) | { ok: false; message: string } | undefined;

export const failed = (message: string): { ok: false; message: string } => ({ ok: false, message });
