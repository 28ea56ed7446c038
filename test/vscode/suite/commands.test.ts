// The Weightscope commands in a real extension host, run with complete options (no prompts), as
// keybindings and other extensions run them: each result lands in the document as ONE undoable
// edit; VS Code's Undo restores the previous values bit-identically, Redo reapplies them.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TensorRecord } from '../../../src/format/types';
import { api, folder, until } from '../helpers';

const VIEW_TYPE = 'weightscope.weightsEditor';
type Outcome = { ok: true; [k: string]: unknown } | { ok: false; message: string } | undefined;

const bits = (t: TensorRecord) => Array.from(new Uint32Array((t.data as Float32Array).slice().buffer));
const run = (id: string, ...args: unknown[]) => vscode.commands.executeCommand<Outcome>(id, ...args);

function ok(outcome: Outcome): Record<string, unknown> {
  assert.ok(outcome, 'the command resolved to an outcome');
  assert.equal(outcome.ok, true, outcome.ok ? '' : outcome.message);
  return outcome as Record<string, unknown>;
}

/** The message of a refused command (asserting it was refused). */
function refused(outcome: Outcome): string {
  assert.ok(outcome && outcome.ok === false, `expected a refusal, got ${JSON.stringify(outcome)}`);
  return (outcome as { message: string }).message;
}

let counter = 0;
/** A new spiral MLP through the command itself, opened in the Weightscope editor. */
async function newSpiralModel(): Promise<vscode.Uri> {
  const out = `ext-cmd-${process.pid}-${++counter}.weights.json`;
  const result = ok(await run('weightscope.newModel', undefined, {
    layers: 'Linear(2,16) ReLU Linear(16,3)', seed: 3, init: 'default', out,
  }));
  const uri = result.uri as vscode.Uri;
  assert.equal(uri.toString(), vscode.Uri.joinPath(folder(), out).toString());
  return uri;
}

/** VS Code's Undo, once the workbench has registered the edit (the tab turned dirty). */
async function undo(): Promise<void> {
  await until(() => vscode.window.tabGroups.activeTabGroup.activeTab?.isDirty, 'the tab to turn dirty');
  await vscode.commands.executeCommand('undo');
}

/**
 * VS Code's Redo once the workbench has settled the undo (the tab is clean again), until `done`
 * holds. VS Code drops a redo (with a warning) while an undo of the same document is still running;
 * with a single edit on the redo stack, asking again is harmless.
 */
async function redoUntil(done: () => boolean, what: string): Promise<void> {
  await until(() => vscode.window.tabGroups.activeTabGroup.activeTab?.isDirty === false, 'the tab to be clean after undo');
  let redone = 0;
  const doc = (await api()).activeDocument();
  const counting = doc?.onDidChangeContent(() => redone++);
  try {
    for (let attempt = 1; ; attempt++) {
      await vscode.commands.executeCommand('redo');
      try {
        await until(done, what, 5000);
        return;
      } catch (e) {
        // Say what state it was left in, so a failure in CI tells a dropped redo from an overwritten one.
        const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
        if (attempt === 3) throw new Error(`${(e as Error).message}; content changes seen: ${redone}, document dirty: ${doc?.isDirty}, tab dirty: ${tab?.isDirty}, tab: ${tab?.label}`);
      }
    }
  } finally {
    counting?.dispose();
  }
}

async function docFor(uri: vscode.Uri) {
  const editor = await api();
  const doc = await editor.documentFor(uri);
  await until(() => editor.activeDocument() === doc, 'the editor to be active');
  return doc;
}

suite('commands', () => {
  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor').then(undefined, () => undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('new model: writes the file, opens it in the Weightscope editor', async () => {
    const uri = await newSpiralModel();
    const onDisk = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)));
    assert.deepEqual(Object.keys(onDisk.parameters), ['0.weight', '0.bias', '2.weight', '2.bias']);
    assert.deepEqual(onDisk.model.input_shape, [2]);
    const doc = await docFor(uri);
    assert.equal(doc.checkpoint.parameters.get('0.weight')!.shape.join('x'), '16x2');
    const again = await run('weightscope.newModel', undefined, { layers: 'Linear(2,1)', out: uri.path.split('/').pop() });
    assert.match(refused(again), /already exists/, 'an existing file is not overwritten');
  });

  test('reinitialise with xavier_uniform: values within the bound; undo bit-identical; redo reapplies', async () => {
    const uri = await newSpiralModel();
    const doc = await docFor(uri);
    const before = bits(doc.checkpoint.parameters.get('0.weight')!);
    const result = ok(await run('weightscope.reinitialize', uri, { params: ['0'], scheme: 'xavier_uniform', seed: 0 }));
    assert.deepEqual(result.params, ['0.weight', '0.bias']);
    const w = doc.checkpoint.parameters.get('0.weight')!.data as Float32Array;
    const bound = Math.sqrt(6 / (2 + 16));
    assert.ok(w.every((v) => Math.abs(v) <= bound), 'every value within ±√(6/(fan_in+fan_out))');
    assert.ok(Math.max(...w.map(Math.abs)) > bound / 2, 'values spread over the range');
    assert.ok((doc.checkpoint.parameters.get('0.bias')!.data as Float32Array).every((v) => v === 0), 'the layer\'s bias is zeroed');
    const after = bits(doc.checkpoint.parameters.get('0.weight')!);
    await undo();
    await until(() => bits(doc.checkpoint.parameters.get('0.weight')!).join() === before.join(), 'undo to restore the old bits');
    await redoUntil(() => bits(doc.checkpoint.parameters.get('0.weight')!).join() === after.join(), 'redo to reapply');
  });

  test('freeze: training leaves the frozen layer bit-identical; unfreeze; undo restores', async () => {
    const uri = await newSpiralModel();
    const doc = await docFor(uri);
    const frozen = ok(await run('weightscope.freeze', uri, { params: ['0'] }));
    assert.deepEqual(frozen.changed, ['0.weight', '0.bias']);
    assert.equal(frozen.frozen, 16 * 2 + 16);
    const fc1 = bits(doc.checkpoint.parameters.get('0.weight')!);
    const fc2 = bits(doc.checkpoint.parameters.get('2.weight')!);
    ok(await run('weightscope.train', uri, { data: 'spiral', epochs: 3, optimizer: 'adam', lr: 0.01 }));
    assert.equal(bits(doc.checkpoint.parameters.get('0.weight')!).join(), fc1.join(), 'the frozen weight is untouched');
    assert.notEqual(bits(doc.checkpoint.parameters.get('2.weight')!).join(), fc2.join(), 'the trainable weight moved');
    // Save, so the next undo waits for the unfreeze edit itself (the tab turns dirty again).
    assert.ok(await vscode.workspace.save(uri), 'saved');
    await until(() => !doc.isDirty && !vscode.window.tabGroups.activeTabGroup.activeTab?.isDirty, 'the save');
    const onDisk = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)));
    assert.equal(onDisk.parameters['0.weight'].requires_grad, false, 'saved frozen');
    const unfrozen = ok(await run('weightscope.unfreeze', uri, { params: ['0.weight'] }));
    assert.deepEqual(unfrozen.changed, ['0.weight']);
    assert.equal(doc.checkpoint.parameters.get('0.weight')!.requires_grad, true);
    await undo();
    await until(() => doc.checkpoint.parameters.get('0.weight')!.requires_grad === false, 'undo to refreeze');
  });

  test('weight decay now: the L2 norm shrinks by 1 − lr·λ, float32 exactly; undo restores', async () => {
    const uri = await newSpiralModel();
    const doc = await docFor(uri);
    const before = doc.checkpoint.parameters.get('2.weight')!;
    const beforeBits = bits(before);
    const result = ok(await run('weightscope.applyWeightDecay', uri, { weightDecay: 0.01, lr: 1 }));
    assert.ok(Math.abs((result.l2After as number) / (result.l2Before as number) - 0.99) < 1e-6, `ratio ${(result.l2After as number) / (result.l2Before as number)}`);
    const factor = Math.fround(0.99);
    const expected = Array.from(new Uint32Array(Float32Array.from(before.data as Float32Array, (v) => Math.fround(v * factor)).buffer));
    assert.deepEqual(bits(doc.checkpoint.parameters.get('2.weight')!), expected);
    await undo();
    await until(() => bits(doc.checkpoint.parameters.get('2.weight')!).join() === beforeBits.join(), 'undo to restore');
  });

  test('weight decay for training: sets the optimizer\'s weight_decay', async () => {
    const uri = await newSpiralModel();
    const doc = await docFor(uri);
    ok(await run('weightscope.applyWeightDecay', uri, { mode: 'optimizer', weightDecay: 0.05 }));
    assert.equal(doc.checkpoint.optimizer?.weight_decay, 0.05);
  });

  test('train: the loss goes down, history and optimizer are remembered; undo and redo', async () => {
    const uri = await newSpiralModel();
    const doc = await docFor(uri);
    const w0 = bits(doc.checkpoint.parameters.get('0.weight')!);
    const result = ok(await run('weightscope.train', uri, { data: 'spiral', epochs: 20, optimizer: 'adam', lr: 0.01, batchSize: 32 }));
    const history = result.history as { epoch: number; loss: number }[];
    assert.equal(history.length, 20);
    assert.deepEqual(history.map((h) => h.epoch), Array.from({ length: 20 }, (_, i) => i + 1));
    assert.ok(history[19].loss < history[0].loss, `loss ${history[0].loss} -> ${history[19].loss}`);
    assert.equal(doc.checkpoint.training?.history?.length, 20);
    assert.equal(doc.checkpoint.training?.dataset, 'spiral');
    assert.equal(doc.checkpoint.optimizer?.type, 'Adam');
    assert.equal(doc.checkpoint.optimizer?.lr, 0.01);
    const w1 = bits(doc.checkpoint.parameters.get('0.weight')!);
    assert.notEqual(w1.join(), w0.join());
    await undo();
    await until(() => bits(doc.checkpoint.parameters.get('0.weight')!).join() === w0.join(), 'undo to restore the weights');
    const historyNow = () => doc.checkpoint.training?.history;
    assert.equal(historyNow(), undefined, 'undo removes the history');
    await redoUntil(() => bits(doc.checkpoint.parameters.get('0.weight')!).join() === w1.join(), 'redo to reapply');
    assert.equal(historyNow()?.length, 20);
  });

  test('no Weightscope editor and no uri: a clear message, no exception', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const id of ['weightscope.train', 'weightscope.reinitialize', 'weightscope.freeze', 'weightscope.unfreeze', 'weightscope.applyWeightDecay']) {
      const outcome = await run(id, undefined, { params: ['0'], scheme: 'zeros', weightDecay: 0.1, data: 'spiral', epochs: 1 });
      assert.match(refused(outcome), /No Weightscope editor is active/, id);
    }
  });

  test('train on a file without a model: a clear message naming the file', async () => {
    const uri = vscode.Uri.joinPath(folder(), 'ext-cmd-nomodel.weights.json');
    const text = JSON.stringify({ format: 'weights.json', version: 1, parameters: { w: { shape: [2], dtype: 'float32', data: [1, 2] } } });
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    const outcome = await run('weightscope.train', uri, { data: 'spiral', epochs: 1 });
    assert.match(refused(outcome), /ext-cmd-nomodel\.weights\.json has no model/);
  });

  test('a bad option is refused with its name, before anything changes', async () => {
    const uri = await newSpiralModel();
    const doc = await docFor(uri);
    const w = bits(doc.checkpoint.parameters.get('0.weight')!);
    const bad = await run('weightscope.reinitialize', uri, { params: ['0'], scheme: 'bogus' });
    assert.match(refused(bad), /scheme/);
    const nomatch = await run('weightscope.freeze', uri, { params: ['nope'] });
    assert.match(refused(nomatch), /nope/);
    assert.equal(bits(doc.checkpoint.parameters.get('0.weight')!).join(), w.join());
    assert.equal(doc.isDirty, false);
  });

  test('the extension host stays responsive while training runs in the worker (measured, printed)', async function () {
    this.timeout(180000);
    const uri = await newSpiralModel();
    await docFor(uri);
    const py = vscode.Uri.joinPath(folder(), 'hover', 'train.py');
    const text = await vscode.workspace.openTextDocument(py);
    const offset = text.getText().indexOf('fc1.weight');
    assert.ok(offset >= 0, 'the hover fixture names fc1.weight');
    const at = text.positionAt(offset + 'fc1.'.length + 2);
    const hoverMs = async () => {
      const t0 = performance.now();
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', py, at);
      const ms = performance.now() - t0;
      return { ms, found: hovers.some((h) => h.contents.some((c) => (typeof c === 'string' ? c : c.value).includes('fc1.weight'))) };
    };
    const idle = await hoverMs();
    // Event-loop lag: how late a 10 ms timer fires, while the run goes on.
    const lags: number[] = [];
    let running = true;
    const probe = (async () => {
      while (running) {
        const t0 = performance.now();
        await new Promise((r) => setTimeout(r, 10));
        lags.push(performance.now() - t0 - 10);
      }
    })();
    const training = run('weightscope.train', uri, { data: 'spiral', epochs: 4000, batchSize: 1, optimizer: 'sgd', lr: 0.001 });
    let finished = false;
    void training.then(() => { finished = true; });
    await new Promise((r) => setTimeout(r, 1500));
    const during = await hoverMs();
    const stillRunning = !finished;
    const result = ok(await training);
    running = false;
    await probe;
    lags.sort((a, b) => a - b);
    const p = (q: number) => lags[Math.min(lags.length - 1, Math.floor(q * lags.length))]?.toFixed(1);
    console.log(`      hover via the API: idle ${idle.ms.toFixed(0)} ms, during training ${during.ms.toFixed(0)} ms${stillRunning ? '' : ' (the run had ended: not a measurement during training)'}; event-loop lag during training: median ${p(0.5)} ms, p95 ${p(0.95)} ms, max ${p(1)} ms over ${lags.length} samples; ${(result.history as unknown[]).length} epochs`);
    assert.ok(during.found, 'the hover answered during training');
  });
});
