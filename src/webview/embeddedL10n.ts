// The translations the host embeds in the page (`<script type="application/json"
// id="weightscope-l10n">`, see webviewHtml.ts), installed as soon as this module loads: main.ts
// imports it first, so the headings and labels built at load, before the init message (which
// brings the bundle again), are translated too.
import { setL10nBundle } from './l10n';

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

if (typeof document !== 'undefined') setL10nBundle(readEmbeddedBundle(document.getElementById('weightscope-l10n')?.textContent));
