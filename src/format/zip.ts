// Zip archives (`.npz`, PyTorch's `.pt` since 1.6) through fflate: a small, well-kept, fast
// inflater that runs in Node and the browser alike, so no native module and no hand-written
// zip reader. Stored and deflated entries both work; zip64 is fflate's limit.
import { unzipSync } from 'fflate';
import { CheckpointError } from './types';

/** True when the bytes begin with a zip local-file header ("PK\x03\x04") or an empty archive's end record. */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.byteLength >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b &&
    ((bytes[2] === 0x03 && bytes[3] === 0x04) || (bytes[2] === 0x05 && bytes[3] === 0x06));
}

/**
 * Every entry of a zip archive, name → bytes, in archive order. `keep` limits what is inflated
 * (by name); a damaged archive is a CheckpointError naming `file`.
 */
export function readZip(bytes: Uint8Array, file: string, keep?: (name: string) => boolean): Map<string, Uint8Array> {
  try {
    const entries = unzipSync(bytes, keep ? { filter: (f) => keep(f.name) } : undefined);
    return new Map(Object.entries(entries));
  } catch (e) {
    throw new CheckpointError(file, `cannot read it as a zip archive (${e instanceof Error ? e.message : String(e)})`);
  }
}

/** The names in a zip archive without inflating anything. */
export function listZip(bytes: Uint8Array, file: string): string[] {
  const names: string[] = [];
  readZip(bytes, file, (name) => { names.push(name); return false; });
  return names;
}
