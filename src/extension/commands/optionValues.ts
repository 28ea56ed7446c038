// Reading a command's options argument (from keybindings, other extensions and tests) with the
// same checks the input boxes make: a wrong type or value is a UsageError naming the option.
import { UsageError } from '../../cli/common';

export function optString(options: Record<string, unknown> | undefined, key: string): string | undefined {
  const v = options?.[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new UsageError(`option ${key} expects a string, got ${JSON.stringify(v)}`);
  return v;
}

export function optNumberValue(options: Record<string, unknown> | undefined, key: string, check?: (n: number) => boolean, expected = 'a number'): number | undefined {
  const v = options?.[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || (check && !check(v))) {
    throw new UsageError(`option ${key} expects ${expected}, got ${JSON.stringify(v)}`);
  }
  return v;
}

export function optBoolean(options: Record<string, unknown> | undefined, key: string): boolean | undefined {
  const v = options?.[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw new UsageError(`option ${key} expects true or false, got ${JSON.stringify(v)}`);
  return v;
}

/** A list of strings; a single string is taken as a one-element list. */
export function optStringList(options: Record<string, unknown> | undefined, key: string): string[] | undefined {
  const v = options?.[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((s) => typeof s === 'string')) return v as string[];
  throw new UsageError(`option ${key} expects a list of parameter names or patterns, got ${JSON.stringify(v)}`);
}

export function optChoice<T extends string>(options: Record<string, unknown> | undefined, key: string, allowed: readonly T[]): T | undefined {
  const v = optString(options, key);
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`option ${key} expects one of ${allowed.join(', ')}, got "${v}"`);
  return v as T;
}
