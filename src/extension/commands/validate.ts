// Validators for the commands' input boxes: each returns undefined when the text is acceptable,
// else one line saying what was expected (VS Code shows it under the box and blocks Enter).
// Pure: the translate function is passed in (vscode.l10n.t in the extension, a formatter in tests).

/** vscode.l10n.t's shape: a message with {0}, {1}… placeholders and its arguments. */
export type Translate = (message: string, ...args: Array<string | number | boolean>) => string;

export interface NumberRule {
  integer?: boolean;
  /** Inclusive lower bound. */
  min?: number;
  /** Exclusive lower bound (e.g. a learning rate must be > 0). */
  above?: number;
  max?: number;
}

/** Parses a number as typed in a box; undefined when it is not a finite number. */
export function parseNumber(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : undefined;
}

export function validateNumber(text: string, rule: NumberRule, t: Translate): string | undefined {
  const n = parseNumber(text);
  if (n === undefined) return t('Expected a number, got "{0}"', text.trim());
  if (rule.integer && !Number.isInteger(n)) return t('Expected a whole number, got {0}', n);
  if (rule.min !== undefined && n < rule.min) return t('Expected a number ≥ {0}, got {1}', rule.min, n);
  if (rule.above !== undefined && !(n > rule.above)) return t('Expected a number > {0}, got {1}', rule.above, n);
  if (rule.max !== undefined && n > rule.max) return t('Expected a number ≤ {0}, got {1}', rule.max, n);
  return undefined;
}

/** An input shape typed as "2" or "1,8,8" (spaces allowed); undefined when it does not parse. */
export function parseInputShape(text: string): number[] | undefined {
  const parts = text.split(/[,\s×x]+/).filter((p) => p !== '');
  if (parts.length === 0) return undefined;
  const dims = parts.map(Number);
  return dims.every((d) => Number.isInteger(d) && d > 0) ? dims : undefined;
}

export function validateInputShape(text: string, t: Translate, optional = true): string | undefined {
  if (optional && text.trim() === '') return undefined;
  return parseInputShape(text) ? undefined : t('Expected positive whole numbers separated by commas, such as 2 or 1,8,8; got "{0}"', text.trim());
}

/** Beta pair typed as "0.9, 0.999": each in [0, 1). */
export function parseBetas(text: string): [number, number] | undefined {
  const parts = text.split(/[,\s]+/).filter((p) => p !== '').map(Number);
  if (parts.length !== 2 || !parts.every((b) => Number.isFinite(b) && b >= 0 && b < 1)) return undefined;
  return [parts[0], parts[1]];
}

const FILE_SUFFIX = '.weights.json';

/** The file name the user means: ".weights.json" is added when missing. */
export function normalizeModelFileName(text: string): string {
  const name = text.trim();
  if (name.endsWith(FILE_SUFFIX)) return name;
  return name.endsWith('.json') ? name.slice(0, -'.json'.length) + FILE_SUFFIX : name + FILE_SUFFIX;
}

/**
 * A new checkpoint's file name, relative to the workspace folder: not empty, no "..", no absolute
 * path, no characters file systems refuse; `exists` tells whether the normalised name is taken.
 */
export function validateModelFileName(text: string, t: Translate, exists?: (normalized: string) => boolean): string | undefined {
  const name = text.trim();
  if (name === '') return t('Expected a file name, such as model.weights.json');
  if (/^([A-Za-z]:)?[\\/]/.test(name)) return t('Expected a path inside the workspace folder, got the absolute path "{0}"', name);
  const parts = name.split(/[\\/]/);
  if (parts.some((p) => p === '..')) return t('Expected a path inside the workspace folder, without "..": "{0}"', name);
  if (parts.some((p) => p === '' || p === '.')) return t('Expected a file name, got "{0}"', name);
  if (/[<>:"|?*\u0000-\u001f]/.test(name)) return t('A file name cannot contain <>:"|?* or control characters: "{0}"', name);
  const normalized = normalizeModelFileName(name);
  if (exists?.(normalized)) return t('{0} already exists: choose another name', normalized);
  return undefined;
}
