// The walkthrough's buttons ("Get Started with Weightscope", one step per section of the
// learner's glossary) and "Weightscope: Open Example…". Each button opens an example and does the
// step's action on it through the ordinary commands, with complete options so nothing is asked;
// the walkthrough ticks a step off when its button's command runs (completionEvents in package.json).
import * as vscode from 'vscode';
import type { WeightsEditorApi } from '../editor/register';
import { EXAMPLES, exampleUri, findExample, type ExampleInfo } from './examples';
import { pytorchScript } from './pytorchScript';

export function registerWalkthrough(context: vscode.ExtensionContext, editor: WeightsEditorApi): void {
  const example = (id: string): ExampleInfo => findExample(id)!;
  /** Opens the example in the Weightscope editor, `param` selected; resolves to its file. */
  const open = async (id: string, param?: string): Promise<vscode.Uri> => {
    const uri = await exampleUri(context, example(id));
    await vscode.commands.executeCommand('weightscope.openParameter', uri, param);
    return uri;
  };
  const register = (id: string, run: (...args: unknown[]) => Promise<unknown>) =>
    context.subscriptions.push(vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await run(...args);
      } catch (e) {
        // A copy that cannot be written (read-only folder, full disk): one line, never a stack.
        void vscode.window.showErrorMessage(vscode.l10n.t('Weightscope: could not open the example: {0}', e instanceof Error ? e.message : String(e)));
        return undefined;
      }
    }));

  register('weightscope.openExample', async (id?: unknown, param?: unknown) => {
    let chosen = typeof id === 'string' ? findExample(id) : undefined;
    if (!chosen) {
      const picked = await vscode.window.showQuickPick(
        EXAMPLES.map((e) => ({ label: vscode.l10n.t(e.label), detail: vscode.l10n.t(e.detail), example: e })),
        { title: vscode.l10n.t('Open Example'), placeHolder: vscode.l10n.t('An example model to open in Weightscope') });
      if (!picked) return undefined;
      chosen = picked.example;
    }
    return open(chosen.id, typeof param === 'string' ? param : undefined);
  });

  register('weightscope.walkthrough.openPerceptron', () => open('perceptron', 'fc.weight'));
  register('weightscope.walkthrough.showRequiresGrad', async () => {
    // The JSON text shows "requires_grad": true beside each tensor, as PyTorch prints it.
    const uri = await exampleUri(context, example('perceptron'));
    return vscode.commands.executeCommand('vscode.openWith', uri, 'default');
  });
  register('weightscope.walkthrough.reinitXavier', async () => {
    const uri = await open('mlp-spiral', 'fc2.weight');
    return vscode.commands.executeCommand('weightscope.reinitialize', uri, { scheme: 'xavier_uniform', params: ['fc2'], seed: 0 });
  });
  register('weightscope.walkthrough.train', async () => {
    const uri = await open('perceptron', 'fc.weight');
    return vscode.commands.executeCommand('weightscope.train', uri, { epochs: 20 });
  });
  register('weightscope.walkthrough.showBias', () => open('perceptron', 'fc.bias'));
  register('weightscope.walkthrough.freezeLayer', async () => {
    const uri = await open('mlp-spiral', 'fc1.weight');
    return vscode.commands.executeCommand('weightscope.freeze', uri, { params: ['fc1'] });
  });
  register('weightscope.walkthrough.inspect', () => open('mlp-spiral', 'fc1.weight'));
  register('weightscope.walkthrough.shapes', () => open('cnn-digits', 'conv1.weight'));
  register('weightscope.walkthrough.weightDecay', async () => {
    const uri = await open('mlp-spiral', 'fc1.weight');
    return vscode.commands.executeCommand('weightscope.applyWeightDecay', uri, { mode: 'now', weightDecay: 0.1, lr: 1 });
  });
  register('weightscope.walkthrough.saveForPyTorch', async () => {
    const uri = await open('perceptron', 'fc.weight');
    // What is on screen is what PyTorch gets: unsaved edits (training, freezing) are saved first.
    if ((await editor.documentFor(uri)).isDirty) await vscode.commands.executeCommand('workbench.action.files.save');
    const folder = vscode.Uri.joinPath(uri, '..');
    const bridge = vscode.Uri.joinPath(folder, 'weightscope.py');
    await vscode.workspace.fs.copy(vscode.Uri.joinPath(context.extensionUri, 'python', 'weightscope.py'), bridge, { overwrite: true });
    const script = vscode.Uri.joinPath(folder, 'perceptron_pytorch.py');
    const name = uri.path.slice(uri.path.lastIndexOf('/') + 1);
    await vscode.workspace.fs.writeFile(script, new TextEncoder().encode(pytorchScript((m, ...a) => vscode.l10n.t(m, ...a), name, 'pesos.pth')));
    await vscode.window.showTextDocument(script, { preview: false });
    void vscode.window.showInformationMessage(vscode.l10n.t('Wrote {0} and weightscope.py beside {1}: run it with Python and PyTorch to save the weights as {2}.', 'perceptron_pytorch.py', name, 'pesos.pth'));
    return script;
  });
}
