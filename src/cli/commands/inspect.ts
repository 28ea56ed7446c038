// `weightscope inspect FILE [--json]`: every parameter's shape, dtype, trainability and
// statistics (over finite values), buffers, totals, and a loud line when anything is non-finite.
import { parseArgs, UsageError, type CliIO } from '../common';
import { readAnyCheckpoint } from '../../format/openAny';
import { checkpointTotals, tensorStats, type TensorStats } from '../../format/stats';
import type { Checkpoint, TensorRecord } from '../../format/types';
import { t } from '../l10n';

const HELP = `usage: weightscope inspect FILE [--json]

FILE: .weights.json, or (read-only) .safetensors, .pt/.pth, .npy, .npz.

Shows every parameter (name, shape, dtype, element count, trainable, mean, std, min, max),
the buffers, and the totals. Statistics are over finite values; non-finite ones are counted.
  --json   print one JSON object instead of the table`;

export async function inspectCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { flags: ['json', 'help', 'h'] });
  if (args.flags.has('help') || args.flags.has('h')) { io.out(t(HELP)); return 0; }
  if (args.positional.length !== 1) {
    throw new UsageError(args.positional.length === 0 ? 'expected a FILE to inspect' : `expected one FILE, got ${args.positional.length}: ${args.positional.join(' ')}`);
  }
  const file = args.positional[0];
  // .weights.json, and read-only .safetensors / .pt / .pth / .npy / .npz (src/format/openAny.ts).
  const { checkpoint: ckpt, notes } = await readAnyCheckpoint(file);
  io.out(args.flags.has('json') ? JSON.stringify(inspectJson(ckpt), null, 2) : inspectTable(ckpt, file));
  if (!args.flags.has('json')) for (const note of notes) io.out(t('note: {0}', note));
  return 0;
}

interface ParamJson {
  shape: number[]; numel: number; dtype: string; requires_grad: boolean;
  mean: number | null; std: number | null; min: number | null; max: number | null; l2: number | null; nonfinite: number;
}

/** The object docs/cli.md specifies for `inspect --json`. */
export function inspectJson(ckpt: Checkpoint): { parameters: Record<string, ParamJson>; total: number; trainable: number; frozen: number } {
  const parameters: Record<string, ParamJson> = {};
  for (const [name, t] of ckpt.parameters) {
    const s = tensorStats(t);
    parameters[name] = {
      shape: [...t.shape], numel: s.numel, dtype: t.dtype, requires_grad: t.requires_grad,
      mean: s.mean, std: s.std, min: s.min, max: s.max, l2: s.l2, nonfinite: s.nonfinite,
    };
  }
  const { total, trainable, frozen } = checkpointTotals(ckpt);
  return { parameters, total, trainable, frozen };
}

/** A statistic to 4 significant digits; "-" when there was no finite value to compute it from. */
export function sig4(x: number | null): string {
  if (x === null) return '-';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e-4 && a < 1e6) return String(Number(x.toPrecision(4)));
  return x.toExponential(3).replace(/\.?0+e/, 'e');
}

export function humanBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let u = 0, v = n;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return u === 0 ? `${n} B` : `${v.toFixed(v < 10 ? 2 : 1)} ${units[u]}`;
}

const RIGHT = new Set(['numel', 'mean', 'std', 'min', 'max']);

function alignedTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => cells
    .map((cell, c) => (RIGHT.has(header[c]) ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
    .join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}

function statRow(name: string, t: TensorRecord, s: TensorStats, trainable: string): string[] {
  return [name, `[${t.shape.join(', ')}]`, t.dtype, String(s.numel), trainable, sig4(s.mean), sig4(s.std), sig4(s.min), sig4(s.max)];
}

export function inspectTable(ckpt: Checkpoint, file: string): string {
  const out: string[] = [];
  const nonfinite: string[] = [];
  const note = (name: string, s: TensorStats) => {
    if (s.nonfinite === 0) return;
    const kinds = [[s.nan, 'NaN'], [s.posinf, '+Infinity'], [s.neginf, '-Infinity']].filter(([c]) => c).map(([c, k]) => `${c} ${k}`);
    nonfinite.push(`${name} (${kinds.join(', ')})`);
  };
  const header = ['parameter', 'shape', 'dtype', 'numel', 'trainable', 'mean', 'std', 'min', 'max'];
  out.push(`${file}${ckpt.model?.name ? t(' — model "{0}"', ckpt.model.name) : ''}${ckpt.model ? '' : t(' (no model: can be inspected but not trained)')}`, '');
  if (ckpt.parameters.size === 0) out.push(t('no parameters'));
  else {
    const yes = t('yes'), no = t('no');
    const rows = [...ckpt.parameters].map(([name, t]) => {
      const s = tensorStats(t); note(name, s);
      return statRow(name, t, s, t.requires_grad ? yes : no);
    });
    out.push(...alignedTable(header, rows));
  }
  if (ckpt.buffers && ckpt.buffers.size > 0) {
    const rows = [...ckpt.buffers].map(([name, t]) => {
      const s = tensorStats(t); note(`buffers.${name}`, s);
      return statRow(name, t, s, '-');
    });
    out.push('', ...alignedTable(['buffer', ...header.slice(1)], rows));
  }
  const totals = checkpointTotals(ckpt);
  out.push('',
    t('parameters: {0} total, {1} trainable, {2} frozen', totals.total, totals.trainable, totals.frozen),
    t('size: {0} bytes ({1})', totals.bytes, humanBytes(totals.bytes)));
  if (nonfinite.length) out.push(t('!! NON-FINITE VALUES: {0}', nonfinite.join('; ')));
  return out.join('\n');
}
