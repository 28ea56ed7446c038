// The quick-pick rows for choosing parameters: each layer that owns parameters (its prefix selects
// all of them, as the CLI's PATTERN does), then each parameter on its own, marked when frozen.
import * as vscode from 'vscode';
import type { Checkpoint } from '../../format/types';
import { layerParams, layerPrefix } from '../../engine/spec';
import { formatLayer } from '../../engine/layerString';
import type { Choice } from './prompts';

export function parameterChoices(ckpt: Checkpoint, preselect: (name: string, frozen: boolean) => boolean = () => false): Choice<string>[] {
  const rows: Choice<string>[] = [];
  const layers = ckpt.model?.layers ?? [];
  const layerRows: Choice<string>[] = [];
  layers.forEach((layer, i) => {
    const slots = layerParams(layer, i).filter((s) => ckpt.parameters.has(s.name));
    if (slots.length === 0) return;
    const prefix = layerPrefix(layer, i);
    const frozen = slots.every((s) => ckpt.parameters.get(s.name)?.requires_grad === false);
    layerRows.push({
      label: `$(layers) ${prefix}`,
      description: formatLayer(layer),
      detail: vscode.l10n.t('layer: {0}', slots.map((s) => s.name).join(', ')),
      value: prefix,
      picked: preselect(prefix, frozen),
    });
  });
  if (layerRows.length > 0) {
    rows.push({ label: vscode.l10n.t('Layers'), kind: vscode.QuickPickItemKind.Separator, value: '' }, ...layerRows);
    rows.push({ label: vscode.l10n.t('Parameters'), kind: vscode.QuickPickItemKind.Separator, value: '' });
  }
  for (const [name, t] of ckpt.parameters) {
    const frozen = !t.requires_grad;
    rows.push({
      label: `${frozen ? '$(lock)' : '$(symbol-variable)'} ${name}`,
      description: `[${t.shape.join(', ')}] ${t.dtype}${frozen ? ' · ' + vscode.l10n.t('frozen') : ''}`,
      value: name,
      picked: preselect(name, frozen),
    });
  }
  return rows;
}
