// Weightscope: Reinitialise Parameters… — a torch.nn.init scheme on chosen layers / parameters,
// as one undoable edit; the webview then shows the new histogram over the previous one.
import * as vscode from 'vscode';
import { reinitialize } from '../../actions/init';
import { INIT_SCHEMES, NONLINEARITIES, SCHEMES, initBounds, type FanMode, type InitOptions, type InitScheme } from '../../engine/init';
import { suggestInit } from './initDefaults';
import { parameterChoices } from './paramChoices';
import { askNumber, pickMany, pickOne, type Choice } from './prompts';
import { optChoice, optNumberValue, optString, optStringList } from './optionValues';
import { histogramsOf } from './histogramOverlay';
import { failed, type CommandOutcome } from './outcome';
import { fileLabel, resolveTarget } from './target';
import type { CommandServices } from './services';

export interface ReinitializeResult { params: string[]; scheme: InitScheme; seed: number }

/** The options argument: the CLI's `init` flags in camelCase. */
export interface ReinitializeOptions extends InitOptions { params?: string[]; scheme?: InitScheme; seed?: number }

const TITLE = () => vscode.l10n.t('Reinitialise Parameters');

export function reinitializeCommand(services: CommandServices) {
  return async (uri: unknown, options: Record<string, unknown> | undefined): Promise<CommandOutcome<ReinitializeResult>> => {
    const target = await resolveTarget(services, uri, { editing: true });
    if (!('doc' in target)) return target;
    const doc = target.doc;
    const ckpt = doc.checkpoint;
    const file = fileLabel(doc.uri);
    const interactive = options === undefined;
    if (ckpt.parameters.size === 0) return failed(vscode.l10n.t('{0} has no parameters to reinitialise.', file));

    const params = optStringList(options, 'params')
      ?? await pickMany(TITLE(), parameterChoices(ckpt), vscode.l10n.t('Layers or parameters to reinitialise'));
    if (!params) return undefined;
    const suggestion = suggestInit(ckpt.model, params);

    const scheme = optChoice(options, 'scheme', INIT_SCHEMES) ?? await pickScheme(suggestion.scheme);
    if (!scheme) return undefined;
    const schemeOptions = readSchemeOptions(options, scheme, suggestion.scheme === scheme ? suggestion.options : {});
    if (interactive) {
      const asked = await askSchemeOptions(scheme, schemeOptions);
      if (!asked) return undefined;
      Object.assign(schemeOptions, asked);
    }
    let seed = optNumberValue(options, 'seed', Number.isInteger, 'a whole number');
    if (seed === undefined && interactive) {
      seed = await askNumber(TITLE(), vscode.l10n.t('Seed of the random draws (the same seed gives the same values)'), Math.floor(Math.random() * 1e6), { integer: true, min: 0 });
      if (seed === undefined) return undefined;
    }
    seed ??= 0;

    const changed = reinitialize(ckpt, { scheme, params, seed, ...schemeOptions }, file);
    const names = [...changed.keys()];
    const previous = histogramsOf(ckpt.parameters, names);
    doc.applyChange({ label: vscode.l10n.t('Reinitialise {0} ({1})', summarizeNames(names), scheme), parameters: changed });
    const bounds = describeBounds(ckpt, names, scheme, schemeOptions);
    doc.postToWebviews({ type: 'histogramOverlay', previous, current: histogramsOf(changed, names), label: `${scheme}${bounds}` });
    services.output.appendLine(`[reinitialise] ${file}: ${names.join(', ')} with ${scheme} ${JSON.stringify(schemeOptions)} seed ${seed}`);
    void vscode.window.showInformationMessage(vscode.l10n.t('Reinitialised {0} with {1}{2}.', summarizeNames(names), scheme, bounds));
    return { ok: true, params: names, scheme, seed };
  };
}

async function pickScheme(suggested: InitScheme): Promise<InitScheme | undefined> {
  const ordered = [...SCHEMES].sort((a, b) => Number(b.scheme === suggested) - Number(a.scheme === suggested));
  const items: Choice<InitScheme>[] = ordered.map((s) => ({
    label: s.scheme,
    description: s.scheme === suggested ? vscode.l10n.t('suggested for this layer') : undefined,
    detail: vscode.l10n.t(s.description),
    value: s.scheme,
  }));
  return pickOne(TITLE(), items, vscode.l10n.t('Initialisation scheme'));
}

/** The scheme's keyword arguments from the options argument, over the suggestion's. */
function readSchemeOptions(options: Record<string, unknown> | undefined, scheme: InitScheme, suggested: InitOptions): InitOptions {
  const out: InitOptions = schemeOnly(scheme, suggested);
  const num = (k: keyof InitOptions) => { const v = optNumberValue(options, k); if (v !== undefined) (out as Record<string, unknown>)[k] = v; };
  (['gain', 'a', 'mean', 'std', 'low', 'high', 'val'] as const).forEach(num);
  const nl = optString(options, 'nonlinearity');
  if (nl !== undefined) out.nonlinearity = optChoice(options, 'nonlinearity', NONLINEARITIES);
  const mode = optChoice(options, 'mode', ['fan_in', 'fan_out'] as const);
  if (mode) out.mode = mode;
  if (scheme === 'constant' && out.val === undefined) out.val = 0;
  return out;
}

/** The keyword arguments each scheme takes (reinitialize refuses the others). */
const SCHEME_KEYS: Record<InitScheme, (keyof InitOptions)[]> = {
  uniform: ['low', 'high'], normal: ['mean', 'std'], constant: ['val'], zeros: [], ones: [],
  xavier_uniform: ['gain'], xavier_normal: ['gain'], orthogonal: ['gain'],
  kaiming_uniform: ['a', 'mode', 'nonlinearity'], kaiming_normal: ['a', 'mode', 'nonlinearity'], default: [],
};

/** Only the keys `scheme` takes: a suggestion made for another scheme must not leak into this one. */
export function schemeOnly(scheme: InitScheme, opts: InitOptions): InitOptions {
  const out: InitOptions = {};
  for (const k of SCHEME_KEYS[scheme]) if (opts[k] !== undefined) (out as Record<string, unknown>)[k] = opts[k];
  return out;
}

/** Asks for the keyword arguments the scheme has, the current values as defaults. */
async function askSchemeOptions(scheme: InitScheme, current: InitOptions): Promise<InitOptions | undefined> {
  const title = `${TITLE()}: ${scheme}`;
  const out: InitOptions = {};
  switch (scheme) {
    case 'xavier_uniform': case 'xavier_normal': case 'orthogonal': {
      const gain = await askNumber(title, vscode.l10n.t('Gain (calculate_gain: 1 for linear/sigmoid, 5/3 for tanh, √2 for relu)'), current.gain ?? 1, { above: 0 });
      if (gain === undefined) return undefined;
      out.gain = gain;
      return out;
    }
    case 'kaiming_uniform': case 'kaiming_normal': {
      const nl = await pickOne(title, NONLINEARITIES.map((n) => ({ label: n, value: n, picked: n === current.nonlinearity, description: n === (current.nonlinearity ?? 'leaky_relu') ? vscode.l10n.t('default') : undefined }))
        .sort((a, b) => Number(b.label === (current.nonlinearity ?? 'leaky_relu')) - Number(a.label === (current.nonlinearity ?? 'leaky_relu'))), vscode.l10n.t('Nonlinearity after the layer'));
      if (!nl) return undefined;
      out.nonlinearity = nl;
      if (nl === 'leaky_relu') {
        const a = await askNumber(title, vscode.l10n.t('Negative slope a of the leaky ReLU (0 = ReLU)'), current.a ?? 0, { min: 0 });
        if (a === undefined) return undefined;
        out.a = a;
      }
      const modes: Choice<FanMode>[] = [
        { label: 'fan_in', detail: vscode.l10n.t('Keeps the variance of the activations in the forward pass'), value: 'fan_in' },
        { label: 'fan_out', detail: vscode.l10n.t('Keeps the variance of the gradients in the backward pass'), value: 'fan_out' },
      ];
      const preferred = current.mode ?? 'fan_in';
      const mode = await pickOne(title, modes.sort((x, y) => Number(y.value === preferred) - Number(x.value === preferred)), vscode.l10n.t('Mode'));
      if (!mode) return undefined;
      out.mode = mode;
      return out;
    }
    case 'uniform': {
      const low = await askNumber(title, vscode.l10n.t('Lower bound (a)'), current.low ?? 0, {});
      if (low === undefined) return undefined;
      const high = await askNumber(title, vscode.l10n.t('Upper bound (b), at least the lower bound'), current.high ?? 1, { min: low });
      if (high === undefined) return undefined;
      return { low, high };
    }
    case 'normal': {
      const mean = await askNumber(title, vscode.l10n.t('Mean'), current.mean ?? 0, {});
      if (mean === undefined) return undefined;
      const std = await askNumber(title, vscode.l10n.t('Standard deviation'), current.std ?? 1, { min: 0 });
      if (std === undefined) return undefined;
      return { mean, std };
    }
    case 'constant': {
      const val = await askNumber(title, vscode.l10n.t('Value'), current.val ?? 0, {});
      return val === undefined ? undefined : { val };
    }
    default:
      return out;
  }
}

/** " (fc1.weight: U(−0.79, 0.79))" for the first weight the scheme drew, so the user sees the bound. */
function describeBounds(ckpt: { parameters: Map<string, { shape: number[] }> }, names: string[], scheme: InitScheme, opts: InitOptions): string {
  const name = names.find((n) => (ckpt.parameters.get(n)?.shape.length ?? 0) >= 2);
  if (!name || scheme === 'default') return '';
  try {
    const b = initBounds(scheme, ckpt.parameters.get(name)!.shape, opts);
    const f = (x: number) => Number(x.toPrecision(4)).toString();
    switch (b.kind) {
      case 'uniform': return ` (${name}: U(${f(b.low)}, ${f(b.high)}))`;
      case 'normal': return ` (${name}: N(${f(b.mean)}, ${f(b.std)}²))`;
      case 'constant': return ` (${name}: ${f(b.value)})`;
      case 'orthogonal': return ` (${name}: gain ${f(b.gain)})`;
    }
  } catch {
    return '';
  }
}

export function summarizeNames(names: string[]): string {
  return names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} +${names.length - 3}`;
}
