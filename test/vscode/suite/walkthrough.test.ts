// The walkthrough's buttons and "Weightscope: Open Example…" in a real extension host: each opens
// its example with the step's parameter selected or does the step's action on it; an example the
// workspace lacks is copied into weightscope-examples/ once; "Save for PyTorch" writes the bridge
// and a script beside the perceptron. (The UI side, buttons clicked in the walkthrough and steps
// ticked off, is test/e2e/l10n.e2e.mjs.)
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, folder, until } from '../helpers';

const run = (id: string, ...args: unknown[]) => vscode.commands.executeCommand<unknown>(id, ...args);
const read = async (uri: vscode.Uri) => new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
const exists = (uri: vscode.Uri) => vscode.workspace.fs.stat(uri).then(() => true, () => false);

/** The Weightscope document of `file` once it is the active editor with `param` selected. */
async function activeWith(file: string, param: string) {
  const editor = await api();
  return until(() => {
    const doc = editor.activeDocument();
    return doc && doc.uri.path.endsWith(`/${file}`) && doc.selection === param ? doc : undefined;
  }, `${file} active with ${param} selected`);
}

suite('walkthrough', () => {
  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor').then(undefined, () => undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  for (const [command, file, param] of [
    ['weightscope.walkthrough.openPerceptron', 'perceptron.weights.json', 'fc.weight'],
    ['weightscope.walkthrough.showBias', 'perceptron.weights.json', 'fc.bias'],
    ['weightscope.walkthrough.inspect', 'mlp-spiral.weights.json', 'fc1.weight'],
    ['weightscope.walkthrough.shapes', 'cnn-digits.weights.json', 'conv1.weight'],
  ]) {
    test(`${command} opens ${file} with ${param} selected`, async () => {
      await run(command);
      const doc = await activeWith(file, param);
      assert.equal(doc.uri.toString(), vscode.Uri.joinPath(folder(), file).toString(), 'the workspace\'s own copy');
    });
  }

  test('the requires_grad step shows the perceptron as JSON text', async () => {
    await run('weightscope.walkthrough.showRequiresGrad');
    const text = await until(() => {
      const d = vscode.window.activeTextEditor?.document;
      return d?.uri.path.endsWith('/perceptron.weights.json') ? d.getText() : undefined;
    }, 'the perceptron as text');
    assert.match(text, /"fc\.weight": \{[^}]*"requires_grad": true/);
  });

  test('the freezing step freezes the layer fc1 of the spiral MLP, as one edit', async () => {
    const outcome = await run('weightscope.walkthrough.freezeLayer') as { ok: boolean; params?: string[] };
    assert.equal(outcome?.ok, true, JSON.stringify(outcome));
    const doc = await activeWith('mlp-spiral.weights.json', 'fc1.weight');
    const frozen = [...doc.checkpoint.parameters].filter(([, t]) => !t.requires_grad).map(([n]) => n);
    assert.deepEqual(frozen, ['fc1.weight', 'fc1.bias']);
    assert.equal(doc.isDirty, true);
  });

  test('the weight-decay step shrinks every trainable weight of the spiral MLP by 1 − 0.1', async () => {
    const editor = await api();
    const uri = vscode.Uri.joinPath(folder(), 'mlp-spiral.weights.json');
    const before = Array.from((await editor.documentFor(uri)).checkpoint.parameters.get('fc1.weight')!.data as Float32Array);
    const outcome = await run('weightscope.walkthrough.weightDecay') as { ok: boolean };
    assert.equal(outcome?.ok, true, JSON.stringify(outcome));
    const after = (await activeWith('mlp-spiral.weights.json', 'fc1.weight')).checkpoint.parameters.get('fc1.weight')!.data as Float32Array;
    before.forEach((v, i) => assert.ok(Math.abs(after[i] - Math.fround(v * 0.9)) <= 1e-6 * Math.abs(v), `element ${i}`));
  });

  test('save for PyTorch writes weightscope.py and a script beside the perceptron, and opens the script', async () => {
    const script = await run('weightscope.walkthrough.saveForPyTorch') as vscode.Uri;
    const bridge = vscode.Uri.joinPath(folder(), 'weightscope.py');
    try {
      assert.equal(script.toString(), vscode.Uri.joinPath(folder(), 'perceptron_pytorch.py').toString());
      assert.match(await read(bridge), /^"""Weightscope's bridge to PyTorch/);
      const text = await read(script);
      assert.match(text, /weightscope\.load_into\(modelo, "perceptron\.weights\.json"\)/);
      assert.match(text, /torch\.save\(modelo\.state_dict\(\), "pesos\.pth"\)/);
      await until(() => vscode.window.activeTextEditor?.document.uri.toString() === script.toString(), 'the script opened');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      for (const f of [script, bridge]) await vscode.workspace.fs.delete(f).then(undefined, () => undefined);
    }
  });

  test('an example the workspace lacks is copied into weightscope-examples/ once, and reused', async () => {
    const own = vscode.Uri.joinPath(folder(), 'lstm-sine.weights.json');
    const aside = vscode.Uri.joinPath(folder(), 'lstm-sine.aside');
    const copies = vscode.Uri.joinPath(folder(), 'weightscope-examples');
    await vscode.workspace.fs.rename(own, aside);
    try {
      await run('weightscope.openExample', 'lstm-sine', 'head.weight');
      const doc = await activeWith('lstm-sine.weights.json', 'head.weight');
      const copy = vscode.Uri.joinPath(copies, 'lstm-sine.weights.json');
      assert.equal(doc.uri.toString(), copy.toString());
      assert.equal(await read(copy), await read(aside), 'a copy of the shipped example');
      // The learner's copy is never overwritten: a second open reuses it as it is.
      await vscode.workspace.fs.writeFile(copy, new TextEncoder().encode((await read(copy)).replace('"lstm-sine"', '"mine"')));
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await run('weightscope.openExample', 'lstm-sine');
      assert.match(await read(copy), /"mine"/);
      // The perceptron's CSV travels with it.
      assert.equal(await exists(vscode.Uri.joinPath(copies, 'perceptron-and.csv')), false, 'only what was asked is copied');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(copies, { recursive: true }).then(undefined, () => undefined);
      await vscode.workspace.fs.rename(aside, own);
    }
  });
});
