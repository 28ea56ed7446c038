// Weightscope: Train… — trains the document's model in a worker thread (the extension host stays
// responsive), shows progress with Cancel, streams the loss curve, parameter snapshots and the
// decision boundary to the editor, and applies the result as ONE undoable edit (on Cancel: the
// epochs completed). Each run is logged to the "Weightscope" output channel.
import * as vscode from 'vscode';
import type { LossName } from '../../format/types';
import { BUILTIN_DATASETS } from '../../engine/datasets/index';
import { runTrainingInWorker, type TrainRunOutcome } from '../train/runner';
import type { OptimizerFlag, TrainRunOptions, TrainingEpochPoint } from '../train/trainTypes';
import { askNumber, pickOne, type Choice } from './prompts';
import { UsageError } from '../../cli/common';
import { optBoolean, optChoice, optNumberValue, optString } from './optionValues';
import { failed, type CommandOutcome } from './outcome';
import { fileLabel, resolveTarget } from './target';
import { completeTrainOptions, readTrainSettings, trainDefaults, type TrainDefaults } from './trainDefaults';
import { parseBetas } from './validate';
import { TrainingLiveView } from './trainingLiveView';
import type { CommandServices } from './services';
import { compareBeforeAfter } from '../compare/register';

export interface TrainResult {
  /** This run's epochs, numbered on from the file's history. */
  history: TrainingEpochPoint[];
  cancelled: boolean;
  options: TrainRunOptions;
  /** Set when the run stopped early on an error after some epochs completed. */
  error?: string;
}

/** Minimum milliseconds between two progress-notification updates. */
const PROGRESS_MS = 100;
const LOSSES: readonly LossName[] = ['mse', 'bce_with_logits', 'cross_entropy'];
const OPTIMIZERS: readonly OptimizerFlag[] = ['sgd', 'adam', 'adamw'];
const TITLE = () => vscode.l10n.t('Train');

/** Reads the options argument with the same checks as the CLI's flags. */
export function readTrainOptions(options: Record<string, unknown> | undefined): TrainRunOptions {
  const out: TrainRunOptions = {};
  const set = <K extends keyof TrainRunOptions>(k: K, v: TrainRunOptions[K] | undefined) => { if (v !== undefined) out[k] = v; };
  set('data', optString(options, 'data'));
  set('target', optString(options, 'target'));
  set('loss', optChoice(options, 'loss', LOSSES));
  set('optimizer', optChoice(options, 'optimizer', OPTIMIZERS));
  set('lr', optNumberValue(options, 'lr', (n) => n > 0, 'a number > 0'));
  set('momentum', optNumberValue(options, 'momentum', (n) => n >= 0, 'a number ≥ 0'));
  set('nesterov', optBoolean(options, 'nesterov'));
  set('weightDecay', optNumberValue(options, 'weightDecay', (n) => n >= 0, 'a number ≥ 0'));
  const betas = options?.betas;
  if (betas !== undefined) {
    const parsed = Array.isArray(betas) ? parseBetas(betas.join(',')) : typeof betas === 'string' ? parseBetas(betas) : undefined;
    if (!parsed) throw new UsageError(`option betas expects two numbers in [0, 1), got ${JSON.stringify(betas)}`);
    out.betas = parsed;
  }
  set('eps', optNumberValue(options, 'eps', (n) => n > 0, 'a number > 0'));
  set('epochs', optNumberValue(options, 'epochs', (n) => Number.isInteger(n) && n >= 1, 'a whole number ≥ 1'));
  set('batchSize', optNumberValue(options, 'batchSize', (n) => Number.isInteger(n) && n >= 1, 'a whole number ≥ 1'));
  set('shuffle', optBoolean(options, 'shuffle'));
  set('seed', optNumberValue(options, 'seed', Number.isInteger, 'a whole number'));
  return out;
}

export function trainCommand(services: CommandServices) {
  return async (uri: unknown, options: Record<string, unknown> | undefined): Promise<CommandOutcome<TrainResult>> => {
    const target = await resolveTarget(services, uri, { editing: true });
    if (!('doc' in target)) return target;
    const doc = target.doc;
    const ckpt = doc.checkpoint;
    const file = fileLabel(doc.uri);
    if (!ckpt.model) {
      return failed(vscode.l10n.t('{0} has no model: its architecture (the "model" section) is needed to train it. Create one with "Weightscope: New Model…".', file));
    }
    const defaults = trainDefaults(ckpt, readTrainSettings(vscode.workspace.getConfiguration('weightscope', doc.uri)));
    const given = readTrainOptions(options);
    const run = options === undefined ? await askTrainOptions(doc.uri, defaults) : completeTrainOptions(given, defaults);
    if (!run) return undefined;
    if (!run.data) return failed(vscode.l10n.t('{0}: no dataset to train on: give one (a built-in name or a .csv file).', file));
    const csvText = isCsv(run.data) ? await readCsv(doc.uri, run.data) : undefined;

    // The weights as they were, for the notification's "Compare before/after" (edits swap tensor
    // records, never change one in place, so a copy of the maps is a snapshot).
    const before = { ...ckpt, parameters: new Map(ckpt.parameters), buffers: ckpt.buffers && new Map(ckpt.buffers) };
    const started = Date.now();
    services.output.appendLine(`[train] ${file}: ${JSON.stringify(run)}`);
    const live = new TrainingLiveView(doc, services.output);
    live.start(ckpt.training?.history ?? [], run);
    services.training.add(doc.uri.toString());
    doc.busy = true;
    let outcome: TrainRunOutcome;
    let owed = 0, lastReport = 0;
    try {
      outcome = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Training {0}', file), cancellable: true },
        (progress, token) => runTrainingInWorker(
          vscode.Uri.joinPath(services.extensionUri, 'dist', 'trainWorker.js').fsPath,
          { checkpoint: ckpt, options: run, csvText, file, snapshotIntervalMs: 250, boundaryResolution: 64 },
          {
            onEpoch: (point, done, total) => {
              // At most ~10 reports a second: each one crosses to the workbench.
              owed += 100 / total;
              const now = Date.now();
              if (now - lastReport >= PROGRESS_MS || done === total) {
                progress.report({
                  increment: owed,
                  message: vscode.l10n.t('epoch {0}/{1} · loss {2}', done, total, formatLoss(point.loss))
                    + (point.accuracy !== undefined ? vscode.l10n.t(' · accuracy {0}%', (point.accuracy * 100).toFixed(1)) : ''),
                });
                owed = 0;
                lastReport = now;
              }
              live.epoch(point);
            },
            onSnapshot: (parameters, boundary) => live.snapshot(parameters, boundary),
          },
          token,
        ),
      );
    } catch (e) {
      live.end({ cancelled: false, error: e instanceof Error ? e.message : String(e), epochsDone: 0 });
      throw e;
    } finally {
      services.training.delete(doc.uri.toString());
      doc.busy = false;
    }

    const n = outcome.history.length;
    if (n > 0) {
      const trained = outcome.checkpoint;
      const changed = new Map([...trained.parameters].filter(([name, rec]) => rec.requires_grad && ckpt.parameters.has(name)));
      doc.applyChange({
        label: vscode.l10n.t('Train {0} epochs', n),
        parameters: changed,
        optimizer: trained.optimizer ?? null,
        optimizer_state: trained.optimizer_state ?? null,
        training: trained.training ?? null,
      });
    }
    live.end({ cancelled: outcome.cancelled, error: outcome.error, epochsDone: n });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const last = outcome.history[n - 1];
    services.output.appendLine(`[train] ${file}: ${n} epochs in ${seconds} s${outcome.cancelled ? ' (cancelled)' : ''}${last ? `, final loss ${last.loss}` : ''}`);
    if (outcome.error) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Training stopped after {0} epochs: {1}', n, outcome.error));
    } else if (outcome.cancelled) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Training cancelled: the {0} completed epochs were kept (Undo removes them).', n));
    } else if (last) {
      const after = doc.checkpoint;
      const snapshot = { ...after, parameters: new Map(after.parameters), buffers: after.buffers && new Map(after.buffers) };
      const compare = vscode.l10n.t('Compare before/after');
      void vscode.window.showInformationMessage(vscode.l10n.t('Trained {0} epochs in {1} s: loss {2}.', n, seconds, formatLoss(last.loss)), compare)
        .then((pick) => { if (pick === compare) void compareBeforeAfter(before, snapshot, fileLabel(doc.uri)); });
    }
    return { ok: true, history: outcome.history, cancelled: outcome.cancelled, options: run, error: outcome.error };
  };
}

function formatLoss(loss: number): string {
  return Number.isFinite(loss) ? Number(loss.toPrecision(4)).toString() : String(loss);
}

const isCsv = (data: string) => data.toLowerCase().endsWith('.csv');

/** A CSV dataset path: relative to the checkpoint's folder (the format's rule), or absolute. */
function csvUri(checkpoint: vscode.Uri, data: string): vscode.Uri {
  if (/^([A-Za-z]:)?[\\/]/.test(data)) return vscode.Uri.file(data);
  return vscode.Uri.joinPath(checkpoint, '..', data);
}

async function readCsv(checkpoint: vscode.Uri, data: string): Promise<string> {
  const uri = csvUri(checkpoint, data);
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch (e) {
    throw new UsageError(`${fileLabel(uri)}: cannot read the dataset: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** The interactive flow: every setting with the file's / the settings' value preselected. */
async function askTrainOptions(checkpoint: vscode.Uri, d: TrainDefaults): Promise<TrainRunOptions | undefined> {
  const data = await pickDataset(checkpoint, d.data);
  if (!data) return undefined;
  let target: string | undefined;
  if (isCsv(data)) {
    target = await pickTargetColumn(checkpoint, data, data === d.data ? d.target : undefined);
    if (!target) return undefined;
  }
  const suggestedLoss = data === d.data ? d.loss : BUILTIN_DATASETS.find((b) => b.name === data)?.loss ?? d.loss;
  const loss = await pickOne<LossName>(TITLE(), orderFirst(LOSSES.map((l) => ({ label: l, value: l, detail: lossDetail(l) })), suggestedLoss), vscode.l10n.t('Loss'));
  if (!loss) return undefined;
  const optimizer = await pickOne<OptimizerFlag>(TITLE(), orderFirst(OPTIMIZERS.map((o) => ({ label: o, value: o, detail: optimizerDetail(o) })), d.optimizer), vscode.l10n.t('Optimizer'));
  if (!optimizer) return undefined;
  const lr = await askNumber(TITLE(), vscode.l10n.t('Learning rate'), d.lr, { above: 0 });
  if (lr === undefined) return undefined;
  const epochs = await askNumber(TITLE(), vscode.l10n.t('Epochs (passes over the dataset)'), d.epochs, { integer: true, min: 1 });
  if (epochs === undefined) return undefined;
  const batchSize = await askNumber(TITLE(), vscode.l10n.t('Batch size (samples per step)'), d.batchSize, { integer: true, min: 1 });
  if (batchSize === undefined) return undefined;
  const weightDecay = await askNumber(TITLE(), optimizer === 'adamw'
    ? vscode.l10n.t('Weight decay λ (AdamW: decoupled, w ← w·(1 − lr·λ) each step)')
    : vscode.l10n.t('Weight decay λ (L2: λ·w added to the gradient; 0 = none)'), d.weightDecay, { min: 0 });
  if (weightDecay === undefined) return undefined;
  return { data, target, loss, optimizer, lr, epochs, batchSize, weightDecay };
}

function orderFirst<T>(items: Choice<T>[], first: T | undefined): Choice<T>[] {
  return [...items].sort((a, b) => Number(b.value === first) - Number(a.value === first));
}

function lossDetail(l: LossName): string {
  switch (l) {
    case 'mse': return vscode.l10n.t('Mean squared error: regression');
    case 'bce_with_logits': return vscode.l10n.t('Binary cross-entropy on one logit: two classes, labels 0/1');
    case 'cross_entropy': return vscode.l10n.t('Cross-entropy on C logits: C classes, labels 0…C−1');
  }
}

function optimizerDetail(o: OptimizerFlag): string {
  switch (o) {
    case 'sgd': return vscode.l10n.t('Stochastic gradient descent (momentum, Nesterov from the file)');
    case 'adam': return vscode.l10n.t('Adam: adaptive moments; weight decay coupled (L2)');
    case 'adamw': return vscode.l10n.t('AdamW: Adam with decoupled weight decay');
  }
}

async function pickDataset(checkpoint: vscode.Uri, current: string | undefined): Promise<string | undefined> {
  const items: Choice<string>[] = BUILTIN_DATASETS.map((b) => ({
    label: b.name, description: `[${b.inputShape.join(', ')}] · ${b.loss}`, detail: vscode.l10n.t(b.description), value: b.name,
  }));
  const csvs = await vscode.workspace.findFiles('**/*.csv', '**/node_modules/**', 200);
  if (csvs.length > 0) items.push({ label: vscode.l10n.t('CSV files in the workspace'), kind: vscode.QuickPickItemKind.Separator, value: '' });
  const base = vscode.Uri.joinPath(checkpoint, '..');
  for (const csv of csvs) {
    const rel = relativePath(base.path, csv.path);
    items.push({ label: `$(file) ${rel}`, description: fileLabel(csv), value: rel });
  }
  return pickOne(TITLE(), orderFirst(items, current), vscode.l10n.t('Dataset (the file\'s own is first)'));
}

/** A posix path from folder `from` to file `to`. */
export function relativePath(from: string, to: string): string {
  const a = from.split('/').filter(Boolean), b = to.split('/').filter(Boolean);
  let i = 0;
  while (i < a.length && i < b.length - 1 && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/');
}

async function pickTargetColumn(checkpoint: vscode.Uri, data: string, current: string | undefined): Promise<string | undefined> {
  const text = await readCsv(checkpoint, data);
  const header = (text.split(/\r?\n/, 1)[0] ?? '').split(',').map((h) => h.trim().replace(/^"(.*)"$/, '$1')).filter((h) => h !== '');
  if (header.length < 2) throw new UsageError(`${data}: expected a header row with at least two columns`);
  const preferred = current ?? header[header.length - 1];
  return pickOne(TITLE(), orderFirst(header.map((h) => ({ label: h, value: h })), preferred), vscode.l10n.t('Target column (the label); the other columns are the features'));
}

