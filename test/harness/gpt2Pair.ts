// A GPT-2-sized pair of checkpoints (124 M float32 parameters, ~500 MB each), written as
// .safetensors by the project's own writer, one tensor at a time: A "pretrained", B a
// "fine-tuned" copy where the last `tunedBlocks` transformer blocks and the final LayerNorm moved
// (every 7th output row of their weights, and their biases), the rest bit-identical. Used by the
// diff streaming smoke test and bench/diff.mjs; never committed (made at test time).
import { writeSafetensorsFile, type SafetensorsWriteEntry } from '../../src/format/safetensorsWrite';

export interface Gpt2PairOptions {
  /** Transformer blocks (GPT-2 small: 12). */
  layers?: number;
  /** Width (GPT-2 small: 768); the vocabulary and context stay GPT-2's unless given. */
  embd?: number;
  vocab?: number;
  context?: number;
  /** How many of the last blocks the fine-tune touched (default 2). */
  tunedBlocks?: number;
}

export interface Gpt2Pair {
  shapes: [string, number[]][];
  /** Names of the tensors that differ between A and B. */
  changed: string[];
  params: number;
}

/** GPT-2's state_dict names and shapes (Hugging Face's `GPT2Model`, Conv1D weights as [in, out]). */
export function gpt2Shapes({ layers = 12, embd = 768, vocab = 50257, context = 1024 }: Gpt2PairOptions = {}): [string, number[]][] {
  const out: [string, number[]][] = [['wte.weight', [vocab, embd]], ['wpe.weight', [context, embd]]];
  for (let l = 0; l < layers; l++) {
    const h = `h.${l}.`;
    out.push(
      [`${h}ln_1.weight`, [embd]], [`${h}ln_1.bias`, [embd]],
      [`${h}attn.c_attn.weight`, [embd, 3 * embd]], [`${h}attn.c_attn.bias`, [3 * embd]],
      [`${h}attn.c_proj.weight`, [embd, embd]], [`${h}attn.c_proj.bias`, [embd]],
      [`${h}ln_2.weight`, [embd]], [`${h}ln_2.bias`, [embd]],
      [`${h}mlp.c_fc.weight`, [embd, 4 * embd]], [`${h}mlp.c_fc.bias`, [4 * embd]],
      [`${h}mlp.c_proj.weight`, [4 * embd, embd]], [`${h}mlp.c_proj.bias`, [embd]],
    );
  }
  out.push(['ln_f.weight', [embd]], ['ln_f.bias', [embd]]);
  return out;
}

/** Values in [−0.1, 0.1) from a small seeded generator (xorshift32): fast, and the same every run. */
function fill(out: Float32Array, seed: number): void {
  let s = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < out.length; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    out[i] = (s / 4294967296 - 0.5) * 0.2;
  }
}

export async function writeGpt2Pair(fileA: string, fileB: string, opts: Gpt2PairOptions = {}): Promise<Gpt2Pair> {
  const shapes = gpt2Shapes(opts);
  const layers = opts.layers ?? 12;
  const tunedFrom = layers - (opts.tunedBlocks ?? 2);
  const isTuned = (name: string) => name.startsWith('ln_f.') || (/^h\.(\d+)\./.test(name) && Number(/^h\.(\d+)\./.exec(name)![1]) >= tunedFrom);
  const entries = (tuned: boolean): SafetensorsWriteEntry[] => shapes.map(([name, shape], k) => ({
    name, shape, dtype: 'float32',
    data: () => {
      const v = new Float32Array(shape.reduce((p, d) => p * d, 1));
      fill(v, k + 1);
      if (tuned && isTuned(name)) {
        const cols = shape.length === 2 ? shape[1] : 1;
        for (let i = 0; i < v.length; i++) if (shape.length === 1 || Math.floor(i / cols) % 7 === 0) v[i] += 0.01 * Math.sin(i);
      }
      return v;
    },
  }));
  await writeSafetensorsFile(fileA, entries(false));
  await writeSafetensorsFile(fileB, entries(true));
  return {
    shapes, changed: shapes.map(([n]) => n).filter(isTuned),
    params: shapes.reduce((p, [, s]) => p + s.reduce((q, d) => q * d, 1), 0),
  };
}
