// Hover tooltips through the real VS Code API: a Python file, a Python cell of a notebook, a
// checkpoint that appears and disappears while the index is live (the file watcher), and lines
// that must get no Weightscope hover at all. The workspace holds test/fixtures/e2e-ws/hover/.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'weightscope.weightscope';

function checkpoint(name: string, bias: number[]): string {
  return JSON.stringify({
    format: 'weights.json', version: 1,
    parameters: {
      [`${name}.weight`]: { shape: [bias.length, 1], dtype: 'float32', requires_grad: true, data: bias.map((b) => [b * 2]) },
      [`${name}.bias`]: { shape: [bias.length], dtype: 'float32', requires_grad: true, data: bias },
    },
  });
}

/** The text of every hover VS Code collects at `line:character` of `uri`. */
async function hoverTexts(uri: vscode.Uri, line: number, character: number): Promise<string[]> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(line, character));
  return (hovers ?? []).flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)));
}
const ours = (texts: string[]) => texts.filter((t) => t.includes('weightscope.openParameter') || t.includes('default init'));

async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 30000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

suite('hover', () => {
  let folder: vscode.Uri;
  suiteSetup(async () => {
    folder = vscode.workspace.workspaceFolders![0].uri;
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
  });

  test('a parameter name in a Python file shows the checkpoint beside it', async () => {
    const uri = vscode.Uri.joinPath(folder, 'hover', 'train.py');
    const doc = await vscode.workspace.openTextDocument(uri);
    const line = doc.getText().split('\n').findIndex((l) => l.includes('model.fc1.weight'));
    assert.ok(line >= 0);
    const character = doc.lineAt(line).text.indexOf('weight') + 2;
    const texts = ours(await until(async () => {
      const t = await hoverTexts(uri, line, character);
      return ours(t).length ? t : undefined;
    }, 'a Weightscope hover on fc1.weight'));
    assert.match(texts[0], /\*\*`fc1\.weight`\*\* — hover\/hover-mlp\.weights\.json/);
    assert.ok(texts[0].includes('`[8, 2]` — 8 outputs × 2 inputs · float32 · 16 values · trainable'), texts[0]);
  });

  test('a Python cell of a notebook gets the same hovers', async function () {
    let nb: vscode.NotebookDocument;
    try {
      nb = await vscode.workspace.openNotebookDocument('jupyter-notebook', new vscode.NotebookData([
        new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'w = model.fc1.weight\nlayer = nn.Linear(2, 8)', 'python'),
      ]));
    } catch (e) {
      this.skip(); // no notebook serializer for jupyter-notebook in this VS Code build
      return;
    }
    const cell = nb.cellAt(0).document;
    assert.equal(cell.uri.scheme, 'vscode-notebook-cell');
    const param = await until(async () => ours(await hoverTexts(cell.uri, 0, 'w = model.fc1.we'.length))[0], 'a hover in the cell');
    // An untitled notebook has no folder, so any checkpoint holding fc1.weight may come first.
    assert.match(param, /^\*\*`fc1\.weight`\*\* — .*\n`\[\d+, \d+\]` — \d+ outputs × \d+ inputs/, param);
    const ctor = ours(await hoverTexts(cell.uri, 1, 'layer = nn.Li'.length))[0];
    assert.ok(ctor?.includes('`[8, 2]` 8 outputs × 2 inputs | 16 |'), ctor);
  });

  test('a checkpoint created later is found, and forgotten once deleted', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'python', content: 'print(net.probe7.bias)\n' });
    const at = 'print(net.probe7.bi'.length;
    // Build the index first, so the new file can only arrive through the watcher.
    await hoverTexts(doc.uri, 0, at);
    const file = vscode.Uri.joinPath(folder, 'hover-watch', 'probe.weights.json');
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(checkpoint('probe7', [1, 2, 3])));
    const found = await until(async () => ours(await hoverTexts(doc.uri, 0, at))[0], 'the new checkpoint in the hover');
    assert.ok(found.includes('`probe7.bias`') && found.includes('mean 2 '), found);
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(checkpoint('probe7', [5, 5, 5])));
    await until(async () => ours(await hoverTexts(doc.uri, 0, at))[0]?.includes('mean 5 '), 'the changed values in the hover');
    await vscode.workspace.fs.delete(file);
    await until(async () => ours(await hoverTexts(doc.uri, 0, at)).length === 0 || undefined, 'the hover to go away');
  });

  test('near-misses get no Weightscope hover', async () => {
    const lines = ['opt = SGD(lr=0.1, weight_decay=1e-4)', 'weights = load()', 'print(fc1.weights)', 'x = nn.Linear(hidden, 8)', 'y = model.fc9.weight'];
    const doc = await vscode.workspace.openTextDocument({ language: 'python', content: lines.join('\n') });
    // Wait until the index answers at all (a real name), so an empty answer below is not just "not yet".
    await hoverTexts(doc.uri, 0, 0);
    for (const [i, text] of lines.entries()) {
      const word = ['weight_decay', 'weights', 'weights', 'Linear', 'weight'][i];
      const got = ours(await hoverTexts(doc.uri, i, text.indexOf(word) + 1));
      assert.deepEqual(got, [], `${text}: ${got.join(' | ')}`);
    }
  });
});
