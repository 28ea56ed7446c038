// Pure checks of one translation file against its English source, returning the offending keys
// as readable lines (the tests print them so whoever merges knows exactly what to translate).

/** `{0}`, `{1}`, `{name}` …, sorted: what vscode.l10n.t / the webview's t() / the CLI substitute. */
export function placeholders(text: string): string[] {
  return [...text.matchAll(/\{[A-Za-z0-9_]+\}/g)].map((m) => m[0]).sort();
}

/** Missing keys, placeholders that differ, and keys the English source no longer has. */
export function translationProblems(english: Record<string, string>, translated: Record<string, string>): string[] {
  const out: string[] = [];
  for (const [key, source] of Object.entries(english)) {
    if (!(key in translated)) { out.push(`missing: ${JSON.stringify(key)}`); continue; }
    const want = placeholders(source);
    const got = placeholders(translated[key]);
    // The same set: a translation may repeat or reorder a placeholder, never drop or invent one.
    if ([...new Set(want)].join() !== [...new Set(got)].join()) {
      out.push(`placeholders differ: ${JSON.stringify(key)} has ${want.join(' ') || '(none)'}, the translation has ${got.join(' ') || '(none)'}`);
    }
  }
  for (const key of Object.keys(translated)) if (!(key in english)) out.push(`stale (no longer in the English source): ${JSON.stringify(key)}`);
  return out;
}

// Common English words that are not also Spanish words ("red", "has", "normal", "color", "error"
// are, so they are not listed): one of them outside code, quotes and
// names means a sentence was left in English.
const ENGLISH_WORDS = new Set(`
  the of is are to and with for from this that these those it its be have was will not or on
  at by an as into your you when each every which than then there here what after before
  file files layer layers weight weights bias biases training train trained value values
  click open save show shows input inputs output outputs parameter parameters model frozen
  freeze unfreeze loss epoch epochs learning rate decay first already cannot must got whole
  number mean range map colour heatmap histogram statistics default count shape type zeros
  element elements hidden unit gate gates memory done close fit cancelled optimizer mode upper
  lower bound arguments writing details channel stopped still indexing accuracy architecture
  batch size step samples signed blue white read only keep mine one per filter filters
  kernel rows columns out current init previous also cells small large deviation standard
`.split(/\s+/).filter(Boolean));

// Names that stay as they are in every language (the glossary's own usage).
const NAMES = new Set(['pytorch', 'xavier', 'glorot', 'he', 'kaiming', 'weightscope', 'numpy', 'adam', 'adamw', 'sgd', 'relu', 'tanh', 'lstm', 'conv2d', 'linear', 'flatten', 'sigmoid']);

/** The words of a value outside `code`, "quoted names", calls and identifiers (state_dict, model.weights.json). */
function proseWords(value: string): string[] {
  const prose = value
    .replace(/`[^`]*`/g, ' ')
    .replace(/"[^"]*"/g, ' ')
    // the first column of a help table names a command or an option: "  train     FILE …"
    .replace(/^ +\p{L}+(?= {2,})/gmu, ' ')
    // the CLI's command names and metavariables: weightscope init, FILE, OUT
    .replace(/\bweightscope \p{L}+/gu, ' ')
    .replace(/\b\p{Lu}{2,}\b/gu, ' ')
    // command-line options: --mode, --weight-decay, -o
    .replace(/(?<![\p{L}\p{N}])--?\p{L}[\p{L}\p{N}-]*/gu, ' ')
    // shapes keep PyTorch's dimension names: [out, in, k, k]
    .replace(/\[[^\]]*\]/g, ' ')
    // calls and formulas keep PyTorch's argument names: N(mean, std²), Linear(2,8)
    .replace(/[\p{L}\p{N}_]+\([^)]*\)/gu, ' ')
    .replace(/[\p{L}\p{N}]*(?:[_.][\p{L}\p{N}]+)+/gu, ' ');
  return prose.split(/[^\p{L}]+/u).filter((w) => w.length > 0);
}

/** The English words of a translated value, outside code, quotes and identifiers. */
export function englishWords(value: string): string[] {
  return proseWords(value).filter((w) => ENGLISH_WORDS.has(w.toLowerCase()) && !NAMES.has(w.toLowerCase()));
}

// Words a translation may keep from the English (formula variables, names of schemes, and the
// terms Spanish-speaking PyTorch users write as they are: tensor, dtype, checkpoints).
const SAME_IN_TRANSLATION = new Set(['no', 'normal', 'std', 'gain', 'fan', 'max', 'min', 'lr', 'val', 'tensor', 'dtype', 'checkpoints']);

/** A value identical to its English key that still has words beyond names and formulas. */
function untouchedSentence(key: string, value: string): boolean {
  if (key !== value) return false;
  const words = proseWords(value).filter((w) => w.length > 1);
  return words.some((w) => !NAMES.has(w.toLowerCase()) && !SAME_IN_TRANSLATION.has(w.toLowerCase()));
}

/** Keys whose translation still reads as English: English words in it, or left as the English. */
export function englishLeftovers(translated: Record<string, string>): string[] {
  return Object.entries(translated)
    .filter(([k, v]) => englishWords(v).length > 0 || untouchedSentence(k, v))
    .map(([k]) => JSON.stringify(k));
}
