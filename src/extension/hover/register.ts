// Hover tooltips on parameter names (issue 6): wires the pure pieces — recognition
// (recognize.ts, constructors.ts), the checkpoint index (index.ts, fed by streaming digests) and the
// tooltip text (tooltip.ts) — into VS Code. Nothing is read until the first hover asks.
import * as vscode from 'vscode';
import type { WeightsEditorApi } from '../editor/register';
import { READONLY_VIEW_TYPE } from '../editor/readonlyProvider';
import { recognizeConstructor } from './constructors';
import { CheckpointIndex, type IndexHost } from './index';
import { recognizeParameter } from './recognize';
import { constructorTooltip, parameterTooltip, type TooltipContext } from './tooltip';
import { digestCheckpointFile, outlineCheckpointFile } from './digestFile';
import type { Pace } from './tensorStream';
import { weightscopeOutput } from '../outputChannel';

export const OPEN_PARAMETER_COMMAND = 'weightscope.openParameter';
const WEIGHTS_JSON_GLOB = '**/*.weights.json';
/** Every checkpoint format the hover reads: what PyTorch, Hugging Face and NumPy users have, beside our own. */
const CHECKPOINT_GLOB = '**/*.{weights.json,safetensors,pt,pth,npy,npz}';
/** A file the checkpoint glob matches, by its name. */
const CHECKPOINT_NAME = /\.(weights\.json|safetensors|pt|pth|npy|npz)$/i;
/** After a folder appears, how long to wait for the rest of a copy before listing the workspace again. */
const RESCAN_DELAY_MS = 500;
/** How long a hover waits for the index before answering from what is indexed so far. */
const LOOKUP_WAIT_MS = 1500;

/** Where hovers apply: Python (files and notebook cells), JS/TS, and a checkpoint's own JSON text. */
const SELECTOR: vscode.DocumentSelector = [
  { language: 'python' },
  { language: 'typescript' }, { language: 'javascript' }, { language: 'typescriptreact' }, { language: 'javascriptreact' },
  { language: 'json', pattern: WEIGHTS_JSON_GLOB }, { language: 'jsonc', pattern: WEIGHTS_JSON_GLOB },
];

/** Hover lines go to the shared Weightscope channel, tagged. */
function log(line: string): void {
  weightscopeOutput().appendLine(`[hover] ${line}`);
}

/** While the user hovers (a hover in the last HOVER_BUSY_MS), the statistics pass rests this long after each 256 KiB chunk: hovers first. */
const HOVER_BUSY_MS = 2000;
const CHUNK_REST_MS = 8;
let lastHoverAt = 0;
const pace: Pace = () => (Date.now() - lastHoverAt < HOVER_BUSY_MS ? new Promise((r) => setTimeout(r, CHUNK_REST_MS)) : undefined);

function indexHost(): IndexHost {
  return {
    async listCheckpoints() {
      const uris = await vscode.workspace.findFiles(CHECKPOINT_GLOB, '**/node_modules/**');
      return uris.filter((u) => u.scheme === 'file').map((u) => u.fsPath);
    },
    async stat(file) {
      try {
        const s = await vscode.workspace.fs.stat(vscode.Uri.file(file));
        return { size: s.size, mtimeMs: s.mtime };
      } catch {
        return null;
      }
    },
    // Read as a stream on this thread, a 256 KiB chunk per step: no worker thread, whose own heap
    // would cost more than the largest checkpoint (issue 6 asks under 2× of it while indexing).
    // A foreign file's header first (shapes at once), its values in a later, low-priority pass.
    outline: outlineCheckpointFile,
    digest: (file, onParam) => digestCheckpointFile(file, onParam, pace),
    log,
  };
}

/** A `command:` link that opens `file` in the Weightscope editor with `param` selected. */
function openParameterLink(file: string, param: string): string {
  const args = encodeURIComponent(JSON.stringify([vscode.Uri.file(file).toString(), param]));
  return `command:${OPEN_PARAMETER_COMMAND}?${args}`;
}

function tooltipContext(): TooltipContext {
  return {
    l10n: vscode.l10n,
    label: (file) => vscode.workspace.asRelativePath(file, (vscode.workspace.workspaceFolders?.length ?? 0) > 1),
    openLink: openParameterLink,
    // Checked in the real VS Code 1.139 (test/e2e/hover.e2e.mjs): a `data:image/svg+xml` image in
    // a hover's markdown is kept and decoded, so no file under globalStorage is needed.
    images: true,
  };
}

/** What the extension exports of the hover index, for tests and the extension-host benchmark. */
export interface HoverApi {
  /** Resolves when the index has nothing left to read; null when no hover has built it yet. */
  whenIndexed(): Promise<{ indexed: number; outlines: number; digests: number; failures: number } | null>;
  /** Resolves when every file has at least its outline (shapes answer; statistics may still be read). */
  whenOutlined(): Promise<{ indexed: number; statsPending: number } | null>;
}

export function registerHover(context: vscode.ExtensionContext, editor?: WeightsEditorApi): HoverApi {
  let index: CheckpointIndex | undefined;
  /** The index and its file watcher, created on the first hover that needs a checkpoint. */
  const getIndex = (): CheckpointIndex => {
    if (index) return index;
    const built = new CheckpointIndex(indexHost());
    const watcher = vscode.workspace.createFileSystemWatcher(CHECKPOINT_GLOB);
    watcher.onDidCreate((u) => { if (u.scheme === 'file') built.fileChanged(u.fsPath); });
    watcher.onDidChange((u) => { if (u.scheme === 'file') built.fileChanged(u.fsPath); });
    watcher.onDidDelete((u) => built.fileDeleted(u.fsPath));
    // A new folder (copied or moved in with checkpoints inside): list the workspace again, once per burst.
    const folders = vscode.workspace.createFileSystemWatcher('**/*', false, true, true);
    let rescan: ReturnType<typeof setTimeout> | undefined;
    folders.onDidCreate(async (u) => {
      if (u.scheme !== 'file' || CHECKPOINT_NAME.test(u.path)) return;
      const stat = await vscode.workspace.fs.stat(u).then((x) => x, () => undefined);
      if (stat?.type !== vscode.FileType.Directory) return;
      clearTimeout(rescan);
      rescan = setTimeout(() => void built.rescan(), RESCAN_DELAY_MS);
    });
    context.subscriptions.push(watcher, folders, { dispose: () => clearTimeout(rescan) });
    void built.start();
    return (index = built);
  };

  const provider: vscode.HoverProvider = {
    async provideHover(document, position, token) {
      lastHoverAt = Date.now();
      const line = document.lineAt(position.line).text;
      const lineRange = (start: number, end: number) => new vscode.Range(position.line, start, position.line, end);
      if (document.languageId === 'python') {
        const ctor = recognizeConstructor(line, position.character);
        if (ctor) {
          const md = new vscode.MarkdownString(constructorTooltip(vscode.l10n, ctor.layer, line.slice(ctor.start, ctor.end)));
          return new vscode.Hover(md, lineRange(ctor.start, ctor.end));
        }
      }
      const ref = recognizeParameter(line, position.character);
      if (!ref) return undefined;
      const near = document.uri.scheme === 'file' || document.uri.scheme === 'vscode-notebook-cell' ? document.uri.fsPath : '';
      const result = await getIndex().lookup(ref.candidates, near, LOOKUP_WAIT_MS);
      if (!result || token.isCancellationRequested) return undefined;
      const md = new vscode.MarkdownString(parameterTooltip(tooltipContext(), result));
      md.isTrusted = { enabledCommands: [OPEN_PARAMETER_COMMAND] };
      return new vscode.Hover(md, lineRange(ref.start, ref.end));
    },
  };

  context.subscriptions.push(
    vscode.languages.registerHoverProvider(SELECTOR, provider),
    vscode.commands.registerCommand(OPEN_PARAMETER_COMMAND, async (uri: string | vscode.Uri, param?: string) => {
      const target = typeof uri === 'string' ? vscode.Uri.parse(uri) : uri;
      // A foreign checkpoint opens in the read-only editor, a .weights.json in the editable one.
      const viewType = /\.weights\.json$/i.test(target.path) ? 'weightscope.weightsEditor' : READONLY_VIEW_TYPE;
      await vscode.commands.executeCommand('vscode.openWith', target, viewType);
      // The editor marks the parameter's row selected and shows its detail.
      if (param) await editor?.reveal(target, param);
    }),
  );
  return {
    async whenIndexed() {
      if (!index) return null;
      await index.start(); // the listing first: before it, an empty queue would look idle
      await index.whenIdle();
      return { indexed: index.size.indexed, outlines: index.counters.outlines, digests: index.counters.digests, failures: index.counters.failures };
    },
    async whenOutlined() {
      if (!index) return null;
      await index.start();
      await index.whenOutlined();
      return { indexed: index.size.indexed, statsPending: index.size.statsPending };
    },
  };
}
