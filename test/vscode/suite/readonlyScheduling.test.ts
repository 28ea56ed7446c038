// The read-only editor's order of work in a real extension host (issue 13): with the thumbnails
// of many rows pending, a clicked tensor's heatmap data comes before them; rows that scroll away
// before their thumbnail was read are dropped; each tensor's statistics are computed once.
// Order, not time, is asserted (bench/editor-exthost.mjs measures time). A cancelled job's error
// is recognised by its name: this suite's bundle has its own copy of the Cancelled class.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { ReadonlyDocument } from '../../../src/extension/editor/readonlyDocument';
import { api, folder } from '../helpers';

const ROWS = 40, SHAPE = [512, 512];

/** A float32 .safetensors of ROWS tensors of SHAPE (1 MiB each), written into the workspace. */
function writeMany(rel: string): vscode.Uri {
  const n = SHAPE[0] * SHAPE[1];
  const header: Record<string, unknown> = {};
  for (let i = 0; i < ROWS; i++) header[`layers.${i}.weight`] = { dtype: 'F32', shape: SHAPE, data_offsets: [i * 4 * n, (i + 1) * 4 * n] };
  const json = Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  const values = new Float32Array(n);
  for (let k = 0; k < n; k++) values[k] = Math.sin(k) / 10;
  const uri = vscode.Uri.joinPath(folder(), rel);
  fs.writeFileSync(uri.fsPath, Buffer.concat([len, json, ...Array.from({ length: ROWS }, () => Buffer.from(values.buffer))]));
  return uri;
}

async function open(rel: string): Promise<ReadonlyDocument> {
  const uri = writeMany(rel);
  await vscode.commands.executeCommand('vscode.openWith', uri, 'weightscope.readonlyEditor');
  const doc = await (await api()).readonlyEditor!.documentFor(uri);
  // The webview asks for its visible rows itself: start from a document that has read nothing.
  await new Promise((r) => setTimeout(r, 1000));
  await doc.reload();
  return doc;
}

suite('read-only editor scheduling', () => {
  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('a click is served before the thumbnails already asked for', async () => {
    const doc = await open('many-a.safetensors');
    const done: string[] = [];
    const names = doc.tensors.map((t) => t.name);
    const thumbs = names.map((n) => doc.info(n, 'visible')!.then(() => { done.push(n); }, () => undefined));
    const last = names[ROWS - 1];
    const data = await doc.tensorData(last);
    assert.equal(data?.name, last);
    // At most the thumbnail already under way when the click came (and the clicked one's own) finished first.
    assert.ok(done.length <= 2, `${done.length} thumbnails came before the click: ${done.join(', ')}`);
    await Promise.all(thumbs);
    assert.equal(done.length, ROWS);
  });

  test('rows that scroll away before their thumbnail was read are dropped; statistics are computed once', async () => {
    const doc = await open('many-b.safetensors');
    const names = doc.tensors.map((t) => t.name);
    const asked = names.map((n) => doc.info(n, 'visible')!.then(() => 'read', (e: unknown) => ((e as Error).name === 'Cancelled' ? 'dropped' : `failed: ${String(e)}`)));
    for (const n of names.slice(2)) doc.cancelInfo(n);
    const outcome = await Promise.all(asked);
    assert.deepEqual(outcome.slice(0, 2), ['read', 'read']);
    assert.ok(outcome.slice(2).every((o) => o === 'dropped' || o === 'read'), outcome.join(', '));
    assert.ok(outcome.filter((o) => o === 'dropped').length >= ROWS - 4, `only ${outcome.filter((o) => o === 'dropped').length} dropped`);
    // The rows read are no longer pending, the dropped ones still are (and come when asked again).
    const state = doc.state();
    assert.equal(state.params[0].pending, undefined);
    assert.equal(state.params[ROWS - 1].pending, true);
    const again = await doc.info(names[ROWS - 1], 'visible');
    assert.equal(again!.pending, undefined);
    // Once computed, the same object comes back: no second read or reduction.
    assert.equal(await doc.info(names[0], 'visible'), await doc.info(names[0], 'selected'));
  });
});
