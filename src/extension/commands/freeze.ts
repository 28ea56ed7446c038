// Weightscope: Freeze / Unfreeze Parameters… — set requires_grad on chosen layers / parameters,
// as one undoable edit. Frozen parameters get no gradient and no weight decay, as in PyTorch.
import * as vscode from 'vscode';
import { planRequiresGrad } from '../../actions/freeze';
import { parameterChoices } from './paramChoices';
import { pickMany } from './prompts';
import { optStringList } from './optionValues';
import { failed, type CommandOutcome } from './outcome';
import { fileLabel, resolveTarget } from './target';
import { summarizeNames } from './reinitialize';
import type { CommandServices } from './services';

export interface FreezeResult {
  /** Parameters whose requires_grad changed. */
  changed: string[];
  trainable: number;
  frozen: number;
}

export function freezeCommand(services: CommandServices, freeze: boolean) {
  return async (uri: unknown, options: Record<string, unknown> | undefined): Promise<CommandOutcome<FreezeResult>> => {
    const target = await resolveTarget(services, uri, { editing: true });
    if (!('doc' in target)) return target;
    const doc = target.doc;
    const ckpt = doc.checkpoint;
    const file = fileLabel(doc.uri);
    const candidates = [...ckpt.parameters.values()].filter((t) => t.requires_grad === freeze).length;
    if (candidates === 0) {
      return failed(freeze ? vscode.l10n.t('Every parameter of {0} is frozen already.', file) : vscode.l10n.t('No parameter of {0} is frozen.', file));
    }
    const title = freeze ? vscode.l10n.t('Freeze Parameters') : vscode.l10n.t('Unfreeze Parameters');
    const patterns = optStringList(options, 'params')
      ?? await pickMany(title, parameterChoices(ckpt, (_name, frozen) => !freeze && frozen),
        freeze ? vscode.l10n.t('Layers or parameters to freeze (training leaves them unchanged)') : vscode.l10n.t('Layers or parameters to unfreeze'));
    if (!patterns) return undefined;

    // The action's plan only: the document's checkpoint changes through applyChange alone (undoable).
    const changed = planRequiresGrad(ckpt, patterns, !freeze, file);
    if (changed.length > 0) {
      const label = freeze ? vscode.l10n.t('Freeze {0}', summarizeNames(changed)) : vscode.l10n.t('Unfreeze {0}', summarizeNames(changed));
      // The new records share the data arrays: freezing never changes values.
      doc.applyChange({ label, parameters: new Map(changed.map((n) => [n, { ...ckpt.parameters.get(n)!, requires_grad: !freeze }])) });
    }
    let trainable = 0, frozen = 0;
    for (const t of doc.checkpoint.parameters.values()) {
      const n = t.shape.reduce((a, b) => a * b, 1);
      if (t.requires_grad) trainable += n; else frozen += n;
    }
    services.output.appendLine(`[${freeze ? 'freeze' : 'unfreeze'}] ${file}: ${changed.join(', ') || '(nothing changed)'}`);
    return { ok: true, changed, trainable, frozen };
  };
}
