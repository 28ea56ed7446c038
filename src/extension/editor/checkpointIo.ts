// Reading and writing checkpoints for the editor, through the workspace file system (so remote
// and virtual workspaces work) and the format layer. Files of hundreds of MB are read as bytes,
// never opened as a TextDocument.
import * as vscode from 'vscode';
import { writeFileAtomic } from '../../format/checkpointFile';
import { parseCheckpoint } from '../../format/parse';
import { serializeCheckpoint } from '../../format/serialize';
import { Worker } from 'node:worker_threads';
import { CheckpointError, type Checkpoint } from '../../format/types';
import type { EditorState } from '../../webview/protocol';
import type { ParseReply, ParseRequest } from './parseWorkerProtocol';

export type SaveEncoding = 'auto' | 'nested' | 'base64';

/** The user's save settings (weightscope.save.*), scoped to the file. */
export function saveOptions(uri: vscode.Uri): { encoding: SaveEncoding; base64Threshold: number } {
  const cfg = vscode.workspace.getConfiguration('weightscope.save', uri);
  const encoding = cfg.get<string>('encoding', 'auto');
  const threshold = cfg.get<number>('base64Threshold', 4096);
  return {
    encoding: encoding === 'nested' || encoding === 'base64' ? encoding : 'auto',
    base64Threshold: Number.isFinite(threshold) && threshold >= 0 ? threshold : 4096,
  };
}

/** The name the user knows the file by, for messages. */
export function displayName(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? uri.fsPath : uri.toString(true);
}

/**
 * What identifies one version of a file on disk without reading it: its modification time and
 * size (VS Code's text files use the same pair). undefined when the file cannot be stat'ed.
 */
export type DiskStamp = { mtime: number; size: number } | undefined;

export async function diskStamp(uri: vscode.Uri): Promise<DiskStamp> {
  try {
    const s = await vscode.workspace.fs.stat(uri);
    return { mtime: s.mtime, size: s.size };
  } catch {
    return undefined;
  }
}

export function sameStamp(a: DiskStamp, b: DiskStamp): boolean {
  return !!a && !!b && a.mtime === b.mtime && a.size === b.size;
}

/** Local files at least this large are read and parsed in a worker thread (parseOffThread). */
const OFF_THREAD_BYTES = 8 * 2 ** 20;

/**
 * Read and parse a checkpoint; throws CheckpointError for a malformed file. A large local file
 * is read in a worker thread (the host's event loop stays free) and comes with the editor's state
 * of it, which `precomputedState` hands out once.
 */
export async function readCheckpoint(uri: vscode.Uri, nameForMessages = uri): Promise<Checkpoint> {
  const name = displayName(nameForMessages);
  if (uri.scheme === 'file' && parseWorkerPath) {
    const size = await vscode.workspace.fs.stat(uri).then((s) => s.size, () => 0);
    if (size >= OFF_THREAD_BYTES) {
      const { checkpoint, state } = await parseOffThread(parseWorkerPath, uri.fsPath, name);
      precomputed.set(checkpoint, state);
      return checkpoint;
    }
  }
  const bytes = await vscode.workspace.fs.readFile(uri);
  return parseCheckpoint(bytes, name);
}

let parseWorkerPath: string | undefined;
/** Where dist/parseWorker.js is (set at activation; without it every file is parsed in the host). */
export function useParseWorker(path: string | undefined): void {
  parseWorkerPath = path;
}

/** The editor's state a worker computed with a checkpoint (revision 0), until the first view takes it. */
const precomputed = new WeakMap<Checkpoint, EditorState>();
export function precomputedState(ckpt: Checkpoint): EditorState | undefined {
  const state = precomputed.get(ckpt);
  precomputed.delete(ckpt);
  return state;
}

/** Parse `path` in a worker thread: one request, one reply, then the worker ends. */
function parseOffThread(workerPath: string, path: string, name: string): Promise<{ checkpoint: Checkpoint; state: EditorState }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerPath);
    let settled = false;
    const settle = (f: () => void) => { if (!settled) { settled = true; f(); void worker.terminate(); } };
    worker.once('message', (reply: ParseReply) => settle(() => {
      if (reply.ok) resolve({ checkpoint: reply.checkpoint, state: reply.state });
      else if ('detail' in reply) reject(new CheckpointError(name, reply.detail, reply.param));
      else reject(new Error(`the parse worker failed on ${name}: ${reply.unexpected}`));
    }));
    worker.once('error', (e) => settle(() => reject(e)));
    worker.once('exit', (code) => settle(() => reject(new Error(`the parse worker ended (code ${code}) before answering for ${name}`))));
    worker.postMessage({ path, name } satisfies ParseRequest);
  });
}

/** The file's text as the current settings would write it. */
export function checkpointText(ckpt: Checkpoint, settingsScope: vscode.Uri): string {
  return serializeCheckpoint(ckpt, saveOptions(settingsScope));
}

/**
 * Write `ckpt` to `target`. For local files the format layer's atomic write (temp file beside
 * the target, then rename); elsewhere the workspace file system, which writes whole files.
 */
export async function writeCheckpoint(target: vscode.Uri, ckpt: Checkpoint, settingsScope: vscode.Uri = target): Promise<void> {
  const text = checkpointText(ckpt, settingsScope);
  const bytes = new TextEncoder().encode(text);
  if (target.scheme === 'file') {
    await writeFileAtomic(target.fsPath, bytes);
  } else {
    await vscode.workspace.fs.writeFile(target, bytes);
  }
}
