// Reading and writing checkpoints for the editor, through the workspace file system (so remote
// and virtual workspaces work) and the format layer. Files of hundreds of MB are read as bytes,
// never opened as a TextDocument.
import * as vscode from 'vscode';
import { writeFileAtomic } from '../../format/checkpointFile';
import { parseCheckpoint } from '../../format/parse';
import { serializeCheckpoint } from '../../format/serialize';
import type { Checkpoint } from '../../format/types';

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

/** Read and parse a checkpoint; throws CheckpointError for a malformed file. */
export async function readCheckpoint(uri: vscode.Uri, nameForMessages = uri): Promise<Checkpoint> {
  const bytes = await vscode.workspace.fs.readFile(uri);
  return parseCheckpoint(bytes, displayName(nameForMessages));
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
