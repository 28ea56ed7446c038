// Weightscope: New Model… — a checkpoint from a preset or a layer string (the CLI's `new`):
// input shape, init scheme, seed and file name, written atomically into the workspace and opened
// in the Weightscope editor.
import * as vscode from 'vscode';
import { newCheckpoint } from '../../actions/newModel';
import { INIT_SCHEMES, SCHEMES, type InitScheme } from '../../engine/init';
import { parseLayerString } from '../../engine/layerString';
import { UsageError } from '../../cli/common';
import { writeCheckpoint } from '../editor/checkpointIo';
import { MODEL_PRESETS, findPreset, type ModelPreset } from './presets';
import { askNumber, askText, pickOne, t } from './prompts';
import { optChoice, optNumberValue, optString } from './optionValues';
import { failed, type CommandOutcome } from './outcome';
import { normalizeModelFileName, parseInputShape, validateInputShape, validateModelFileName } from './validate';
import type { CommandServices } from './services';

export interface NewModelResult { uri: vscode.Uri; parameters: string[] }

const TITLE = () => vscode.l10n.t('New Model');
const CUSTOM = '__custom__';

export function newModelCommand(services: CommandServices) {
  return async (target: unknown, options: Record<string, unknown> | undefined): Promise<CommandOutcome<NewModelResult>> => {
    // From the Explorer's context menu on a folder: the new file goes there; else the first workspace folder.
    const folder = target instanceof vscode.Uri ? { uri: target } : vscode.workspace.workspaceFolders?.[0];
    const interactive = options === undefined;
    const presetId = optString(options, 'preset');
    let preset: ModelPreset | undefined;
    if (presetId !== undefined) {
      preset = findPreset(presetId);
      if (!preset) throw new UsageError(`option preset expects one of ${MODEL_PRESETS.map((p) => p.id).join(', ')}, got "${presetId}"`);
    }
    let layers = optString(options, 'layers');
    if (!layers && !preset) {
      const choice = await pickOne<string>(TITLE(), [
        ...MODEL_PRESETS.map((p) => ({ label: vscode.l10n.t(p.label), description: p.layers, detail: vscode.l10n.t(p.detail), value: p.id })),
        { label: vscode.l10n.t('Custom layers…'), detail: vscode.l10n.t('Type the layers as PyTorch constructor calls, e.g. Linear(2,8) ReLU Linear(8,1)'), value: CUSTOM },
      ], vscode.l10n.t('Architecture'));
      if (!choice) return undefined;
      preset = findPreset(choice);
    }
    if (!layers && preset) layers = preset.layers;
    if (!layers) {
      layers = await askText(TITLE(), vscode.l10n.t('Layers, as in the CLI: PyTorch constructor calls separated by spaces'), 'Linear(2,8) ReLU Linear(8,1)', validateLayers);
      if (layers === undefined) return undefined;
    }

    let inputShape = readInputShape(options?.inputShape) ?? preset?.inputShape;
    if (!inputShape && interactive) {
      const typed = await askText(TITLE(), vscode.l10n.t('Input shape of one sample (e.g. 2 or 1,8,8); empty when the first Linear layer fixes it'), '', (v) => validateInputShape(v, t));
      if (typed === undefined) return undefined;
      inputShape = parseInputShape(typed);
    }

    let init = optChoice(options, 'init', INIT_SCHEMES);
    if (!init && interactive) {
      init = await pickOne<InitScheme>(TITLE(), SCHEMES.map((s) => ({ label: s.scheme, detail: vscode.l10n.t(s.description), value: s.scheme })), vscode.l10n.t('Initialisation (default: each layer\'s PyTorch reset_parameters)'));
      if (!init) return undefined;
    }

    let seed = optNumberValue(options, 'seed', Number.isInteger, 'a whole number');
    if (seed === undefined && interactive) {
      seed = await askNumber(TITLE(), vscode.l10n.t('Seed of the initial values'), 0, { integer: true, min: 0 });
      if (seed === undefined) return undefined;
    }

    let out = optString(options, 'out');
    if (out === undefined) {
      if (!folder) return failed(vscode.l10n.t('Open a folder first: the new model is written into the workspace.'));
      const taken = await existingNames(folder.uri);
      out = await askText(TITLE(), vscode.l10n.t('File name, relative to {0}', vscode.workspace.asRelativePath(folder.uri, true) || folder.uri.path), freeName(preset?.fileName ?? 'model.weights.json', taken),
        (v) => validateModelFileName(v, t, (n) => taken.has(n)));
      if (out === undefined) return undefined;
    }
    const uri = resolveOut(out, folder?.uri);
    if (await exists(uri)) return failed(vscode.l10n.t('{0} already exists: choose another file name.', vscode.workspace.asRelativePath(uri, false)));

    const file = vscode.workspace.asRelativePath(uri, false);
    const name = optString(options, 'name') ?? uri.path.split('/').pop()!.replace(/\.weights\.json$/, '');
    const ckpt = newCheckpoint({ layers, inputShape, seed: seed ?? 0, init, name, file });
    if (preset && preset.layers === layers) {
      ckpt.training = { dataset: preset.dataset, loss: preset.loss };
      ckpt.keyOrder.push('training');
    }
    await writeCheckpoint(uri, ckpt);
    await vscode.commands.executeCommand('vscode.openWith', uri, 'weightscope.weightsEditor');
    services.output.appendLine(`[new model] ${file}: ${layers}${inputShape ? ` input [${inputShape.join(', ')}]` : ''} init ${init ?? 'default'} seed ${seed ?? 0}`);
    return { ok: true, uri, parameters: [...ckpt.parameters.keys()] };
  };
}

function validateLayers(text: string): string | undefined {
  try {
    parseLayerString(text);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

function readInputShape(v: unknown): number[] | undefined {
  if (v === undefined || v === null) return undefined;
  const parsed = Array.isArray(v) ? parseInputShape(v.join(',')) : typeof v === 'string' || typeof v === 'number' ? parseInputShape(String(v)) : undefined;
  if (!parsed) throw new UsageError(`option inputShape expects positive whole numbers such as [2] or "1,8,8", got ${JSON.stringify(v)}`);
  return parsed;
}

/** `out` relative to the workspace folder (absolute paths are taken as they are). */
function resolveOut(out: string, folder: vscode.Uri | undefined): vscode.Uri {
  const name = normalizeModelFileName(out);
  if (/^([A-Za-z]:)?[\\/]/.test(name)) return vscode.Uri.file(name);
  if (!folder) throw new UsageError(`option out: "${out}" is relative, but no folder is open`);
  const problem = validateModelFileName(name, t);
  if (problem) throw new UsageError(`option out: ${problem}`);
  return vscode.Uri.joinPath(folder, ...name.split(/[\\/]/));
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try { await vscode.workspace.fs.stat(uri); return true; } catch { return false; }
}

async function existingNames(folder: vscode.Uri): Promise<Set<string>> {
  try {
    return new Set((await vscode.workspace.fs.readDirectory(folder)).map(([n]) => n));
  } catch {
    return new Set();
  }
}

/** The preset's file name, or name-2, name-3… when taken. */
function freeName(base: string, taken: Set<string>): string {
  if (!taken.has(base)) return base;
  const stem = base.replace(/\.weights\.json$/, '');
  for (let i = 2; ; i++) if (!taken.has(`${stem}-${i}.weights.json`)) return `${stem}-${i}.weights.json`;
}

