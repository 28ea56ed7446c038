// `weightscope diff A B [--json] [--exit-code] [--atol X]`: every tensor of two checkpoints (any
// readable formats and dtypes), matched by state_dict name, with the float64 statistics of
// docs/cli.md, most changed first. The work is src/actions/compare.ts; this is its printing.
import { compareSources, orderByChange, sourcesToCompare, type CompareStatus, type CompareSummary, type TensorComparison } from '../../actions/compare';
import { openAnyLazy } from '../../format/openAny';
import { optNumber, parseArgs, UsageError, type CliIO } from '../common';
import { sig4 } from './inspect';
import { t } from '../l10n';

const HELP = `usage: weightscope diff A B [--json] [--exit-code] [--atol X]

A, B: .weights.json, .safetensors, .pt/.pth, .npy or .npz, in any combination of formats and
dtypes. Tensors (parameters and buffers) are matched by state_dict name and compared in float64.

Prints a table, most changed first — shape mismatches, tensors only in A, only in B, then changed
tensors by relative change, then the same ones — and a summary. Per tensor:
  status         same (every element equal; NaN equals NaN, +0 equals -0), changed,
                 shape_mismatch, only_in_a or only_in_b
  max_abs_diff   max |b - a|             over the pairs where both values are finite
  rel_l2         ||b - a|| / ||a||       ("-" when ||a|| = 0)
  cosine         a.b / (||a|| ||b||)      ("-" when either norm is 0)
  changed        share of elements not equal (as for status)
  --json         print one JSON object instead (see docs/cli.md)
  --exit-code    exit 1 when any tensor's status is not "same" (as git diff --exit-code)
  --atol X       count |b - a| <= X as equal for status and changed (default 0)
Exit status: 0 whether or not the files differ (without --exit-code); 2 for bad input or usage.`;

export async function diffCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { values: ['atol'], flags: ['json', 'exit-code', 'help', 'h'] });
  if (args.flags.has('help') || args.flags.has('h')) { io.out(t(HELP)); return 0; }
  if (args.positional.length !== 2) {
    throw new UsageError(`expected two files A and B to compare, got ${args.positional.length}${args.positional.length ? `: ${args.positional.join(' ')}` : ''}`);
  }
  const atol = optNumber(args, 'atol', (n) => (n < 0 ? 'expects a number ≥ 0' : undefined)) ?? 0;
  const [fileA, fileB] = args.positional;
  // Each file is opened (for .safetensors: its header only) before any value is read, so a bad
  // second file fails at once, not after the first one's tensors were compared.
  const openedA = await openAnyLazy(fileA);
  const openedB = await openAnyLazy(fileB);
  const { rows, summary } = await compareSources(...sourcesToCompare(openedA, openedB), { atol });
  const ordered = orderByChange(rows);

  if (args.flags.has('json')) io.out(JSON.stringify(diffJson(fileA, fileB, ordered, summary), null, 2));
  else {
    io.out(diffTable(fileA, fileB, ordered, summary));
    for (const note of openedA.notes) io.out(t('note: A: {0}', note));
    for (const note of openedB.notes) io.out(t('note: B: {0}', note));
  }
  const differs = rows.some((r) => r.status !== 'same');
  return args.flags.has('exit-code') && differs ? 1 : 0;
}

interface TensorJson {
  status: CompareStatus; shape_a: number[] | null; shape_b: number[] | null; dtype_a: string | null; dtype_b: string | null;
  max_abs_diff: number | null; rel_l2: number | null; cosine: number | null; changed_fraction: number | null;
}

/** The object docs/cli.md specifies for `diff --json`; tensors in the table's order. */
export function diffJson(a: string, b: string, rows: TensorComparison[], summary: CompareSummary): {
  a: string; b: string; tensors: Record<string, TensorJson>; summary: CompareSummary;
} {
  // No prototype: a tensor named `__proto__` (a file can hold any name) is an ordinary key.
  const tensors: Record<string, TensorJson> = Object.create(null);
  for (const r of rows) {
    tensors[r.name] = {
      status: r.status, shape_a: r.shapeA, shape_b: r.shapeB, dtype_a: r.dtypeA, dtype_b: r.dtypeB,
      max_abs_diff: r.maxAbsDiff, rel_l2: r.relL2, cosine: r.cosine, changed_fraction: r.changedFraction,
    };
  }
  return { a, b, tensors, summary };
}

const HEADER = ['tensor', 'status', 'shape', 'dtype', 'max_abs_diff', 'rel_l2', 'cosine', 'changed'];
const RIGHT = new Set(['max_abs_diff', 'rel_l2', 'cosine', 'changed']);

/** "x" when both sides agree, "x → y" when they differ, the one side when the tensor is in one file. */
function pairText(x: string | null, y: string | null): string {
  if (x === null) return y ?? '';
  if (y === null || x === y) return x;
  return `${x} → ${y}`;
}

const shapeText = (s: number[] | null) => (s ? `[${s.join(', ')}]` : null);

export function diffTable(a: string, b: string, rows: TensorComparison[], summary: CompareSummary): string {
  const cells = rows.map((r) => [
    r.name, r.status, pairText(shapeText(r.shapeA), shapeText(r.shapeB)), pairText(r.dtypeA, r.dtypeB),
    ...(r.status === 'same' || r.status === 'changed'
      ? [sig4(r.maxAbsDiff), sig4(r.relL2), sig4(r.cosine), r.changedFraction === null ? '-' : `${sig4(r.changedFraction * 100)}%`]
      : ['', '', '', '']),
  ]);
  const widths = HEADER.map((h, c) => Math.max(h.length, ...cells.map((row) => row[c].length)));
  const line = (row: string[]) => row
    .map((cell, c) => (RIGHT.has(HEADER[c]) ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
    .join('  ').trimEnd();
  return [
    `A: ${a}`, `B: ${b}`, '',
    ...(rows.length ? [line(HEADER), ...cells.map(line)] : [t('no tensors in either file')]),
    '', summaryLine(summary, rows.length),
  ].join('\n');
}

export function summaryLine(s: CompareSummary, total: number): string {
  return t('summary: {0} tensor(s): {1} same, {2} changed, {3} shape mismatch, {4} only in A, {5} only in B',
    total, s.same, s.changed, s.shape_mismatch, s.only_in_a, s.only_in_b);
}
