// The custom editor in a real extension host: open with vscode.openWith, edit through the API,
// undo / redo through VS Code's own commands, save to disk, hot-exit backup and restore, outside
// changes on disk, and a malformed file that must not break the extension host.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { WeightsDocument } from '../../../src/extension/editor/weightsDocument';
import { emptyCheckpoint, makeTensor } from '../../../src/format/tensor';
import { parseCheckpoint } from '../../../src/format/parse';
import { serializeCheckpoint } from '../../../src/format/serialize';
import { api, folder, until } from '../helpers';

const VIEW_TYPE = 'weightscope.weightsEditor';

/** A fresh copy of a fixture, so tests do not see each other's saves. */
async function copyFixture(name: string, as: string): Promise<vscode.Uri> {
  const target = vscode.Uri.joinPath(folder(), as);
  await vscode.workspace.fs.copy(vscode.Uri.joinPath(folder(), name), target, { overwrite: true });
  return target;
}

/** A fresh copy of a fixture, opened in the Weightscope editor, with its document. */
async function openCopy(as: string, name = 'editor-signs.weights.json'): Promise<{ uri: vscode.Uri; doc: WeightsDocument }> {
  const uri = await copyFixture(name, as);
  await vscode.commands.executeCommand('vscode.openWith', uri, VIEW_TYPE);
  return { uri, doc: await (await api()).documentFor(uri) };
}

const readJson = async (uri: vscode.Uri) => JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)));

suite('weights editor', () => {
  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor').then(undefined, () => undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('openWith opens the document; freeze edit, undo and redo through VS Code, save writes requires_grad', async () => {
    const editor = await api();
    const { uri, doc } = await openCopy('ext-freeze.weights.json');
    assert.equal(doc.uri.toString(), uri.toString());
    await until(() => editor.activeDocument() === doc, 'the editor to be the active one');
    const before = doc.checkpoint.parameters.get('fc1.weight')!;
    assert.equal(before.requires_grad, true);

    doc.applyChange({ label: 'Freeze fc1.weight', parameters: new Map([['fc1.weight', { ...before, requires_grad: false }]]) });
    assert.equal(doc.checkpoint.parameters.get('fc1.weight')!.requires_grad, false);
    assert.equal(doc.isDirty, true);
    await until(() => vscode.window.tabGroups.activeTabGroup.activeTab?.isDirty, 'the tab to turn dirty');

    await vscode.commands.executeCommand('undo');
    await until(() => doc.checkpoint.parameters.get('fc1.weight')!.requires_grad === true, 'undo to unfreeze');
    assert.equal(doc.checkpoint.parameters.get('fc1.weight'), before, 'undo restores the very same record');
    // Redo only once the workbench has caught up with the undo (the tab is clean again): a redo
    // issued while its undo/redo service still settles the undo is dropped (seen once in CI).
    await until(() => vscode.window.tabGroups.activeTabGroup.activeTab?.isDirty === false, 'the tab to be clean after undo');
    await vscode.commands.executeCommand('redo');
    await until(() => doc.checkpoint.parameters.get('fc1.weight')!.requires_grad === false, 'redo to freeze again');
    // Save once the workbench shows the redo (the tab dirty again): a save issued before saves nothing (seen once in CI).
    await until(() => vscode.window.tabGroups.activeTabGroup.activeTab?.isDirty === true, 'the tab to be dirty after redo');

    await vscode.commands.executeCommand('workbench.action.files.save');
    await until(async () => (await readJson(uri)).parameters['fc1.weight'].requires_grad === false, 'requires_grad false on disk');
    const onDisk = await readJson(uri);
    assert.deepEqual(onDisk.parameters['fc1.weight'].data[1], [-0.25, -0.5, -0.75, -1], 'the values are written back unchanged');
    assert.equal(doc.isDirty, false);
  });

  test('a data change undoes bit-exactly and two editors of one file share the document', async () => {
    const editor = await api();
    const { uri, doc } = await openCopy('ext-twice.weights.json');
    await vscode.commands.executeCommand('vscode.openWith', uri, VIEW_TYPE, vscode.ViewColumn.Beside);
    assert.equal(await editor.documentFor(uri), doc, 'the second editor uses the same document');
    await until(() => vscode.window.tabGroups.all.filter((g) => g.tabs.some((t) => (t.input as { uri?: vscode.Uri })?.uri?.toString() === uri.toString())).length === 2, 'two tabs of the file');
    await until(() => editor.activeDocument() === doc, 'the second editor to be active');
    const old = doc.checkpoint.parameters.get('fc1.bias')!;
    const bits = Array.from(new Uint32Array((old.data as Float32Array).slice().buffer));
    let changes = 0;
    const sub = doc.onDidChangeContent(() => changes++);
    doc.applyChange({ label: 'Reinitialise fc1.bias', parameters: new Map([['fc1.bias', makeTensor([6], new Float32Array(6).fill(-0))]]) });
    await until(() => vscode.window.tabGroups.activeTabGroup.activeTab?.isDirty, 'the tab to turn dirty');
    await vscode.commands.executeCommand('undo');
    await until(() => doc.checkpoint.parameters.get('fc1.bias') === old, 'undo of the data change');
    sub.dispose();
    assert.ok(changes >= 2);
    assert.deepEqual(Array.from(new Uint32Array((doc.checkpoint.parameters.get('fc1.bias')!.data as Float32Array).slice().buffer)), bits);
  });

  test('hot exit: a backup holds the unsaved state and a document opened from it is dirty with it', async () => {
    const uri = await copyFixture('editor-signs.weights.json', 'ext-backup.weights.json');
    const doc = await WeightsDocument.open(uri, undefined);
    const w = doc.checkpoint.parameters.get('fc2.weight')!;
    doc.applyChange({ label: 'Freeze fc2.weight', parameters: new Map([['fc2.weight', { ...w, requires_grad: false }]]) });
    const dest = vscode.Uri.joinPath(folder(), '.backup-ext-test');
    const backup = await doc.backup(dest);
    const restored = await WeightsDocument.open(uri, backup.id);
    assert.equal(restored.checkpoint.parameters.get('fc2.weight')!.requires_grad, false);
    assert.equal(restored.isDirty, true, 'restored from a backup means unsaved changes');
    assert.equal((await readJson(uri)).parameters['fc2.weight'].requires_grad, true, 'the file itself is untouched');
    await backup.delete();
    await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(dest)));
    doc.dispose();
    restored.dispose();
  });

  test('a file changed on disk while clean reloads silently', async () => {
    const { uri, doc } = await openCopy('ext-watch.weights.json');
    const json = await readJson(uri);
    json.parameters['fc1.bias'].data = [9, 9, 9, 9, 9, 9];
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify(json)));
    // A half-written file may be read in between (the error view); the next change event fixes it.
    await until(() => doc.error === undefined && (doc.checkpoint.parameters.get('fc1.bias')!.data as Float32Array)[0] === 9, 'the reload from disk', 30000);
    assert.equal(doc.isDirty, false);
  });

  test('a watcher event for the version already read reloads nothing; a real change reloads once', async () => {
    const { uri, doc } = await openCopy('ext-echo.weights.json');
    const revision = doc.revision;
    // The same bytes written again with the same modification time: what the watcher reports for
    // the write that created a file just before it was opened, or for our own save.
    const bytes = await vscode.workspace.fs.readFile(uri);
    const stat = fs.statSync(uri.fsPath);
    fs.writeFileSync(uri.fsPath, bytes);
    fs.utimesSync(uri.fsPath, stat.atime, stat.mtime);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(doc.revision, revision, 'no reload for an unchanged file');
    const json = await readJson(uri);
    json.parameters['fc1.bias'].data = [7, 7, 7, 7, 7, 7];
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify(json)));
    await until(() => doc.error === undefined && (doc.checkpoint.parameters.get('fc1.bias')!.data as Float32Array)[0] === 7, 'the reload from disk', 30000);
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(doc.revision, revision + 1, 'one reload');
  });

  test('an edit made while an outside change is being read is kept, not overwritten by the file', async () => {
    const { uri, doc } = await openCopy('ext-race.weights.json');
    const json = await readJson(uri);
    json.parameters['fc1.bias'].data = [5, 5, 5, 5, 5, 5];
    fs.writeFileSync(uri.fsPath, JSON.stringify(json));
    // The reload the watcher starts reads the file asynchronously; an edit (or a Redo) lands first.
    const reloading = doc.reloadUnlessEdited();
    doc.applyChange({ label: 'Reinitialise fc1.bias', parameters: new Map([['fc1.bias', makeTensor([6], new Float32Array(6).fill(-1))]]) });
    assert.equal(await reloading, false, 'the reload steps back');
    assert.equal((doc.checkpoint.parameters.get('fc1.bias')!.data as Float32Array)[0], -1, 'the edit is kept');
    assert.equal(doc.isDirty, true);
  });

  test('a malformed file opens the error view and the extension host keeps working', async () => {
    const editor = await api();
    const bad = vscode.Uri.joinPath(folder(), 'ext-broken.weights.json');
    await vscode.workspace.fs.writeFile(bad, new TextEncoder().encode(JSON.stringify({
      format: 'weights.json', version: 1, parameters: { 'fc1.weight': { shape: [2, 3], data: [[1, 2], [3, 4]] } } })));
    await vscode.commands.executeCommand('vscode.openWith', bad, VIEW_TYPE);
    const doc = await editor.documentFor(bad);
    assert.match(doc.error ?? '', /ext-broken\.weights\.json: fc1\.weight: .*shape \[2, 3\]/);
    assert.throws(() => doc.checkpoint, /fc1\.weight/);
    // Still alive: another file opens and edits fine.
    const { doc: good } = await openCopy('ext-after-broken.weights.json', 'editor-conv.weights.json');
    assert.deepEqual(good.checkpoint.parameters.get('conv1.weight')!.shape, [3, 2, 3, 3]);
  });

  test('a large .weights.json is parsed in a worker thread: the same content; a small one in the host', async () => {
    const editor = await api();
    // 3M float32 parameters as base64: a 16 MB file, above the worker's 8 MiB threshold.
    const ckpt = emptyCheckpoint();
    const w = new Float32Array(3_000_000).map((_, i) => Math.sin(i * 0.37));
    ckpt.parameters.set('0.weight', { shape: [3000, 1000], dtype: 'float32', requires_grad: true, data: w });
    ckpt.parameters.set('0.bias', { shape: [3000], dtype: 'float32', requires_grad: false, data: new Float32Array(3000).fill(-0.5) });
    const text = serializeCheckpoint(ckpt, { encoding: 'base64' });
    const uri = vscode.Uri.joinPath(folder(), 'ext-large.weights.json');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    await vscode.commands.executeCommand('vscode.openWith', uri, VIEW_TYPE);
    const doc = await editor.documentFor(uri);
    assert.equal(doc.error, undefined);
    assert.equal(doc.parsedOffThread, true, 'a 16 MB file is parsed off the host\'s thread');
    const reference = parseCheckpoint(text, 'x');
    for (const [name, t] of reference.parameters) {
      const got = doc.checkpoint.parameters.get(name)!;
      assert.deepEqual(got.shape, t.shape);
      assert.equal(got.requires_grad, t.requires_grad);
      assert.ok(Buffer.from(got.data.buffer, got.data.byteOffset, got.data.byteLength).equals(Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength)), `${name}'s values`);
    }
    // It edits like any document: freeze, then undo.
    doc.applyChange({ label: 'Freeze 0.weight', parameters: new Map([['0.weight', { ...doc.checkpoint.parameters.get('0.weight')!, requires_grad: false }]]) });
    assert.equal(doc.checkpoint.parameters.get('0.weight')!.requires_grad, false);
    const { doc: small } = await openCopy('ext-small-after-large.weights.json');
    assert.equal(small.parsedOffThread, false);
  });

  test('a malformed large file: the worker gives the same one-line message, naming the file and the tensor', async () => {
    const editor = await api();
    const ckpt = emptyCheckpoint();
    ckpt.parameters.set('big.weight', { shape: [2_500_000], dtype: 'float32', requires_grad: true, data: new Float32Array(2_500_000).fill(0.25) });
    // The shape no longer matches the 2.5M values of the data.
    const text = serializeCheckpoint(ckpt, { encoding: 'base64' }).replace('"shape": [2500000]', '"shape": [2500001]');
    assert.ok(text.includes('[2500001]'));
    const bad = vscode.Uri.joinPath(folder(), 'ext-large-broken.weights.json');
    await vscode.workspace.fs.writeFile(bad, new TextEncoder().encode(text));
    await vscode.commands.executeCommand('vscode.openWith', bad, VIEW_TYPE);
    const doc = await editor.documentFor(bad);
    let inHost = '';
    try { parseCheckpoint(text, bad.fsPath); } catch (e) { inHost = (e as Error).message; }
    assert.ok(inHost.length > 0);
    assert.equal(doc.error, inHost);
    assert.match(doc.error ?? '', /ext-large-broken\.weights\.json: big\.weight: /);
  });
});
