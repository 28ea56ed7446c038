// The webview's translations: `vscode.l10n.bundle` (message -> translation), embedded by the host
// in the page as `<script type="application/json" id="weightscope-l10n">` so that it is there
// before any element is built (the headings made at load), and sent again in the init message.
// Without a translation the English message is used. `{0}`, `{1}` … are replaced by the
// arguments, as vscode.l10n.t does.
let bundle: Record<string, string> = readEmbeddedBundle(typeof document === 'undefined' ? undefined : document.getElementById('weightscope-l10n')?.textContent);

/** The embedded bundle's text, parsed; anything unreadable means English. */
export function readEmbeddedBundle(text: string | null | undefined): Record<string, string> {
  if (!text) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed as Record<string, string> : {};
  } catch {
    return {};
  }
}

export function setL10nBundle(b: Record<string, string> | undefined): void {
  bundle = b ?? {};
}

export function t(message: string, ...args: (string | number)[]): string {
  const template = bundle[message] ?? message;
  return template.replace(/\{(\d+)\}/g, (whole, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : whole));
}
