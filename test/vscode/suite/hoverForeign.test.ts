// Issue 14 in the real VS Code: hovers in a Python file of a folder that holds only `.pth` and
// `.safetensors` checkpoints (made here, at test time, by the project's own writers; the GPT-2
// one real size, 475 MiB) answer with shapes and dtypes from the headers, then statistics.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { WeightscopeExports } from '../../../src/extension/extension';
import { num } from '../../../src/extension/hover/tooltip';
import { StatsAccumulator } from '../../../src/format/stats';
import { gpt2Shapes, HOVERS, resnet18Shapes, withValues, writeForeignWorkspace } from '../../../bench/foreignWorkspace.mjs';

const EXTENSION_ID = 'weightscope.weightscope';

async function hoverTexts(uri: vscode.Uri, line: number, character: number): Promise<string[]> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(line, character));
  return (hovers ?? []).flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).filter((t) => t.includes('weightscope.openParameter') || t.includes('still'));
}

async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    const value = await probe().catch((e: unknown) => { last = e; return undefined; });
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? ` (${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The mean of one tensor as the writer made it, as the tooltip prints it. */
function meanText(shapes: ReturnType<typeof resnet18Shapes>, seed: number, name: string): string {
  const t = withValues(shapes, seed).find((x) => x.name === name)!;
  const acc = new StatsAccumulator();
  acc.add(t.values() as Float32Array);
  return `mean ${num(acc.result(0).mean)}`;
}

suite('hover over .pth and .safetensors', () => {
  let dir: string;
  let trainPy: vscode.Uri;
  let api: WeightscopeExports;
  suiteSetup(async function () {
    this.timeout(10 * 60_000);
    api = (await vscode.extensions.getExtension(EXTENSION_ID)!.activate()) as WeightscopeExports;
    const root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    // Written beside the workspace, then renamed in file by file: the watcher never sees half a file.
    const staging = writeForeignWorkspace({ dir: fs.mkdtempSync(path.join(path.dirname(root), 'foreign-')), gpt2: 'full', smaller: 3 });
    dir = path.join(root, 'foreign');
    for (const f of [...staging.files, staging.trainPy]) {
      const to = path.join(dir, path.relative(staging.dir, f));
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.renameSync(f, to);
    }
    fs.rmSync(staging.dir, { recursive: true, force: true });
    trainPy = vscode.Uri.file(path.join(dir, 'train.py'));
    await vscode.workspace.openTextDocument(trainPy);
  });

  // The 475 MiB file goes even when a test fails (the harness keeps a failed run's workspace).
  suiteTeardown(() => { if (dir) fs.rmSync(path.join(dir, 'gpt2.safetensors'), { force: true }); });

  test('model.layer1[0].conv1.weight: the ResNet-18 .pth answers with its shape, then its statistics', async function () {
    this.timeout(5 * 60_000);
    const { line, character } = HOVERS.first;
    const shape = await until(async () => (await hoverTexts(trainPy, line, character)).find((t) => t.includes('layer1.0.conv1.weight')), 'a hover on layer1.0.conv1.weight');
    assert.match(shape, /^\*\*`layer1\.0\.conv1\.weight`\*\* — foreign\/resnet18\.pth/, shape);
    assert.ok(shape.includes('`[64, 64, 3, 3]` — 64 filters × 64 input channels × 3×3 kernel · float32 · 36864 values · trainable'), shape);
    const want = meanText(resnet18Shapes(), 3, 'layer1.0.conv1.weight');
    const stats = await until(async () => (await hoverTexts(trainPy, line, character)).find((t) => t.includes(want)), `the statistics (${want})`);
    assert.match(stats, /data:image\/svg\+xml;base64,/, 'the heatmap thumbnail');
  });

  test('model.fc.weight: the nearest file first, the others that hold the name listed', async function () {
    this.timeout(5 * 60_000);
    const { line, character } = HOVERS.classifier;
    const text = await until(async () => (await hoverTexts(trainPy, line, character)).find((t) => t.includes('Also in:') && t.includes('mean ')), 'fc.weight with its statistics and the other files');
    assert.match(text, /^\*\*`fc\.weight`\*\* — foreign\/resnet18\.pth/, text);
    assert.ok(text.includes('`[1000, 512]` — 1000 outputs × 512 inputs · float32'), text);
    assert.ok(text.includes(meanText(resnet18Shapes(), 3, 'fc.weight')), text);
    // The other holders follow, nearest first, each a link with its shape: the workspace's own
    // examples (one folder up) come before runs/run0/ckpt0.pth (two down), which the list may
    // leave to "and N more".
    assert.match(text, /Also in: \[[^\]]+\]\(command:weightscope\.openParameter\?[^)]+\) `\[\d+, \d+\]`/, text);
    assert.match(text, /ckpt0\.pth|and \d+ more/, text);
  });

  test('sd["h.0.attn.c_attn.weight"]: the 475 MiB GPT-2 .safetensors, shape at once and statistics streamed', async function () {
    this.timeout(5 * 60_000);
    const { line, character } = HOVERS.qkv;
    const shape = await until(async () => (await hoverTexts(trainPy, line, character)).find((t) => t.includes('h.0.attn.c_attn.weight')), 'a hover on h.0.attn.c_attn.weight');
    assert.match(shape, /^\*\*`h\.0\.attn\.c_attn\.weight`\*\* — foreign\/gpt2\.safetensors/, shape);
    assert.ok(shape.includes('`[768, 2304]` — 768 outputs × 2304 inputs · float32 · 1769472 values'), shape);
    const want = meanText(gpt2Shapes(), 2, 'h.0.attn.c_attn.weight');
    await until(async () => (await hoverTexts(trainPy, line, character)).find((t) => t.includes(want)), `the statistics (${want})`, 4 * 60_000);
  });

  test('the tooltip\'s Open in Weightscope opens a .pth in the read-only editor', async function () {
    this.timeout(2 * 60_000);
    const { line, character } = HOVERS.classifier;
    const text = (await hoverTexts(trainPy, line, character)).find((t) => t.includes('fc.weight'))!;
    const link = /\[Open in Weightscope\]\(command:weightscope\.openParameter\?([^)]+)\)/.exec(text);
    assert.ok(link, text);
    const args = JSON.parse(decodeURIComponent(link[1])) as [string, string];
    assert.equal(vscode.Uri.parse(args[0]).fsPath, path.join(dir, 'resnet18.pth'));
    await vscode.commands.executeCommand('weightscope.openParameter', ...args);
    const tab = await until(async () => {
      const t = vscode.window.tabGroups.activeTabGroup.activeTab;
      return t?.input instanceof vscode.TabInputCustom && t.input.uri.fsPath.endsWith('resnet18.pth') ? t.input : undefined;
    }, 'the .pth open in an editor', 60_000);
    assert.equal(tab.viewType, 'weightscope.readonlyEditor');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('a malformed checkpoint is skipped (logged, no popup) and the others still answer', async function () {
    this.timeout(5 * 60_000);
    const before = (await api.hover.whenIndexed())!.failures;
    fs.writeFileSync(path.join(dir, 'broken.pth'), 'not a zip archive');
    await until(async () => ((await api.hover.whenIndexed())!.failures > before ? true : undefined), 'the broken file to be skipped');
    const { line, character } = HOVERS.classifier;
    assert.ok((await hoverTexts(trainPy, line, character)).some((t) => t.includes('fc.weight')));
  });
});
