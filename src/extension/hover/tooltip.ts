// The hover's text, as markdown: a parameter found in the workspace's checkpoints, or the
// parameters a layer constructor will create. No `vscode` here (so tests read the exact text);
// every phrase goes through the injected `l10n.t`, which is `vscode.l10n` in the extension.
import { layerParams, type LayerSpec, type LayerType, numel, pair } from '../../engine/spec';
import type { ParamDigest } from './digest';
import type { LookupResult } from './index';
import { pictureDataUri, sparkline } from './picture';

/** The slice of `vscode.l10n` this module needs: `t('{0} outputs', 8)`. */
export interface L10n { t(message: string, ...args: (string | number | boolean)[]): string }

/** How the tooltip refers to checkpoint files and builds its link; supplied by the extension. */
export interface TooltipContext {
  l10n: L10n;
  /** A short label for a checkpoint file (its path relative to the workspace). */
  label(file: string): string;
  /** A markdown link target opening `file` in the Weightscope editor with `param` selected; undefined: no link. */
  openLink?(file: string, param: string): string;
  /** Whether images can be shown (else a block-character sparkline stands in). */
  images: boolean;
}

/** How many other checkpoints holding the same name are listed by name. */
const MORE_LISTED = 4;

/** Up to 4 significant digits, no trailing zeros: 0.1235, -3.2e-7, 12. */
export function num(v: number | null): string {
  if (v === null) return '—';
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e-4 && a < 1e6 ? String(Number(v.toPrecision(4))) : v.toExponential(3).replace(/\.?0+e/, 'e');
}

const count = (l10n: L10n, n: number, one: string, many: string) => (n === 1 ? l10n.t(one, n) : l10n.t(many, n));

function lstmLayer(name: string): string {
  return /_l(\d+)(?:_reverse)?$/.exec(name)?.[1] ?? '0';
}

/** What the dimensions of a parameter's shape mean, e.g. "8 outputs × 2 inputs"; '' when unknown. */
export function shapeMeaning(l10n: L10n, name: string, shape: readonly number[], layerType: LayerType | undefined): string {
  const leaf = name.slice(name.lastIndexOf('.') + 1);
  if (shape.length === 0) return l10n.t('a single number');
  const gates = l10n.t('4 gates (i, f, g, o)');
  switch (layerType) {
    case 'Linear':
      if (leaf === 'weight' && shape.length === 2) {
        return `${count(l10n, shape[0], '{0} output', '{0} outputs')} × ${count(l10n, shape[1], '{0} input', '{0} inputs')}`;
      }
      if (leaf === 'bias' && shape.length === 1) return l10n.t('one per output');
      break;
    case 'Conv2d':
      if (leaf === 'weight' && shape.length === 4) {
        return `${count(l10n, shape[0], '{0} filter', '{0} filters')} × ${count(l10n, shape[1], '{0} input channel', '{0} input channels')} × ${l10n.t('{0}×{1} kernel', shape[2], shape[3])}`;
      }
      if (leaf === 'bias' && shape.length === 1) return l10n.t('one per filter');
      break;
    case 'LSTM': {
      if (shape[0] % 4 !== 0) break;
      const h = shape[0] / 4;
      const hidden = l10n.t('{0} hidden', h);
      if (/^weight_ih/.test(leaf) && shape.length === 2) return `${gates} × ${hidden} × ${count(l10n, shape[1], '{0} input', '{0} inputs')}`;
      if (/^weight_hh/.test(leaf) && shape.length === 2) return `${gates} × ${hidden} × ${l10n.t('{0} hidden (previous step)', shape[1])}`;
      if (/^bias_/.test(leaf) && shape.length === 1) return `${gates} × ${hidden}`;
      break;
    }
    default:
      break;
  }
  return '';
}

/** One line on what this kind of parameter does. */
export function explanation(l10n: L10n, name: string, layerType: LayerType | undefined, buffer = false): string {
  const leaf = name.slice(name.lastIndexOf('.') + 1);
  if (buffer) return l10n.t('A buffer: state the model keeps and saves but does not train (for example running statistics).');
  switch (layerType) {
    case 'Linear':
      return leaf === 'weight'
        ? l10n.t('Weight matrix of a fully connected (Linear) layer: row i holds the weights output i gives each input.')
        : l10n.t('Bias of a Linear layer: a constant added to each output.');
    case 'Conv2d':
      return leaf === 'weight'
        ? l10n.t('Convolution filters: each filter slides its kernel over all input channels and makes one output channel.')
        : l10n.t('Bias of a Conv2d layer: one constant added to each output channel.');
    case 'LSTM': {
      const k = lstmLayer(leaf);
      if (leaf.startsWith('weight_ih')) return l10n.t('LSTM layer {0}, input-to-hidden weights: how the input feeds the four gates.', k);
      if (leaf.startsWith('weight_hh')) return l10n.t('LSTM layer {0}, hidden-to-hidden (recurrent) weights: how the previous hidden state feeds the four gates.', k);
      return l10n.t('LSTM layer {0}, gate biases (PyTorch keeps two sets, bias_ih and bias_hh, which add up).', k);
    }
    default:
      return leaf === 'bias'
        ? l10n.t('A bias: constants added to a layer\'s outputs.')
        : l10n.t('A learnable tensor of the model.');
  }
}

const shapeText = (shape: readonly number[]) => `[${shape.join(', ')}]`;
/** A markdown code span that a name from a file cannot break out of, whatever backticks it holds. */
export function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  return longest > 0 ? `${fence} ${text} ${fence}` : `${fence}${text}${fence}`;
}
/** Markdown-escapes a file label shown outside code spans (it may hold `*`, `_` or brackets; it never starts a line). */
const esc = (s: string) => s.replace(/[\\`*_[\]<>|]/g, '\\$&');

function paramBlock(ctx: TooltipContext, file: string, p: ParamDigest): string[] {
  const { l10n } = ctx;
  const lines: string[] = [];
  const link = ctx.openLink?.(file, p.name);
  // The link sits on the first line, so it stays in view when VS Code clips a tall hover.
  lines.push(`**${code(p.name)}** — ${esc(ctx.label(file))}${link ? ` · [${l10n.t('Open in Weightscope')}](${link})` : ''}`);
  const meaning = shapeMeaning(l10n, p.name, p.shape, p.layerType);
  const flags = [
    `\`${shapeText(p.shape)}\`${meaning ? ` — ${meaning}` : ''}`,
    p.dtype,
    count(l10n, p.numel, '{0} value', '{0} values'),
    p.buffer ? l10n.t('buffer') : p.requiresGrad ? l10n.t('trainable') : l10n.t('frozen'),
  ];
  lines.push(flags.join(' · '));
  const s = p.stats;
  if (!s) {
    // A foreign file's header is read at once, its values later at low priority.
    lines.push(`_${l10n.t('Statistics are still being read; hover again in a moment.')}_`);
  } else {
    let stats = `${l10n.t('mean')} ${num(s.mean)} · ${l10n.t('std')} ${num(s.std)} · ${l10n.t('min')} ${num(s.min)} · ${l10n.t('max')} ${num(s.max)}`;
    if (s.nonfinite > 0) stats += ` · ${count(l10n, s.nonfinite, '{0} non-finite value', '{0} non-finite values')}`;
    lines.push(stats);
  }
  if (s && p.picture) {
    if (ctx.images) {
      const alt = p.picture.kind === 'heatmap' ? l10n.t('heatmap') : l10n.t('histogram');
      lines.push(`![${alt}](${pictureDataUri(p.picture)})`);
      if (p.picture.kind === 'heatmap') {
        // The colour scale is symmetric around zero, up to the largest magnitude.
        const maxAbs = Math.max(Math.abs(s.min ?? 0), Math.abs(s.max ?? 0));
        let caption = l10n.t('blue −{0} · white 0 · red +{0}', num(maxAbs));
        if (p.picture.blockRows > 1 || p.picture.blockCols > 1) {
          caption += ` · ${l10n.t('each cell: the largest-magnitude value of a {0}×{1} block', p.picture.blockRows, p.picture.blockCols)}`;
        }
        lines.push(`_${caption}_`);
      } else {
        lines.push(`_${l10n.t('distribution of the values, {0} … {1}', num(p.picture.min), num(p.picture.max))}_`);
      }
    } else if (p.picture.kind === 'histogram') {
      lines.push(`\`${sparkline(p.picture.counts)}\` ${num(p.picture.min)} … ${num(p.picture.max)}`);
    }
  }
  lines.push(`_${explanation(l10n, p.name, p.layerType, p.buffer)}_`);
  return lines;
}

/** The tooltip for a parameter name found in the index: the nearest checkpoint in full, a few more on one line. */
export function parameterTooltip(ctx: TooltipContext, result: LookupResult): string {
  const [first, ...others] = result.matches;
  if (!first) {
    // The first hover of a large workspace, before any checkpoint holding the name was read.
    return `_${count(ctx.l10n, result.pending, 'Weightscope is still reading {0} checkpoint; hover again in a moment.', 'Weightscope is still reading {0} checkpoints; hover again in a moment.')}_`;
  }
  const block = paramBlock(ctx, first.file, first.param).join('  \n');
  const footer: string[] = [];
  if (others.length > 0) {
    const listed = others.slice(0, MORE_LISTED).map((m) => {
      const link = ctx.openLink?.(m.file, m.param.name);
      const label = esc(ctx.label(m.file));
      return `${link ? `[${label}](${link})` : label} ${code(shapeText(m.param.shape))}`;
    });
    if (others.length > MORE_LISTED) listed.push(ctx.l10n.t('and {0} more', others.length - MORE_LISTED));
    footer.push(`${ctx.l10n.t('Also in:')} ${listed.join(' · ')}`);
  }
  if (result.pending > 0) {
    footer.push(`_${count(ctx.l10n, result.pending, 'Still indexing {0} checkpoint…', 'Still indexing {0} checkpoints…')}_`);
  }
  return footer.length ? `${block}\n\n---\n\n${footer.join('  \n')}` : block;
}

/** PyTorch's default init bound for a layer's parameters: U(−b, b) with b = 1/√fan_in (Linear, Conv2d) or 1/√hidden (LSTM). */
export function defaultInitBound(layer: LayerSpec): { bound: number; formula: string } | null {
  switch (layer.type) {
    case 'Linear': return { bound: 1 / Math.sqrt(layer.in_features), formula: `1/√fan_in, fan_in = ${layer.in_features}` };
    case 'Conv2d': {
      const [kh, kw] = pair(layer.kernel_size);
      const fanIn = layer.in_channels * kh * kw;
      return { bound: 1 / Math.sqrt(fanIn), formula: `1/√fan_in, fan_in = ${layer.in_channels}·${kh}·${kw} = ${fanIn}` };
    }
    case 'LSTM': return { bound: 1 / Math.sqrt(layer.hidden_size), formula: `1/√hidden_size, hidden_size = ${layer.hidden_size}` };
    default: return null;
  }
}

/** The tooltip for a layer constructor: the parameters it creates, their shapes and counts, the total and the default init. */
export function constructorTooltip(l10n: L10n, layer: LayerSpec, sourceText: string): string {
  const slots = layerParams(layer, 0);
  const init = defaultInitBound(layer);
  const bound = init ? `U(−${num(init.bound)}, ${num(init.bound)})` : '—';
  const total = slots.reduce((a, s) => a + numel(s.shape), 0);
  const rows = slots.map((s) => {
    const meaning = shapeMeaning(l10n, s.local, s.shape, layer.type);
    return `| \`${s.local}\` | \`${shapeText(s.shape)}\`${meaning ? ` ${meaning}` : ''} | ${numel(s.shape)} | ${bound} |`;
  });
  return [
    `**${code(sourceText)}** — ${count(l10n, slots.length, 'creates {0} parameter', 'creates {0} parameters')}, ${count(l10n, total, '{0} value in all', '{0} values in all')}`,
    '',
    `| ${l10n.t('parameter')} | ${l10n.t('shape')} | ${l10n.t('values')} | ${l10n.t('default init')} |`,
    '|---|---|--:|---|',
    ...rows,
    '',
    init ? `_${l10n.t('PyTorch initialises them uniformly in ±{0} ({1}).', num(init.bound), init.formula)}_` : '',
  ].join('\n');
}
