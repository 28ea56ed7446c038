// Running the CLI in-process for the command tests, and a temp folder per test file.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli';
import type { CliIO } from '../../../src/cli/common';
import { parseCheckpoint } from '../../../src/format/parse';
import type { Checkpoint } from '../../../src/format/types';

export interface Run { code: number; out: string; err: string }

export async function run(...argv: string[]): Promise<Run> {
  const out: string[] = [], err: string[] = [];
  const io: CliIO = { out: (t) => out.push(t), err: (t) => err.push(t) };
  const code = await main(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

export const tempDir = (prefix: string) => fs.mkdtemp(path.join(os.tmpdir(), prefix));

export async function load(file: string): Promise<Checkpoint> {
  return parseCheckpoint(await fs.readFile(file, 'utf8'), file);
}

/** Expect exit 2 with one line on stderr matching `msg`, no stack trace. */
export function expectUsageFailure(r: Run, msg: RegExp): void {
  if (r.code !== 2 || !msg.test(r.err)) throw new Error(`expected exit 2 matching ${msg}, got ${r.code}: ${r.err}`);
  if (r.err.includes('\n') || /\bat .*\.ts:\d+/.test(r.err)) throw new Error(`expected one line without a stack trace, got: ${r.err}`);
}

/** A small file with a model: fc1 Linear(3,4), Tanh, fc2 Linear(4,2); fc2.bias frozen. */
export const MLP_JSON = JSON.stringify({
  format: 'weights.json', version: 1,
  model: { name: 'mlp', input_shape: [3], layers: [
    { type: 'Linear', name: 'fc1', in_features: 3, out_features: 4 }, { type: 'Tanh' },
    { type: 'Linear', name: 'fc2', in_features: 4, out_features: 2 },
  ] },
  parameters: {
    'fc1.weight': { shape: [4, 3], data: [[1, -2, 3], [0.5, 0.25, -0.125], [2, 2, 2], [-1, 0, 1]] },
    'fc1.bias': { shape: [4], data: [0.1, 0.2, 0.3, 0.4] },
    'fc2.weight': { shape: [2, 4], data: [[1, 1, 1, 1], [-1, -1, -1, -1]] },
    'fc2.bias': { shape: [2], requires_grad: false, data: [5, -5] },
  },
  optimizer: { type: 'Adam', lr: 0.01 },
  metadata: { note: 'kept' },
});
