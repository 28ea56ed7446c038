// The CLI's translations: the extension's own bundle (l10n/bundle.l10n.<lang>.json), chosen from
// the POSIX locale variables, LC_ALL over LC_MESSAGES over LANG ("es_ES.UTF-8" → es). The bundles
// are inlined by esbuild rather than read from the package folder: dist/cli.js then works wherever
// it is run or copied (npx, a global install, the .vsix's dist/), with no path guessing and no
// file read before the first line is printed. Pure apart from the one current bundle.
import es from '../../l10n/bundle.l10n.es.json';

const BUNDLES: Record<string, Record<string, string>> = { es };

/** The language of the first set locale variable, when the CLI has a translation for it. */
export function localeFromEnv(env: Record<string, string | undefined>): string | undefined {
  const value = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((v) => v !== undefined && v !== '');
  const lang = value?.split(/[_.@-]/)[0].toLowerCase();
  return lang !== undefined && lang in BUNDLES ? lang : undefined;
}

let bundle: Record<string, string> = {};

/** Translate from now on into `lang` (undefined or unknown: English). */
export function useLocale(lang: string | undefined): void {
  bundle = (lang !== undefined ? BUNDLES[lang] : undefined) ?? {};
}

/** As vscode.l10n.t: the translation of `message`, or itself, with {0}, {1}… replaced. */
export function t(message: string, ...args: (string | number)[]): string {
  const template = bundle[message] ?? message;
  return template.replace(/\{(\d+)\}/g, (whole, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : whole));
}
