// The one request and reply between the extension host and the parse worker (parseWorker.ts).
import type { Checkpoint } from '../../format/types';
import type { EditorState } from '../../webview/protocol';

export interface ParseRequest {
  /** The file to read (a local path). */
  path: string;
  /** How messages name it (displayName). */
  name: string;
}

export type ParseReply =
  | { ok: true; checkpoint: Checkpoint; state: EditorState }
  /** A CheckpointError's parts (its class does not survive the message), or anything else. */
  | { ok: false; detail: string; param?: string }
  | { ok: false; unexpected: string };

/** Every tensor's buffer, once each (views may share one): moved to the host, not copied. */
export function transferablesOf(ckpt: Checkpoint): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const map of [ckpt.parameters, ckpt.buffers ?? new Map()]) {
    for (const t of map.values()) if (t.data.buffer instanceof ArrayBuffer) buffers.add(t.data.buffer);
  }
  return [...buffers];
}
