// Weightscope: Apply Weight Decay… — either remember a weight_decay for training in the file's
// optimizer (coupled L2 in SGD/Adam, decoupled in AdamW), or apply one decoupled decay step now,
// w ← w·(1 − lr·λ), to the trainable parameters, showing the L2 norm before and after.
import * as vscode from 'vscode';
import { applyWeightDecay } from '../../actions/decay';
import type { Checkpoint, OptimizerSpec } from '../../format/types';
import { trainableL2 } from './trainableL2';
import { askNumber, pickOne } from './prompts';
import { optChoice, optNumberValue } from './optionValues';
import { failed, type CommandOutcome } from './outcome';
import { fileLabel, resolveTarget } from './target';
import { defaultOptimizerSpec } from './trainDefaults';
import type { CommandServices } from './services';

export type DecayMode = 'now' | 'optimizer';

export interface WeightDecayResult {
  mode: DecayMode;
  weightDecay: number;
  /** 'now': the decayed parameters and the L2 norm of the trainable parameters before and after. */
  params?: string[];
  l2Before?: number;
  l2After?: number;
  /** 'optimizer': the optimizer section written. */
  optimizer?: OptimizerSpec;
}

const TITLE = () => vscode.l10n.t('Apply Weight Decay');

export function weightDecayCommand(services: CommandServices) {
  return async (uri: unknown, options: Record<string, unknown> | undefined): Promise<CommandOutcome<WeightDecayResult>> => {
    const target = await resolveTarget(services, uri, { editing: true });
    if (!('doc' in target)) return target;
    const doc = target.doc;
    const ckpt = doc.checkpoint;
    const file = fileLabel(doc.uri);

    const mode = optChoice(options, 'mode', ['now', 'optimizer'] as const)
      ?? (options?.weightDecay !== undefined ? 'now' : await pickMode(ckpt));
    if (!mode) return undefined;

    const current = ckpt.optimizer?.weight_decay;
    let weightDecay = optNumberValue(options, 'weightDecay', (n) => n >= 0, 'a number ≥ 0');
    if (weightDecay === undefined) {
      weightDecay = await askNumber(TITLE(), vscode.l10n.t('Weight decay λ'), current && current > 0 ? current : 0.01, { min: 0 });
      if (weightDecay === undefined) return undefined;
    }

    if (mode === 'optimizer') {
      const base = ckpt.optimizer ?? defaultOptimizerSpec(vscode.workspace.getConfiguration('weightscope', doc.uri));
      const optimizer: OptimizerSpec = { ...base, weight_decay: weightDecay };
      doc.applyChange({ label: vscode.l10n.t('Set weight_decay to {0}', weightDecay), optimizer });
      services.output.appendLine(`[weight decay] ${file}: optimizer ${optimizer.type} weight_decay = ${weightDecay}`);
      void vscode.window.showInformationMessage(optimizer.type === 'AdamW'
        ? vscode.l10n.t('Training with {0} will decay the weights by (1 − lr·{1}) before each step (decoupled).', optimizer.type, weightDecay)
        : vscode.l10n.t('Training with {0} will add {1}·w to each gradient (L2 penalty ({1}/2)·Σw²).', optimizer.type, weightDecay));
      return { ok: true, mode, weightDecay, optimizer };
    }

    let lr = optNumberValue(options, 'lr', (n) => n > 0, 'a number > 0');
    if (lr === undefined && options === undefined) {
      lr = await askNumber(TITLE(), vscode.l10n.t('Step size lr (each weight is multiplied by 1 − lr·λ)'), 1, { above: 0 });
      if (lr === undefined) return undefined;
    }
    lr ??= 1;
    if (![...ckpt.parameters.values()].some((t) => t.requires_grad)) return failed(vscode.l10n.t('{0} has no trainable parameter to decay: every parameter is frozen.', file));

    const l2Before = trainableL2(ckpt.parameters);
    const changed = applyWeightDecay(ckpt, { weightDecay, lr }, file);
    const params = [...changed.keys()];
    doc.applyChange({ label: vscode.l10n.t('Weight decay λ={0}, lr={1}', weightDecay, lr), parameters: changed });
    const l2After = trainableL2(doc.checkpoint.parameters);
    const fmt = (x: number) => Number(x.toPrecision(6)).toString();
    services.output.appendLine(`[weight decay] ${file}: λ=${weightDecay} lr=${lr}: L2 ${l2Before} -> ${l2After}`);
    void vscode.window.showInformationMessage(vscode.l10n.t('Weight decay λ={0}, lr={1}: L2 norm of the trainable parameters {2} → {3} (× {4}).',
      weightDecay, lr, fmt(l2Before), fmt(l2After), fmt(1 - lr * weightDecay)));
    return { ok: true, mode, weightDecay, params, l2Before, l2After };
  };
}

async function pickMode(ckpt: Checkpoint): Promise<DecayMode | undefined> {
  const type = ckpt.optimizer?.type;
  return pickOne<DecayMode>(TITLE(), [
    {
      label: vscode.l10n.t('Apply one decay step now'),
      detail: vscode.l10n.t('w ← w·(1 − lr·λ) on every trainable parameter, as one undoable edit; shows the L2 norm before and after'),
      value: 'now',
    },
    {
      label: vscode.l10n.t('Set the optimizer\'s weight_decay for training'),
      description: type ? vscode.l10n.t('current optimizer: {0}', type) : undefined,
      detail: vscode.l10n.t('SGD and Adam: coupled L2, λ·w added to the gradient (the gradient of (λ/2)·Σw²). AdamW: decoupled, w ← w·(1 − lr·λ) before each step.'),
      value: 'optimizer',
    },
  ]);
}
