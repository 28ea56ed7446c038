// The webview's translations: the host sends `vscode.l10n.bundle` (message -> translation) in
// the init message; without a translation the English message is used. `{0}`, `{1}` … are
// replaced by the arguments, as vscode.l10n.t does.
let bundle: Record<string, string> = {};

export function setL10nBundle(b: Record<string, string> | undefined): void {
  bundle = b ?? {};
}

export function t(message: string, ...args: (string | number)[]): string {
  const template = bundle[message] ?? message;
  return template.replace(/\{(\d+)\}/g, (whole, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : whole));
}
