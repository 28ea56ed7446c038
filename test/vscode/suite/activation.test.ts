// The extension as VS Code sees it: present, activated by opening a checkpoint in its custom
// editor, and contributing the six Weightscope commands.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'weightscope.weightscope';
const VIEW_TYPE = 'weightscope.weightsEditor';
const COMMANDS = [
  'weightscope.newModel',
  'weightscope.train',
  'weightscope.reinitialize',
  'weightscope.freeze',
  'weightscope.unfreeze',
  'weightscope.applyWeightDecay',
];

// A minimal valid checkpoint (docs/weights-json.md): one Linear layer, 2 -> 1.
const TINY_CHECKPOINT = {
  format: 'weights.json',
  version: 1,
  model: { name: 'tiny', input_shape: [2], layers: [{ type: 'Linear', name: 'fc1', in_features: 2, out_features: 1 }] },
  parameters: {
    'fc1.weight': { shape: [1, 2], dtype: 'float32', requires_grad: true, data: [[0.5, -0.25]] },
    'fc1.bias': { shape: [1], dtype: 'float32', requires_grad: true, data: [0.125] },
  },
};

async function until<T>(probe: () => T | undefined, what: string, timeoutMs = 20000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

suite('activation', () => {
  test('the extension is installed in this VS Code', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} should be known to VS Code`);
    assert.equal(ext.packageJSON.name, 'weightscope');
  });

  test('opening a *.weights.json with the custom editor activates the extension', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the test run needs a workspace folder');
    const uri = vscode.Uri.joinPath(folder.uri, 'activation-test.weights.json');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify(TINY_CHECKPOINT, null, 2)));
    try {
      // Not awaited on its own: with an unregistered provider the promise may never settle,
      // and the tab and activation are what this test is about.
      const opening = Promise.resolve(vscode.commands.executeCommand('vscode.openWith', uri, VIEW_TYPE));
      opening.catch(() => undefined);
      await until(() => ext.isActive || undefined, 'the extension to activate');
      const input = await until(() => {
        const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
        return tab?.input instanceof vscode.TabInputCustom ? tab.input : undefined;
      }, 'a custom-editor tab');
      assert.equal(input.viewType, VIEW_TYPE);
      assert.equal(input.uri.toString(), uri.toString());
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(uri);
    }
  });

  test('package.json contributes the custom editor for *.weights.json', () => {
    const editors: { viewType: string; selector: { filenamePattern: string }[] }[] =
      vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.customEditors;
    const editor = editors.find((e) => e.viewType === VIEW_TYPE);
    assert.ok(editor, `customEditors should contain ${VIEW_TYPE}`);
    assert.deepEqual(editor.selector.map((s) => s.filenamePattern), ['*.weights.json']);
  });

  test('package.json contributes the six commands, each titled and in the Weightscope category', () => {
    const contributed: { command: string; title: string; category: string }[] =
      vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.commands;
    for (const id of COMMANDS) {
      const c = contributed.find((x) => x.command === id);
      assert.ok(c, `contributes.commands should contain ${id}`);
      assert.equal(c.category, 'Weightscope', `${id} category`);
      // VS Code substitutes %key% from package.nls.json; an unresolved key means a missing string.
      assert.ok(c.title && !/%/.test(c.title), `${id} should have a localised title, got ${c.title}`);
    }
  });
});
