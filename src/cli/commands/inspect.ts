// `weightscope inspect FILE [--json]`: every parameter's shape, dtype, trainability and
// statistics (over finite values), buffers, totals, and a loud line when anything is non-finite.
import { parseArgs, UsageError, type CliIO } from '../common';
import { formatFromName, openAnyLazy, readAnyCheckpoint } from '../../format/openAny';
import { withFileSource } from '../../format/fileByteSource';
import { RAW_ITEMSIZE, growingScratch } from '../../format/lazy';
import { tensorStats, type TensorStats } from '../../format/stats';
import { dtypeBytes, tensorNumel } from '../../format/tensor';
import type { Checkpoint, TensorRecord } from '../../format/types';
import { numel } from '../../engine/spec';

const HELP = `usage: weightscope inspect FILE [--json]

FILE: .weights.json, or (read-only) .safetensors, .pt/.pth, .npy, .npz.

Shows every parameter (name, shape, dtype as stored, element count, trainable, mean, std, min,
max), the buffers, and the totals. Statistics are over finite values; non-finite ones are counted.
Files other than .weights.json are read one tensor at a time, never whole.
  --json   print one JSON object instead of the table`;

export async function inspectCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { flags: ['json', 'help', 'h'] });
  if (args.flags.has('help') || args.flags.has('h')) { io.out(HELP); return 0; }
  if (args.positional.length !== 1) {
    throw new UsageError(args.positional.length === 0 ? 'expected a FILE to inspect' : `expected one FILE, got ${args.positional.length}: ${args.positional.join(' ')}`);
  }
  const file = args.positional[0];
  const report = await inspectFile(file);
  io.out(args.flags.has('json') ? JSON.stringify(reportJson(report), null, 2) : reportTable(report, file));
  if (!args.flags.has('json')) for (const note of report.notes) io.out(`note: ${note}`);
  return 0;
}

/** One tensor's line of the report: what the file stores (its dtype as stored) and its statistics. */
export interface InspectRow {
  name: string;
  kind: 'parameter' | 'buffer';
  shape: number[];
  /** The dtype as the file stores it (int16 stays int16). */
  dtype: string;
  requiresGrad: boolean;
  stats: TensorStats;
  /** numel × the stored dtype's size. */
  bytes: number;
}

export interface InspectReport {
  model?: Checkpoint['model'];
  rows: InspectRow[];
  notes: string[];
}

/**
 * Every tensor's row. A `.weights.json` is parsed whole (it is one JSON text); any other format
 * goes through the lazy reader, one tensor at a time: read, reduced to its statistics, dropped —
 * so a 500 MiB `.pt` is never in memory, only its largest tensor.
 */
export async function inspectFile(file: string): Promise<InspectReport> {
  if (formatFromName(file) === 'weights.json') {
    const any = await readAnyCheckpoint(file);
    if (any.sourceFormat === 'weights.json') return checkpointReport(any.checkpoint, any.notes);
  }
  const lazy = await openAnyLazy(file);
  const rows: InspectRow[] = [];
  // One open descriptor for the whole pass (a read per tensor, not an open, read and close), and
  // one buffer, as large as the largest tensor, that every read reuses: each record is reduced
  // to its statistics before the next read overwrites it.
  const scratch = growingScratch();
  await withFileSource(file, async (src) => {
    for (const t of lazy.tensors) {
      const record = await (t.readFrom ? t.readFrom(src, scratch) : t.read());
      rows.push({
        name: t.name, kind: lazy.buffers.has(t.name) ? 'buffer' : 'parameter', shape: [...t.shape], dtype: t.sourceDtype,
        requiresGrad: !lazy.buffers.has(t.name) && record.requires_grad, stats: tensorStats(record), bytes: numel(t.shape) * RAW_ITEMSIZE[t.sourceDtype],
      });
    }
  });
  // Parameters first, then buffers, each in the file's order (as the table and --json list them).
  rows.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'parameter' ? -1 : 1));
  return { rows, notes: lazy.notes };
}

function checkpointReport(ckpt: Checkpoint, notes: string[]): InspectReport {
  const row = (name: string, t: TensorRecord, kind: InspectRow['kind']): InspectRow => ({
    name, kind, shape: [...t.shape], dtype: t.dtype, requiresGrad: kind === 'parameter' && t.requires_grad,
    stats: tensorStats(t), bytes: tensorNumel(t) * dtypeBytes(t.dtype),
  });
  return {
    model: ckpt.model,
    rows: [...[...ckpt.parameters].map(([n, t]) => row(n, t, 'parameter')), ...[...(ckpt.buffers ?? [])].map(([n, t]) => row(n, t, 'buffer'))],
    notes,
  };
}

interface TensorJson {
  shape: number[]; numel: number; dtype: string; requires_grad: boolean;
  mean: number | null; std: number | null; min: number | null; max: number | null; l2: number | null; nonfinite: number;
}

const tensorJson = (r: InspectRow): TensorJson => ({
  shape: r.shape, numel: r.stats.numel, dtype: r.dtype, requires_grad: r.requiresGrad,
  mean: r.stats.mean, std: r.stats.std, min: r.stats.min, max: r.stats.max, l2: r.stats.l2, nonfinite: r.stats.nonfinite,
});

function totalsOf(rows: InspectRow[]): { total: number; trainable: number; frozen: number; bytes: number } {
  let total = 0, trainable = 0, bytes = 0;
  for (const r of rows) {
    bytes += r.bytes;
    if (r.kind !== 'parameter') continue;
    total += r.stats.numel;
    if (r.requiresGrad) trainable += r.stats.numel;
  }
  return { total, trainable, frozen: total - trainable, bytes };
}

/** The object docs/cli.md specifies for `inspect --json`: parameters and buffers, dtypes as stored. */
export function reportJson(report: InspectReport): { parameters: Record<string, TensorJson>; buffers: Record<string, TensorJson>; total: number; trainable: number; frozen: number } {
  const parameters: Record<string, TensorJson> = {};
  const buffers: Record<string, TensorJson> = {};
  for (const r of report.rows) (r.kind === 'parameter' ? parameters : buffers)[r.name] = tensorJson(r);
  const { total, trainable, frozen } = totalsOf(report.rows);
  return { parameters, buffers, total, trainable, frozen };
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

function statRow(r: InspectRow): string[] {
  const s = r.stats;
  return [r.name, `[${r.shape.join(', ')}]`, r.dtype, String(s.numel), r.kind === 'buffer' ? '-' : r.requiresGrad ? 'yes' : 'no', sig4(s.mean), sig4(s.std), sig4(s.min), sig4(s.max)];
}

export function reportTable(report: InspectReport, file: string): string {
  const out: string[] = [];
  const nonfinite: string[] = [];
  for (const r of report.rows) {
    const s = r.stats;
    if (s.nonfinite === 0) continue;
    const kinds = [[s.nan, 'NaN'], [s.posinf, '+Infinity'], [s.neginf, '-Infinity']].filter(([c]) => c).map(([c, k]) => `${c} ${k}`);
    nonfinite.push(`${r.kind === 'buffer' ? 'buffers.' : ''}${r.name} (${kinds.join(', ')})`);
  }
  const header = ['parameter', 'shape', 'dtype', 'numel', 'trainable', 'mean', 'std', 'min', 'max'];
  const model = report.model;
  out.push(`${file}${model?.name ? ` — model "${model.name}"` : ''}${model ? '' : ' (no model: can be inspected but not trained)'}`, '');
  const params = report.rows.filter((r) => r.kind === 'parameter');
  const buffers = report.rows.filter((r) => r.kind === 'buffer');
  if (params.length === 0) out.push('no parameters');
  else out.push(...alignedTable(header, params.map(statRow)));
  if (buffers.length > 0) out.push('', ...alignedTable(['buffer', ...header.slice(1)], buffers.map(statRow)));
  const totals = totalsOf(report.rows);
  out.push('',
    `parameters: ${totals.total} total, ${totals.trainable} trainable, ${totals.frozen} frozen`,
    `size: ${totals.bytes} bytes (${humanBytes(totals.bytes)})`);
  if (nonfinite.length) out.push(`!! NON-FINITE VALUES: ${nonfinite.join('; ')}`);
  return out.join('\n');
}
