import { describe, expect, it } from 'vitest';
import { code, constructorTooltip, defaultInitBound, explanation, num, parameterTooltip, shapeMeaning, type L10n, type TooltipContext } from '../../../src/extension/hover/tooltip';
import { digestCheckpoint, headerDigest } from '../../../src/extension/hover/digest';
import { parseCheckpoint } from '../../../src/format/parse';
import { sparkline } from '../../../src/extension/hover/picture';
import { linearCheckpoint } from './fixtures';

/** vscode.l10n.t's formatting without a translation bundle. */
const l10n: L10n = { t: (m, ...args) => m.replace(/\{(\d+)\}/g, (_, i) => String(args[Number(i)])) };

describe('shapeMeaning', () => {
  it('Linear, Conv2d and LSTM shapes in words', () => {
    expect(shapeMeaning(l10n, 'fc1.weight', [8, 2], 'Linear')).toBe('8 outputs × 2 inputs');
    expect(shapeMeaning(l10n, 'fc3.weight', [1, 8], 'Linear')).toBe('1 output × 8 inputs');
    expect(shapeMeaning(l10n, 'fc1.bias', [8], 'Linear')).toBe('one per output');
    expect(shapeMeaning(l10n, 'conv.weight', [4, 1, 3, 3], 'Conv2d')).toBe('4 filters × 1 input channel × 3×3 kernel');
    expect(shapeMeaning(l10n, 'conv.bias', [4], 'Conv2d')).toBe('one per filter');
    expect(shapeMeaning(l10n, 'lstm.weight_ih_l0', [32, 8], 'LSTM')).toBe('4 gates (i, f, g, o) × 8 hidden × 8 inputs');
    expect(shapeMeaning(l10n, 'lstm.weight_hh_l1', [32, 8], 'LSTM')).toBe('4 gates (i, f, g, o) × 8 hidden × 8 hidden (previous step)');
    expect(shapeMeaning(l10n, 'lstm.bias_hh_l0', [32], 'LSTM')).toBe('4 gates (i, f, g, o) × 8 hidden');
  });
  it('nothing where the meaning is unknown', () => {
    expect(shapeMeaning(l10n, 'norm.weight', [8], undefined)).toBe('');
    expect(shapeMeaning(l10n, 'x.weight', [8, 2], 'Conv2d')).toBe('');
  });
  it('one line on each kind of parameter', () => {
    expect(explanation(l10n, 'fc1.weight', 'Linear')).toMatch(/fully connected/);
    expect(explanation(l10n, 'c.weight', 'Conv2d')).toMatch(/filter/);
    expect(explanation(l10n, 'lstm.weight_hh_l1', 'LSTM')).toMatch(/^LSTM layer 1, hidden-to-hidden/);
  });
});

describe('parameterTooltip', () => {
  const digest = digestCheckpoint(parseCheckpoint(linearCheckpoint({ frozen: true }), 'a.weights.json'));
  const w = digest.params[0];
  const ctx: TooltipContext = {
    l10n, label: (f) => f.replace('/ws/', ''), images: true,
    openLink: (f, p) => `command:weightscope.openParameter?${encodeURIComponent(JSON.stringify([f, p]))}`,
  };
  it('name, file, shape meaning, dtype, numel, frozen, statistics, picture, explanation, link', () => {
    const md = parameterTooltip(ctx, { name: 'fc1.weight', matches: [{ file: '/ws/models/a.weights.json', param: w }], pending: 0 });
    expect(md).toContain(`**\`fc1.weight\`** — models/a.weights.json · [Open in Weightscope](command:weightscope.openParameter?${encodeURIComponent(JSON.stringify(['/ws/models/a.weights.json', 'fc1.weight']))})`);
    expect(md).toContain('`[4, 2]` — 4 outputs × 2 inputs · float32 · 8 values · frozen');
    expect(md).toContain('mean 0.03125 · std 1.149 · min -2 · max 2');
    expect(md).toMatch(/!\[heatmap\]\(data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+\)/);
    expect(md).toContain('_blue −2 · white 0 · red +2_');
    expect(md).toContain('_Weight matrix of a fully connected (Linear) layer');
    expect(md).not.toContain('Also in');
  });
  it('lists a few more checkpoints, and says when indexing is still going on', () => {
    const matches = Array.from({ length: 7 }, (_, i) => ({ file: `/ws/m${i}.weights.json`, param: w }));
    const md = parameterTooltip(ctx, { name: 'fc1.weight', matches, pending: 3 });
    expect(md).toContain('Also in:');
    const footer = md.slice(md.indexOf('Also in:'));
    expect(footer.match(/\[m\d\.weights\.json\]\(command:[^)]+\) `\[4, 2\]`/g)).toHaveLength(4);
    expect(footer).toMatch(/ · and 2 more {2}\n_Still indexing 3 checkpoints…_$/);
  });
  it('before any checkpoint holding the name was read: says so', () => {
    expect(parameterTooltip(ctx, { name: '', matches: [], pending: 12 })).toBe('_Weightscope is still reading 12 checkpoints; hover again in a moment._');
  });
  it('a sparkline instead of an image where images are off', () => {
    const b = digest.params[1];
    const md = parameterTooltip({ ...ctx, images: false }, { name: 'fc1.bias', matches: [{ file: '/ws/a.weights.json', param: b }], pending: 0 });
    expect(md).not.toContain('data:image');
    expect(md).toMatch(/`[ ▁▂▃▄▅▆▇█]{20}` 0\.1 … 0\.4/);
  });
  it('a name with backticks stays inside its code span', () => {
    expect(code('fc1.weight')).toBe('`fc1.weight`');
    expect(code('a`b')).toBe('`` a`b ``');
    const evil = { ...w, name: 'x`](command:evil)`' };
    const md = parameterTooltip(ctx, { name: evil.name, matches: [{ file: '/ws/a.weights.json', param: evil }], pending: 0 });
    expect(md).toContain('**`` x`](command:evil)` ``**');
  });
  it('numbers: 4 significant digits', () => {
    expect(num(0.123456)).toBe('0.1235');
    expect(num(-3.2e-7)).toBe('-3.2e-7');
    expect(num(12)).toBe('12');
    expect(num(null)).toBe('—');
    expect(sparkline([0, 1, 8])).toBe(' ▁█');
  });
});

describe('constructorTooltip', () => {
  it('nn.Conv2d(3, 32, 3): shapes, counts, total and the default init bound', () => {
    const md = constructorTooltip(l10n, { type: 'Conv2d', in_channels: 3, out_channels: 32, kernel_size: 3 }, 'nn.Conv2d(3, 32, 3)');
    expect(md).toContain('**`nn.Conv2d(3, 32, 3)`** — creates 2 parameters, 896 values in all');
    expect(md).toContain('| `weight` | `[32, 3, 3, 3]` 32 filters × 3 input channels × 3×3 kernel | 864 | U(−0.1925, 0.1925) |');
    expect(md).toContain('| `bias` | `[32]` one per filter | 32 | U(−0.1925, 0.1925) |');
    expect(md).toContain('fan_in = 3·3·3 = 27');
  });
  it('nn.LSTM(10, 20, num_layers=2): eight parameters, bound 1/√hidden', () => {
    const md = constructorTooltip(l10n, { type: 'LSTM', input_size: 10, hidden_size: 20, num_layers: 2 }, 'nn.LSTM(10, 20, num_layers=2)');
    expect(md).toContain('creates 8 parameters');
    expect(md).toContain('| `weight_ih_l0` | `[80, 10]`');
    expect(md).toContain('| `weight_ih_l1` | `[80, 20]`');
    expect(defaultInitBound({ type: 'LSTM', input_size: 10, hidden_size: 20 })?.bound).toBeCloseTo(1 / Math.sqrt(20), 12);
  });
  it('nn.Linear(2, 8): bound 1/√2', () => {
    const md = constructorTooltip(l10n, { type: 'Linear', in_features: 2, out_features: 8 }, 'nn.Linear(2, 8)');
    expect(md).toContain('| `weight` | `[8, 2]` 8 outputs × 2 inputs | 16 | U(−0.7071, 0.7071) |');
    expect(md).toContain('24 values in all');
  });
});

describe('parameterTooltip: a foreign file known from its header only', () => {
  const ctx: TooltipContext = { l10n, label: (f) => f.replace('/ws/', ''), images: true };
  it('shape, dtype as stored and a note that the statistics are still being read', () => {
    const md = parameterTooltip(ctx, {
      name: 'h.0.attn.c_attn.weight', pending: 0,
      matches: [{ file: '/ws/gpt2.safetensors', param: headerDigest('h.0.attn.c_attn.weight', [768, 2304], 'bfloat16', true, 'Linear') }],
    });
    expect(md).toContain('`[768, 2304]` — 768 outputs × 2304 inputs · bfloat16 · 1769472 values · trainable');
    expect(md).toContain('_Statistics are still being read; hover again in a moment._');
    expect(md).not.toMatch(/mean|data:image/);
  });
});
