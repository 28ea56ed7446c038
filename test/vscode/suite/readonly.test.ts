// The read-only editor of .safetensors / .pt / .npy / .npz in a real extension host: each kind
// opens with the tensors the reference writer (PyTorch, NumPy) put in it, a safetensors file is
// listed from its header alone (values read per tensor, on demand), reveal() selects a tensor,
// and "Save As .weights.json" writes a file whose values equal the source's, then opens it in the
// normal editor.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ReadonlyDocument } from '../../../src/extension/editor/readonlyDocument';
import { readAnyCheckpoint } from '../../../src/format/openAny';
import { parseCheckpoint } from '../../../src/format/parse';
import type { TensorRecord } from '../../../src/format/types';
import { api, folder, until } from '../helpers';

const VIEW_TYPE = 'weightscope.readonlyEditor';

const inWs = (rel: string) => vscode.Uri.joinPath(folder(), rel);

type Expected = Record<string, Record<string, { dtype: string; shape: number[]; hex: string }>>;
async function expected(): Promise<Expected> {
  return JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(inWs('interop/expected.json')))) as Expected;
}

async function openReadonly(rel: string): Promise<ReadonlyDocument> {
  const editor = await api();
  const ro = editor.readonlyEditor!;
  assert.ok(ro, 'the read-only editor API is exported');
  return ro.documentFor(inWs(rel));
}

const bytesOf = (t: TensorRecord) => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);

/** A float32 safetensors file of a 2-3-1 MLP named like nn.Sequential with fc1 / fc2. */
const MLP: [string, number[]][] = [['fc1.weight', [3, 2]], ['fc1.bias', [3]], ['fc2.weight', [1, 3]], ['fc2.bias', [1]]];

function mlpSafetensors(tensors = MLP): Uint8Array {
  const header: Record<string, unknown> = {};
  let offset = 0;
  const values: number[] = [];
  for (const [name, shape] of tensors) {
    const n = shape.reduce((a, b) => a * b, 1);
    header[name] = { dtype: 'F32', shape, data_offsets: [offset, offset + 4 * n] };
    for (let i = 0; i < n; i++) values.push((values.length % 7) / 8 - 0.375);
    offset += 4 * n;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(new Uint8Array(Float32Array.from(values).buffer), 8 + json.length);
  return out;
}

suite('read-only editor', () => {
  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  for (const [file, key] of [
    ['interop/dtypes.safetensors', 'dtypes.safetensors'],
    ['interop/dtypes.pt', 'dtypes.pt'],
    ['interop/nested.pt', 'nested.pt'],
    ['interop/arrays.npz', 'arrays.npz'],
  ] as const) {
    test(`opens ${file} with the tensors its writer saved`, async () => {
      await vscode.commands.executeCommand('vscode.openWith', inWs(file), VIEW_TYPE);
      const doc = await openReadonly(file);
      assert.equal(doc.error, undefined);
      const want = (await expected())[key];
      const got = new Map(doc.state().params.map((p) => [p.name, p.shape]));
      assert.deepEqual([...got.keys()].sort(), Object.keys(want).sort());
      for (const [name, t] of Object.entries(want)) assert.deepEqual(got.get(name), t.shape, name);
      assert.ok(doc.state().readOnly, 'the state says read-only');
    });
  }

  test('opens a .npy as one tensor named after the file, showing the dtype it stores (int8, held as int32)', async () => {
    const doc = await openReadonly('interop/np_i8.npy');
    const want = (await expected()).npy['np_i8.npy'];
    const [p] = doc.state().params;
    assert.equal(p.name, 'np_i8');
    assert.deepEqual(p.shape, want.shape);
    assert.equal(p.dtype, 'int32');
    assert.equal(p.storedDtype, 'int8', 'the row shows what the file holds');
    assert.equal(doc.state().totals.bytes, p.numel, 'the size is the file\'s: one byte per int8');
    assert.ok(doc.state().readOnly!.notes.some((n) => n.includes('int32')), 'a note says int8 became int32');
  });

  test('safetensors: listed from the header, statistics read per tensor on demand', async () => {
    const doc = await openReadonly('interop/dtypes.safetensors');
    assert.ok(doc.state().params.every((p) => p.pending), 'nothing read at open');
    const info = await doc.info('f32');
    assert.ok(info && !info.pending);
    const source = (await readAnyCheckpoint(inWs('interop/dtypes.safetensors').fsPath)).checkpoint.parameters.get('f32')!;
    const finite = Array.from(source.data as Float32Array).filter(Number.isFinite);
    // `+ 0`: -0 and 0 are the same minimum.
    assert.equal(info.stats.min! + 0, Math.min(...finite) + 0);
    assert.equal(info.stats.max! + 0, Math.max(...finite) + 0);
    assert.equal(info.stats.nonfinite, source.data.length - finite.length);
    const state = doc.state();
    assert.equal(state.params.find((p) => p.name === 'f32')!.pending, undefined, 'the read tensor is no longer pending');
    assert.ok(state.params.find((p) => p.name === 'f64')!.pending, 'the others still are');
    const data = await doc.tensorData('f32');
    assert.deepEqual(Array.from(data!.values), Array.from(source.data as Float32Array));
  });

  test('reveal() opens a .pt in the read-only editor and selects the tensor', async () => {
    const editor = await api();
    await editor.reveal(inWs('interop/nested.pt'), 'fc2.weight');
    const doc = await until(() => editor.readonlyEditor!.activeDocument(), 'an active read-only editor');
    assert.equal(doc.uri.toString(), inWs('interop/nested.pt').toString());
    assert.equal(doc.selection, 'fc2.weight');
  });

  for (const file of ['interop/dtypes.safetensors', 'interop/dtypes.pt', 'interop/arrays.npz', 'interop/np_f32.npy']) {
    test(`Save As .weights.json of ${file} keeps every value`, async () => {
      const target = inWs(`${file.replace(/\.\w+$/, '')}-copy.weights.json`);
      const written = await vscode.commands.executeCommand<vscode.Uri | undefined>('weightscope.saveAsWeightsJson', inWs(file), { target, layers: '' });
      assert.equal(written?.toString(), target.toString());
      const saved = parseCheckpoint(await vscode.workspace.fs.readFile(target), target.fsPath);
      const source = (await readAnyCheckpoint(inWs(file).fsPath)).checkpoint;
      const all = (c: typeof saved) => new Map([...c.parameters, ...(c.buffers ?? [])]);
      const want = all(source);
      const got = all(saved);
      assert.deepEqual([...got.keys()], [...want.keys()]);
      for (const [name, t] of want) {
        const g = got.get(name)!;
        assert.equal(g.dtype, t.dtype, name);
        assert.deepEqual(g.shape, t.shape, name);
        assert.ok(bytesOf(g).equals(bytesOf(t)), `${name}: same bytes`);
      }
      // Independently of our reader: the float32 tensor is bit for bit what PyTorch / NumPy wrote.
      const exp = await expected();
      const ref = file.endsWith('.npy') ? exp.npy['np_f32.npy'] : exp[file.slice('interop/'.length)].f32;
      const f32 = file.endsWith('.npy') ? got.get('np_f32')! : got.get('f32')!;
      assert.equal(bytesOf(f32).toString('hex'), ref.hex);
      // …and it opened in the normal, editable editor.
      await until(() => vscode.window.tabGroups.activeTabGroup.activeTab?.input instanceof vscode.TabInputCustom
        && (vscode.window.tabGroups.activeTabGroup.activeTab.input as vscode.TabInputCustom).viewType === 'weightscope.weightsEditor'
        && (vscode.window.tabGroups.activeTabGroup.activeTab.input as vscode.TabInputCustom).uri.toString() === target.toString(), 'the copy in the Weightscope editor');
    });
  }

  test('a file changed on disk is read again', async () => {
    const uri = inWs('interop/changing.safetensors');
    await vscode.workspace.fs.writeFile(uri, mlpSafetensors());
    const doc = await openReadonly('interop/changing.safetensors');
    assert.deepEqual(doc.state().params.map((p) => p.name), MLP.map(([n]) => n));
    const before = await doc.tensorData('fc1.bias');
    await vscode.workspace.fs.writeFile(uri, mlpSafetensors([['fc1.bias', [3]], ['head.weight', [2, 2]]]));
    await until(() => doc.state().params.some((p) => p.name === 'head.weight'), 'the new header', 15000);
    assert.deepEqual(doc.state().params.map((p) => p.name), ['fc1.bias', 'head.weight']);
    assert.ok(doc.revision > 0);
    const after = await doc.tensorData('fc1.bias');
    assert.notDeepEqual(Array.from(after!.values), Array.from(before!.values), 'values read from the new file, not the cache');
  });

  test('Save As with layers writes a trainable model named after the file; bad layers write nothing', async () => {
    const source = inWs('interop/mlp.safetensors');
    await vscode.workspace.fs.writeFile(source, mlpSafetensors());
    const bad = inWs('interop/mlp-bad.weights.json');
    const refused = await vscode.commands.executeCommand('weightscope.saveAsWeightsJson', source, { target: bad, layers: 'Linear(2,3) ReLU Linear(3,1) Linear(1,1)' });
    assert.equal(refused, undefined);
    await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(bad)), 'no file for refused layers');
    const target = inWs('interop/mlp.weights.json');
    await vscode.commands.executeCommand('weightscope.saveAsWeightsJson', source, { target, layers: 'Linear(2,3) ReLU Linear(3,1)' });
    const saved = parseCheckpoint(await vscode.workspace.fs.readFile(target), target.fsPath);
    assert.deepEqual(saved.model?.layers.map((l) => [l.type, l.name]), [['Linear', 'fc1'], ['ReLU', undefined], ['Linear', 'fc2']]);
    assert.deepEqual([...saved.parameters.keys()], ['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']);
  });
});
