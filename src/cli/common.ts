// What every CLI command shares: argument parsing, the output streams, and the two kinds of
// failure the spec distinguishes (exit 2: the user's bad input or usage; exit 1: anything else).
import { InputError } from '../engine/errors';

export interface CliIO {
  out: (text: string) => void; // stdout, one call per line or block
  err: (text: string) => void; // stderr
}

/** Bad usage: an unknown option, a missing argument, a value that does not parse. Exit 2. */
export class UsageError extends InputError {
  constructor(message: string) { super(message); this.name = 'UsageError'; }
}

export interface ParsedArgs {
  positional: string[];
  /** Value options, every occurrence in order (`--params a --params b` → ['a', 'b']). */
  values: Map<string, string[]>;
  /** Boolean flags present (`--json`, `--no-shuffle`). */
  flags: Set<string>;
}

export interface ArgSpec {
  /** Options that take a value, without the dashes: 'seed', 'o'. */
  values?: string[];
  /** Options that take none: 'json', 'no-shuffle'. */
  flags?: string[];
}

/** Parse `argv` against `spec`. `--opt=value` and `--opt value` both work; `-o` is a value option. */
export function parseArgs(argv: string[], spec: ArgSpec): ParsedArgs {
  const values = new Map<string, string[]>();
  const flags = new Set<string>();
  const positional: string[] = [];
  const valueNames = new Set(spec.values ?? []);
  const flagNames = new Set(spec.flags ?? []);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { positional.push(...argv.slice(i + 1)); break; }
    const m = /^--?([A-Za-z][\w-]*)(?:=(.*))?$/s.exec(a);
    if (!m || /^-\d/.test(a)) { positional.push(a); continue; }
    const [, name, inline] = m;
    if (flagNames.has(name)) {
      if (inline !== undefined) throw new UsageError(`option --${name} takes no value`);
      flags.add(name);
    } else if (valueNames.has(name)) {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`option ${a} needs a value`);
      const list = values.get(name) ?? [];
      list.push(v);
      values.set(name, list);
    } else {
      throw new UsageError(`unknown option ${a}`);
    }
  }
  return { positional, values, flags };
}

/** The last value of an option, or undefined. */
export function optValue(args: ParsedArgs, name: string): string | undefined {
  const v = args.values.get(name);
  return v ? v[v.length - 1] : undefined;
}

/** A finite number option, or undefined when absent; a UsageError naming the option otherwise. */
export function optNumber(args: ParsedArgs, name: string, check?: (n: number) => string | undefined): number | undefined {
  const raw = optValue(args, name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} expects a number, got "${raw}"`);
  const problem = check?.(n);
  if (problem) throw new UsageError(`--${name} ${problem}, got ${raw}`);
  return n;
}

/** A whole-number option (seed, epochs, batch size). */
export function optInt(args: ParsedArgs, name: string, min = 0): number | undefined {
  return optNumber(args, name, (n) => (!Number.isInteger(n) || n < min ? `expects a whole number ≥ ${min}` : undefined));
}

export type CommandFn = (argv: string[], io: CliIO) => Promise<number>;
