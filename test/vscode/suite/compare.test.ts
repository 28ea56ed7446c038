// The compare commands (issue 15) in a real extension host: `weightscope.compare` on two files
// resolves with the summary of statuses and opens the compare view; Compare with Saved compares
// an editor's unsaved edit with its file; Compare with HEAD reads the last commit through the
// built-in Git extension, and says so in one line when there is no repository.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as vscode from 'vscode';
import { parseCheckpoint } from '../../../src/format/parse';
import { serializeCheckpoint } from '../../../src/format/serialize';
import type { Checkpoint, TensorRecord } from '../../../src/format/types';
import { api, folder, until } from '../helpers';

const inWs = (rel: string) => vscode.Uri.joinPath(folder(), rel);
type Summary = { same: number; changed: number; shape_mismatch: number; only_in_a: number; only_in_b: number };

async function readCkpt(rel: string): Promise<Checkpoint> {
  return parseCheckpoint(await vscode.workspace.fs.readFile(inWs(rel)), rel);
}

/** A bare state_dict checkpoint (no model, so names and shapes may differ from any architecture). */
function bare(parameters: Map<string, TensorRecord>): Checkpoint {
  return { format: 'weights.json', version: 1, parameters, extra: new Map(), keyOrder: ['format', 'version', 'parameters'] };
}

const f32 = (shape: number[], values: ArrayLike<number>): TensorRecord => ({ shape, dtype: 'float32', requires_grad: true, data: Float32Array.from(values) });

async function write(rel: string, ckpt: Checkpoint): Promise<vscode.Uri> {
  const uri = inWs(rel);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(serializeCheckpoint(ckpt)));
  return uri;
}

const compareTabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs)
  .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('weightscope.compareView'));

suite('compare', () => {
  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('weightscope.compare(uriA, uriB) resolves with the summary and opens the compare view', async () => {
    const base = await readCkpt('mlp-spiral.weights.json');
    const p = base.parameters;
    // B: fc1.weight nudged, fc2.weight identical, fc3.weight reshaped, fc1.bias dropped, a new tensor added.
    const fc1 = p.get('fc1.weight')!;
    const nudged = f32(fc1.shape, (fc1.data as Float32Array).map((v, i) => (i === 5 ? v + 0.25 : v)));
    const b = new Map<string, TensorRecord>([
      ['fc1.weight', nudged],
      ['fc2.weight', p.get('fc2.weight')!],
      ['fc2.bias', p.get('fc2.bias')!],
      ['fc3.weight', f32([16, 3], p.get('fc3.weight')!.data as Float32Array)],
      ['fc3.bias', p.get('fc3.bias')!],
      ['head.weight', f32([2, 2], [1, 2, 3, 4])],
    ]);
    const a = await write('compare-a.weights.json', bare(new Map(p)));
    const bUri = await write('compare-b.weights.json', bare(b));
    const summary = await vscode.commands.executeCommand<Summary>('weightscope.compare', a, bUri);
    assert.deepEqual(summary, { same: 3, changed: 1, shape_mismatch: 1, only_in_a: 1, only_in_b: 1 });
    await until(() => compareTabs().length === 1, 'the compare view tab');
    assert.match(compareTabs()[0].label, /compare-a\.weights\.json.*compare-b\.weights\.json/);
  });

  test('a .safetensors against a .pt written from the same tensors: matched by name, no mismatch', async () => {
    // interop/ holds files PyTorch and safetensors wrote from the same dict of tensors (all dtypes).
    const summary = await vscode.commands.executeCommand<Summary>('weightscope.compare', inWs('interop/dtypes.safetensors'), inWs('interop/dtypes.pt'));
    assert.ok(summary, 'a summary');
    assert.equal(summary.shape_mismatch + summary.only_in_a + summary.only_in_b, 0, JSON.stringify(summary));
    assert.ok(summary.same + summary.changed > 0);
  });

  test('the pairs PyTorch made (test/fixtures/diff/): the same summaries as NumPy computed, across formats and dtypes', async () => {
    // The extension runs from the repository, so its fixtures are beside it.
    const repo = vscode.extensions.getExtension('weightscope.weightscope')!.extensionUri;
    const dir = vscode.Uri.joinPath(repo, 'test', 'fixtures', 'diff');
    type Case = { a: string; b: string; atol: number; summary: Summary };
    const cases = (JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(dir, 'expected.json')))) as { cases: Case[] }).cases;
    const atZero = cases.filter((c) => c.atol === 0);
    assert.ok(atZero.length >= 6, `${atZero.length} cases`);
    for (const c of atZero) {
      const summary = await vscode.commands.executeCommand<Summary>('weightscope.compare', vscode.Uri.joinPath(dir, c.a), vscode.Uri.joinPath(dir, c.b));
      assert.deepEqual(summary, c.summary, `${c.a} ↔ ${c.b}`);
    }
  });

  test('a file that is not a checkpoint: one message, no summary, no view', async () => {
    const bad = inWs('compare-bad.weights.json');
    await vscode.workspace.fs.writeFile(bad, new TextEncoder().encode('{"format": "weights.json", "version": 1, "parameters": {"w": {"shape": [2], "dtype": "float32", "data": [1]}}}'));
    const summary = await vscode.commands.executeCommand<Summary | undefined>('weightscope.compare', inWs('mlp-spiral.weights.json'), bad);
    assert.equal(summary, undefined);
    assert.equal(compareTabs().length, 0);
  });

  test('Compare with Saved: the unsaved edit is the one changed tensor', async () => {
    const uri = inWs('compare-saved.weights.json');
    await vscode.workspace.fs.copy(inWs('mlp-spiral.weights.json'), uri, { overwrite: true });
    await vscode.commands.executeCommand('vscode.openWith', uri, 'weightscope.weightsEditor');
    const doc = await (await api()).documentFor(uri);
    const t = doc.checkpoint.parameters.get('fc2.bias')!;
    doc.applyChange({ label: 'test edit', parameters: new Map([['fc2.bias', { ...t, data: (t.data as Float32Array).map((v) => v * 2 + 1) }]]) });
    assert.ok(doc.isDirty);
    const summary = await vscode.commands.executeCommand<Summary>('weightscope.compareWithSaved', uri);
    assert.deepEqual(summary, { same: 5, changed: 1, shape_mismatch: 0, only_in_a: 0, only_in_b: 0 });
  });

  test('Compare with HEAD: the committed version against the file on disk', async function () {
    this.timeout(90000);
    // The harness turns the Git extension off for speed; this test needs it.
    await vscode.workspace.getConfiguration('git').update('enabled', true, vscode.ConfigurationTarget.Global);
    const gitExt = vscode.extensions.getExtension<{ enabled: boolean }>('vscode.git')!;
    await gitExt.activate();
    await until(() => gitExt.exports.enabled, 'the Git extension enabled');
    const repo = inWs('git-repo');
    await vscode.workspace.fs.createDirectory(repo);
    const file = vscode.Uri.joinPath(repo, 'model.weights.json');
    await vscode.workspace.fs.copy(inWs('mlp-spiral.weights.json'), file, { overwrite: true });
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: repo.fsPath });
    git('init', '-q');
    git('add', 'model.weights.json');
    git('commit', '-q', '-m', 'base');
    const ckpt = await readCkpt('git-repo/model.weights.json');
    const w = ckpt.parameters.get('fc3.bias')!;
    ckpt.parameters.set('fc3.bias', { ...w, data: (w.data as Float32Array).map((v) => v + 1) });
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(serializeCheckpoint(ckpt)));
    try {
      const summary = await vscode.commands.executeCommand<Summary>('weightscope.compareWithHead', file);
      assert.deepEqual(summary, { same: 5, changed: 1, shape_mismatch: 0, only_in_a: 0, only_in_b: 0 });
      // A file outside the repository: one message, no summary.
      assert.equal(await vscode.commands.executeCommand('weightscope.compareWithHead', inWs('lstm-sine.weights.json')), undefined);
    } finally {
      await vscode.workspace.getConfiguration('git').update('enabled', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('Compare with HEAD while the Git extension is off: no summary, no view', async () => {
    const summary = await vscode.commands.executeCommand<Summary | undefined>('weightscope.compareWithHead', inWs('lstm-sine.weights.json'));
    assert.equal(summary, undefined);
    assert.equal(compareTabs().length, 0);
  });
});
